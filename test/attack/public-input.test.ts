import { callApi } from '../support/api-client';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { createUser, giveEmailMfa } from '../support/local-users';

/**
 * Attack: client-controlled input on the public routes, through the real handlers, the front and
 * cognito-local. Anything a client can send gets a 4xx, never a 5xx (DESIGN.md section 5). These held.
 */
let stack: LocalStackWithFront;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  const user = await createUser(stack.cognito, 'input.target@example.com');
  await giveEmailMfa(stack.cognito, user);
});

afterAll(async () => {
  await stack?.stop();
});

const oddNames = [' ', 'a b', '\u0000x', '\ud800', '\u200b', 'x'.repeat(128), 'INPUT.TARGET@EXAMPLE.COM', 'input.target@example.com '];
const oddSessions = ['e30', 'bnVsbA', 'W10', 'eyJjIjoxfQ', '!!!!', 'x'.repeat(4096)];

test.each(oddNames)('POST /auth/sign-in with the user name %j: a 4xx or a step, never a 5xx', async (username) => {
  const answer = await callApi(stack.api.url, 'POST', '/auth/sign-in', { body: { username, password: 'Not-the-password-1' } });
  expect(answer.status).toBeLessThan(500);
});

test.each(oddSessions)('POST /auth/confirm-sign-in with odd session no. %#: a 4xx', async (session) => {
  const answer = await callApi(stack.api.url, 'POST', '/auth/confirm-sign-in', {
    body: { username: 'input.target@example.com', session, challengeResponse: '123456' },
  });
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
});

test.each(oddNames)('POST /auth/recover with the user name %j: a 4xx, never a 5xx', async (username) => {
  const answer = await callApi(stack.api.url, 'POST', '/auth/recover', {
    body: { username, password: 'Not-the-password-1', recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
  });
  expect(answer.status).toBeGreaterThanOrEqual(400);
  expect(answer.status).toBeLessThan(500);
});
