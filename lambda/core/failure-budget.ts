/**
 * The per-user budget of wrong email codes. It counts across codes and sign-ins
 * (unlike Cognito's own three tries per session): `maxFailures` wrong answers in
 * a fixed window of `windowSeconds` lock email MFA for `lockSeconds`. A
 * successful sign-in clears it.
 *
 * Every answer is charged before it is compared, and a right one then clears
 * the budget: answers sent in parallel cannot all slip in under the limit
 * (lambda/services/mfa-table.ts does the counting in conditional writes).
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
