import { secrets } from './log-capture';

export interface ApiAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
}

/**
 * Calls the local API over HTTP. Everything secret that passes through (the
 * token sent, codes and passwords in bodies, secrets and tokens in answers) is
 * registered with the log scan, so a test cannot forget to.
 */
export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  registerSecrets(options.body);
  secrets.add(options.token?.replace(/^Bearer\s+/i, ''), 'access token');
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
      ...(options.token && { Authorization: options.token }),
      ...options.headers,
    },
    body,
  });
  const text = await response.text();
  const parsed = (text ? JSON.parse(text) : {}) as T;
  registerSecrets(parsed);
  return { status: response.status, headers: response.headers, body: parsed };
}

const secretFields = new Set([
  'code',
  'password',
  'sharedSecret',
  'setupUri',
  'qrCodeSvg',
  'accessToken',
  'idToken',
  'refreshToken',
  'session',
  'challengeResponse',
  // Recovery codes: the list POST /mfa/recovery-codes answers, and the one a recovery sends.
  'codes',
  'recoveryCode',
]);

function registerSecrets(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, field] of Object.entries(value)) {
    if (typeof field === 'string' && secretFields.has(key)) secrets.add(field, key);
    else if (Array.isArray(field) && secretFields.has(key)) for (const item of field) secrets.add(String(item), key);
    else registerSecrets(field);
  }
}
