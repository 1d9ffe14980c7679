import type {
  Context,
  CreateAuthChallengeTriggerEvent,
  DefineAuthChallengeTriggerEvent,
  VerifyAuthChallengeResponseTriggerEvent,
} from 'aws-lambda';
import {
  CustomAuthHarness,
  InvalidTriggerResponseError,
  type HarnessOptions,
  type HarnessUser,
  type Trigger,
} from '../support/custom-auth-harness';

// Tiny stub triggers: they test the harness, not the project's triggers.

/** AWS's documented Define example: SRP_A -> PASSWORD_VERIFIER -> CUSTOM_CHALLENGE -> tokens. */
const srpDefine: Trigger<DefineAuthChallengeTriggerEvent> = (event) => {
  const { session } = event.request;
  const last = session[session.length - 1];
  if (session.length === 1 && last?.challengeName === 'SRP_A') {
    Object.assign(event.response, { issueTokens: false, failAuthentication: false, challengeName: 'PASSWORD_VERIFIER' });
  } else if (session.length === 2 && last?.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult === true) {
    Object.assign(event.response, { issueTokens: false, failAuthentication: false, challengeName: 'CUSTOM_CHALLENGE' });
  } else if (session.length === 3 && last?.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    Object.assign(event.response, { issueTokens: true, failAuthentication: false });
  } else {
    Object.assign(event.response, { issueTokens: false, failAuthentication: true });
  }
  return Promise.resolve(event);
};

/** Passwordless: up to three attempts at the custom challenge. */
const passwordlessDefine: Trigger<DefineAuthChallengeTriggerEvent> = (event) => {
  const { session } = event.request;
  const last = session[session.length - 1];
  if (session.some((entry) => entry.challengeName !== 'CUSTOM_CHALLENGE')) {
    event.response.failAuthentication = true;
  } else if (last?.challengeResult === true) {
    event.response.issueTokens = true;
  } else if (session.length < 3) {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
  } else {
    event.response.failAuthentication = true;
  }
  return Promise.resolve(event);
};

const CODE = '482913';

const create: Trigger<CreateAuthChallengeTriggerEvent> = (event) => {
  event.response.publicChallengeParameters = { delivery: 'EMAIL' };
  event.response.privateChallengeParameters = { code: CODE };
  event.response.challengeMetadata = `CODE-ROUND-${event.request.session.length}`;
  return Promise.resolve(event);
};

const verify: Trigger<VerifyAuthChallengeResponseTriggerEvent> = (event) => {
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.code;
  return Promise.resolve(event);
};

const users: Record<string, HarnessUser> = {
  alice: { username: 'alice', password: 'Correct-Horse-1', attributes: { email: 'alice@example.com' } },
  tina: { username: 'tina', password: 'Pw-tina-12345', attributes: {}, nativeMfa: ['SOFTWARE_TOKEN_MFA'] },
  bo: { username: 'bo', password: 'Pw-bo-1234567', attributes: {}, nativeMfa: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] },
};

function harness(overrides: Partial<HarnessOptions> = {}): CustomAuthHarness {
  return new CustomAuthHarness({ define: srpDefine, create, verify, users: (name) => users[name], ...overrides });
}

const srpAlice = { username: 'alice', password: 'Correct-Horse-1', srp: true, clientId: 'client-1' } as const;

test('SRP, right password, right answer: tokens, with complete events in the documented order', async () => {
  const signIn = await harness().startSignIn(srpAlice);
  expect(signIn.step).toEqual({ kind: 'CUSTOM_CHALLENGE', publicChallengeParameters: { delivery: 'EMAIL' } });
  expect(await signIn.answer(CODE)).toEqual({ kind: 'TOKENS' });

  expect(signIn.triggerCalls.map((call) => call.trigger)).toEqual(['define', 'define', 'create', 'verify', 'define']);
  expect(signIn.triggerEvents[0]).toEqual({
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_Harness1',
    userName: 'alice',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client-1' },
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: {
      userAttributes: { email: 'alice@example.com' },
      userNotFound: false,
      session: [{ challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null }],
    },
    response: { challengeName: null, issueTokens: null, failAuthentication: null },
  });
  expect(signIn.triggerCalls[0]?.response).toEqual({
    challengeName: 'PASSWORD_VERIFIER',
    issueTokens: false,
    failAuthentication: false,
  });
  expect(signIn.session).toEqual([
    { challengeName: 'SRP_A', challengeResult: true, challengeMetadata: null },
    { challengeName: 'PASSWORD_VERIFIER', challengeResult: true, challengeMetadata: null },
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'CODE-ROUND-2' },
  ]);
  const [, , createEvent, verifyEvent] = signIn.triggerEvents;
  expect(createEvent).toMatchObject({
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: { challengeName: 'CUSTOM_CHALLENGE' },
    response: { publicChallengeParameters: null, privateChallengeParameters: null, challengeMetadata: null },
  });
  expect(verifyEvent).toMatchObject({
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: { privateChallengeParameters: { code: CODE }, challengeAnswer: CODE, userNotFound: false },
    response: { answerCorrect: null },
  });
});

