/** What a route knows of its caller, from the access token API Gateway's authorizer checked. */
export interface AccessTokenClaims {
  readonly sub: string;
  readonly username: string;
  /** Seconds since the epoch at which the user last signed in with a password. */
  readonly authTime: number;
}
