import {
  customChallengeKind,
  decideNextStep,
  lockedChallengeMetadataPrefix,
  passwordCheckedChallengeMetadata,
  passwordCheckMetadata,
  recoveryChallengeMetadata,
  type ChallengeRecord,
  type SignInFacts,
} from '../../../lambda/core/sign-in-policy';

const srp: ChallengeRecord = { challengeName: 'SRP_A', challengeResult: true };
const password = (ok: boolean): ChallengeRecord => ({ challengeName: 'PASSWORD_VERIFIER', challengeResult: ok });
const answer = (ok: boolean): ChallengeRecord => ({
  challengeName: 'CUSTOM_CHALLENGE',
  challengeResult: ok,
  challengeMetadata: 'EMAIL_OTP#n',
});
const lockedAnswer: ChallengeRecord = {
  challengeName: 'CUSTOM_CHALLENGE',
  challengeResult: false,
  challengeMetadata: `${lockedChallengeMetadataPrefix}n`,
};

/** At the first call native MFA is read; after it, it is not (undefined). */
const facts = (overrides: Partial<SignInFacts>): SignInFacts => ({
  session: [srp],
  userNotFound: false,
  clientId: 'public',
  knownClientIds: ['public', 'server'],
  serverClientId: 'server',
  clientMetadata: undefined,
  emailMfaDeployed: true,
  emailMfaEnabled: true,
  nativeMfaEnabled: (overrides.session ?? [srp]).length === 1 ? false : undefined,
  poolRequiresMfa: false,
  maxAnswers: 3,
  ...overrides,
});
const passwordStep = (switchOffNativeMfa: boolean) => ({ action: 'CHALLENGE', challengeName: 'PASSWORD_VERIFIER', switchOffNativeMfa });

