import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isLocked, maxConsecutiveFailures, nextLockSeconds, type FailureBudget, type FailureBudgetPolicy } from '../core/failure-budget';
import { itemKinds, mfaTableKeys, signInProofKind, userPartition } from '../../contract/mfa-table';
import type { HashedCode } from '../core/one-time-code';
import { logger } from '../core/logger';
import { conditionally, mfaTable as table } from './mfa-table-client';

/** The table behind email MFA: pending codes, the per-user failure budget and sign-in proofs. */

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

/** Saves a code in place of the user's earlier one of that kind, and returns the one it replaced, read in the same write. */
export async function savePendingCode(tableName: string, sub: string, kind: Kind, code: PendingCode): Promise<PendingCode | undefined> {
  const { Attributes } = await table.send(
    new PutCommand({ TableName: tableName, Item: { ...key(sub, kind), ...code }, ReturnValues: 'ALL_OLD' }),
  );
  return Attributes as PendingCode | undefined;
}

export async function loadPendingCode(tableName: string, sub: string, kind: Kind): Promise<PendingCode | undefined> {
  const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: key(sub, kind), ConsistentRead: true }));
  return Item as PendingCode | undefined;
}

export async function deletePendingCode(tableName: string, sub: string, kind: Kind): Promise<void> {
  await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, kind) }));
}

async function loadBudget(tableName: string, sub: string): Promise<FailureBudget | undefined> {
  const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: key(sub, itemKinds.failureBudget), ConsistentRead: true }));
  return Item as FailureBudget | undefined;
}

/** Epoch seconds at which the user's email MFA lock ends, or undefined when it is not locked. */
export async function emailMfaLockEnd(tableName: string, sub: string, now: number): Promise<number | undefined> {
  const budget = await loadBudget(tableName, sub);
  return isLocked(budget, now) ? budget?.lockedUntil : undefined;
}

export async function emailMfaLocked(tableName: string, sub: string, now: number): Promise<boolean> {
  return isLocked(await loadBudget(tableName, sub), now);
}

/** What charging an answer decided. */
export interface Charge {
  /** False: refuse the answer unseen (locked, or the window's budget is spent). */
  readonly allowed: boolean;
  /** This answer used up the budget and set a lock: tell the user, once. */
  readonly justLocked: boolean;
  /** The lock's length; undefined when it lasts until an administrator clears the budget. */
  readonly lockSeconds?: number;
}

/** Far enough to mean "until an administrator deletes the budget item". */
const indefinitely = 10 * 365 * 24 * 60 * 60;
/** How long a budget (its consecutive failures and locks) is kept after the last charged answer. */
const budgetMemorySeconds = 30 * 24 * 60 * 60;

/**
 * Charges one answer to the user's failure budget before it is checked, in
 * single conditional writes so that answers racing each other are counted
 * exactly: at most `maxFailures` answers get through per window, and exactly one
 * of them locks. A right answer is then followed by clearFailures.
 */
