/**
 * Shapes of the session routes (POST /auth/refresh, /auth/sign-out,
 * /auth/global-sign-out), shared by their handlers and the client.
 */
export interface RefreshedTokens {
  readonly accessToken: string;
  readonly idToken: string;
  /** Seconds the access token is valid for. */
  readonly expiresIn: number;
}

/** POST /auth/refresh's answer: no new refresh token (rotation is off), the one sent stays valid. */
export interface RefreshOutput {
  readonly tokens: RefreshedTokens;
}