test.each([
  ['SRP_A -> PASSWORD_VERIFIER', facts({}), passwordStep(false)],
  ['password -> email code', facts({ session: [srp, password(true)] }), { action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' }],
  [
    'right code -> tokens, with a proof for Pre Token Generation',
    facts({ session: [srp, password(true), answer(true)] }),
    { action: 'ISSUE_TOKENS', recordProof: true },
  ],
  [
    'wrong code -> again',
    facts({ session: [srp, password(true), answer(false)] }),
    { action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' },
  ],
  [
    'wrong, wrong, right -> tokens',
    facts({ session: [srp, password(true), answer(false), answer(false), answer(true)] }),
    { action: 'ISSUE_TOKENS', recordProof: true },
  ],
  [
    'no email MFA -> tokens after the password, no proof',
    facts({ session: [srp, password(true)], emailMfaEnabled: false }),
    { action: 'ISSUE_TOKENS', recordProof: false },
  ],
  ['server client is known too', facts({ clientId: 'server' }), passwordStep(false)],
  ['email and native MFA both on at SRP_A: switch native off, then the password', facts({ nativeMfaEnabled: true }), passwordStep(true)],
  ['native MFA without email MFA: left alone', facts({ nativeMfaEnabled: true, emailMfaEnabled: false }), passwordStep(false)],
  [
    'an unknown user at SRP_A: nothing read, nothing switched',
    facts({ userNotFound: true, nativeMfaEnabled: undefined }),
    passwordStep(false),
  ],
] as const)('%s', (_, input, expected) => {
  expect(decideNextStep(input)).toEqual(expected);
});

test.each([
  ['an empty session (custom flow without SRP) on the public client', facts({ session: [] }), 'flow did not start with SRP'],
  ['a session not starting with SRP_A on the public client', facts({ session: [answer(true)] }), 'flow did not start with SRP'],
  ['an unknown app client', facts({ clientId: 'other' }), 'unknown app client'],
  [
    'a known user whose native MFA was not read at the first call',
    facts({ nativeMfaEnabled: undefined }),
    'native MFA not read at the first call',
  ],
  ['a wrong password', facts({ session: [srp, password(false)] }), 'password not verified'],
  ['a custom answer in place of the password', facts({ session: [srp, answer(true)] }), 'password not verified'],
  ['three wrong codes', facts({ session: [srp, password(true), answer(false), answer(false), answer(false)] }), 'too many wrong answers'],
  [
    'an answer to a challenge Create made while locked',
    facts({ session: [srp, password(true), lockedAnswer] }),
    'email MFA locked by the failure budget',
  ],
  [
    'a locked challenge even if Verify had said right',
    facts({ session: [srp, password(true), { ...lockedAnswer, challengeResult: true }] }),
    'email MFA locked by the failure budget',
  ],
  [
    'no factor when the pool requires MFA',
    facts({ session: [srp, password(true)], emailMfaEnabled: false, poolRequiresMfa: true }),
    'pool requires MFA and the user has no factor',
  ],
  [
    'a custom answer from a user without email MFA',
    facts({ session: [srp, password(true), answer(true)], emailMfaEnabled: false }),
    'custom challenge answered by a user without email MFA',
  ],
  ['an unexpected challenge later on', facts({ session: [srp, password(true), srp] }), 'unexpected challenge in session'],
] as const)('fails on %s', (_, input, reason) => {
  expect(decideNextStep(input)).toEqual({ action: 'FAIL', reason });
});

test('a user that does not exist never gets tokens, whatever the session says', () => {
  const ghost = (session: ChallengeRecord[]) => decideNextStep(facts({ userNotFound: true, session, nativeMfaEnabled: undefined }));
  expect(ghost([srp])).toEqual(passwordStep(false));
  expect(ghost([srp, password(false)]).action).toBe('FAIL');
  expect(ghost([srp, password(true)])).toEqual({ action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' });
  expect(ghost([srp, password(true), answer(true)]).action).toBe('FAIL');
  expect(ghost([srp, password(true), answer(false), answer(false), answer(false)]).action).toBe('FAIL');
});

const recoveryAnswer = (ok: boolean): ChallengeRecord => ({
  challengeName: 'CUSTOM_CHALLENGE',
  challengeResult: ok,
  challengeMetadata: recoveryChallengeMetadata,
});
const checkedAnswer: ChallengeRecord = {
  challengeName: 'CUSTOM_CHALLENGE',
  challengeResult: true,
  challengeMetadata: passwordCheckedChallengeMetadata,
};
const onServer = (overrides: Partial<SignInFacts>) => facts({ clientId: 'server', nativeMfaEnabled: undefined, ...overrides });

describe('recovery: a custom flow without the password, on the server client only', () => {
  test('starts with the recovery challenge, issues tokens with a proof for a right ticket', () => {
    expect(decideNextStep(onServer({ session: [] }))).toEqual({ action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' });
    expect(customChallengeKind({ session: [], clientId: 'server', serverClientId: 'server', clientMetadata: undefined })).toBe('RECOVERY');
    expect(decideNextStep(onServer({ session: [recoveryAnswer(true)] }))).toEqual({ action: 'ISSUE_TOKENS', recordProof: true });
  });

  test.each([
    ['a wrong ticket: one answer only', onServer({ session: [recoveryAnswer(false)] }), 'recovery ticket refused'],
    ['a second answer', onServer({ session: [recoveryAnswer(false), recoveryAnswer(true)] }), 'unexpected challenge in recovery'],
    ['an email-code answer in its place', onServer({ session: [answer(true)] }), 'unexpected challenge in recovery'],
    ['a user that does not exist', onServer({ session: [], userNotFound: true }), 'user not found'],
    ['the public client', facts({ session: [recoveryAnswer(true)] }), 'flow did not start with SRP'],
  ] as const)('fails on %s', (_, input, reason) => {
    expect(decideNextStep(input)).toEqual({ action: 'FAIL', reason });
  });
});

describe("the API's password check: a dead-end challenge after the right password", () => {
  const checking = { clientMetadata: { ...passwordCheckMetadata } };

  test.each([
    ['an email-MFA user', { emailMfaEnabled: true }],
    ['a user without a factor, who would otherwise get tokens', { emailMfaEnabled: false }],
  ] as const)('%s gets the custom challenge, and Create makes it the check', (_, user) => {
    const input = onServer({ ...user, ...checking, session: [srp, password(true)] });
    expect(decideNextStep(input)).toEqual({ action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' });
    expect(customChallengeKind(input)).toBe('PASSWORD_CHECKED');
  });

  test('answering it fails, whatever Verify said and whatever metadata comes with the answer', () => {
    for (const clientMetadata of [undefined, { ...passwordCheckMetadata }]) {
      const input = onServer({ clientMetadata, session: [srp, password(true), checkedAnswer] });
      expect(decideNextStep(input)).toEqual({ action: 'FAIL', reason: 'password check answered' });
    }
  });

  test('on the public client the metadata changes nothing: the usual email code or tokens', () => {
    const email = facts({ ...checking, session: [srp, password(true)] });
    expect(customChallengeKind(email)).toBe('EMAIL_OTP');
    expect(decideNextStep(facts({ ...checking, session: [srp, password(true)], emailMfaEnabled: false }))).toEqual({
      action: 'ISSUE_TOKENS',
      recordProof: false,
    });
  });

  test('a wrong password fails as ever', () => {
    expect(decideNextStep(onServer({ ...checking, session: [srp, password(false)] }))).toEqual({
      action: 'FAIL',
      reason: 'password not verified',
    });
  });
});

describe('a deployment without email codes: the triggers are for recovery alone', () => {
  test('a custom flow with a password fails at its first call, on either client', () => {
    for (const clientId of ['public', 'server']) {
      expect(decideNextStep(facts({ clientId, emailMfaDeployed: false, emailMfaEnabled: false }))).toEqual({
        action: 'FAIL',
        reason: 'custom sign-in with a password without email MFA',
      });
    }
  });

  test('recovery works as with email codes', () => {
    expect(decideNextStep(onServer({ session: [], emailMfaDeployed: false }))).toEqual({
      action: 'CHALLENGE',
      challengeName: 'CUSTOM_CHALLENGE',
    });
    expect(decideNextStep(onServer({ session: [recoveryAnswer(true)], emailMfaDeployed: false }))).toEqual({
      action: 'ISSUE_TOKENS',
      recordProof: true,
    });
  });
});
