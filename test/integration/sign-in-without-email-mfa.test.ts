import { callApi } from '../support/api-client';
import { createUser, giveTotp, signIn as passwordSignIn, totpCode } from '../support/local-users';
import { changeApiSettings } from '../support/environment';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';

/**
 * A deployment with `-c emailMfa=false`: no challenge triggers, and both app
 * clients allow plain SRP only. Sign-in over the API must use that flow.
 */
let stack: LocalStackWithFront;
let restoreSettings: (() => void) | undefined;

beforeAll(async () => {
  restoreSettings = changeApiSettings({ emailMfa: undefined });
  stack = await startLocalStack({ front: true });
});

afterAll(async () => {
  await stack?.stop();
  restoreSettings?.();
});

type SignInBody = { isSignedIn: boolean; nextStep: { signInStep: string }; session?: string };

test('a user without a factor signs in with the password', async () => {
  const user = await createUser(stack.cognito, 'plain.srp@example.com');
  const answer = await callApi<SignInBody>(stack.api.url, 'POST', '/auth/sign-in', {
    body: { username: user.email, password: user.password },
  });
  expect(answer).toMatchObject({ status: 200, body: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } });
});

test("a TOTP user gets Cognito's TOTP step and signs in with the code", async () => {
  const user = await createUser(stack.cognito, 'plain.totp@example.com');
  const secret = await giveTotp(stack.cognito, (await passwordSignIn(stack.cognito, user)).accessToken);
  const started = await callApi<SignInBody>(stack.api.url, 'POST', '/auth/sign-in', {
    body: { username: user.email, password: user.password },
  });
  expect(started.body.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  const done = await callApi<SignInBody>(stack.api.url, 'POST', '/auth/confirm-sign-in', {
    body: { username: user.email, session: started.body.session, challengeResponse: totpCode(secret) },
  });
  expect(done.body).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
});

test('the email routes answer that email MFA is off', async () => {
  const user = await createUser(stack.cognito, 'plain.email@example.com');
  const { accessToken } = await passwordSignIn(stack.cognito, user);
  const answer = await callApi(stack.api.url, 'PUT', '/mfa/preference', { token: accessToken, body: { email: 'ENABLED' } });
  expect(answer).toMatchObject({ status: 400, body: { message: expect.stringContaining('not enabled in this deployment') } });
});
