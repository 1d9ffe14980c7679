import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isLocked, type FailureBudget, type FailureBudgetPolicy } from '../core/failure-budget';
import { itemKinds, mfaTableKeys, userPartition } from '../core/mfa-table';
import type { HashedCode } from '../core/one-time-code';

/** The table behind email MFA: pending codes and the per-user failure budget. */
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

async function loadBudget(tableName: string, sub: string): Promise<FailureBudget | undefined> {
  const { Item } = await table.send(
    new GetCommand({ TableName: tableName, Key: key(sub, itemKinds.failureBudget), ConsistentRead: true }),
  );
  return Item as FailureBudget | undefined;
}

export async function emailMfaLocked(tableName: string, sub: string, now: number): Promise<boolean> {
  return isLocked(await loadBudget(tableName, sub), now);
}

/**
 * Charges one answer to the user's failure budget before it is checked, in
 * single conditional writes so that answers racing each other are counted
 * exactly: at most `maxFailures` answers get through per window, and exactly one
 * of them locks. `allowed` is false when the answer must be refused unseen
 * (locked, or the window's budget is spent); `justLocked` when this answer used
 * up the budget, so the user is told once. A right answer is then followed by
 * clearFailures.
 */
export async function chargeAttempt(
  tableName: string,
  sub: string,
  now: number,
  policy: FailureBudgetPolicy,
): Promise<{ allowed: boolean; justLocked: boolean }> {
  const budgetKey = key(sub, itemKinds.failureBudget);
  const windowFloor = now - policy.windowSeconds;
  const conditionFailed = (error: unknown) => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  };
  for (let round = 0; round < 3; round += 1) {
    // Count the answer in the open window, if there is one with budget left and no lock.
    try {
      const { Attributes } = await table.send(
        new UpdateCommand({
          TableName: tableName,
          Key: budgetKey,
          UpdateExpression: 'ADD failures :one',
          ConditionExpression:
            'windowStart > :windowFloor AND failures < :max AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
          ExpressionAttributeValues: { ':one': 1, ':windowFloor': windowFloor, ':max': policy.maxFailures, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const failures = Number((Attributes as FailureBudget | undefined)?.failures);
      return { allowed: true, justLocked: failures >= policy.maxFailures && (await lock(tableName, sub, now, policy)) };
    } catch (error) {
      conditionFailed(error);
    }
    const stored = await loadBudget(tableName, sub);
    const windowOpen = stored !== undefined && stored.windowStart > windowFloor;
    if (isLocked(stored, now) || (windowOpen && stored.failures >= policy.maxFailures)) {
      return { allowed: false, justLocked: false };
    }
    // No open window: this answer opens one, unless another answer just did.
    try {
      await table.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...budgetKey, failures: 1, windowStart: now, [mfaTableKeys.timeToLive]: now + policy.windowSeconds },
          ConditionExpression:
            'attribute_not_exists(#pk) OR (windowStart <= :windowFloor AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now))',
          ExpressionAttributeNames: { '#pk': mfaTableKeys.partitionKey },
          ExpressionAttributeValues: { ':windowFloor': windowFloor, ':now': now },
        }),
      );
      return { allowed: true, justLocked: policy.maxFailures <= 1 && (await lock(tableName, sub, now, policy)) };
    } catch (error) {
      conditionFailed(error);
    }
  }
  throw new Error('failure budget: too much contention on one user');
}

/** Locks email MFA; true for the one caller that actually set the lock. The next window starts when it ends. */
async function lock(tableName: string, sub: string, now: number, policy: FailureBudgetPolicy): Promise<boolean> {
  const until = now + policy.lockSeconds;
  try {
    await table.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(sub, itemKinds.failureBudget),
        UpdateExpression: 'SET lockedUntil = :until, failures = :zero, windowStart = :until, #ttl = :expires',
        ConditionExpression: 'attribute_not_exists(lockedUntil) OR lockedUntil <= :now',
        ExpressionAttributeNames: { '#ttl': mfaTableKeys.timeToLive },
        ExpressionAttributeValues: { ':until': until, ':zero': 0, ':now': now, ':expires': until + policy.windowSeconds },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

export async function clearFailures(tableName: string, sub: string): Promise<void> {
  await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, itemKinds.failureBudget) }));
}
