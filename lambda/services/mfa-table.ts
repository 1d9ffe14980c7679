import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAttempt, isLocked, type FailureBudget, type FailureBudgetPolicy } from '../core/failure-budget';
import { itemKinds, mfaTableKeys, userPartition } from '../core/mfa-table';
import type { HashedCode } from '../core/one-time-code';

/**
 * The table behind email MFA: pending codes and the per-user failure budget.
 * Writes that race (two wrong answers at once) are made safe with a version
 * attribute and conditional puts, so no failure is lost and the lock is taken
 * exactly once.
 */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

type Kind = (typeof itemKinds)[keyof typeof itemKinds];

export interface PendingCode extends HashedCode {
  /** Epoch seconds after which the code is refused. */
  readonly expiresAt: number;
  /** Ties a sign-in code to one sign-in, so a retry in it reuses the code and another sign-in cannot. */
  readonly nonce?: string;
  /** The address an enrolment code was sent to. */
  readonly address?: string;
}

const key = (sub: string, kind: Kind) => ({
  [mfaTableKeys.partitionKey]: userPartition(sub),
  [mfaTableKeys.sortKey]: kind,
});

export async function savePendingCode(tableName: string, sub: string, kind: Kind, code: PendingCode): Promise<void> {
  await table.send(new PutCommand({ TableName: tableName, Item: { ...key(sub, kind), ...code } }));
}

export async function loadPendingCode(tableName: string, sub: string, kind: Kind): Promise<PendingCode | undefined> {
  const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: key(sub, kind), ConsistentRead: true }));
  return Item as PendingCode | undefined;
}

export async function deletePendingCode(tableName: string, sub: string, kind: Kind): Promise<void> {
  await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, kind) }));
}

interface StoredBudget extends FailureBudget {
  readonly version: number;
}

async function loadBudget(tableName: string, sub: string): Promise<StoredBudget | undefined> {
  const { Item } = await table.send(
    new GetCommand({ TableName: tableName, Key: key(sub, itemKinds.failureBudget), ConsistentRead: true }),
  );
  return Item as StoredBudget | undefined;
}

export async function emailMfaLocked(tableName: string, sub: string, now: number): Promise<boolean> {
  return isLocked(await loadBudget(tableName, sub), now);
}

/**
 * Charges one answer to the user's failure budget before it is checked.
 * `allowed` is false when email MFA was already locked (the answer must then be
 * refused unseen); `justLocked` when this answer used up the budget, so the user
 * is told once. A right answer is followed by clearFailures.
 */
export async function chargeAttempt(
  tableName: string,
  sub: string,
  now: number,
  policy: FailureBudgetPolicy,
): Promise<{ allowed: boolean; justLocked: boolean }> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const stored = await loadBudget(tableName, sub);
    if (isLocked(stored, now)) return { allowed: false, justLocked: false };
    const { budget, justLocked } = afterAttempt(stored, now, policy);
    try {
      await table.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...key(sub, itemKinds.failureBudget),
            ...budget,
            version: (stored?.version ?? 0) + 1,
            [mfaTableKeys.timeToLive]: Math.max(budget.windowStart + policy.windowSeconds, budget.lockedUntil ?? 0),
          },
          ConditionExpression: stored ? '#version = :expected' : 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: stored ? { '#version': 'version' } : { '#pk': mfaTableKeys.partitionKey },
          ...(stored && { ExpressionAttributeValues: { ':expected': stored.version } }),
        }),
      );
      return { allowed: true, justLocked };
    } catch (error) {
      // Another answer for this user was charged meanwhile: read again and retry.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
  throw new Error('failure budget: too much contention on one user');
}

export async function clearFailures(tableName: string, sub: string): Promise<void> {
  await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, itemKinds.failureBudget) }));
}
