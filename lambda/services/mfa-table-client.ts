import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mfaTableKeys } from '../../contract/mfa-table';

/**
 * The one client of the MFA table, shared by its modules (mfa-table.ts, send-caps.ts), so that a
 * function using both sets up one client and one connection pool at init, not two.
 */
export const mfaTable = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Sends a conditional write: false when its condition failed, which callers expect under races. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Takes a short-lived, single-use item (a sign-in proof, a recovery ticket): one conditional
 * delete that succeeds only on a live item, so of two requests racing for it exactly one gets
 * it. False when there is none, or only an expired one that the table's time to live has not
 * removed yet.
 */
export function takeLiveItem(tableName: string, key: Record<string, string>, now: number): Promise<boolean> {
  return conditionally(() =>
    mfaTable.send(
      new DeleteCommand({
        TableName: tableName,
        Key: key,
        ConditionExpression: 'attribute_exists(#pk) AND #ttl > :now',
        ExpressionAttributeNames: { '#pk': mfaTableKeys.partitionKey, '#ttl': mfaTableKeys.timeToLive },
        ExpressionAttributeValues: { ':now': now },
      }),
    ),
  );
}
