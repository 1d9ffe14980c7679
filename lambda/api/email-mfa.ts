import { InvalidParameterException, LimitExceededException } from '../core/errors';
import type { EmailMfaSettings } from '../core/email-mfa-settings';
import { apiConfig } from './config';

/** The email MFA settings, or a clear 400 when the stack was deployed without email MFA. */
export function emailMfaSettings(): EmailMfaSettings {
  if (!apiConfig.emailMfa) throw new InvalidParameterException('Email MFA is not enabled in this deployment.');
  return apiConfig.emailMfa;
}

export function lockedError(): LimitExceededException {
  return new LimitExceededException('Too many wrong email codes. Email MFA is paused for a while; try again later.');
}
