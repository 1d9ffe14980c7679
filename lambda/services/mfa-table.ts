import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isLocked, maxConsecutiveFailures, nextLockSeconds, type FailureBudget, type FailureBudgetPolicy } from '../core/failure-budget';
import { itemKinds, mfaTableKeys, recoveryItemKinds, signInProofKind, userPartition } from '../../contract/mfa-table';
import type { HashedCode } from '../core/one-time-code';
import {
  decideRedemption,
  findUnusedRecoveryCode,
  recoveryFailureBudget,
  remainingRecoveryCodes,
  type RecoveryCodeSet,
  type RedemptionDecision,
} from '../core/recovery-codes';
import { logger } from '../core/logger';
import { conditionally, mfaTable as table, takeLiveItem } from './mfa-table-client';

/** The table behind email MFA and recovery codes: pending codes, the per-user failure budgets, sign-in proofs and recovery code sets. */

type Kind = (typeof itemKinds)[keyof typeof itemKinds];
/** The item a failure budget is counted in: the email codes' or the recovery codes'. */
type BudgetKind = typeof itemKinds.failureBudget | typeof recoveryItemKinds.failureBudget;

export interface PendingCode extends HashedCode {
  /** Epoch seconds after which the code is refused. */
  readonly expiresAt: number;
  /** Ties a sign-in code to one sign-in, so a retry in it reuses the code and another sign-in cannot. */
  readonly nonce?: string;
  /** The address an enrolment code was sent to. */
  readonly address?: string;
}

const key = (sub: string, kind: Kind | BudgetKind) => ({
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

async function loadBudget(tableName: string, sub: string, kind: BudgetKind = itemKinds.failureBudget): Promise<FailureBudget | undefined> {
  const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: key(sub, kind), ConsistentRead: true }));
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
  return charge(tableName, sub, itemKinds.failureBudget, now, policy);
}

async function charge(tableName: string, sub: string, kind: BudgetKind, now: number, policy: FailureBudgetPolicy): Promise<Charge> {
  const budgetKey = key(sub, kind);
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
      const justLocked = await lock(tableName, budgetKey, now, lockSeconds ?? indefinitely);
      return { allowed: true, justLocked, lockSeconds };
    }
    const stored = await loadBudget(tableName, sub, kind);
    const windowOpen = stored !== undefined && stored.windowStart > windowFloor;
    if (isLocked(stored, now) || (windowOpen && stored.failures >= policy.maxFailures)) {
      return { allowed: false, justLocked: false };
    }
  }
  // Answers racing this hard on one user are an attack or a broken client: refuse this one
  // uncharged, as a clear "wrong" rather than an error Cognito would surface as a 500.
  logger.warn('failure budget: answer refused under contention', { sub, budget: kind });
  return { allowed: false, justLocked: false };
}

