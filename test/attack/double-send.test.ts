import { callApi } from '../support/api-client';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { createUser, signIn as passwordSignIn } from '../support/local-users';
import { resetSnsMock, sentTexts } from '../support/sns-mock';

/**
 * Attack (or a user's double click): the API's check and the sender's charge, raced.
 *
 * POST /mfa/sms/setup checks that the sender would admit a code (cool-down, texts cap) without
 * taking anything; the sender takes the place when Cognito hands it the code. Two set-ups of the
 * same number at once both pass the check and both answer 200; Cognito makes a code for each
 * update, the sender texts the first and drops the second in the number's cool-down. A newer
 * attribute code replaces the older one (cognito-local stores one AttributeVerificationCode per
 * user; not confirmed for real Cognito), so the one code that arrived no longer verifies, and both
 * answers said it was sent. docs/security.md names the race only for the texts cap ("the 200 comes
 * without a code"), not this: a code delivered that cannot be used.
 */
let stack: LocalStackWithFront;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
});

afterAll(async () => {
  await stack?.stop();
});

// Known finding, a race of two identical set-ups (a double click): the second code replaces the first, whose text was the only one sent; left open, the user asks again after the cool-down.
test.failing('two set-ups of one number at once: both 200, one text, and the code in it verifies', async () => {
  const user = await createUser(stack.cognito, 'double.click@example.com');
  const { accessToken } = await passwordSignIn(stack.cognito, user);
  resetSnsMock();
  const phoneNumber = '+14155550142';
  const answers = await Promise.all(
    [0, 1].map(() => callApi(stack.api.url, 'POST', '/mfa/sms/setup', { token: accessToken, body: { phoneNumber } })),
  );
  expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  const texts = sentTexts().filter((text) => text.to === phoneNumber);
  expect(texts).toHaveLength(1);
  const code = /[0-9]{6}$/.exec(texts[0]?.text ?? '')?.[0] ?? '';
  const verified = await callApi(stack.api.url, 'POST', '/mfa/sms/verify', { token: accessToken, body: { code } });
  // Fails when the second update's code (the one the sender dropped) replaced the one texted: a race, seen 3 of 3 runs here.
  expect({ status: verified.status, error: verified.body.name }).toEqual({ status: 204, error: undefined });
});
