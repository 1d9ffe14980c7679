import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { FailureBudgetPolicy } from './failure-budget';

/**
 * Recovery codes: NIST SP 800-63B-4's look-up secrets (3.1.2), a set of ten
 * one-time codes a user keeps for the day a factor is lost.
 *
 * Format: 16 characters of Crockford's base32 (digits and the letters other than
 * I, L, O and U), shown as four groups of four joined by '-', such as
 * `7K3Q-M9XD-2RTB-HC4W`. Each code is 10 bytes of `crypto.randomBytes`, 5 bits per
 * character, so 80 bits: above the 64 the issue asks for, short enough to type.
 * Input is read the way Crockford's base32 prescribes: case-insensitive, spaces
 * and hyphens ignored, and I/L read as 1, O as 0, the confusions it was made for.
 *
 * Storage: 3.1.2.2 requires look-up secrets below 112 bits to be "stored in a
 * salted and hashed form using a suitable password hashing scheme", with a salt
 * of at least 32 bits stored "for each look-up secret", and adds "Because look-up
 * secrets are generated using a random bit generator, the work factor for the
 * password hashing scheme MAY be small"
 * (https://pages.nist.gov/800-63-4/sp800-63b/authenticators/#lookupver).
 * So each code gets its own 128-bit salt and is stored as PBKDF2-HMAC-SHA-256
 * (SP 800-132's approved scheme) at a small iteration count: the 80 random bits
 * are what make guessing from a stolen table hopeless (2^80 guesses per code),
 * the iterations add about 13 bits on top, and the scheme and count are stored
 * with the set so that they can be raised later.
 */
export const recoveryCodeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const recoveryCodesPerSet = 10;
/** Characters of a code, without its separators. */
export const recoveryCodeLength = 16;
const groupLength = 4;

export const recoveryCodeHashScheme = 'PBKDF2-HMAC-SHA-256';
/** Small on purpose (3.1.2.2 above): ten of them run at each redemption, one per code of the set. */
export const recoveryCodeIterations = 10_000;
const hashBytes = 32;
const saltBytes = 16;

/**
 * Wrong recovery codes allowed per user before redemption locks: their own
 * budget, apart from the email codes'. Recovery is a door an attacker who knows
 * only the user name can knock on, and every failure counts there; sharing the
 * email codes' budget would let those knocks lock the user's email sign-in too.
 * Guessing an 80-bit code is hopeless at any rate, so the budget is there for
 * SP 800-63B-4 3.2.2's rate limit, not for the codes' strength.
 */
export const recoveryFailureBudget: FailureBudgetPolicy = { maxFailures: 10, windowSeconds: 15 * 60, lockSeconds: 15 * 60 };

/** One code of a stored set: its salt and its hash, both base64url. */
export interface HashedRecoveryCode {
  readonly salt: string;
  readonly hash: string;
}

/** A stored set: ten hashed codes, never the codes. */
export interface RecoveryCodeSet {
  /** Random, to tell this set from the one that replaces it in a conditional write. */
  readonly setId: string;
  /** Epoch seconds. */
  readonly issuedAt: number;
  readonly scheme: typeof recoveryCodeHashScheme;
  readonly iterations: number;
  readonly codes: readonly HashedRecoveryCode[];
  /** Epoch seconds each used code was used at, by its index in `codes`. */
  readonly usedAt: Readonly<Record<string, number>>;
}

export interface IssuedRecoveryCodes {
  /** For the user's eyes, once. */
  readonly codes: readonly string[];
  /** What is stored. */
  readonly set: RecoveryCodeSet;
}

const pbkdf2Async = promisify(pbkdf2);

/** The bits a code carries: log2 of the alphabet's size per character, times its length. */
export function recoveryCodeEntropyBits(): number {
  return Math.log2(recoveryCodeAlphabet.length) * recoveryCodeLength;
}

