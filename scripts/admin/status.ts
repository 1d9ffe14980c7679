import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ParsedEmailMfaMark } from '../../lambda/core/email-mfa-mark';
import { isLocked, longestTimedLockSeconds, type FailureBudget } from '../../lambda/core/failure-budget';
import { maskEmail, maskPhoneNumber } from '../../lambda/core/masking';
import { recoveryCodesPerSet, remainingRecoveryCodes } from '../../lambda/core/recovery-codes';
import { readBudget, readRecoveryCodeSet, type BudgetName } from './mfa-table';
import type { AdminUser } from './users';

/**
 * `status <user>`: the user's factors, failure budgets and recovery codes, as
 * facts an operator can act on, and nothing secret: no code, hash, salt, set id
 * or TOTP secret is read into it, and the phone number and the email MFA
 * address are masked as lambda/core/masking.ts masks them for users.
 */
export interface UserStatus {
  readonly user: {
    readonly username: string;
    readonly sub: string;
    readonly email: string | undefined;
    readonly enabled: boolean;
    readonly status: string | undefined;
  };
  readonly factors: {
    readonly totp: FactorState;
    readonly sms: FactorState;
    /** Masked. */
    readonly phoneNumber: string | undefined;
    readonly email: FactorState | 'UNREADABLE';
    /** Masked; where email codes go, which is not always the account's address. */
    readonly emailMfaAddress: string | undefined;
  };
  readonly budgets: Readonly<Record<BudgetName, BudgetStatus>>;
  readonly recoveryCodes: { readonly remaining: number; readonly of: number; readonly issuedAt: number | undefined };
}

/** ENROLLED: email MFA's address verified but the factor off. */
export type FactorState = 'OFF' | 'ENROLLED' | 'ENABLED' | 'PREFERRED';

export interface BudgetStatus {
  /** Wrong answers in the budget's last window (a lock starts a new, empty one). */
  readonly failures: number;
  /** Wrong answers since the last right one. */
  readonly consecutive: number;
  readonly locks: number;
  /** Epoch seconds; undefined when not locked. */
  readonly lockedUntil: number | undefined;
  /** Locked until an administrator clears it (`unlock`), after too many consecutive failures. */
  readonly lockedUntilCleared: boolean;
}

export async function readStatus(table: DynamoDBDocumentClient, tableName: string, user: AdminUser, now: number): Promise<UserStatus> {
  const [emailCodes, recovery, codeSet] = await Promise.all([
    readBudget(table, tableName, user.sub, 'emailCodes'),
    readBudget(table, tableName, user.sub, 'recovery'),
    readRecoveryCodeSet(table, tableName, user.sub),
  ]);
  const native = (name: string): FactorState =>
    user.preferredNativeMfa === name ? 'PREFERRED' : user.nativeMfa.includes(name) ? 'ENABLED' : 'OFF';
  return {
    user: { username: user.username, sub: user.sub, email: user.email, enabled: user.enabled, status: user.status },
    factors: {
      totp: native('SOFTWARE_TOKEN_MFA'),
      sms: native('SMS_MFA'),
      phoneNumber: user.phoneNumber && maskPhoneNumber(user.phoneNumber),
      email: emailFactor(user.emailMfa),
      emailMfaAddress: typeof user.emailMfa === 'object' ? maskEmail(user.emailMfa.address) : undefined,
    },
    budgets: { emailCodes: budgetStatus(emailCodes, now), recovery: budgetStatus(recovery, now) },
    recoveryCodes: {
      remaining: remainingRecoveryCodes(codeSet),
      of: codeSet?.codes.length ?? recoveryCodesPerSet,
      issuedAt: codeSet?.issuedAt,
    },
  };
}

function emailFactor(mark: ParsedEmailMfaMark): UserStatus['factors']['email'] {
  if (mark === undefined) return 'OFF';
  return mark === 'unreadable' ? 'UNREADABLE' : mark.state;
}

function budgetStatus(budget: FailureBudget | undefined, now: number): BudgetStatus {
  const locked = isLocked(budget, now);
  return {
    failures: budget?.failures ?? 0,
    consecutive: budget?.consecutive ?? 0,
    locks: budget?.lockCount ?? 0,
    lockedUntil: locked ? budget?.lockedUntil : undefined,
    // A timed lock lasts at most a day (lambda/core/failure-budget.ts); the lock an administrator must lift is set years ahead.
    lockedUntilCleared: locked && (budget?.lockedUntil ?? 0) - now > longestTimedLockSeconds,
  };
}

const budgetTitles: Record<BudgetName, string> = { emailCodes: 'Email codes', recovery: 'Recovery codes' };

const at = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

/** The status as the lines `status` prints. */
export function formatStatus(status: UserStatus): string[] {
  const { user, factors, budgets, recoveryCodes } = status;
  const lines = [
    `User ${user.email ?? user.username} (sub ${user.sub}): ${user.enabled ? 'enabled' : 'DISABLED'}, ${user.status ?? 'status unknown'}`,
    'Factors:',
    `  TOTP (authenticator app): ${factors.totp}`,
    `  SMS: ${factors.sms}${factors.phoneNumber ? `, phone number ${factors.phoneNumber}` : ', no phone number'}`,
    `  Email codes: ${factors.email === 'UNREADABLE' ? 'UNREADABLE mark (sign-in fails closed; reset-mfa removes it)' : factors.email}${
      factors.emailMfaAddress ? `, to ${factors.emailMfaAddress}` : ''
    }`,
    'Failure budgets:',
  ];
  for (const name of Object.keys(budgetTitles) as BudgetName[]) {
    const budget = budgets[name];
    const lock = budget.lockedUntilCleared
      ? 'LOCKED until cleared (unlock)'
      : budget.lockedUntil !== undefined
        ? `LOCKED until ${at(budget.lockedUntil)}`
        : 'not locked';
    lines.push(
      `  ${budgetTitles[name]}: ${lock}; ${budget.failures} failures in the last window, ${budget.consecutive} since the last right answer, ${budget.locks} locks`,
    );
  }
  lines.push(
    recoveryCodes.issuedAt === undefined
      ? 'Recovery codes: none issued'
      : `Recovery codes: ${recoveryCodes.remaining} of ${recoveryCodes.of} left, issued ${at(recoveryCodes.issuedAt)}`,
  );
  return lines;
}
