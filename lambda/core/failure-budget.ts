/**
 * The per-user budget of wrong email codes. It counts across codes and sign-ins
 * (unlike Cognito's own three tries per session): `maxFailures` wrong answers in
 * a fixed window of `windowSeconds` lock email MFA for `lockSeconds`. A
 * successful sign-in clears it.
 *
 * Every answer is charged before it is compared, and a right one then clears
 * the budget: answers sent in parallel cannot all slip in under the limit.
 */
export interface FailureBudgetPolicy {
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

export interface FailureBudget {
  readonly failures: number;
  /** Epoch seconds. */
  readonly windowStart: number;
  /** Epoch seconds; absent when not locked. */
  readonly lockedUntil?: number;
}

export function isLocked(budget: FailureBudget | undefined, now: number): boolean {
  return budget?.lockedUntil !== undefined && budget.lockedUntil > now;
}

/** The budget after one more charged answer, and whether this answer is the one that locked it. */
export function afterAttempt(
  budget: FailureBudget | undefined,
  now: number,
  policy: FailureBudgetPolicy,
): { budget: FailureBudget; justLocked: boolean } {
  const windowOpen = budget !== undefined && now - budget.windowStart < policy.windowSeconds;
  const failures = windowOpen ? budget.failures + 1 : 1;
  const windowStart = windowOpen ? budget.windowStart : now;
  const alreadyLocked = isLocked(budget, now);
  if (alreadyLocked) return { budget: { failures, windowStart, lockedUntil: budget?.lockedUntil }, justLocked: false };
  if (failures >= policy.maxFailures) {
    return { budget: { failures, windowStart, lockedUntil: now + policy.lockSeconds }, justLocked: true };
  }
  return { budget: { failures, windowStart }, justLocked: false };
}
