import { callApi } from '../support/api-client';
import { createUser, signIn } from '../support/local-users';
import { changeApiSettings } from '../support/environment';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import { resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * A deployment with `-c emailMfa=false` still has recovery codes: the routes
 * read the MFA table's name from their own setting, not from the email MFA
 * settings, which are absent here.
 */
let stack: LocalStack;
let restoreSettings: (() => void) | undefined;

beforeAll(async () => {
  restoreSettings = changeApiSettings({ emailMfa: undefined });
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack?.stop();
  restoreSettings?.();
});

beforeEach(() => resetSesMock());

test('a user issues and counts recovery codes with email MFA off', async () => {
  const user = await createUser(stack.cognito, 'no.email.mfa@example.com');
  // The account's own confirmation email (the email sender's) is not what this test counts.
  resetSesMock();
  const { accessToken: token } = await signIn(stack.cognito, user);
  const issued = await callApi<{ codes: string[]; issuedAt: string }>(stack.api.url, 'POST', '/mfa/recovery-codes', {
    token,
    body: {},
  });
  expect(issued.status).toBe(200);
  expect(issued.body.codes).toHaveLength(10);
  expect(await callApi(stack.api.url, 'GET', '/mfa/recovery-codes', { token })).toMatchObject({
    status: 200,
    body: { remaining: 10, issuedAt: issued.body.issuedAt },
  });
  expect(sentEmails()).toMatchObject([{ to: [user.email], text: expect.stringContaining('New recovery codes were created') }]);
});
