import { decideNextStep, type ChallengeRecord, type SignInFacts } from '../../../lambda/core/sign-in-policy';

const srp: ChallengeRecord = { challengeName: 'SRP_A', challengeResult: true };
const password = (ok: boolean): ChallengeRecord => ({ challengeName: 'PASSWORD_VERIFIER', challengeResult: ok });
const answer = (ok: boolean): ChallengeRecord => ({
  challengeName: 'CUSTOM_CHALLENGE',
  challengeResult: ok,
  challengeMetadata: 'EMAIL_OTP#n',
});

const facts = (overrides: Partial<SignInFacts>): SignInFacts => ({
  session: [srp],
  userNotFound: false,
  clientId: 'public',
  knownClientIds: ['public', 'server'],
  emailMfaEnabled: true,
  nativeMfaEnabled: false,
  poolRequiresMfa: false,
  emailMfaLocked: false,
  maxAnswers: 3,
  ...overrides,
});

test.each([
  ['SRP_A -> PASSWORD_VERIFIER', facts({}), { action: 'CHALLENGE', challengeName: 'PASSWORD_VERIFIER' }],
  ['password -> email code', facts({ session: [srp, password(true)] }), { action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' }],
  ['right code -> tokens', facts({ session: [srp, password(true), answer(true)] }), { action: 'ISSUE_TOKENS' }],
  [
    'wrong code -> again',
    facts({ session: [srp, password(true), answer(false)] }),
    { action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' },
  ],
  [
    'wrong, wrong, right -> tokens',
    facts({ session: [srp, password(true), answer(false), answer(false), answer(true)] }),
    { action: 'ISSUE_TOKENS' },
  ],
  [
    'no email MFA -> tokens after the password',
    facts({ session: [srp, password(true)], emailMfaEnabled: false }),
    { action: 'ISSUE_TOKENS' },
  ],
  ['server client is known too', facts({ clientId: 'server' }), { action: 'CHALLENGE', challengeName: 'PASSWORD_VERIFIER' }],
] as const)('%s', (_, input, expected) => {
  expect(decideNextStep(input)).toEqual(expected);
});

test.each([
  ['an empty session (custom flow without SRP)', facts({ session: [] }), 'flow did not start with SRP'],
  ['a session not starting with SRP_A', facts({ session: [answer(true)] }), 'flow did not start with SRP'],
  ['an unknown app client', facts({ clientId: 'other' }), 'unknown app client'],
  ['a wrong password', facts({ session: [srp, password(false)] }), 'password not verified'],
  ['a custom answer in place of the password', facts({ session: [srp, answer(true)] }), 'password not verified'],
  ['three wrong codes', facts({ session: [srp, password(true), answer(false), answer(false), answer(false)] }), 'too many wrong answers'],
  ['a locked budget', facts({ session: [srp, password(true)], emailMfaLocked: true }), 'email MFA locked by the failure budget'],
  [
    'a native-MFA user after the password',
    facts({ session: [srp, password(true)], nativeMfaEnabled: true, emailMfaEnabled: false }),
    'native MFA user reached Define after the password',
  ],
  [
    'email and native MFA both on, already at SRP_A',
    facts({ session: [srp], nativeMfaEnabled: true }),
    'email MFA together with native MFA',
  ],
  [
    'a native-MFA user even with a right code',
    facts({ session: [srp, password(true), answer(true)], nativeMfaEnabled: true, emailMfaEnabled: false }),
    'native MFA user reached Define after the password',
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
  const ghost = (session: ChallengeRecord[]) => decideNextStep(facts({ userNotFound: true, session }));
  expect(ghost([srp])).toEqual({ action: 'CHALLENGE', challengeName: 'PASSWORD_VERIFIER' });
  expect(ghost([srp, password(false)]).action).toBe('FAIL');
  expect(ghost([srp, password(true)])).toEqual({ action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' });
  expect(ghost([srp, password(true), answer(true)]).action).toBe('FAIL');
  expect(ghost([srp, password(true), answer(false), answer(false), answer(false)]).action).toBe('FAIL');
});
