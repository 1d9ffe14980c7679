import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mfaTableKeys, recoveryTicketKind, userPartition } from '../../contract/mfa-table';
import { mfaTable as table, takeLiveItem } from './mfa-table-client';

/**
 * One item per ticket, keyed by its hash under the user: recoveries running at once (each with
 * its own code) each keep their own ticket, where one item per user would let the later one
 * void the earlier, whose code was already spent.
 */
const ticketKey = (sub: string, hash: string) => ({
  [mfaTableKeys.partitionKey]: userPartition(sub),
  [mfaTableKeys.sortKey]: `${recoveryTicketKind}#${hash}`,
});

export async function saveRecoveryTicket(tableName: string, sub: string, hash: string, expiresAt: number): Promise<void> {
  await table.send(new PutCommand({ TableName: tableName, Item: { ...ticketKey(sub, hash), [mfaTableKeys.timeToLive]: expiresAt } }));
}

/** Takes the user's ticket with this hash, once, while it is live (takeLiveItem). */
export async function takeRecoveryTicket(tableName: string, sub: string, hash: string, now: number): Promise<boolean> {
  return takeLiveItem(tableName, ticketKey(sub, hash), now);
}