/** Locks the budget; true for the one caller that actually set the lock. The next window starts when it ends. */
async function lock(tableName: string, budgetKey: ReturnType<typeof key>, now: number, seconds: number): Promise<boolean> {
  const until = now + seconds;
  return conditionally(() =>
    table.send(
      new UpdateCommand({
        TableName: tableName,
        Key: budgetKey,
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
  return takeLiveItem(tableName, proofKey(sub, clientId), now);
}

// ---- Recovery codes: one set per user, replaced whole, each code used once ----

const codeSetKey = (sub: string) => ({
  [mfaTableKeys.partitionKey]: userPartition(sub),
  [mfaTableKeys.sortKey]: recoveryItemKinds.codeSet,
});

/**
 * Stores a new set in place of the user's old one, in one PutItem: DynamoDB
 * replaces an item whole, so no moment exists in which codes of both sets, or of
 * neither, are stored; and a redemption of an old code racing it fails its
 * condition on the old set's id.
 */
export async function saveRecoveryCodes(tableName: string, sub: string, set: RecoveryCodeSet): Promise<void> {
  await table.send(new PutCommand({ TableName: tableName, Item: { ...codeSetKey(sub), ...set } }));
}

/** The stored item as a set: without its key. */
function codeSetOf(item: Record<string, unknown> | undefined): RecoveryCodeSet | undefined {
  if (!item) return undefined;
  const { [mfaTableKeys.partitionKey]: _pk, [mfaTableKeys.sortKey]: _sk, ...set } = item;
  return set as unknown as RecoveryCodeSet;
}

export async function loadRecoveryCodes(tableName: string, sub: string): Promise<RecoveryCodeSet | undefined> {
  const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: codeSetKey(sub), ConsistentRead: true }));
  return codeSetOf(Item);
}

/**
 * Marks one code of one set used: a single conditional UpdateItem that succeeds
 * only while that set is still stored, the code at that index is the one matched
 * and it has no use recorded. Of any number of requests racing for one code,
 * exactly one write succeeds and gets the set as it now is; the others get
 * undefined.
 */
export async function markRecoveryCodeUsed(
  tableName: string,
  sub: string,
  set: Pick<RecoveryCodeSet, 'setId' | 'codes'>,
  code: number,
  now: number,
): Promise<RecoveryCodeSet | undefined> {
  const stored = set.codes[code];
  if (!stored || !Number.isInteger(code)) return undefined;
  try {
    const { Attributes } = await table.send(
      new UpdateCommand({
        TableName: tableName,
        Key: codeSetKey(sub),
        UpdateExpression: 'SET usedAt.#code = :now',
        // The index is a checked integer: list indexes cannot be expression values.
        ConditionExpression: `setId = :setId AND codes[${code}].#hash = :hash AND attribute_not_exists(usedAt.#code)`,
        ExpressionAttributeNames: { '#code': String(code), '#hash': 'hash' },
        ExpressionAttributeValues: { ':now': now, ':setId': set.setId, ':hash': stored.hash },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return codeSetOf(Attributes);
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** What a redemption did. `reason` is for the caller's log line and notices; its answer to the client must not vary with it. */
export type Redemption =
  | { readonly redeemed: true; readonly remaining: number }
  | {
      readonly redeemed: false;
      readonly reason: (RedemptionDecision & { action: 'REFUSE' })['reason'] | 'used by a concurrent request';
      /** This attempt used up the budget and set its lock: tell the user, once. */
      readonly justLocked: boolean;
      readonly lockSeconds?: number;
    };

/**
 * Uses one recovery code of the user's, once. Every attempt is charged to the
 * recovery failure budget before the code is looked at, so a locked budget
 * refuses even a right code; the code is then taken in one conditional write
 * (markRecoveryCodeUsed). A right code clears the budget.
 */
export async function consumeRecoveryCode(
  tableName: string,
  sub: string,
  code: string,
  now: number,
  policy: FailureBudgetPolicy = recoveryFailureBudget,
): Promise<Redemption> {
  const [set, charged] = await Promise.all([
    loadRecoveryCodes(tableName, sub),
    charge(tableName, sub, recoveryItemKinds.failureBudget, now, policy),
  ]);
  const decision = decideRedemption({
    issued: set !== undefined,
    budgetAllowed: charged.allowed,
    matchingCode: set && charged.allowed ? await findUnusedRecoveryCode(code, set) : undefined,
  });
  const refused = { redeemed: false, justLocked: charged.justLocked, lockSeconds: charged.lockSeconds } as const;
  if (decision.action === 'REFUSE') return { ...refused, reason: decision.reason };
  // decideRedemption consumes only from an issued set.
  if (!set) return { ...refused, reason: 'no set issued' };
  const updated = await markRecoveryCodeUsed(tableName, sub, set, decision.code, now);
  if (!updated) return { ...refused, reason: 'used by a concurrent request' };
  await clearRecoveryFailures(tableName, sub);
  return { redeemed: true, remaining: remainingRecoveryCodes(updated) };
}

export async function clearRecoveryFailures(tableName: string, sub: string): Promise<void> {
  await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, recoveryItemKinds.failureBudget) }));
}
