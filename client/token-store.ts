/** The tokens of a signed-in session as the client keeps them. */
export interface StoredTokens {
  accessToken: string;
  idToken: string;
  /** Absent only if the API issued none; then the session ends when the tokens expire. */
  refreshToken?: string;
  /** When the access or ID token expires (whichever first), in milliseconds since the epoch on this device's clock. */
  expiresAt: number;
}

/**
 * Where the tokens of a session are kept. The client reads the store on every
 * call (it caches nothing), so a store shared by several tabs gives them one session.
 */
export interface TokenStore {
  get(): StoredTokens | undefined;
  set(tokens: StoredTokens): void;
  clear(): void;
}

/** The default: the session lasts as long as the page (or the Node.js process). */
export class MemoryTokenStore implements TokenStore {
  private tokens: StoredTokens | undefined;
  get(): StoredTokens | undefined {
    return this.tokens;
  }
  set(tokens: StoredTokens): void {
    this.tokens = tokens;
  }
  clear(): void {
    this.tokens = undefined;
  }
}

/**
 * The part of the Web Storage API's `Storage` the store uses: `localStorage`,
 * `sessionStorage` or anything shaped like them. Spelled out rather than taken
 * from the DOM types, so that a consumer without the DOM library can name it.
 */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Keeps the session in Web Storage, as one JSON item named `<keyPrefix>.tokens`:
 * `sessionStorage` keeps it for the tab until it is closed, `localStorage` across
 * tabs and restarts. Either is readable by any script on the page, so an XSS flaw
 * can take the refresh token (a session for its whole lifetime, until signOut
 * revokes it); the memory store loses the session on reload but leaves nothing in
 * storage. See client/README.md, "Storage".
 */
export class WebStorageTokenStore implements TokenStore {
  private readonly key: string;

  constructor(
    private readonly storage: KeyValueStorage,
    keyPrefix = 'cognito-mfa-service',
  ) {
    this.key = `${keyPrefix}.tokens`;
  }

  /** An item that is not a session this client wrote (edited, or another app's) counts as no session. */
  get(): StoredTokens | undefined {
    let item: unknown;
    try {
      item = JSON.parse(this.storage.getItem(this.key) ?? 'null');
    } catch {
      return undefined;
    }
    if (!isStoredTokens(item)) return undefined;
    const { accessToken, idToken, refreshToken, expiresAt } = item;
    return refreshToken === undefined ? { accessToken, idToken, expiresAt } : { accessToken, idToken, refreshToken, expiresAt };
  }

  set(tokens: StoredTokens): void {
    this.storage.setItem(this.key, JSON.stringify(tokens));
  }

  clear(): void {
    this.storage.removeItem(this.key);
  }
}

function isStoredTokens(item: unknown): item is StoredTokens {
  if (typeof item !== 'object' || item === null) return false;
  const { accessToken, idToken, refreshToken, expiresAt } = item as Record<string, unknown>;
  return (
    typeof accessToken === 'string' &&
    typeof idToken === 'string' &&
    (refreshToken === undefined || typeof refreshToken === 'string') &&
    typeof expiresAt === 'number' &&
    Number.isFinite(expiresAt)
  );
}
