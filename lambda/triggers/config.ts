import { requiredEnv } from '../core/environment';
import { emailMfaSettingsFromEnv } from '../core/email-mfa-settings';

/** Everything the three challenge triggers read from their environment, read once per container. */
export const triggerConfig = {
  appName: requiredEnv('APP_NAME'),
  emailFrom: requiredEnv('EMAIL_FROM'),
  /** SSM parameter with this stack's app client ids (see services/app-clients.ts for why not the environment). */
  clientsParameter: requiredEnv('CLIENTS_PARAMETER'),
  poolRequiresMfa: requiredEnv('MFA_MODE') === 'REQUIRED',
  /** Cognito's own limit is per session; ours too, before the cross-session budget. */
  maxAnswersPerSignIn: 3,
  ...emailMfaSettingsFromEnv(),
} as const;
