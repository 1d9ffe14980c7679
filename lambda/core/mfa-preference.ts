import { InvalidParameterException } from './errors';

/** Amplify's names, as in `fetchMFAPreference` / `updateMFAPreference`. */
export type AuthMFAType = 'SMS' | 'TOTP' | 'EMAIL';
export type MFAPreference = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

export interface FetchMFAPreferenceOutput {
  enabled?: AuthMFAType[];
  preferred?: AuthMFAType;
}

export interface UpdateMFAPreferenceInput {
  sms?: MFAPreference;
  totp?: MFAPreference;
  email?: MFAPreference;
}

/** Cognito's `SMSMfaSettings` / `SoftwareTokenMfaSettings` shape. */
export interface CognitoMfaSettings {
  Enabled: boolean;
  PreferredMfa?: boolean;
}

const amplifyTypeOf: Readonly<Record<string, AuthMFAType>> = {
  SMS_MFA: 'SMS',
  SOFTWARE_TOKEN_MFA: 'TOTP',
};

/**
 * Cognito's `GetUser` MFA fields in Amplify's shape. Unknown Cognito factors are
 * left out rather than guessed at. Keys without a value are omitted, as Amplify
 * does.
 */
export function fromCognitoMfaSettings(
  userMfaSettingList: readonly string[] | undefined,
  preferredMfaSetting: string | undefined,
): FetchMFAPreferenceOutput {
  const enabled = (userMfaSettingList ?? []).flatMap((name) => amplifyTypeOf[name] ?? []);
  const preferred = preferredMfaSetting === undefined ? undefined : amplifyTypeOf[preferredMfaSetting];
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

/** Cognito keeps one preferred factor; asking for two is a client error, not a race to the last write. */
export function assertOnePreferred(input: UpdateMFAPreferenceInput): void {
  const preferred = Object.entries(input).filter(([, value]) => value === 'PREFERRED');
  if (preferred.length > 1) {
    throw new InvalidParameterException(
      `Only one factor can be PREFERRED; got ${preferred.map(([key]) => key).join(' and ')}.`,
    );
  }
}