test('clientMetadata reaches the triggers only from RespondToAuthChallenge calls, as Cognito documents', async () => {
  const signIn = await harness().startSignIn({ ...srpAlice, clientMetadata: { app: 'web' } });
  await signIn.answer(CODE, { clientMetadata: { round: '1' } });
  const metadata = signIn.triggerEvents.map((event) => event.request.clientMetadata);
  // InitiateAuth -> define; PASSWORD_VERIFIER response -> define, create; CUSTOM_CHALLENGE response -> verify, define.
  expect(metadata).toEqual([undefined, { app: 'web' }, { app: 'web' }, { round: '1' }, { round: '1' }]);
  expect(signIn.triggerEvents[0]?.request).not.toHaveProperty('clientMetadata');
});

test('wrong password: a failed PASSWORD_VERIFIER goes to Define, which fails; Create is never called', async () => {
  const signIn = await harness().startSignIn({ ...srpAlice, password: 'wrong' });
  expect(signIn.step).toEqual({ kind: 'FAILED' });
  expect(signIn.session.at(-1)).toEqual({
    challengeName: 'PASSWORD_VERIFIER',
    challengeResult: false,
    challengeMetadata: null,
  });
  expect(signIn.triggerCalls.map((call) => call.trigger)).toEqual(['define', 'define']);
});

test('native MFA takes over after the password and Define is not called again', async () => {
  const signIn = await harness().startSignIn({ username: 'tina', password: 'Pw-tina-12345', srp: true, clientId: 'c' });
  expect(signIn.step).toEqual({ kind: 'NATIVE_MFA', challengeName: 'SOFTWARE_TOKEN_MFA' });
  expect(signIn.triggerCalls.map((call) => call.trigger)).toEqual(['define']);
  await expect(signIn.answer('123456')).rejects.toThrow(/native MFA/);

  const both = await harness().startSignIn({ username: 'bo', password: 'Pw-bo-1234567', srp: true, clientId: 'c' });
  expect(both.step).toEqual({ kind: 'NATIVE_MFA', challengeName: 'SELECT_MFA_TYPE' });
  const preferring = harness({ users: (name) => (name === 'bo' ? { ...users.bo!, preferredMfa: 'SMS_MFA' } : undefined) });
  const preferred = await preferring.startSignIn({ username: 'bo', password: 'Pw-bo-1234567', srp: true, clientId: 'c' });
  expect(preferred.step).toEqual({ kind: 'NATIVE_MFA', challengeName: 'SMS_MFA' });
});

test('with nativeMfaTakesOverAfterPassword false, Define is called after the password as for any user', async () => {
  const signIn = await harness({ nativeMfaTakesOverAfterPassword: false }).startSignIn({
    username: 'tina',
    password: 'Pw-tina-12345',
    srp: true,
    clientId: 'c',
  });
  expect(signIn.step.kind).toBe('CUSTOM_CHALLENGE');
  expect(signIn.triggerCalls.map((call) => call.trigger)).toEqual(['define', 'define', 'create']);
});

test('without SRP the first Define call has an empty session; wrong answers loop until Define fails', async () => {
  const signIn = await harness({ define: passwordlessDefine }).startSignIn({ username: 'alice', srp: false, clientId: 'c' });
  expect(signIn.triggerEvents[0]?.request).toMatchObject({ session: [] });
  expect(await signIn.answer('000000')).toMatchObject({ kind: 'CUSTOM_CHALLENGE' });
  expect(await signIn.answer('111111')).toMatchObject({ kind: 'CUSTOM_CHALLENGE' });
  expect(await signIn.answer('222222')).toEqual({ kind: 'FAILED' });
  expect(signIn.session.map((entry) => [entry.challengeResult, entry.challengeMetadata])).toEqual([
    [false, 'CODE-ROUND-0'],
    [false, 'CODE-ROUND-1'],
    [false, 'CODE-ROUND-2'],
  ]);
});

test('an unknown user: userNotFound true, no attributes, and the SRP password step always fails', async () => {
  const signIn = await harness().startSignIn({ ...srpAlice, username: 'nobody' });
  expect(signIn.step).toEqual({ kind: 'FAILED' });
  expect(signIn.triggerEvents[0]).toMatchObject({ userName: 'nobody', request: { userNotFound: true, userAttributes: {} } });
  expect(signIn.session.at(-1)).toMatchObject({ challengeName: 'PASSWORD_VERIFIER', challengeResult: false });

  const passwordlessHarness = harness({ define: passwordlessDefine });
  const passwordless = await passwordlessHarness.startSignIn({ username: 'nobody', srp: false, clientId: 'c' });
  expect(passwordless.step.kind).toBe('CUSTOM_CHALLENGE');
  expect(passwordless.triggerEvents.every((event) => event.request.userNotFound === true)).toBe(true);
});

