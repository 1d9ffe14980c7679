import {
  assertOnePreferred,
  enables,
  fromCognitoMfaSettings,
  toCognitoMfaSettings,
} from '../../../lambda/core/mfa-preference';

describe('fromCognitoMfaSettings (GetUser -> fetchMFAPreference)', () => {
  test.each([
    [undefined, undefined, {}],
    [[], undefined, {}],
    [['SOFTWARE_TOKEN_MFA'], undefined, { enabled: ['TOTP'] }],
    [['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], 'SOFTWARE_TOKEN_MFA', { enabled: ['SMS', 'TOTP'], preferred: 'TOTP' }],
    [['SMS_MFA'], 'SMS_MFA', { enabled: ['SMS'], preferred: 'SMS' }],
    // Cognito's native EMAIL_OTP needs a paid plan this stack does not use; unknown names are dropped, not guessed.
    [['EMAIL_OTP', 'SMS_MFA'], 'EMAIL_OTP', { enabled: ['SMS'] }],
  ])('%j preferred %j -> %j', (list, preferred, expected) => {
    expect(fromCognitoMfaSettings(list, preferred)).toEqual(expected);
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

test('two PREFERRED factors are refused, naming both', () => {
  expect(() => assertOnePreferred({ sms: 'PREFERRED', totp: 'PREFERRED' })).toThrow(
    'Only one factor can be PREFERRED; got sms and totp.',
  );
  expect(() => assertOnePreferred({ sms: 'PREFERRED', totp: 'NOT_PREFERRED' })).not.toThrow();
});
