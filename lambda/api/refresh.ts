import { refreshRoute } from '../../contract/routes';
import type { RefreshResponse } from '../../contract/session';
import { publicRoute } from '../http/api-route';
import { refreshTokenErrorOverrides } from '../http/sign-in-errors';
import { refreshTokens } from '../services/cognito-sessions';
import { serverClient } from '../services/server-client';

/**
 * POST /auth/refresh: new access and ID tokens for a refresh token from the API's
 * sign-in, whose client only this API holds the secret of. Pre Token Generation runs
 * (TokenGeneration_RefreshTokens) and lets refreshes through; the new tokens keep the
 * sign-in's `auth_time`, so a refresh never counts as a recent sign-in for step-up.
 */
export const handler = publicRoute(refreshRoute, { errorOverrides: refreshTokenErrorOverrides }, async ({ body }) => {
  const answer: RefreshResponse = { tokens: await refreshTokens(serverClient, body.refreshToken) };
  return { statusCode: 200, body: answer };
});
