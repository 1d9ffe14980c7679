import { itemKinds } from '../../contract/mfa-table';
import type { FailureBudgetPolicy } from '../core/failure-budget';
import type { SendLimit, WindowCap } from '../core/send-caps';
import { chargeAttempt, savePendingCode, type PendingCode } from './mfa-table';
import { notifyUser, type NotificationSettings } from './notifications';
import { admitEmailCode } from './send-caps';

/**
 * Email sign-in codes under the send cap and the failure budget, for Create
 * Auth Challenge; apart from lambda/services/send-caps.ts so that the custom
 * senders, which share the send logs, do not carry the notices' SES client.
 */
export interface SignInCodeIssue {
  readonly tableName: string;
  readonly sub: string;
  /** Where the code would go, and the lock notice. */
  readonly address: string;
  readonly now: number;
  readonly code: PendingCode;
  readonly cap: WindowCap;
  readonly failureBudget: FailureBudgetPolicy;
  readonly notices: NotificationSettings;
}

/**
 * Decides whether Create Auth Challenge may email a new sign-in code, and
 * stores it if so. Beyond the cap nothing is stored or sent. Otherwise the code
 * replaces the user's earlier sign-in code; if that one belonged to another
 * sign-in (another nonce), it was never answered right (a right answer deletes
 * it), so it is charged to the failure budget as one wrong answer: unanswered
 * codes count towards the lock like wrong ones. A charge that locks (or finds
 * the budget locked) sends nothing either, and the lock is told as a wrong
 * answer's is. Codes replaced within one sign-in are not charged: each retry
 * there follows an answer Verify already charged.
 */
export async function issueSignInCode(
  issue: SignInCodeIssue,
): Promise<{ readonly send: true } | { readonly send: false; readonly limit: SendLimit }> {
  const { tableName, sub, now } = issue;
  const admission = await admitEmailCode(tableName, sub, now, issue.cap);
  if (!admission.admitted) return { send: false, limit: { retryAfterSeconds: admission.retryAfterSeconds } };
  const replaced = await savePendingCode(tableName, sub, itemKinds.signInCode, issue.code);
  if (replaced?.nonce === undefined || replaced.nonce === issue.code.nonce) return { send: true };
  const charge = await chargeAttempt(tableName, sub, now, issue.failureBudget);
  if (charge.justLocked) {
    const minutes = charge.lockSeconds === undefined ? undefined : Math.round(charge.lockSeconds / 60);
    await notifyUser(issue.notices, issue.address, { kind: 'email-mfa-locked', minutes });
  }
  if (charge.allowed && !charge.justLocked) return { send: true };
  return { send: false, limit: { retryAfterSeconds: charge.lockSeconds } };
}
