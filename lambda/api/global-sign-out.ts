import { globalSignOutRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { signOutEverywhere } from '../services/cognito-sessions';

/**
 * POST /auth/global-sign-out: ends every session of the caller, on every app client
 * (Cognito's GlobalSignOut). No recent sign-in is asked: signing out only takes away.
 */
export const handler = authenticatedRoute(globalSignOutRoute, async ({ accessToken }) => {
  await signOutEverywhere(accessToken);
  return { statusCode: 204 };
});