/** One code, as shown: 16 characters in groups of four. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes((recoveryCodeLength * 5) / 8);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let characters = '';
  for (let index = recoveryCodeLength - 1; index >= 0; index -= 1) {
    characters += recoveryCodeAlphabet[Number((bits >> BigInt(index * 5)) & 31n)];
  }
  return characters.match(new RegExp(`.{${groupLength}}`, 'g'))!.join('-');
}

/** What a user typed, as the 16 characters that were hashed; undefined when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | undefined {
  const characters = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (characters.length !== recoveryCodeLength) return undefined;
  for (const character of characters) if (!recoveryCodeAlphabet.includes(character)) return undefined;
  return characters;
}

async function derive(normalized: string, salt: string, iterations: number): Promise<Buffer> {
  return pbkdf2Async(normalized, Buffer.from(salt, 'base64url'), iterations, hashBytes, 'sha256');
}

/** A new set of ten codes, and what is stored of it. */
export async function issueRecoveryCodes(now: number): Promise<IssuedRecoveryCodes> {
  const codes = Array.from({ length: recoveryCodesPerSet }, generateRecoveryCode);
  const hashed = await Promise.all(
    codes.map(async (code) => {
      const salt = randomBytes(saltBytes).toString('base64url');
      const hash = await derive(normalizeRecoveryCode(code)!, salt, recoveryCodeIterations);
      return { salt, hash: hash.toString('base64url') };
    }),
  );
  return {
    codes,
    set: {
      setId: randomBytes(16).toString('base64url'),
      issuedAt: now,
      scheme: recoveryCodeHashScheme,
      iterations: recoveryCodeIterations,
      codes: hashed,
      usedAt: {},
    },
  };
}

export function remainingRecoveryCodes(set: RecoveryCodeSet | undefined): number {
  if (!set) return 0;
  return set.codes.filter((_, index) => set.usedAt[String(index)] === undefined).length;
}

/**
 * The index of the unused code the input matches, or undefined. Every code of the
 * set is hashed and compared in constant time, used ones too, so the time taken
 * tells nothing about which code matched or how many are left.
 */
export async function findUnusedRecoveryCode(input: string, set: RecoveryCodeSet): Promise<number | undefined> {
  const normalized = normalizeRecoveryCode(input);
  if (normalized === undefined) return undefined;
  const candidates = await Promise.all(set.codes.map((code) => derive(normalized, code.salt, set.iterations)));
  let match: number | undefined;
  candidates.forEach((candidate, index) => {
    const stored = Buffer.from(set.codes[index]!.hash, 'base64url');
    const equal = stored.length === candidate.length && timingSafeEqual(stored, candidate);
    if (equal && set.usedAt[String(index)] === undefined) match ??= index;
  });
  return match;
}

/** What a redemption knows once its attempt has been charged. */
export interface RedemptionFacts {
  /** The user has a set. */
  readonly issued: boolean;
  /** False when the failure budget refused this attempt (locked, or its window spent). */
  readonly budgetAllowed: boolean;
  /** The unused code of the set the input matches (findUnusedRecoveryCode). */
  readonly matchingCode: number | undefined;
}

export type RedemptionDecision =
  | { readonly action: 'CONSUME'; readonly code: number }
  | { readonly action: 'REFUSE'; readonly reason: 'budget locked' | 'no set issued' | 'no unused code matches' };

/**
 * Whether a recovery code may be used. A locked budget refuses first, even a
 * right code; every path not named here refuses. The caller answers every
 * refusal alike: the reason is for its own log line and notices only.
 */
export function decideRedemption(facts: RedemptionFacts): RedemptionDecision {
  if (!facts.budgetAllowed) return { action: 'REFUSE', reason: 'budget locked' };
  if (!facts.issued) return { action: 'REFUSE', reason: 'no set issued' };
  const { matchingCode } = facts;
  if (matchingCode === undefined || !Number.isInteger(matchingCode) || matchingCode < 0 || matchingCode >= recoveryCodesPerSet) {
    return { action: 'REFUSE', reason: 'no unused code matches' };
  }
  return { action: 'CONSUME', code: matchingCode };
}
