/**
 * The per-user budget of wrong email codes. It counts across codes and sign-ins
 * (unlike Cognito's own three tries per session): `maxFailures` wrong answers in
 * a fixed window of `windowSeconds` lock email MFA for `lockSeconds`, twice as
 * long at each further lock up to a day, and `maxConsecutiveFailures` without a
 * right answer lock it until an administrator clears the budget. A right answer
 * clears it.
 *
 * Every answer is charged before it is compared, so answers sent in parallel
 * cannot all slip in under the limit (lambda/services/mfa-table.ts does the
 * counting in conditional writes).
 */
export interface FailureBudgetPolicy {
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

/** NIST SP 800-63B-4 3.2.2: no more than 100 consecutive failed attempts on one account. */
export const maxConsecutiveFailures = 100;
export const longestTimedLockSeconds = 24 * 60 * 60;

export interface FailureBudget {
  /** Charged answers in the current window. */
  readonly failures: number;
  /** Epoch seconds. */
  readonly windowStart: number;
  /** Charged answers since the last right one; a lock does not reset it. */
  readonly consecutive?: number;
  /** Locks so far since the last right answer. */
  readonly lockCount?: number;
  /** Epoch seconds; absent when not locked. */
  readonly lockedUntil?: number;
}

export function isLocked(budget: FailureBudget | undefined, now: number): boolean {
  return budget?.lockedUntil !== undefined && budget.lockedUntil > now;
}

/**
 * How long the next lock lasts: `undefined` for the lock an administrator must
 * lift, after `maxConsecutiveFailures`; otherwise lockSeconds doubled per
 * earlier lock, at most a day.
 */
export function nextLockSeconds(policy: FailureBudgetPolicy, earlierLocks: number, consecutive: number): number | undefined {
  if (consecutive >= maxConsecutiveFailures) return undefined;
  return Math.min(policy.lockSeconds * 2 ** earlierLocks, longestTimedLockSeconds);
}
