import { DeleteCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { itemKinds, mfaTableKeys, recoveryItemKinds, recoveryTicketKind, userPartition } from '../../contract/mfa-table';
import type { FailureBudget } from '../../lambda/core/failure-budget';
import type { RecoveryCodeSet } from '../../lambda/core/recovery-codes';

/**
 * The user's items in the MFA table that the tools read or remove, by the
 * contract's keys (contract/mfa-table.ts), the same the functions write them under.
 */
export const budgetKinds = {
  emailCodes: itemKinds.failureBudget,
  recovery: recoveryItemKinds.failureBudget,
} as const;

export type BudgetName = keyof typeof budgetKinds;

type ItemKind = (typeof budgetKinds)[BudgetName] | typeof recoveryItemKinds.codeSet | `${typeof recoveryTicketKind}#${string}`;

const key = (sub: string, kind: ItemKind) => ({ [mfaTableKeys.partitionKey]: userPartition(sub), [mfaTableKeys.sortKey]: kind });

async function read(table: DynamoDBDocumentClient, tableName: string, sub: string, kind: ItemKind) {
  const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: key(sub, kind), ConsistentRead: true }));
  return Item;
}

export async function readBudget(
  table: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
  budget: BudgetName,
): Promise<FailureBudget | undefined> {
  return (await read(table, tableName, sub, budgetKinds[budget])) as FailureBudget | undefined;
}

export async function readRecoveryCodeSet(
  table: DynamoDBDocumentClient,
  tableName: string,
  sub: string,
): Promise<RecoveryCodeSet | undefined> {
  return (await read(table, tableName, sub, recoveryItemKinds.codeSet)) as RecoveryCodeSet | undefined;
}

/** Deletes one item; true when there was one (DeleteItem's ALL_OLD answer). */
async function remove(table: DynamoDBDocumentClient, tableName: string, sub: string, kind: ItemKind): Promise<boolean> {
  const { Attributes } = await table.send(new DeleteCommand({ TableName: tableName, Key: key(sub, kind), ReturnValues: 'ALL_OLD' }));
  return Attributes !== undefined;
}

/** What the functions do after a right answer (lambda/services/mfa-table.ts, clearFailures): the budget starts afresh. */
export function deleteBudget(table: DynamoDBDocumentClient, tableName: string, sub: string, budget: BudgetName): Promise<boolean> {
  return remove(table, tableName, sub, budgetKinds[budget]);
}

export function deleteRecoveryCodeSet(table: DynamoDBDocumentClient, tableName: string, sub: string): Promise<boolean> {
  return remove(table, tableName, sub, recoveryItemKinds.codeSet);
}

/**
 * A ticket minted before the reset must not sign the user in after it. Tickets are one item
 * each (`RECOVERY_TICKET#<hash>`, lambda/services/recovery-tickets.ts), so they are found by
 * their sort key's prefix; true when there was one.
 */
export async function deleteRecoveryTickets(table: DynamoDBDocumentClient, tableName: string, sub: string): Promise<boolean> {
  const { Items = [] } = await table.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': mfaTableKeys.partitionKey, '#sk': mfaTableKeys.sortKey },
      ExpressionAttributeValues: { ':pk': userPartition(sub), ':prefix': `${recoveryTicketKind}#` },
      ConsistentRead: true,
    }),
  );
  const removed = await Promise.all(Items.map((item) => remove(table, tableName, sub, String(item[mfaTableKeys.sortKey]) as ItemKind)));
  return removed.some(Boolean);
}
