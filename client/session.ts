import type { Tokens } from '../contract/amplify.js';
import type {
  GlobalSignOutRoute,
  RefreshedTokens,
  RefreshRequest,
  RefreshResponse,
  RefreshRoute,
  SignOutRequest,
  SignOutRoute,
} from '../contract/session.js';
import { AuthError } from './auth-error.js';
import { callApi } from './http.js';
import { decodeJwt, type JWT } from './jwt.js';
import type { StoredTokens, TokenStore } from './token-store.js';

const refreshPath: RefreshRoute['path'] = '/auth/refresh';
const signOutPath: SignOutRoute['path'] = '/auth/sign-out';
const globalSignOutPath: GlobalSignOutRoute['path'] = '/auth/global-sign-out';

/**
 * Tokens are refreshed once they have less than this left. A token that passes
 * API Gateway's authorizer must still be valid when the handler's own Cognito
 * call (GetUser) checks it, after the network, a cold start and retries: a minute
 * covers that with room. It costs little: the shortest lifetime Cognito allows an
 * access or ID token is five minutes
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html),
 * so at worst a fifth of it. Amplify refreshes 5 s before `exp` corrected by a
 * measured clock drift (aws-amplify/amplify-js packages/core/src/utils/isTokenExpired.ts);
 * the expiry here is counted on this device's clock from
 * when the tokens arrived, so a wrong device clock does not matter.
 */
export const refreshMarginMs = 60_000;

/** Amplify's `AuthTokens`, with the ID token always present: the API always issues one. */
export interface AuthTokens {
  accessToken: JWT;
  idToken: JWT;
}

/** Amplify's `AuthSession`: `tokens` absent when signed out; `userSub` the access token's `sub`, as Amplify's. */
export interface AuthSession {
  tokens?: AuthTokens;
  userSub?: string;
}

/** Amplify's `AuthUser`: `username` from the ID token's `cognito:username`, `userId` from its `sub`. */
export interface AuthUser {
  username: string;
  userId: string;
}

/**
 * The signed-in session: keeps the tokens in the store, refreshes them before
 * they expire (one refresh at a time, however many calls wait for it), and ends
 * the session on the server and here. Pages sharing a store (tabs over
 * localStorage) may each refresh at once; that is harmless because the refresh
 * token does not rotate (the stack refuses rotation: lib/mfa-user-pool.ts).
 */
