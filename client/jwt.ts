import { AuthError } from './auth-error.js';

type JsonPrimitive = null | string | number | boolean;
type JsonArray = (JsonPrimitive | JsonObject | JsonArray)[];
interface JsonObject {
  [key: string]: JsonPrimitive | JsonArray | JsonObject;
}

/** Amplify's `JwtPayload` (aws-amplify/amplify-js packages/core/src/singleton/Auth/types.ts): the registered claims, and any JSON. */
export type JwtPayload = {
  exp?: number;
  iss?: string;
  aud?: string | string[];
  nbf?: number;
  iat?: number;
  scope?: string;
  jti?: string;
  sub?: string;
} & JsonObject;

/** Amplify's `JWT`: the decoded payload, and the token itself from `toString()` (for an Authorization header). */
export interface JWT {
  payload: JwtPayload;
  toString(): string;
}

/**
 * Reads a token's payload without checking its signature: the client only reads
 * its own tokens, which the API checks on every call. Base64url through `atob`
 * and UTF-8 through TextDecoder, both in browsers and Node.js, so no Buffer.
 */
export function decodeJwt(token: string): JWT {
  try {
    const binary = atob((token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/'));
    const payload: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new TypeError();
    return { payload: payload as JwtPayload, toString: () => token };
  } catch {
    throw new AuthError({ name: 'InvalidTokenException', message: 'A stored token is not a JSON web token.' });
  }
}
