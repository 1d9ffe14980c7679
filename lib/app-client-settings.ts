/**
 * The app clients' sign-in settings as plain values, so the stack
 * (lib/mfa-user-pool.ts) and the local stand-in of the tests create the same
 * clients from one definition.
 */
export type SignInFlow = 'ALLOW_CUSTOM_AUTH' | 'ALLOW_USER_SRP_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH';

export interface AppClientSettings {
  /**
   * With email MFA, CUSTOM_AUTH only: the triggers must see every password
   * sign-in, or one could skip the code. Without it, plain SRP.
   */
  readonly explicitAuthFlows: readonly SignInFlow[];
  /**
   * The API's confidential client: the same, and CUSTOM_AUTH in any case, for
   * recovery's passwordless flow (lambda/core/sign-in-policy.ts), which Define
   * opens on this client only.
   */
  readonly serverExplicitAuthFlows: readonly SignInFlow[];
  /** Minutes a sign-in may take between steps: at least an email code's life, 3 to 10. */
  readonly authSessionMinutes: number;
  readonly accessTokenHours: number;
  readonly idTokenHours: number;
  readonly refreshTokenDays: number;
  /**
   * What a user's own token may write (the full name): never `phone_number` or `email`,
   * which decide where codes, resets and notices go, nor the email MFA mark
   * (lib/mfa-user-pool.ts says why).
   */
  readonly writeAttributes: readonly string[];
}

export function appClientSettings(options: { emailMfa: boolean; emailCodeTtlMinutes: number }): AppClientSettings {
  return {
    explicitAuthFlows: [options.emailMfa ? 'ALLOW_CUSTOM_AUTH' : 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    serverExplicitAuthFlows: options.emailMfa
      ? ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
      : ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    authSessionMinutes: options.emailMfa ? Math.max(3, options.emailCodeTtlMinutes) : 3,
    accessTokenHours: 1,
    idTokenHours: 1,
    refreshTokenDays: 30,
    writeAttributes: ['name'],
  };
}
