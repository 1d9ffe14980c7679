import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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
