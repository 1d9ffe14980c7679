import { signOutRoute } from '../../contract/routes';
import { publicRoute } from '../http/api-route';
import { refreshTokenErrorOverrides } from '../http/sign-in-errors';
import { revokeRefreshToken } from '../services/cognito-sessions';
import { serverClient } from '../services/server-client';

/**
 * POST /auth/sign-out: revokes the refresh token of an API sign-in and, with it,
 * the access and ID tokens issued from it; the API's GetUser check then refuses
 * those access tokens although they have not expired.
 */
export const handler = publicRoute(signOutRoute, { errorOverrides: refreshTokenErrorOverrides }, async ({ body }) => {
  await revokeRefreshToken(serverClient, body.refreshToken);
  return { statusCode: 204 };
});
