import { apiEnvironment } from '../../contract/environment';
import { InvalidParameterException } from '../core/errors';
import type { EmailMfaSettings } from '../../contract/environment';

/** Everything the API functions read from their environment, decoded once per container. */
export const apiConfig = {
  ...apiEnvironment.decode(process.env),
  /** Bodies are a few short strings; anything bigger is refused before parsing. */
  maxBodyBytes: 8192,
} as const;

export const notificationSettings = { appName: apiConfig.appName, from: apiConfig.emailFrom } as const;

/** The email MFA settings, or a clear 400 when the stack was deployed without email MFA. */
export function emailMfaSettings(): EmailMfaSettings {
  if (!apiConfig.emailMfa) throw new InvalidParameterException('Email MFA is not enabled in this deployment.');
  return apiConfig.emailMfa;
}
