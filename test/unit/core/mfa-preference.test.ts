import type { ParsedEmailMfaMark } from '../../../lambda/core/email-mfa-mark';
import {
  currentPreference,
  enables,
  planPreferenceUpdate,
  toCognitoMfaSettings,
  type MfaFactors,
} from '../../../lambda/core/mfa-preference';

const factors = (nativeMfa: string[], preferredNativeMfa?: string, emailMfa?: ParsedEmailMfaMark): MfaFactors => ({
  nativeMfa,
  preferredNativeMfa,
  emailMfa,
});
const email = (state: 'ENROLLED' | 'ENABLED' | 'PREFERRED'): ParsedEmailMfaMark => ({ state, address: 'a@example.com' });

describe('currentPreference (GetUser + email mark -> fetchMFAPreference)', () => {
  test.each([
    [factors([]), {}],
    [factors(['SOFTWARE_TOKEN_MFA']), { enabled: ['TOTP'] }],
    [factors(['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA'), { enabled: ['SMS', 'TOTP'], preferred: 'TOTP' }],
    [factors([], undefined, email('ENROLLED')), {}],
    [factors([], undefined, email('ENABLED')), { enabled: ['EMAIL'] }],
    [factors([], undefined, email('PREFERRED')), { enabled: ['EMAIL'], preferred: 'EMAIL' }],
    // Sign-in treats an unreadable mark as on (fail closed), so the preference shows it too.
    [factors([], undefined, 'unreadable'), { enabled: ['EMAIL'] }],
    // Cognito's native EMAIL_OTP needs a paid plan this stack does not use; unknown names are dropped, not guessed.
    [factors(['EMAIL_OTP', 'SMS_MFA'], 'EMAIL_OTP'), { enabled: ['SMS'] }],
  ])('%j -> %j', (input, expected) => {
    expect(currentPreference(input)).toEqual(expected);
  });
});

describe('toCognitoMfaSettings follows Amplify', () => {
  test.each([
    [undefined, undefined],
    ['ENABLED', { Enabled: true }],
    ['DISABLED', { Enabled: false }],
    ['PREFERRED', { Enabled: true, PreferredMfa: true }],
    ['NOT_PREFERRED', { Enabled: true, PreferredMfa: false }],
  ] as const)('%s -> %j', (preference, expected) => {
    expect(toCognitoMfaSettings(preference)).toEqual(expected);
  });
});

test('enables is true for every value but DISABLED and absent', () => {
  expect([undefined, 'DISABLED', 'ENABLED', 'PREFERRED', 'NOT_PREFERRED'].map((value) => enables(value as never))).toEqual([
    false,
    false,
    true,
    true,
    true,
  ]);
});

describe('planPreferenceUpdate', () => {
  test('two PREFERRED factors are refused, naming both', () => {
    expect(() => planPreferenceUpdate(factors([]), { sms: 'PREFERRED', totp: 'PREFERRED' })).toThrow(
      'Only one factor can be PREFERRED; got sms and totp.',
    );
  });

  test('native changes map to Cognito settings and report what turned on and off', () => {
    expect(planPreferenceUpdate(factors(['SMS_MFA']), { sms: 'DISABLED', totp: 'PREFERRED' })).toEqual({
      sms: { Enabled: false },
      totp: { Enabled: true, PreferredMfa: true },
      emailState: undefined,
      turnedOn: ['TOTP'],
      turnedOff: ['SMS'],
    });
  });

  test('EMAIL cannot be enabled before enrolment', () => {
    expect(() => planPreferenceUpdate(factors([]), { email: 'ENABLED' })).toThrow('POST /mfa/email/setup');
  });

  test.each([
    ['enabling EMAIL while TOTP is on', factors(['SOFTWARE_TOKEN_MFA'], undefined, email('ENROLLED')), { email: 'ENABLED' }],
    ['enabling SMS while EMAIL is on', factors([], undefined, email('ENABLED')), { sms: 'ENABLED' }],
    ['enabling both at once', factors([], undefined, email('ENROLLED')), { email: 'ENABLED', totp: 'ENABLED' }],
  ] as const)('refuses EMAIL with a native factor: %s', (_, current, input) => {
    expect(() => planPreferenceUpdate(current, input)).toThrow(
      /Email MFA cannot be combined with SMS or TOTP for one user.*Disable SMS and TOTP before enabling email/,
    );
  });

  test.each(['DISABLED', 'ENABLED'] as const)('%s on an unreadable enrolment asks to enrol again', (email) => {
    expect(() => planPreferenceUpdate(factors([], undefined, 'unreadable'), { email })).toThrow('enrol again');
  });

  test('switching from TOTP to EMAIL in one request is allowed', () => {
    const plan = planPreferenceUpdate(factors(['SOFTWARE_TOKEN_MFA'], undefined, email('ENROLLED')), {
      totp: 'DISABLED',
      email: 'PREFERRED',
    });
    expect(plan).toMatchObject({ emailState: 'PREFERRED', turnedOn: ['EMAIL'], turnedOff: ['TOTP'] });
  });

  test.each([
    ['ENROLLED', 'ENABLED', 'ENABLED'],
    ['PREFERRED', 'ENABLED', 'PREFERRED'],
    ['ENABLED', 'PREFERRED', 'PREFERRED'],
    ['PREFERRED', 'NOT_PREFERRED', 'ENABLED'],
    ['ENABLED', 'DISABLED', 'ENROLLED'],
  ] as const)('email %s + %s -> %s', (state, input, expected) => {
    expect(planPreferenceUpdate(factors([], undefined, email(state)), { email: input }).emailState).toBe(expected);
  });
});
