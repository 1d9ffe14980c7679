import { callApi } from '../support/api-client';
import { createUser, signIn } from '../support/local-users';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import { resetSesMock, sentEmails } from '../support/ses-mock';
import { testApiSettings } from '../support/environment';

/**
 * The recovery code routes over HTTP: the real handlers, cognito-local for users
 * and real access tokens (their `auth_time` included), dynalite for the sets.
 * SES is the aws-sdk-client-mock of test/support/ses-mock.ts. Codes are used
 * through the table's own redemption (lambda/services/mfa-table.ts), as
 * POST /auth/recover will.
 */
let stack: LocalStack;
let url: string;
let table: typeof import('../../lambda/services/mfa-table');

const codeShape = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

interface Codes {
  codes: string[];
  issuedAt: string;
}

beforeAll(async () => {
  stack = await startLocalStack();
  url = stack.api.url;
  table = await import('../../lambda/services/mfa-table');
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => resetSesMock());

async function signedInUser(email: string): Promise<{ token: string; sub: string }> {
  const user = await createUser(stack.cognito, email);
  const { accessToken } = await signIn(stack.cognito, user);
  // The account's own confirmation email (the email sender's) is not what these tests count.
  resetSesMock();
  return { token: accessToken, sub: user.sub };
}

/** The stored set, with its hashes and salts registered with the log scan. */
async function storedSet(sub: string) {
  const set = await table.loadRecoveryCodes(testApiSettings.mfaTableName, sub);
  for (const { hash, salt } of set?.codes ?? []) {
    secrets.add(hash, 'recovery code hash');
    secrets.add(salt, 'recovery code salt');
  }
  return set;
}

const redeem = (sub: string, code: string) =>
  table.consumeRecoveryCode(testApiSettings.mfaTableName, sub, code, Math.floor(Date.now() / 1000));

describe('a user issuing and counting recovery codes', () => {
  let token: string;
  let sub: string;
  let first: Codes;
  const email = 'recovery@example.com';

  beforeAll(async () => {
    ({ token, sub } = await signedInUser(email));
  });

  test('GET before any set: none remaining, no date', async () => {
    const answer = await callApi(url, 'GET', '/mfa/recovery-codes', { token });
    expect(answer).toMatchObject({ status: 200, body: { remaining: 0, issuedAt: null } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  test('POST answers ten codes once, stores only their hashes, and tells the user without the codes', async () => {
    const answer = await callApi<Codes>(url, 'POST', '/mfa/recovery-codes', { token, body: {} });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    first = answer.body;
    expect(first.codes).toHaveLength(10);
    for (const code of first.codes) expect(code).toMatch(codeShape);
    expect(new Set(first.codes).size).toBe(10);
    expect(Math.abs(Date.parse(first.issuedAt) - Date.now())).toBeLessThan(60_000);

    const stored = JSON.stringify(await storedSet(sub));
    for (const code of first.codes) expect(stored).not.toContain(code.replace(/-/g, ''));

    const emails = sentEmails();
    expect(emails).toEqual([
      { to: [email], subject: 'Example App security notice', text: expect.stringContaining('New recovery codes were created') },
    ]);
    for (const code of first.codes) {
      expect(emails[0]!.text).not.toContain(code);
      expect(emails[0]!.text).not.toContain(code.replace(/-/g, ''));
    }
  });

  test('GET counts ten, then nine after one is used', async () => {
    expect((await callApi(url, 'GET', '/mfa/recovery-codes', { token })).body).toEqual({ remaining: 10, issuedAt: first.issuedAt });
    expect(await redeem(sub, first.codes[0]!)).toEqual({ redeemed: true, remaining: 9 });
    expect((await callApi(url, 'GET', '/mfa/recovery-codes', { token })).body).toEqual({ remaining: 9, issuedAt: first.issuedAt });
  });

  test('a used code is refused the second time', async () => {
    expect(await redeem(sub, first.codes[0]!)).toMatchObject({ redeemed: false });
    expect((await callApi(url, 'GET', '/mfa/recovery-codes', { token })).body).toMatchObject({ remaining: 9 });
  });

  test.each([
    ['an unknown field', { body: { codes: 5 } }],
    ['a body that is not JSON', { rawBody: '{"codes":' }],
    ['an array', { body: [] }],
  ])('POST with %s is 400 InvalidParameterException and changes nothing', async (_, request) => {
    const before = await storedSet(sub);
    const answer = await callApi(url, 'POST', '/mfa/recovery-codes', { token, ...request });
    expect(answer).toMatchObject({ status: 400, body: { name: 'InvalidParameterException' } });
    expect(await storedSet(sub)).toEqual(before);
    expect(sentEmails()).toEqual([]);
  });

  test('a new set replaces the old: every old code stops working', async () => {
    const answer = await callApi<Codes>(url, 'POST', '/mfa/recovery-codes', { token, body: {} });
    expect(answer.status).toBe(200);
    expect(answer.body.codes.filter((code) => first.codes.includes(code))).toEqual([]);
    expect((await callApi(url, 'GET', '/mfa/recovery-codes', { token })).body).toEqual({
      remaining: 10,
      issuedAt: answer.body.issuedAt,
    });
    expect(await redeem(sub, first.codes[1]!)).toMatchObject({ redeemed: false, reason: 'no unused code matches' });
    expect(await redeem(sub, answer.body.codes[1]!)).toEqual({ redeemed: true, remaining: 9 });
  });
});

describe('step-up', () => {
  test('POST with a sign-in older than the step-up window is 401 ReauthenticationRequiredException and issues nothing', async () => {
    const { token, sub } = await signedInUser('stale@example.com');
    const signedInAt = Date.now();
    // The token stays valid (an hour); only its auth_time falls out of the window as the clock moves on.
    const later = jest.spyOn(Date, 'now').mockReturnValue(signedInAt + (testApiSettings.stepUpMaxAgeSeconds + 60) * 1000);
    try {
      const answer = await callApi(url, 'POST', '/mfa/recovery-codes', { token, body: {} });
      expect(answer).toMatchObject({
        status: 401,
        body: { name: 'ReauthenticationRequiredException', message: expect.stringContaining('Sign in again') },
      });
      // Counting needs no recent sign-in.
      expect(await callApi(url, 'GET', '/mfa/recovery-codes', { token })).toMatchObject({ status: 200, body: { remaining: 0 } });
    } finally {
      later.mockRestore();
    }
    expect(await storedSet(sub)).toBeUndefined();
    expect(sentEmails()).toEqual([]);
  });

  test('without a token both routes are 401 NotAuthorizedException', async () => {
    for (const method of ['GET', 'POST']) {
      const answer = await callApi(url, method, '/mfa/recovery-codes', method === 'POST' ? { body: {} } : {});
      expect(answer).toMatchObject({ status: 401, body: { name: 'NotAuthorizedException' } });
    }
  });
});

test('the routes were logged, and no code, hash or token in any line', () => {
  expect(capturedLogLines.some((line) => line.includes('"resource":"/mfa/recovery-codes"'))).toBe(true);
  const codeShaped = /[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}/;
  expect(capturedLogLines.filter((line) => codeShaped.test(line))).toEqual([]);
});
