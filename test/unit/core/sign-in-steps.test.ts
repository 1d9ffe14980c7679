import {
  decodeSession,
  encodeSession,
  isSupportedChallenge,
  nextStepFor,
  selectedMfaChallenge,
  UnsupportedChallengeError,
} from '../../../lambda/core/sign-in-steps';

/** Every value of Cognito's ChallengeNameType (API reference, InitiateAuth "ChallengeName"). */
const cognitoChallenges = [
  'SMS_MFA',
  'EMAIL_OTP',
  'SOFTWARE_TOKEN_MFA',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'PASSWORD_VERIFIER',
  'CUSTOM_CHALLENGE',
  'SELECT_CHALLENGE',
  'DEVICE_SRP_AUTH',
  'DEVICE_PASSWORD_VERIFIER',
  'ADMIN_NO_SRP_AUTH',
  'NEW_PASSWORD_REQUIRED',
  'SMS_OTP',
  'PASSWORD',
  'WEB_AUTHN',
  'PASSWORD_SRP',
];

test.each([
  [
    'SMS_MFA',
    { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0100' },
    {
      signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
      codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0100' },
    },
  ],
  ['SOFTWARE_TOKEN_MFA', {}, { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }],
  [
    'CUSTOM_CHALLENGE',
    { deliveryMedium: 'EMAIL', destination: 'j***@e***.com' },
    {
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'j***@e***.com' },
    },
  ],
  [
    'SELECT_MFA_TYPE',
    { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' },
    {
      signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
      allowedMFATypes: ['SMS', 'TOTP'],
    },
  ],
  ['MFA_SETUP', { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' }, { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP' }],
  ['NEW_PASSWORD_REQUIRED', {}, { signInStep: 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED' }],
] as const)('%s -> Amplify step', (challenge, parameters, expected) => {
  expect(nextStepFor(challenge, parameters)).toEqual(expected);
});

test('every other Cognito challenge is a deployment fault, named in the error', () => {
  const unsupported = cognitoChallenges.filter((name) => !isSupportedChallenge(name));
  expect(unsupported).toEqual([
    'EMAIL_OTP',
    'PASSWORD_VERIFIER',
    'SELECT_CHALLENGE',
    'DEVICE_SRP_AUTH',
    'DEVICE_PASSWORD_VERIFIER',
    'ADMIN_NO_SRP_AUTH',
    'SMS_OTP',
    'PASSWORD',
    'WEB_AUTHN',
    'PASSWORD_SRP',
  ]);
  for (const name of [...unsupported, undefined]) {
    expect(() => nextStepFor(name, {})).toThrow(UnsupportedChallengeError);
  }
});

test('a malformed MFAS_CAN_CHOOSE gives no choices rather than a crash', () => {
  expect(nextStepFor('SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: 'not json' }).allowedMFATypes).toEqual([]);
});

test("MFA selection takes Amplify's SMS or TOTP", () => {
  expect(selectedMfaChallenge('SMS')).toBe('SMS_MFA');
  expect(selectedMfaChallenge('TOTP')).toBe('SOFTWARE_TOKEN_MFA');
  expect(() => selectedMfaChallenge('EMAIL')).toThrow('must be SMS or TOTP');
});

test('sessions round-trip, and anything else is refused without echoing it', () => {
  const session = { challengeName: 'CUSTOM_CHALLENGE', username: 'sub-1', cognitoSession: 'AYABe.x/y+z=' } as const;
  expect(decodeSession(encodeSession(session))).toEqual(session);
  for (const forged of [
    '',
    'abc',
    Buffer.from('["PASSWORD_VERIFIER","u","s"]').toString('base64url'),
    Buffer.from('["SMS_MFA","","s"]').toString('base64url'),
  ]) {
    expect(() => decodeSession(forged)).toThrow('Field "session" is not a session this API issued');
  }
});
