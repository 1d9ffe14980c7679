import type { AuthMFAType, FetchMFAPreferenceOutput, MFAPreference, UpdateMFAPreferenceInput } from '../../contract/amplify';
import { emailMfaEnabled, type EmailMfaState, type ParsedEmailMfaMark } from './email-mfa-mark';
import { InvalidParameterException } from './errors';

/** Cognito's `SMSMfaSettings` / `SoftwareTokenMfaSettings` shape. */
export interface CognitoMfaSettings {
  Enabled: boolean;
  PreferredMfa?: boolean;
}

/** What Cognito and the email MFA mark say about a user's factors. */
export interface MfaFactors {
  /** Cognito's names: SMS_MFA, SOFTWARE_TOKEN_MFA. */
  readonly nativeMfa: readonly string[];
  readonly preferredNativeMfa: string | undefined;
  readonly emailMfa: ParsedEmailMfaMark;
}

/** Amplify's name of each Cognito MFA factor (UserMFASettingList, MFAS_CAN_CHOOSE). */
export const amplifyMfaTypeOf: Readonly<Record<string, AuthMFAType>> = {
  SMS_MFA: 'SMS',
  SOFTWARE_TOKEN_MFA: 'TOTP',
};

/**
 * The user's factors in Amplify's shape. Unknown Cognito factors are left out
 * rather than guessed at; keys without a value are omitted, as Amplify does.
 */
export function currentPreference(factors: MfaFactors): FetchMFAPreferenceOutput {
  const on = new Set(factors.nativeMfa.flatMap((name) => amplifyMfaTypeOf[name] ?? []));
  const email = typeof factors.emailMfa === 'object' ? factors.emailMfa.state : undefined;
  // An unreadable mark counts as on, as it does at sign-in; enrolling again repairs it.
  if (emailMfaEnabled(factors.emailMfa)) on.add('EMAIL');
  // One order whatever order Cognito lists them in, so answers compare equal.
  const enabled = (['SMS', 'TOTP', 'EMAIL'] as const).filter((type) => on.has(type));
  const preferred =
    email === 'PREFERRED' ? 'EMAIL' : factors.preferredNativeMfa === undefined ? undefined : amplifyMfaTypeOf[factors.preferredNativeMfa];
  return {
    ...(enabled.length > 0 && { enabled }),
    ...(preferred && { preferred }),
  };
}

/** Amplify's mapping of one preference value to Cognito's settings (aws-amplify/auth `getMFASettings`). */
export function toCognitoMfaSettings(preference: MFAPreference | undefined): CognitoMfaSettings | undefined {
  switch (preference) {
    case undefined:
      return undefined;
    case 'DISABLED':
      return { Enabled: false };
    case 'ENABLED':
      return { Enabled: true };
    case 'PREFERRED':
      return { Enabled: true, PreferredMfa: true };
    case 'NOT_PREFERRED':
      return { Enabled: true, PreferredMfa: false };
  }
}

/** True when the input would turn the factor on (any value but DISABLED). */
export function enables(preference: MFAPreference | undefined): boolean {
  return preference !== undefined && preference !== 'DISABLED';
}

export interface PreferenceUpdate {
  readonly sms: CognitoMfaSettings | undefined;
  readonly totp: CognitoMfaSettings | undefined;
  /** The email MFA state to store, when the input changes it. */
  readonly emailState: EmailMfaState | undefined;
  readonly turnedOn: readonly AuthMFAType[];
  readonly turnedOff: readonly AuthMFAType[];
}

export const combinationRefusal =
  'Email MFA cannot be combined with SMS or TOTP for one user: after the password Cognito runs its own SMS or TOTP ' +
  'challenge and never asks for the email code. Disable SMS and TOTP before enabling email, or disable email first.';

/**
 * Checks an `updateMFAPreference` input against the user's factors and says what
 * to change. Refuses: two PREFERRED factors, enabling EMAIL before enrolment, and
 * any result with EMAIL and a native factor both enabled.
 */
export function planPreferenceUpdate(factors: MfaFactors, input: UpdateMFAPreferenceInput): PreferenceUpdate {
  const preferred = (['sms', 'totp', 'email'] as const).filter((key) => input[key] === 'PREFERRED');
  if (preferred.length > 1) {
    throw new InvalidParameterException(`Only one factor can be PREFERRED; got ${preferred.join(' and ')}.`);
  }
  const mark = typeof factors.emailMfa === 'object' ? factors.emailMfa : undefined;
  if (input.email !== undefined && factors.emailMfa === 'unreadable') {
    throw new InvalidParameterException(
      'The email MFA enrolment cannot be read; enrol again (POST /mfa/email/setup, then POST /mfa/email/verify).',
    );
  }
  if (enables(input.email) && !mark) {
    throw new InvalidParameterException('Set up email MFA (POST /mfa/email/setup, then POST /mfa/email/verify) before enabling it.');
  }

  const before = new Set(currentPreference(factors).enabled);
  const after = new Set(before);
  for (const [type, preference] of [
    ['SMS', input.sms],
    ['TOTP', input.totp],
    ['EMAIL', input.email],
  ] as const) {
    if (preference === undefined) continue;
    if (enables(preference)) after.add(type);
    else after.delete(type);
  }
  if (after.has('EMAIL') && (after.has('SMS') || after.has('TOTP'))) {
    throw new InvalidParameterException(combinationRefusal);
  }

  return {
    sms: toCognitoMfaSettings(input.sms),
    totp: toCognitoMfaSettings(input.totp),
    emailState: nextEmailState(mark?.state, input.email),
    turnedOn: [...after].filter((type) => !before.has(type)),
    turnedOff: [...before].filter((type) => !after.has(type)),
  };
}

function nextEmailState(current: EmailMfaState | undefined, input: MFAPreference | undefined): EmailMfaState | undefined {
  switch (input) {
    case undefined:
      return undefined;
    case 'DISABLED':
      return current === undefined ? undefined : 'ENROLLED';
    case 'PREFERRED':
      return 'PREFERRED';
    case 'NOT_PREFERRED':
      return 'ENABLED';
    case 'ENABLED':
      // Amplify's ENABLED leaves the preference as it is.
      return current === 'PREFERRED' ? 'PREFERRED' : 'ENABLED';
  }
}
