import { AdminDisableUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { callApi, type ApiAnswer } from '../support/api-client';
import { capturedLogLines } from '../support/log-capture';
import {
  cognitoClient,
  createUser,
  giveEmailMfa,
  giveSms,
  giveTotp,
  signIn as passwordSignIn,
  totpCode,
  type TestUser,
} from '../support/local-users';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { lastEmailedCode, resetSesMock } from '../support/ses-mock';

/**
 * POST /auth/sign-in and /auth/confirm-sign-in end to end: the real handlers,
 * through the real AWS SDK, to the Cognito front (SRP, CUSTOM_AUTH with the real
 * triggers, native MFA after the password) in front of cognito-local, with
 * dynalite for the email codes. MFA_SETUP, which neither can produce, is covered
 * with mocks in test/unit/api/sign-in.test.ts.
 */
type SignInBody = {
  isSignedIn: boolean;
  nextStep: { signInStep: string; codeDeliveryDetails?: Record<string, string>; allowedMFATypes?: string[] };
  session?: string;
  tokens?: { accessToken: string; idToken: string; refreshToken?: string; expiresIn: number };
};

let stack: LocalStackWithFront;
let url: string;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  url = stack.api.url;
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => resetSesMock());

const signIn = (user: Pick<TestUser, 'email' | 'password'>) =>
  callApi<SignInBody>(url, 'POST', '/auth/sign-in', { body: { username: user.email, password: user.password } });
const confirm = (user: TestUser, previous: ApiAnswer<SignInBody>, challengeResponse: string) =>
  callApi<SignInBody>(url, 'POST', '/auth/confirm-sign-in', {
    body: { username: user.email, session: previous.body.session, challengeResponse },
  });

async function expectSignedIn(answer: ApiAnswer<SignInBody>): Promise<void> {
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
    tokens: {
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: expect.any(Number),
    },
  });
  const preference = await callApi(url, 'GET', '/mfa/preference', { token: answer.body.tokens?.accessToken });
  expect(preference.status).toBe(200);
}

test('a user without a factor is signed in by the password alone (MFA is optional)', async () => {
  const user = await createUser(stack.cognito, 'no.factor@example.com');
  await expectSignedIn(await signIn(user));
});

test("a TOTP user: CONFIRM_SIGN_IN_WITH_TOTP_CODE, then the authenticator's code", async () => {
  const user = await createUser(stack.cognito, 'totp.signin@example.com');
  const secret = await giveTotp(stack.cognito, (await passwordSignIn(stack.cognito, user)).accessToken);
  const started = await signIn(user);
  expect(started.body).toEqual({
    isSignedIn: false,
    nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' },
    session: expect.any(String),
  });
  await expectSignedIn(await confirm(user, started, totpCode(secret)));
});

test('an SMS user: CONFIRM_SIGN_IN_WITH_SMS_CODE with where the code went', async () => {
  const user = await createUser(stack.cognito, 'sms.signin@example.com');
  await giveSms(stack.cognito, user, (await passwordSignIn(stack.cognito, user)).accessToken);
  const started = await signIn(user);
  expect(started.body.nextStep).toEqual({
    signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
    codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0100' },
  });
  const code = stack.front.smsMessages.at(-1)?.code ?? '';
  await expectSignedIn(await confirm(user, started, code));
});

test('an email user: CONFIRM_SIGN_IN_WITH_EMAIL_CODE; a wrong code asks again, the right one signs in', async () => {
  const user = await createUser(stack.cognito, 'email.signin@example.com');
  await giveEmailMfa(stack.cognito, user);
  const started = await signIn(user);
  expect(started.body.nextStep).toEqual({
    signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
    codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'e***@e***.com' },
  });
  const code = lastEmailedCode(user.email) ?? '';
  const wrong = await confirm(user, started, code === '000000' ? '111111' : '000000');
  expect(wrong.body.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  await expectSignedIn(await confirm(user, wrong, code));
});

test('the sign-in session outlives the email code: a code answered after 4 of its 5 minutes still signs in', async () => {
  const user = await createUser(stack.cognito, 'slow.reader@example.com');
  await giveEmailMfa(stack.cognito, user);
  const started = await signIn(user);
  const code = lastEmailedCode(user.email) ?? '';
  const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 4 * 60_000);
  try {
    await expectSignedIn(await confirm(user, started, code));
  } finally {
    clock.mockRestore();
  }
});