describe('invalid trigger responses are reported', () => {
  const setDefine =
    (response: object): Trigger<DefineAuthChallengeTriggerEvent> =>
    (event) =>
      Promise.resolve({ ...event, response: { ...event.response, ...response } });

  test.each([
    [{ issueTokens: true, failAuthentication: true }, /both true/],
    [{ challengeName: 'CAPTCHA' }, /unknown challengeName "CAPTCHA"/],
    [{ challengeName: 'SMS_MFA' }, /not modelled/],
    [{}, /no challengeName/],
    [{ issueTokens: 'yes' }, /issueTokens must be a boolean/],
  ])('Define responding %j', async (response, message) => {
    const start = harness({ define: setDefine(response) }).startSignIn(srpAlice);
    await expect(start).rejects.toThrow(InvalidTriggerResponseError);
    await expect(start).rejects.toThrow(message);
  });

  test('Define asking for PASSWORD_VERIFIER when the client sent no SRP_A', async () => {
    const define = setDefine({ challengeName: 'PASSWORD_VERIFIER' });
    await expect(harness({ define }).startSignIn({ username: 'alice', srp: false, clientId: 'c' })).rejects.toThrow(/SRP_A/);
  });

  test.each([
    [{ privateChallengeParameters: { code: CODE } }, /publicChallengeParameters/],
    [{ publicChallengeParameters: {}, privateChallengeParameters: {} }, /privateChallengeParameters must be a non-empty/],
    [{ publicChallengeParameters: { n: 1 }, privateChallengeParameters: { code: CODE } }, /publicChallengeParameters/],
  ])('Create responding %j', async (response, message) => {
    const badCreate: Trigger<CreateAuthChallengeTriggerEvent> = (event) =>
      Promise.resolve({ ...event, response: { ...event.response, ...response } } as CreateAuthChallengeTriggerEvent);
    await expect(harness({ create: badCreate }).startSignIn(srpAlice)).rejects.toThrow(message);
  });

  test('Verify leaving answerCorrect unset, after which the session is spent', async () => {
    const signIn = await harness({ verify: (event) => Promise.resolve(event) }).startSignIn(srpAlice);
    await expect(signIn.answer(CODE)).rejects.toThrow(/answerCorrect must be a boolean/);
    await expect(signIn.answer(CODE)).rejects.toThrow(/not possible now/);
  });

  test('a trigger that returns nothing', async () => {
    const define = (() => Promise.resolve(undefined)) as unknown as Trigger<DefineAuthChallengeTriggerEvent>;
    await expect(harness({ define }).startSignIn(srpAlice)).rejects.toThrow(/did not return the event/);
  });
});

test('the session is single-use: answer() after the end, or twice at once, throws', async () => {
  const signIn = await harness().startSignIn(srpAlice);
  const first = signIn.answer(CODE);
  await expect(signIn.answer(CODE)).rejects.toThrow(/not possible now/);
  expect(await first).toEqual({ kind: 'TOKENS' });
  await expect(signIn.answer(CODE)).rejects.toThrow(/not possible now \(step TOKENS\)/);
});

test('every call gets fresh objects, and a throwing trigger propagates and ends the sign-in', async () => {
  const contexts: Context[] = [];
  const meddlingDefine: Trigger<DefineAuthChallengeTriggerEvent> = async (event, context) => {
    contexts.push(context);
    const result = await srpDefine(event, context);
    event.request.session.push({ challengeName: 'SMS_MFA', challengeResult: true });
    event.request.userAttributes.email = 'mallory@example.com';
    return result;
  };
  const h = harness({ define: meddlingDefine });
  const signIn = await h.startSignIn(srpAlice);
  expect(signIn.triggerEvents[1]?.request).toMatchObject({ userAttributes: { email: 'alice@example.com' } });
  expect(signIn.eventsOf('define').map((event) => event.request.session.length)).toEqual([1, 2]);
  expect(contexts[0]).toMatchObject({ functionName: 'harness-define-auth-challenge', awsRequestId: expect.any(String) });
  expect(contexts[0]?.awsRequestId).not.toBe(contexts[1]?.awsRequestId);

  const failing = await harness({ verify: () => Promise.reject(new Error('boom')) }).startSignIn(srpAlice);
  await expect(failing.answer(CODE)).rejects.toThrow('boom');
  await expect(failing.answer(CODE)).rejects.toThrow(/not possible now/);
  expect(h.triggerCalls).toHaveLength(3);
});

test('startSignIn checks its input', async () => {
  await expect(harness().startSignIn({ username: 'alice', srp: true, clientId: 'c' })).rejects.toThrow(/needs a password/);
  await expect(harness().startSignIn({ ...srpAlice, srp: false })).rejects.toThrow(/only sent with srp/);
});
