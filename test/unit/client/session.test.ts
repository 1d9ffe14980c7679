import * as client from '../../../client';
import { AuthError, MemoryTokenStore, WebStorageTokenStore, type KeyValueStorage, type StoredTokens } from '../../../client';
import { refreshMarginMs } from '../../../client/session';
import { startSessionApi, type SessionApi } from '../../support/session-api';

/**
 * The client's session lifecycle over real HTTP against the session routes'
 * contract (test/support/session-api.ts), with a fake clock: only `Date` is
 * faked, so that sockets and promises run as usual while both sides see the
 * same moved time.
 */
let api: SessionApi;
const start = new Date('2026-06-01T12:00:00Z').getTime();
const hour = 3600_000;

beforeAll(async () => {
  api = await startSessionApi();
});
afterAll(() => api.stop());

beforeEach(() => {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
    now: start,
  });
  api.requests.length = 0;
  api.failures.clear();
  api.lifetimes.access = 3600;
  api.lifetimes.id = 3600;
});
afterEach(() => jest.useRealTimers());

function useStore(store: client.TokenStore = new MemoryTokenStore()): client.TokenStore {
  client.configure({ apiUrl: api.url, tokenStore: store });
  return store;
}

async function signIn(username = 'jane'): Promise<void> {
  await client.signIn({ username, password: 'pw-long-enough-1' });
}

const refreshes = () => api.requests.filter(({ path }) => path === '/auth/refresh');
const accessTokenOf = async () => (await client.fetchAuthSession()).tokens?.accessToken.toString();

test('signed out: fetchAuthSession has no tokens and getCurrentUser throws UserUnAuthenticatedException', async () => {
  useStore();
  expect(await client.fetchAuthSession()).toEqual({});
  expect(await client.fetchAuthSession({ forceRefresh: true })).toEqual({});
  await expect(client.getCurrentUser()).rejects.toMatchObject({ name: 'UserUnAuthenticatedException' });
  expect(api.requests).toEqual([]);
});

test('sign-in keeps the tokens with the refresh token and expiry; fetchAuthSession gives them as JWTs, getCurrentUser from the ID token', async () => {
  const store = useStore();
  await signIn();
  const signInAnswer = api.requests[0];
  expect(signInAnswer?.path).toBe('/auth/sign-in');
  const kept = store.get();
  expect(kept).toEqual({
    accessToken: expect.any(String),
    idToken: expect.any(String),
    refreshToken: expect.any(String),
    expiresAt: start + hour,
  });

  const session = await client.fetchAuthSession();
  expect(session.userSub).toBe('sub-of-jane');
  expect(session.tokens?.accessToken.toString()).toBe(kept?.accessToken);
  expect(session.tokens?.idToken.toString()).toBe(kept?.idToken);
  expect(session.tokens?.idToken.payload).toMatchObject({ 'cognito:username': 'jane', sub: 'sub-of-jane', token_use: 'id' });
  expect(String(session.tokens?.accessToken)).toBe(kept?.accessToken);
  expect(await client.getCurrentUser()).toEqual({ username: 'jane', userId: 'sub-of-jane' });
  expect(refreshes()).toEqual([]);
});