test('SMS and TOTP without a preference: CONTINUE_SIGN_IN_WITH_MFA_SELECTION, then the chosen factor', async () => {
  const user = await createUser(stack.cognito, 'both.signin@example.com');
  const { accessToken } = await passwordSignIn(stack.cognito, user);
  const secret = await giveTotp(stack.cognito, accessToken);
  await giveSms(stack.cognito, user, accessToken);
  const started = await signIn(user);
  expect(started.body.nextStep).toEqual({ signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP'] });
  const chosen = await confirm(user, started, 'TOTP');
  expect(chosen.body.nextStep).toEqual({ signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' });
  await expectSignedIn(await confirm(user, chosen, totpCode(secret)));
});

test('a session answered once cannot be answered again', async () => {
  const user = await createUser(stack.cognito, 'replay@example.com');
  const secret = await giveTotp(stack.cognito, (await passwordSignIn(stack.cognito, user)).accessToken);
  const started = await signIn(user);
  await expectSignedIn(await confirm(user, started, totpCode(secret)));
  const replay = await confirm(user, started, totpCode(secret));
  expect(replay).toMatchObject({
    status: 401,
    body: { name: 'NotAuthorizedException', message: expect.stringContaining('Sign in again') },
  });
});

describe('no answer tells whether an account exists', () => {
  test('a wrong password, an unknown user and a disabled user get the same status, name and message', async () => {
    const known = await createUser(stack.cognito, 'known.signin@example.com');
    const disabled = await createUser(stack.cognito, 'disabled.signin@example.com');
    const client = cognitoClient(stack.cognito);
    await client.send(new AdminDisableUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: disabled.sub }));
    client.destroy();

    const answers = await Promise.all([
      signIn({ email: known.email, password: 'not-the-password-123' }),
      signIn({ email: 'nobody.signin@example.com', password: 'not-the-password-123' }),
      signIn(disabled),
    ]);
    const shapes = answers.map(({ status, body }) => ({ status, body }));
    expect(shapes[0]).toEqual({ status: 401, body: { name: 'NotAuthorizedException', message: 'Incorrect username or password.' } });
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });
});

test.each([
  ['no password', { username: 'a@example.com' }, 'Missing required field "password".'],
  ['a number for a username', { username: 5, password: 'x' }, 'Field "username" must be a string.'],
  ['an extra field', { username: 'a@example.com', password: 'x', remember: true }, 'Unknown field "remember".'],
  [
    'a password over 256 characters',
    { username: 'a@example.com', password: 'p'.repeat(257) },
    'Field "password" must be at most 256 characters long.',
  ],
])('sign-in with %s is a 400 naming the field', async (_, body, message) => {
  const answer = await callApi(url, 'POST', '/auth/sign-in', { body });
  expect(answer).toEqual(expect.objectContaining({ status: 400, body: { name: 'InvalidParameterException', message } }));
});

test.each([
  ['no challengeResponse', { username: 'a@example.com', session: 'x' }, 'Missing required field "challengeResponse".'],
  ['a number for the session', { username: 'a@example.com', session: 7, challengeResponse: '123456' }, 'Field "session" must be a string.'],
  [
    'a session over 4096 characters',
    { username: 'a@example.com', session: 's'.repeat(4097), challengeResponse: '123456' },
    'Field "session" must be at most 4096 characters long.',
  ],
  [
    'an empty challengeResponse',
    { username: 'a@example.com', session: 'x', challengeResponse: '' },
    'Field "challengeResponse" must be at least 1 characters long.',
  ],
])('confirm-sign-in with %s is a 400 naming the field', async (_, body, message) => {
  const answer = await callApi(url, 'POST', '/auth/confirm-sign-in', { body });
  expect(answer).toEqual(expect.objectContaining({ status: 400, body: { name: 'InvalidParameterException', message } }));
});

test('the sign-in handlers logged, and never a password, code, session or token (log scan)', () => {
  expect(capturedLogLines.some((line) => line.includes('"resource":"/auth/confirm-sign-in"'))).toBe(true);
});
