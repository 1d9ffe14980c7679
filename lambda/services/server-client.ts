import { apiConfig } from '../config/api-config';
import type { ServerClient } from './cognito-sign-in';

/** The confidential client the sign-in and session handlers call Cognito with. */
export const serverClient: ServerClient = { userPoolId: apiConfig.userPoolId, clientId: apiConfig.serverClientId };
