import { callApi } from '../support/api-client';
import { changeApiSettings } from '../support/environment';
import { createUser, giveTotp, signIn as cognitoSignIn } from '../support/local-users';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';

/**
 * POST /auth/recover in a deployment with `-c emailMfa=false`: the challenge
 * triggers exist for recovery alone, the server client allows CUSTOM_AUTH beside
 * SRP for it, and the password is checked with plain SRP.
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

type SignInBody = { isSignedIn: boolean; nextStep: { signInStep: string }; tokens?: { accessToken: string } };

test('a TOTP user recovers with password and code, and TOTP stays on', async () => {
  const user = await createUser(stack.cognito, 'plain.recover@example.com');
  const { accessToken } = await cognitoSignIn(stack.cognito, user);
  const issued = await callApi<{ codes: string[] }>(stack.api.url, 'POST', '/mfa/recovery-codes', { token: accessToken, body: {} });
  await giveTotp(stack.cognito, accessToken);
  const answer = await callApi<SignInBody>(stack.api.url, 'POST', '/auth/recover', {
    body: { username: user.email, password: user.password, recoveryCode: issued.body.codes[0] },
  });
  expect(answer).toMatchObject({ status: 200, body: { isSignedIn: true, nextStep: { signInStep: 'DONE' } } });
  const preference = await callApi(stack.api.url, 'GET', '/mfa/preference', { token: answer.body.tokens?.accessToken });
  expect(preference.body).toEqual({ enabled: ['TOTP'] });
});

test('a user without a factor is refused: there is nothing to recover, and the password alone signs them in', async () => {
  const user = await createUser(stack.cognito, 'plain.nofactor@example.com');
  const { accessToken } = await cognitoSignIn(stack.cognito, user);
  const issued = await callApi<{ codes: string[] }>(stack.api.url, 'POST', '/mfa/recovery-codes', { token: accessToken, body: {} });
  const answer = await callApi(stack.api.url, 'POST', '/auth/recover', {
    body: { username: user.email, password: user.password, recoveryCode: issued.body.codes[0] },
  });
  expect([answer.status, answer.body]).toEqual([
    401,
    { name: 'NotAuthorizedException', message: 'Incorrect username, password or recovery code.' },
  ]);
});
