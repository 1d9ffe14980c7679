import { CognitoIdentityProviderClient, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/global-sign-out.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const accessToken = (event.headers.Authorization ?? '').replace(/^Bearer /, '');
  await cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
  return { statusCode: 204, body: '' };
};
