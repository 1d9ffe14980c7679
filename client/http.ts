import { AuthError } from './auth-error.js';

/**
 * One call to the API: JSON in and out, the access token as a bearer token when
 * given, every failure an AuthError with the API's error name and status.
 */
export async function callApi<T>(
  apiUrl: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  accessToken?: string,
): Promise<T> {
  if (!apiUrl) throw new AuthError({ name: 'InvalidParameterException', message: 'Call configure({ apiUrl }) first.' });
  let response: Response;
  try {
    response = await fetch(apiUrl + path, {
      method,
      headers: {
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...(accessToken && { Authorization: `Bearer ${accessToken}` }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch (error) {
    throw new AuthError({ name: 'NetworkError', message: error instanceof Error ? error.message : 'The API could not be reached.' });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { name?: unknown; message?: unknown };
    throw new AuthError({
      name: typeof error.name === 'string' ? error.name : 'UnknownError',
      message: typeof error.message === 'string' ? error.message : `The API answered ${response.status}.`,
      status: response.status,
    });
  }
  return parsed as T;
}
