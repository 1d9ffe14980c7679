import type { ErrorBody, Tokens } from './amplify.js';

/**
 * The session routes (issue 10) as types: the client calls them by these paths
 * and bodies, and their rows in contract/routes.ts (with handlers) must match,
 * e.g. `path: '/auth/refresh' satisfies RefreshRoute['path']`. Types only, so the
 * client's bundle carries nothing of this file but the path strings it writes itself.
 */

/** New access and ID tokens from a refresh token; no new refresh token (the old one stays valid). */
export type RefreshedTokens = Omit<Tokens, 'refreshToken'>;

export interface RefreshRequest {
  refreshToken: string;
}

export interface RefreshResponse {
  tokens: RefreshedTokens;
}

export interface SignOutRequest {
  refreshToken: string;
}

/** What the session routes answer a token they refuse (invalid, expired or revoked): 401. */
export interface NotAuthorizedBody extends ErrorBody {
  name: 'NotAuthorizedException';
}

/** `POST /auth/refresh`, public: 200 with new tokens, or 401 {@link NotAuthorizedBody}. */
export interface RefreshRoute {
  method: 'POST';
  path: '/auth/refresh';
  auth: 'none';
  request: RefreshRequest;
  answer: { status: 200; body: RefreshResponse };
  refusal: { status: 401; body: NotAuthorizedBody };
}

/** `POST /auth/sign-out`, public: revokes the refresh token and the access and ID tokens issued from it. */
export interface SignOutRoute {
  method: 'POST';
  path: '/auth/sign-out';
  auth: 'none';
  request: SignOutRequest;
  answer: { status: 204 };
}

/** `POST /auth/global-sign-out`, behind the authorizer (the access token), no body: ends every session of the user. */
export interface GlobalSignOutRoute {
  method: 'POST';
  path: '/auth/global-sign-out';
  auth: 'token';
  request: undefined;
  answer: { status: 204 };
}