export async function chargeAttempt(tableName: string, sub: string, now: number, policy: FailureBudgetPolicy): Promise<Charge> {
  const budgetKey = key(sub, itemKinds.failureBudget);
  const windowFloor = now - policy.windowSeconds;
  const charged = async (update: UpdateCommand) => {
    try {
      return (await table.send(update)).Attributes as FailureBudget;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  };
  for (let round = 0; round < 3; round += 1) {
    // Count the answer in the open window, if there is one with budget left and no lock;
    // else open a new window with it, unless another answer just did.
    const budget =
      (await charged(
        new UpdateCommand({
          TableName: tableName,
          Key: budgetKey,
          UpdateExpression: 'SET #ttl = :expires ADD failures :one, consecutive :one',
          ConditionExpression:
            'windowStart > :windowFloor AND failures < :max AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
          ExpressionAttributeNames: { '#ttl': mfaTableKeys.timeToLive },
          ExpressionAttributeValues: {
            ':one': 1,
            ':windowFloor': windowFloor,
            ':max': policy.maxFailures,
            ':now': now,
            ':expires': now + budgetMemorySeconds,
          },
          ReturnValues: 'ALL_NEW',
        }),
      )) ??
      (await charged(
        new UpdateCommand({
          TableName: tableName,
          Key: budgetKey,
          UpdateExpression: 'SET failures = :one, windowStart = :now, #ttl = :expires ADD consecutive :one',
          ConditionExpression:
            'attribute_not_exists(#pk) OR (windowStart <= :windowFloor AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now))',
          ExpressionAttributeNames: { '#pk': mfaTableKeys.partitionKey, '#ttl': mfaTableKeys.timeToLive },
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':windowFloor': windowFloor, ':expires': now + budgetMemorySeconds },
          ReturnValues: 'ALL_NEW',
        }),
      ));
    if (budget) {
      const consecutive = budget.consecutive ?? 0;
      if (budget.failures < policy.maxFailures && consecutive < maxConsecutiveFailures) return { allowed: true, justLocked: false };
      const lockSeconds = nextLockSeconds(policy, budget.lockCount ?? 0, consecutive);
      const justLocked = await lock(tableName, sub, now, lockSeconds ?? indefinitely);
      return { allowed: true, justLocked, lockSeconds };
    }
    const stored = await loadBudget(tableName, sub);
    const windowOpen = stored !== undefined && stored.windowStart > windowFloor;
    if (isLocked(stored, now) || (windowOpen && stored.failures >= policy.maxFailures)) {
      return { allowed: false, justLocked: false };
    }
  }
  // Answers racing this hard on one user are an attack or a broken client: refuse this one
  // uncharged, as a clear "wrong" rather than an error Cognito would surface as a 500.
  logger.warn('failure budget: answer refused under contention', { sub });
  return { allowed: false, justLocked: false };
}

/** Locks email MFA; true for the one caller that actually set the lock. The next window starts when it ends. */
async function lock(tableName: string, sub: string, now: number, seconds: number): Promise<boolean> {
  const until = now + seconds;
  return conditionally(() =>
    table.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(sub, itemKinds.failureBudget),
        UpdateExpression: 'SET lockedUntil = :until, failures = :zero, windowStart = :until, #ttl = :expires ADD lockCount :one',
        ConditionExpression: 'attribute_not_exists(lockedUntil) OR lockedUntil <= :now',
        ExpressionAttributeNames: { '#ttl': mfaTableKeys.timeToLive },
        ExpressionAttributeValues: { ':until': until, ':zero': 0, ':one': 1, ':now': now, ':expires': until + budgetMemorySeconds },
      }),
    ),
  );
}

export async function clearFailures(tableName: string, sub: string): Promise<void> {
  await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, itemKinds.failureBudget) }));
}

// ---- Sign-in proofs: the email code answered, from Define Auth Challenge to Pre Token Generation ----

const proofKey = (sub: string, clientId: string) => ({
  [mfaTableKeys.partitionKey]: userPartition(sub),
  [mfaTableKeys.sortKey]: signInProofKind(clientId),
});

/**
 * Records that a sign-in of this user on this app client answered the email code,
 * for `lifetimeSeconds` (also the item's TTL; DynamoDB deletes late, so the
 * consumer checks the expiry itself). Conditional: a live proof is never
 * overwritten, so one right code never stands for two token issues. False when
 * a live proof already exists (another sign-in on the same client answered in
 * the same moment, and its tokens will take that proof).
 */
export async function recordSignInProof(
  tableName: string,
  sub: string,
  clientId: string,
  now: number,
  lifetimeSeconds: number,
): Promise<boolean> {
  return conditionally(() =>
    table.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...proofKey(sub, clientId), [mfaTableKeys.timeToLive]: now + lifetimeSeconds },
        ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :now',
        ExpressionAttributeNames: { '#pk': mfaTableKeys.partitionKey, '#ttl': mfaTableKeys.timeToLive },
        ExpressionAttributeValues: { ':now': now },
      }),
    ),
  );
}

/**
 * Takes the proof, once: a conditional delete that only succeeds on a live item,
 * so of two token issues racing for one proof exactly one gets it. False when
 * there is none, or only an expired one.
 */
export async function consumeSignInProof(tableName: string, sub: string, clientId: string, now: number): Promise<boolean> {
  return conditionally(() =>
    table.send(
      new DeleteCommand({
        TableName: tableName,
        Key: proofKey(sub, clientId),
        ConditionExpression: 'attribute_exists(#pk) AND #ttl > :now',
        ExpressionAttributeNames: { '#pk': mfaTableKeys.partitionKey, '#ttl': mfaTableKeys.timeToLive },
        ExpressionAttributeValues: { ':now': now },
      }),
    ),
  );
}
