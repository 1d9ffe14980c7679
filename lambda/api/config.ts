import { integerEnv, listEnv, requiredEnv } from '../core/environment';
import { emailMfaSettingsFromEnv } from '../core/email-mfa-settings';

/** Everything the API functions read from their environment, read once per container. */
export const apiConfig = {
  /** Issuer in authenticator apps when the client names none, and the name in emails. */
  appName: requiredEnv('APP_NAME'),
  userPoolId: requiredEnv('USER_POOL_ID'),
  /** The confidential app client the sign-in routes use; its secret is read from Cognito. */
  serverClientId: requiredEnv('SERVER_CLIENT_ID'),
  /** Sender of codes and security notices. */
  emailFrom: requiredEnv('EMAIL_FROM'),
  /** How recent a sign-in must be to change factors. */
  stepUpMaxAgeSeconds: integerEnv('STEP_UP_MAX_AGE_SECONDS', 60, 86_400),
  /** Origins that get CORS headers; empty means same-origin only. */
  corsAllowedOrigins: listEnv('CORS_ALLOWED_ORIGINS'),
  /** Bodies are a few short strings; anything bigger is refused before parsing. */
  maxBodyBytes: 8192,
  /** Undefined when the stack is deployed with email MFA off. */
  emailMfa: requiredEnv('EMAIL_MFA') === 'on' ? emailMfaSettingsFromEnv() : undefined,
} as const;

export const notificationSettings = { appName: apiConfig.appName, from: apiConfig.emailFrom } as const;
