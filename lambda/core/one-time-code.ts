import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/**
 * One-time codes sent by email. `crypto.randomInt` draws uniformly (it rejects
 * rather than reduces modulo), so every digit is equally likely in every place.
 * Codes are kept only as salted SHA-256 hashes: a 6-digit code is guessable from
 * its hash by anyone who can read it, so the hash is not what protects the code;
 * it keeps codes out of anything that copies the stored data around, and the
 * failure budget and expiry are what stop guessing.
 */
export interface HashedCode {
  readonly hash: string;
  readonly salt: string;
}

export function generateCode(length: number): string {
  if (!Number.isInteger(length) || length < 6 || length > 8) {
    throw new RangeError(`Code length must be 6 to 8 digits; got ${length}.`);
  }
  return String(randomInt(0, 10 ** length)).padStart(length, '0');
}

export function hashCode(code: string, salt = randomBytes(16).toString('base64url')): HashedCode {
  return { hash: digest(salt, code), salt };
}

/** Constant-time for answers of any length: both sides are hashed first. */
export function codeMatches(answer: string, stored: HashedCode): boolean {
  const expected = Buffer.from(stored.hash, 'base64url');
  const actual = Buffer.from(digest(stored.salt, answer), 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

function digest(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`).digest('base64url');
}