test('tokens are refreshed once they expire within the margin, not before; the refresh token is kept and the new access token sent', async () => {
  const store = useStore();
  await signIn();
  const first = store.get() as StoredTokens;

  jest.setSystemTime(start + hour - refreshMarginMs - 1000);
  expect(await accessTokenOf()).toBe(first.accessToken);
  expect(refreshes()).toEqual([]);

  jest.setSystemTime(start + hour - refreshMarginMs + 1000);
  const refreshed = await accessTokenOf();
  expect(refreshed).not.toBe(first.accessToken);
  expect(refreshes()).toEqual([
    { method: 'POST', path: '/auth/refresh', authorization: undefined, body: { refreshToken: first.refreshToken } },
  ]);
  expect(store.get()).toEqual({
    accessToken: refreshed,
    idToken: expect.not.stringMatching(first.idToken),
    refreshToken: first.refreshToken,
    expiresAt: start + hour - refreshMarginMs + 1000 + hour,
  });

  // An API call well past the first tokens' expiry refreshes first and sends the new token.
  jest.setSystemTime(start + 3 * hour);
  expect(await client.fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  expect(refreshes()).toHaveLength(2);
  expect(api.requests.at(-1)).toMatchObject({ path: '/mfa/preference', authorization: `Bearer ${store.get()?.accessToken}` });
});

test('an ID token that expires before the access token sets the expiry', async () => {
  api.lifetimes.id = 1800;
  const store = useStore();
  await signIn();
  expect(store.get()?.expiresAt).toBe(start + hour / 2);
  jest.setSystemTime(start + hour / 2 - refreshMarginMs + 1000);
  await client.fetchAuthSession();
  expect(refreshes()).toHaveLength(1);
});

test('forceRefresh refreshes tokens that are still fresh', async () => {
  useStore();
  await signIn();
  const before = await accessTokenOf();
  const after = (await client.fetchAuthSession({ forceRefresh: true })).tokens?.accessToken.toString();
  expect(after).not.toBe(before);
  expect(refreshes()).toHaveLength(1);
});

test('many callers waiting on an expired session share one refresh', async () => {
  const store = useStore();
  await signIn();
  jest.setSystemTime(start + 2 * hour);
  const release = api.holdRefreshes();
  const waiting = Promise.all([
    client.fetchAuthSession(),
    client.fetchAuthSession({ forceRefresh: true }),
    client.getCurrentUser(),
    client.fetchMFAPreference(),
    client.fetchMFAPreference(),
    client.fetchAuthSession(),
  ]);
  await new Promise((resolve) => setTimeout(resolve, 50));
  release();
  const [first, forced, user] = await waiting;
  expect(refreshes()).toHaveLength(1);
  expect(first.tokens?.accessToken.toString()).toBe(store.get()?.accessToken);
  expect(forced.tokens?.accessToken.toString()).toBe(store.get()?.accessToken);
  expect(user).toEqual({ username: 'jane', userId: 'sub-of-jane' });
  const calls = api.requests.filter(({ path }) => path === '/mfa/preference');
  expect(calls.map(({ authorization }) => authorization)).toEqual([
    `Bearer ${store.get()?.accessToken}`,
    `Bearer ${store.get()?.accessToken}`,
  ]);
  // The next refresh is a new one, not the finished one again.
  await client.fetchAuthSession({ forceRefresh: true });
  expect(refreshes()).toHaveLength(2);
});

test('a refresh the API refuses signs out here and surfaces its AuthError to every waiting caller', async () => {
  const store = useStore();
  await signIn();
  api.revoke(store.get()?.refreshToken ?? '');
  jest.setSystemTime(start + 2 * hour);
  const outcomes = await Promise.allSettled([client.fetchAuthSession(), client.fetchMFAPreference(), client.getCurrentUser()]);
  expect(refreshes()).toHaveLength(1);
  for (const outcome of outcomes) {
    expect(outcome.status).toBe('rejected');
    const reason = (outcome as PromiseRejectedResult).reason as AuthError;
    expect(reason).toBeInstanceOf(AuthError);
    expect({ name: reason.name, status: reason.status }).toEqual({ name: 'NotAuthorizedException', status: 401 });
  }
  expect(store.get()).toBeUndefined();
  expect(await client.fetchAuthSession()).toEqual({});
  expect(api.requests.filter(({ path }) => path === '/mfa/preference')).toEqual([]);
});

test('a refresh that fails on a fault or the network keeps the session for the next try', async () => {
  const store = useStore();
  await signIn();
  const kept = store.get();
  jest.setSystemTime(start + 2 * hour);
  api.failures.set('/auth/refresh', 500);
  await expect(client.fetchAuthSession()).rejects.toMatchObject({ name: 'InternalErrorException', status: 500 });
  expect(store.get()).toEqual(kept);
  api.failures.set('/auth/refresh', 429);
  await expect(client.fetchAuthSession()).rejects.toMatchObject({ status: 429 });
  expect(store.get()).toEqual(kept);

  client.configure({ apiUrl: 'http://127.0.0.1:1', tokenStore: store });
  await expect(client.fetchAuthSession()).rejects.toMatchObject({ name: 'NetworkError' });
  expect(store.get()).toEqual(kept);

  api.failures.clear();
  useStore(store);
  expect((await client.fetchAuthSession()).tokens?.accessToken.toString()).not.toBe(kept?.accessToken);
});

test('an expired session without a refresh token ends with NotAuthorizedException', async () => {
  const store = useStore();
  store.set({ accessToken: 'a.b.c', idToken: 'a.b.c', expiresAt: start + 1000 });
  await expect(client.fetchAuthSession()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  expect(store.get()).toBeUndefined();
  expect(refreshes()).toEqual([]);
});

test('signOut revokes the refresh token on the server, which then refuses it and its access token, and forgets the tokens', async () => {
  const store = useStore();
  await signIn();
  const { refreshToken, accessToken } = store.get() as StoredTokens;
  await client.signOut();
  expect(api.requests.at(-1)).toEqual({ method: 'POST', path: '/auth/sign-out', authorization: undefined, body: { refreshToken } });
  expect(store.get()).toBeUndefined();
  expect(api.refreshTokenIsLive(refreshToken ?? '')).toBe(false);
  const stolen = await fetch(`${api.url}/mfa/preference`, { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(stolen.status).toBe(401);
  expect(await client.fetchAuthSession()).toEqual({});
});

test('signOut forgets the tokens even when the server fails, then throws its error', async () => {
  const store = useStore();
  await signIn();
  const { refreshToken } = store.get() as StoredTokens;
  api.failures.set('/auth/sign-out', 500);
  await expect(client.signOut()).rejects.toMatchObject({ name: 'InternalErrorException', status: 500 });
  expect(store.get()).toBeUndefined();
  expect(api.refreshTokenIsLive(refreshToken ?? '')).toBe(true);

  await signIn();
  client.configure({ apiUrl: 'http://127.0.0.1:1', tokenStore: store });
  await expect(client.signOut()).rejects.toMatchObject({ name: 'NetworkError' });
  expect(store.get()).toBeUndefined();
});

test('signOut of a refresh token the server already refuses succeeds: nothing is left to revoke', async () => {
  const store = useStore();
  await signIn();
  const { refreshToken } = store.get() as StoredTokens;
  await client.signOut();
  store.set({ accessToken: 'a.b.c', idToken: 'a.b.c', refreshToken: refreshToken ?? '', expiresAt: start + hour });
  api.requests.length = 0;
  await expect(client.signOut()).resolves.toBeUndefined();
  expect(api.requests.map(({ path }) => path)).toEqual(['/auth/sign-out']);
  expect(store.get()).toBeUndefined();
});

test('signOut({ global: true }) sends the access token to the global route and ends the other sessions too', async () => {
  const laptop = useStore();
  await signIn();
  const laptopTokens = laptop.get() as StoredTokens;
  const phone = useStore();
  await signIn();
  jest.setSystemTime(start + 2 * hour);
  await client.signOut({ global: true });
  const [refresh, globalSignOut] = api.requests.slice(-2);
  expect(refresh?.path).toBe('/auth/refresh');
  expect(globalSignOut).toEqual({
    method: 'POST',
    path: '/auth/global-sign-out',
    authorization: expect.stringMatching(/^Bearer /),
    body: undefined,
  });
  expect(phone.get()).toBeUndefined();

  useStore(laptop);
  expect(api.refreshTokenIsLive(laptopTokens.refreshToken ?? '')).toBe(false);
  await expect(client.fetchAuthSession({ forceRefresh: true })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  expect(laptop.get()).toBeUndefined();
});

test('a global sign-out the server refuses is thrown after the tokens are forgotten', async () => {
  const store = useStore();
  await signIn();
  api.failures.set('/auth/global-sign-out', 500);
  await expect(client.signOut({ global: true })).rejects.toMatchObject({ name: 'InternalErrorException' });
  expect(store.get()).toBeUndefined();
});

test('a sign-out or a new sign-in while a refresh is under way wins over the refresh', async () => {
  const store = useStore();
  await signIn();
  let release = api.holdRefreshes();
  const refreshing = client.fetchAuthSession({ forceRefresh: true });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await client.signOut();
  release();
  expect(await refreshing).toEqual({});
  expect(store.get()).toBeUndefined();

  await signIn('jane');
  release = api.holdRefreshes();
  const stale = client.fetchAuthSession({ forceRefresh: true });
  await new Promise((resolve) => setTimeout(resolve, 50));
  await signIn('john');
  const john = store.get();
  release();
  expect((await stale).tokens?.accessToken.toString()).toBe(john?.accessToken);
  expect(await client.getCurrentUser()).toEqual({ username: 'john', userId: 'sub-of-john' });
});

class FakeStorage implements KeyValueStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

test('WebStorageTokenStore keeps the session in one item under its prefix, and a reloaded page finds it', async () => {
  const storage = new FakeStorage();
  storage.setItem('other-app', 'untouched');
  useStore(new WebStorageTokenStore(storage, 'my-app'));
  await signIn();
  expect([...storage.items.keys()]).toEqual(['other-app', 'my-app.tokens']);
  expect(JSON.parse(storage.getItem('my-app.tokens') ?? '')).toEqual({
    accessToken: expect.any(String),
    idToken: expect.any(String),
    refreshToken: expect.any(String),
    expiresAt: start + hour,
  });

  // A reload: a new store over the same storage.
  useStore(new WebStorageTokenStore(storage, 'my-app'));
  expect(await client.getCurrentUser()).toEqual({ username: 'jane', userId: 'sub-of-jane' });
  useStore(new WebStorageTokenStore(storage, 'another-prefix'));
  expect(await client.fetchAuthSession()).toEqual({});

  useStore(new WebStorageTokenStore(storage, 'my-app'));
  await client.signOut();
  expect([...storage.items]).toEqual([['other-app', 'untouched']]);
});

test.each([
  ['not JSON', '{'],
  ['JSON of another shape', '{"accessToken":1}'],
  ['no expiry', '{"accessToken":"a","idToken":"i"}'],
  ['a refresh token that is not a string', '{"accessToken":"a","idToken":"i","expiresAt":1,"refreshToken":2}'],
])('WebStorageTokenStore reads an item that is %s as no session', async (_, item) => {
  const storage = new FakeStorage();
  storage.setItem('cognito-mfa-service.tokens', item);
  const store = useStore(new WebStorageTokenStore(storage));
  expect(store.get()).toBeUndefined();
  expect(await client.fetchAuthSession()).toEqual({});
});

test('a new sign-in over a session revokes the old refresh token first, and goes on when that fails', async () => {
  const store = useStore();
  await signIn('jane');
  const old = store.get() as StoredTokens;
  await signIn('john');
  expect(api.requests.slice(-2).map(({ path, body }) => [path, body])).toEqual([
    ['/auth/sign-out', { refreshToken: old.refreshToken }],
    ['/auth/sign-in', { username: 'john', password: 'pw-long-enough-1' }],
  ]);
  expect(api.refreshTokenIsLive(old.refreshToken ?? '')).toBe(false);

  const johns = store.get() as StoredTokens;
  api.failures.set('/auth/sign-out', 500);
  await signIn('jane');
  expect(api.refreshTokenIsLive(johns.refreshToken ?? '')).toBe(true);
  expect(await client.getCurrentUser()).toEqual({ username: 'jane', userId: 'sub-of-jane' });
});
