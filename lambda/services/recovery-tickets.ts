import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mfaTableKeys, recoveryTicketKind, userPartition } from '../../contract/mfa-table';
import { conditionally, mfaTable as table } from './mfa-table-client';

const ticketKey = (sub: string) => ({ [mfaTableKeys.partitionKey]: userPartition(sub), [mfaTableKeys.sortKey]: recoveryTicketKind });

/** Keeps a ticket's hash for the user, replacing any earlier one. */
export async function saveRecoveryTicket(tableName: string, sub: string, hash: string, expiresAt: number): Promise<void> {
  await table.send(new PutCommand({ TableName: tableName, Item: { ...ticketKey(sub), hash, [mfaTableKeys.timeToLive]: expiresAt } }));
}

/**
 * Takes the user's ticket if it is this one and still live: one conditional delete, so of
 * two redemptions racing for one ticket exactly one succeeds, and a wrong guess leaves it.
 */
export async function takeRecoveryTicket(tableName: string, sub: string, hash: string, now: number): Promise<boolean> {
  return conditionally(() =>
    table.send(
      new DeleteCommand({
        TableName: tableName,
        Key: ticketKey(sub),
        ConditionExpression: '#hash = :hash AND #ttl > :now',
        ExpressionAttributeNames: { '#hash': 'hash', '#ttl': mfaTableKeys.timeToLive },
        ExpressionAttributeValues: { ':hash': hash, ':now': now },
      }),
    ),
  );
}
