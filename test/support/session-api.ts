import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SignInOutput, Tokens } from '../../contract/amplify';
import type { GlobalSignOutRoute, RefreshResponse, RefreshRoute, SignOutRoute } from '../../contract/session';
import { readBody } from '../../local/read-body';
import { secrets } from './log-capture';

/**
 * The session routes' contract (contract/session.ts) served over HTTP for the
 * client's unit tests, which need what the real API (test/integration/sessions.test.ts,
 * test/package/client-package.test.ts) cannot give them: token lifetimes and failures
 * on demand, held answers, and a fake clock on both sides: sign-in answers DONE with tokens,
 * refresh gives new access and ID tokens for a live refresh token and 401 for any
 * other, sign-out revokes a refresh token and the tokens issued from it, global
 * sign-out every session of the user, and GET /mfa/preference accepts only a live,
 * unexpired access token. It stands for this API, not for Cognito; tokens are JWT-shaped but unsigned, as the client never checks
 * signatures. Time is `Date.now()`, so a test's fake clock moves both sides.
 */
export interface SessionApi {
  readonly url: string;
  /** Every request's method, path, Authorization header and body, in order. */
  readonly requests: { method: string; path: string; authorization: string | undefined; body: unknown }[];
  /** Lifetimes of the tokens it issues, in seconds; `expiresIn` is the access token's. */
  readonly lifetimes: { access: number; id: number };
  /** While set, each route of this path answers this status instead. */
  readonly failures: Map<string, number>;
  /** Holds refresh answers until the returned function is called. */
  holdRefreshes(): () => void;
  /** Revokes a refresh token as another device's sign-out would. */
  revoke(refreshToken: string): void;
  refreshTokenIsLive(refreshToken: string): boolean;
  stop(): Promise<void>;
}

interface Grant {
  readonly username: string;
  readonly sub: string;
  revoked: boolean;
}

export async function startSessionApi(): Promise<SessionApi> {
  const requests: SessionApi['requests'] = [];
  const failures = new Map<string, number>();
  const lifetimes = { access: 3600, id: 3600 };
  /** Refresh token -> its grant; access token -> the grant it came from and its expiry. */
  const grants = new Map<string, Grant>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  let held: Promise<void> | undefined;
  let serial = 0;

  const jwt = (claims: Record<string, unknown>) => {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const token = `${encode({ alg: 'none' })}.${encode(claims)}.sig${(serial += 1)}`;
    secrets.add(token, 'token');
    return token;
  };
  const issue = (grant: Grant): Omit<Tokens, 'refreshToken'> => {
    const iat = Math.floor(Date.now() / 1000);
    const claims = { sub: grant.sub, iat, jti: `jti-${serial}` };
    const accessToken = jwt({ ...claims, token_use: 'access', username: grant.username, exp: iat + lifetimes.access });
    const idToken = jwt({ ...claims, token_use: 'id', 'cognito:username': grant.username, exp: iat + lifetimes.id });
    accessTokens.set(accessToken, { grant, expiresAt: (iat + lifetimes.access) * 1000 });
    return { accessToken, idToken, expiresIn: lifetimes.access };
  };
  const liveGrant = (authorization: string | undefined) => {
    const entry = accessTokens.get(authorization?.replace(/^Bearer /, '') ?? '');
    return entry && !entry.grant.revoked && Date.now() < entry.expiresAt ? entry.grant : undefined;
  };
  const refused = { status: 401, body: { name: 'NotAuthorizedException', message: 'The token is not valid.' } };

  async function answer(method: string, path: string, authorization: string | undefined, body: Record<string, unknown>) {
    const failure = failures.get(path);
    if (failure) return { status: failure, body: { name: 'InternalErrorException', message: 'The stand-in was told to fail.' } };
    const route = `${method} ${path}`;
    if (route === 'POST /auth/sign-in') {
      const username = String(body.username);
      const grant: Grant = { username, sub: `sub-of-${username}`, revoked: false };
      const refreshToken = `refresh-${(serial += 1)}-${username}`;
      secrets.add(refreshToken, 'refresh token');
      grants.set(refreshToken, grant);
      const output: SignInOutput = { isSignedIn: true, nextStep: { signInStep: 'DONE' }, tokens: { ...issue(grant), refreshToken } };
      return { status: 200, body: output };
    }
    if (route === ('POST /auth/refresh' satisfies `${RefreshRoute['method']} ${RefreshRoute['path']}`)) {
      await held;
      const grant = grants.get(String(body.refreshToken));
      if (!grant || grant.revoked) return refused;
      return { status: 200, body: { tokens: issue(grant) } satisfies RefreshResponse };
    }
    if (route === ('POST /auth/sign-out' satisfies `${SignOutRoute['method']} ${SignOutRoute['path']}`)) {
      const grant = grants.get(String(body.refreshToken));
      if (!grant) return refused;
      grant.revoked = true;
      return { status: 204 };
    }
    if (route === ('POST /auth/global-sign-out' satisfies `${GlobalSignOutRoute['method']} ${GlobalSignOutRoute['path']}`)) {
      const grant = liveGrant(authorization);
      if (!grant) return refused;
      for (const other of grants.values()) if (other.sub === grant.sub) other.revoked = true;
      return { status: 204 };
    }
    if (route === 'GET /mfa/preference') {
      return liveGrant(authorization) ? { status: 200, body: { enabled: ['TOTP'], preferred: 'TOTP' } } : refused;
    }
    return { status: 404, body: { name: 'ResourceNotFoundException', message: 'No such route.' } };
  }

  const server = http.createServer((request, response) => {
    (async () => {
      const raw = (await readBody(request)).toString('utf8');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const method = request.method ?? 'GET';
      requests.push({ method, path, authorization: request.headers.authorization, body: raw ? body : undefined });
      const result = await answer(method, path, request.headers.authorization, body);
      response.writeHead(result.status, result.body ? { 'Content-Type': 'application/json' } : {});
      response.end(result.body ? JSON.stringify(result.body) : undefined);
    })().catch(() => {
      response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    lifetimes,
    failures,
    holdRefreshes() {
      let release = () => {};
      held = new Promise((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    revoke(refreshToken) {
      const grant = grants.get(refreshToken);
      if (grant) grant.revoked = true;
    },
    refreshTokenIsLive: (refreshToken) => grants.get(refreshToken)?.revoked === false,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
