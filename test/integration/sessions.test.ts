import { callApi, type ApiAnswer } from '../support/api-client';
import { createUser, giveEmailMfa, type TestUser } from '../support/local-users';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { lastEmailedCode, resetSesMock } from '../support/ses-mock';
import { decodeClaims } from '../../local/token-sessions';

/**
 * POST /auth/refresh, /auth/sign-out and /auth/global-sign-out end to end: the
 * real handlers, through the real AWS SDK, to the Cognito front, which models
 * GetTokensFromRefreshToken, RevokeToken and GlobalSignOut where cognito-local
 * cannot (local/token-sessions.ts says which documented behaviour each
 * stands for). The API's authorizer stand-in, like API Gateway's, checks only
 * signature and expiry: a revoked token is refused by the handlers' GetUser.
 */
interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}
type SignInBody = { isSignedIn: boolean; session?: string; tokens?: Tokens };

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

async function signIn(user: Pick<TestUser, 'email' | 'password'>): Promise<Required<Tokens>> {
  const answer = await callApi<SignInBody>(url, 'POST', '/auth/sign-in', { body: { username: user.email, password: user.password } });
  return signedIn(answer);
}

function signedIn(answer: ApiAnswer<SignInBody>): Required<Tokens> {
  expect([answer.status, answer.body.isSignedIn]).toEqual([200, true]);
  const tokens = answer.body.tokens!;
  expect(tokens.refreshToken).toEqual(expect.any(String));
  return tokens as Required<Tokens>;
}

const refresh = (refreshToken: string) => callApi<{ tokens: Tokens }>(url, 'POST', '/auth/refresh', { body: { refreshToken } });
const signOut = (refreshToken: string) => callApi(url, 'POST', '/auth/sign-out', { body: { refreshToken } });
const globalSignOut = (accessToken: string) => callApi(url, 'POST', '/auth/global-sign-out', { token: accessToken });
const preference = (accessToken: string) => callApi(url, 'GET', '/mfa/preference', { token: accessToken });

const refused = {
  name: 'NotAuthorizedException',
  message: 'The refresh token is invalid, expired or revoked. Sign in again.',
};

/** Moves Date (and nothing else) forward, so that tokens issued now carry a later iat than the sign-in's. */
function laterBy(milliseconds: number): () => void {
  jest.useFakeTimers({
    now: Date.now() + milliseconds,
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
  return () => jest.useRealTimers();
}

test('a refresh gives new access and ID tokens of the same session, with the sign-in’s auth_time', async () => {
  const user = await createUser(stack.cognito, 'refresh.works@example.com');
  const tokens = await signIn(user);
  const restore = laterBy(120_000);
  let answer: ApiAnswer<{ tokens: Tokens }>;
  try {
    answer = await refresh(tokens.refreshToken);
  } finally {
    restore();
  }
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ tokens: { accessToken: expect.any(String), idToken: expect.any(String), expiresIn: 3600 } });
  const before = decodeClaims(tokens.accessToken)!;
  const after = decodeClaims(answer.body.tokens.accessToken)!;
  // Issued two minutes later, yet authenticated at the sign-in: step-up (auth_time) does not move.
  expect(after.iat).toBeGreaterThanOrEqual(Number(before.iat) + 120);
  expect(after.auth_time).toBe(before.auth_time);
  expect(decodeClaims(answer.body.tokens.idToken)!.auth_time).toBe(before.auth_time);
  expect([after.origin_jti, after.sub]).toEqual([before.origin_jti, before.sub]);
  expect(after.jti).not.toBe(before.jti);
  expect((await preference(answer.body.tokens.accessToken)).status).toBe(200);
});

test('an email-MFA user refreshes without a new email code: Pre Token Generation lets refreshes through', async () => {
  const user = await createUser(stack.cognito, 'refresh.email@example.com');
  await giveEmailMfa(stack.cognito, user);
  const started = await callApi<SignInBody>(url, 'POST', '/auth/sign-in', { body: { username: user.email, password: user.password } });
  const tokens = signedIn(
    await callApi<SignInBody>(url, 'POST', '/auth/confirm-sign-in', {
      body: { username: user.email, session: started.body.session, challengeResponse: lastEmailedCode(user.email) ?? '' },
    }),
  );
  resetSesMock();
  const answer = await refresh(tokens.refreshToken);
  expect(answer.status).toBe(200);
  expect(lastEmailedCode(user.email)).toBeUndefined();
});

test('a refresh token that is garbage, or not of this API’s client, is the one 401; a malformed one is a 400', async () => {
  const garbage = await refresh('not.a.refresh.token');
  expect([garbage.status, garbage.body]).toEqual([401, refused]);
  const malformed = await callApi(url, 'POST', '/auth/refresh', { body: { refreshToken: 'has spaces in it' } });
  expect([malformed.status, malformed.body.name]).toEqual([400, 'InvalidParameterException']);
  const missing = await callApi(url, 'POST', '/auth/refresh', { body: {} });
  expect([missing.status, missing.body.name]).toEqual([400, 'InvalidParameterException']);
});

test('sign-out revokes the refresh token and every access token issued from it; other sessions stay', async () => {
  const user = await createUser(stack.cognito, 'sign.out@example.com');
  const signedOut = await signIn(user);
  const other = await signIn(user);
  const refreshed = await refresh(signedOut.refreshToken);
  expect(refreshed.status).toBe(200);

  const answer = await signOut(signedOut.refreshToken);
  expect([answer.status, answer.body]).toEqual([204, {}]);

  expect(await refresh(signedOut.refreshToken)).toMatchObject({ status: 401, body: refused });
  for (const accessToken of [signedOut.accessToken, refreshed.body.tokens.accessToken]) {
    const call = await preference(accessToken);
    expect([call.status, call.body.name]).toEqual([401, 'NotAuthorizedException']);
  }
  expect((await preference(other.accessToken)).status).toBe(200);
  expect((await refresh(other.refreshToken)).status).toBe(200);
  // Signing out again with the same token changes nothing.
  expect((await signOut(signedOut.refreshToken)).status).toBe(204);
});

test('sign-out with a token Cognito does not know is the one 401', async () => {
  const answer = await signOut('not.a.refresh.token');
  expect([answer.status, answer.body]).toEqual([401, refused]);
});

test('global sign-out ends every session of the user, and only theirs', async () => {
  const user = await createUser(stack.cognito, 'global.sign.out@example.com');
  const bystander = await createUser(stack.cognito, 'bystander@example.com');
  const first = await signIn(user);
  const second = await signIn(user);
  const theirs = await signIn(bystander);

  const answer = await globalSignOut(first.accessToken);
  expect([answer.status, answer.body]).toEqual([204, {}]);

  for (const session of [first, second]) {
    expect((await preference(session.accessToken)).status).toBe(401);
    expect(await refresh(session.refreshToken)).toMatchObject({ status: 401, body: refused });
  }
  const again = await globalSignOut(second.accessToken);
  expect([again.status, again.body.name]).toEqual([401, 'NotAuthorizedException']);
  expect((await preference(theirs.accessToken)).status).toBe(200);
  expect((await refresh(theirs.refreshToken)).status).toBe(200);
});

test('global sign-out needs an access token: without one the authorizer answers 401', async () => {
  const answer = await callApi(url, 'POST', '/auth/global-sign-out');
  expect(answer.status).toBe(401);
});
