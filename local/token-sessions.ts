import { createPrivateKey, createPublicKey, randomUUID, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * The sessions behind the tokens the Cognito front issues, for what cognito-local
 * does not model: revocation and a refresh that keeps the sign-in's `auth_time`.
 *
 * - Every sign-in on a front client is one session: its refresh token, and an
 *   `origin_jti` stamped into each access and ID token issued for it, at sign-in
 *   and at every refresh ("When you turn on token revocation settings, the
 *   origin_jti and jti claims are added to the access and ID tokens ... new access
 *   and ID tokens have the same origin_jti claim",
 *   https://repost.aws/knowledge-center/cognito-revoke-refresh-tokens).
 * - A refresh issues new access and ID tokens whose `auth_time` is the sign-in's:
 *   `auth_time` is when the user authenticated
 *   (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html),
 *   and a refresh is not an authentication. cognito-local stamps the time of each
 *   issue instead. Refresh-token rotation, under which Cognito is reported to move
 *   it (oidc-client-ts#2107), is off in this stack and not modelled.
 * - RevokeToken ends the session: its refresh token and every access and ID token
 *   issued from it; GlobalSignOut (and AdminUserGlobalSignOut) ends every session of the user
 *   (https://docs.aws.amazon.com/cognito/latest/developerguide/token-revocation.html).
 *   Cognito then refuses those access tokens on every token-authorized operation
 *   with "Access Token has been revoked"
 *   (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html).
 *
 * Tokens are re-signed with cognito-local's own key and key id, so its JWKS and
 * its own token checks (GetUser...) still accept them. Tokens cognito-local issued
 * for a client the front does not handle carry no `origin_jti` and are not
 * sessions here.
 */
export interface TokenSession {
  readonly originJti: string;
  readonly clientId: string;
  /** The user's Username (the sub in cognito-local's email-username pools). */
  readonly username: string;
  readonly authTime: number;
  /** Epoch seconds, from the refresh token's own `exp`. */
  readonly expiresAt: number;
  revoked: boolean;
}

export interface IssuedTokens {
  readonly AccessToken: string;
  readonly IdToken: string;
  readonly RefreshToken?: string;
}

type Claims = Record<string, unknown>;

/** cognito-local's own key pair, the one its token generator signs with and its JWKS publishes. */
const cognitoLocalKey = (name: string) =>
  (JSON.parse(readFileSync(require.resolve(`cognito-local/lib/keys/cognitoLocal.${name}.json`), 'utf8')) as { pem: string }).pem;
const signingKey = createPrivateKey(cognitoLocalKey('private'));
const verifyingKey = createPublicKey(cognitoLocalKey('public'));

export function decodeClaims(token: string): Claims | undefined {
  const [, payload] = token.split('.');
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Claims) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of a token cognito-local's key signed, if it has not expired. */
export function verifiedClaims(token: string, nowSeconds: number): Claims | undefined {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  const valid = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), verifyingKey, Buffer.from(signature, 'base64url'));
  const claims = valid ? decodeClaims(token) : undefined;
  return claims && typeof claims.exp === 'number' && claims.exp > nowSeconds ? claims : undefined;
}

function resigned(token: string, changes: Claims): string {
  const [header] = token.split('.');
  const claims = decodeClaims(token);
  if (header === undefined || !claims) throw new Error('cognito-local issued a token that is not a JWT');
  const payload = Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url');
  const signature = sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), signingKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export class TokenSessions {
  private readonly byRefreshToken = new Map<string, TokenSession>();
  private readonly revokedOrigins = new Set<string>();

  /** A new sign-in's tokens, stamped with the session's `origin_jti`. */
  startSession<T extends IssuedTokens>(tokens: T, clientId: string, username: string): T {
    if (!tokens.RefreshToken) throw new Error('a sign-in without a refresh token');
    const access = decodeClaims(tokens.AccessToken);
    const refresh = decodeClaims(tokens.RefreshToken);
    if (typeof access?.auth_time !== 'number' || typeof refresh?.exp !== 'number') {
      throw new Error('cognito-local issued tokens without auth_time or exp');
    }
    const session: TokenSession = {
      originJti: randomUUID(),
      clientId,
      username,
      authTime: access.auth_time,
      expiresAt: refresh.exp,
      revoked: false,
    };
    this.byRefreshToken.set(tokens.RefreshToken, session);
    return this.stamp(tokens, session);
  }

  find(refreshToken: string): TokenSession | undefined {
    return this.byRefreshToken.get(refreshToken);
  }

  /** Fresh tokens of a session: its `origin_jti`, and its sign-in's `auth_time`. */
  stamp<T extends IssuedTokens>(tokens: T, session: TokenSession): T {
    const changes = { origin_jti: session.originJti, auth_time: session.authTime };
    return { ...tokens, AccessToken: resigned(tokens.AccessToken, changes), IdToken: resigned(tokens.IdToken, changes) };
  }

  revoke(session: TokenSession): void {
    session.revoked = true;
    this.revokedOrigins.add(session.originJti);
  }

  revokeEveryone(username: string): void {
    for (const session of this.byRefreshToken.values()) if (session.username === username) this.revoke(session);
  }

  /** Whether the access token belongs to a session that was revoked. */
  isRevoked(accessToken: string): boolean {
    const originJti = decodeClaims(accessToken)?.origin_jti;
    return typeof originJti === 'string' && this.revokedOrigins.has(originJti);
  }
}
