import { callApi } from '../support/api-client';
import { createUser, giveTotp, signIn } from '../support/local-users';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { resetSesMock } from '../support/ses-mock';

/**
 * Regression test of an attack finding (medium, fixed): POST /auth/recover charged a wrong
 * *password* to the user's recovery budget, and that budget has the email codes'
 * rules: locks doubling from 15 minutes to a day, and after 100 consecutive failures a lock that
 * lasts until an administrator clears it (lambda/core/failure-budget.ts). So someone who knows
 * only the user's email, and neither the password nor a code, can pace 10 wrong passwords per
 * lock for about three and a half days and then has locked the user's recovery for good: the
 * user's own right password and right code are refused from then on. docs/security.md says such
 * a stranger can lock recovery "for a while". NIST SP 800-63B-4 3.2.2's limit is on failed
 * attempts *with the authenticator*: here the look-up secret is never reached. Now only wrong
 * codes after the right password are charged (lambda/api/recover.ts).
 *
 * Only Date moves (the handlers' epochSeconds and the front's session clock read it); timers run.
 */
let stack: LocalStackWithFront;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
});

afterAll(async () => {
  jest.useRealTimers();
  await stack?.stop();
});

function setDate(epochMs: number): void {
  jest.useFakeTimers({
    now: epochMs,
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
    ],
  });
}

test('a stranger who knows only the email cannot lock the user out of recovery for good', async () => {
  const url = stack.api.url;
  const user = await createUser(stack.cognito, 'attack.lockout@example.com');
  const { accessToken } = await signIn(stack.cognito, user);
  const issued = await callApi<{ codes: string[] }>(url, 'POST', '/mfa/recovery-codes', { token: accessToken, body: {} });
  expect(issued.status).toBe(200);
  await giveTotp(stack.cognito, accessToken);
  resetSesMock();

  const recover = (password: string) =>
    callApi(url, 'POST', '/auth/recover', { body: { username: user.email, password, recoveryCode: 'AAAA-BBBB-CCCC-DDDD' } });
  let now = Date.now();
  // Ten rounds of ten wrong passwords, each after the previous lock has ended (locks last at most a day).
  // With nine rounds (90 failures) the same recovery a week later succeeds: the 100th failure is what locks for good.
  for (let round = 0; round < 10; round += 1) {
    setDate(now);
    for (let attempt = 0; attempt < 10; attempt += 1) expect((await recover('not the password, a guess')).status).toBe(401);
    now += 25 * 60 * 60 * 1000;
  }

  // A week later the user, with the right password and an unused code, tries to recover.
  setDate(now + 7 * 24 * 60 * 60 * 1000);
  const answer = await callApi(url, 'POST', '/auth/recover', {
    body: { username: user.email, password: user.password, recoveryCode: issued.body.codes[0] },
  });
  jest.useRealTimers();
  // What happens today: 401 NotAuthorizedException, and it stays so until an operator deletes the budget item.
  expect(answer.status).toBe(200);
}, 240_000);