export class Session {
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly apiUrl: string | undefined,
    readonly store: TokenStore,
  ) {}

  /** Keeps the tokens of a finished sign-in. */
  keep(tokens: Tokens): void {
    this.store.set(storedTokens(tokens, tokens.refreshToken));
  }

  /** The stored tokens, refreshed first if they expire within the margin (or if forced); undefined when signed out. */
  async current(forceRefresh = false): Promise<StoredTokens | undefined> {
    const stored = this.store.get();
    if (!stored) return undefined;
    if (!forceRefresh && Date.now() < stored.expiresAt - refreshMarginMs) return stored;
    await (this.refreshing ??= this.refresh(stored).finally(() => (this.refreshing = undefined)));
    return this.store.get();
  }

  async authSession(forceRefresh = false): Promise<AuthSession> {
    const stored = await this.current(forceRefresh);
    if (!stored) return {};
    const accessToken = decodeJwt(stored.accessToken);
    const tokens = { accessToken, idToken: decodeJwt(stored.idToken) };
    const { sub } = accessToken.payload;
    return typeof sub === 'string' ? { tokens, userSub: sub } : { tokens };
  }

  async user(): Promise<AuthUser> {
    const stored = await this.current();
    if (!stored) throw new AuthError({ name: 'UserUnAuthenticatedException', message: 'User needs to be authenticated to call this API.' });
    // Cognito's ID token names the user in `cognito:username` and `sub`
    // (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html).
    const { 'cognito:username': username, sub } = decodeJwt(stored.idToken).payload;
    if (typeof username !== 'string' || typeof sub !== 'string') {
      throw new AuthError({ name: 'InvalidTokenException', message: 'The ID token names no user.' });
    }
    return { username, userId: sub };
  }

  /**
   * Ends the session on the server (global: every session of the user, with the
   * access token; else this one, by revoking its refresh token), then here in any
   * case: the tokens are forgotten even when the server call fails, and the
   * failure is thrown after, so that the app can say the revocation may not have
   * happened. A refresh token the server already refuses (401) has nothing left
   * to revoke, so that local sign-out succeeds.
   */
  async signOut(global: boolean): Promise<void> {
    const refreshToken = this.store.get()?.refreshToken;
    try {
      if (global) {
        // Global sign-out needs a live access token; if it cannot be had (the refresh failed for
        // a network fault or a 5xx), this session's refresh token is at least revoked, which
        // needs none, rather than forgetting it unrevoked.
        const stored = await this.current().catch(async (error: unknown) => {
          if (refreshToken) await this.revoke(refreshToken);
          throw error;
        });
        if (stored) await callApi(this.apiUrl, 'POST', globalSignOutPath, undefined, stored.accessToken);
      } else if (refreshToken) {
        await this.revoke(refreshToken);
      }
    } finally {
      this.store.clear();
    }
  }

  /** POST /auth/sign-out; a token the server already refuses has nothing left to revoke. */
  private async revoke(refreshToken: string): Promise<void> {
    await callApi(this.apiUrl, 'POST', signOutPath, { refreshToken } satisfies SignOutRequest).catch((error: unknown) => {
      if (!(error instanceof AuthError && error.status === 401)) throw error;
    });
  }

  private async refresh(stored: StoredTokens): Promise<void> {
    const { refreshToken } = stored;
    if (!refreshToken) {
      this.store.clear();
      throw new AuthError({ name: 'NotAuthorizedException', message: 'The session expired and has no refresh token. Sign in again.' });
    }
    let answer: RefreshResponse;
    try {
      answer = await callApi<RefreshResponse>(this.apiUrl, 'POST', refreshPath, { refreshToken } satisfies RefreshRequest);
    } catch (error) {
      // A sign-out or a new sign-in while the refresh was under way wins over its result, failed or not.
      if (this.store.get()?.refreshToken !== refreshToken) return;
      // The API refused the token (401, or 4xx for one it cannot read): the session is over, so
      // it ends here too. Throttling, faults and the network are passing: the tokens stay for a
      // retry, as Amplify keeps them (aws-amplify/amplify-js issue 14534).
      const status = error instanceof AuthError ? error.status : undefined;
      if (status !== undefined && status < 500 && status !== 429) this.store.clear();
      throw error;
    }
    if (this.store.get()?.refreshToken === refreshToken) this.store.set(storedTokens(answer.tokens, refreshToken));
  }
}

/**
 * The expiry of a token set: `expiresIn` is the access token's lifetime, and the
 * ID token's may be set shorter on the app client, so the tokens' own lifetimes
 * (`exp` - `iat`, both in the issuer's clock) can only bring it forward.
 */
function storedTokens(tokens: RefreshedTokens, refreshToken: string | undefined): StoredTokens {
  const lifetimeSeconds = Math.min(tokens.expiresIn, lifetimeOf(tokens.accessToken), lifetimeOf(tokens.idToken));
  const stored = { accessToken: tokens.accessToken, idToken: tokens.idToken, expiresAt: Date.now() + lifetimeSeconds * 1000 };
  return refreshToken === undefined ? stored : { ...stored, refreshToken };
}

function lifetimeOf(token: string): number {
  try {
    const { exp, iat } = decodeJwt(token).payload;
    return typeof exp === 'number' && typeof iat === 'number' ? exp - iat : Infinity;
  } catch {
    return Infinity;
  }
}
