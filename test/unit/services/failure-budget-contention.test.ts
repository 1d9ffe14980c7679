import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { chargeAttempt } from '../../../lambda/services/mfa-table';
import { capturedLogLines } from '../../support/log-capture';

/**
 * Answers racing so hard on one user that every conditional write loses, round
 * after round, which dynalite cannot be made to do on purpose. The mock stands
 * for DynamoDB refusing an UpdateItem whose condition fails
 * (ConditionalCheckFailedException,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html#API_UpdateItem_Errors)
 * while GetItem keeps showing an open window with budget left, as when other
 * answers win each round.
 */
const table = mockClient(DynamoDBDocumentClient);
const policy = { maxFailures: 10, windowSeconds: 900, lockSeconds: 900 };

test('an answer that loses every round is refused uncharged, not thrown (which a trigger would turn into a 500)', async () => {
  table
    .on(UpdateCommand)
    .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }))
    .on(GetCommand)
    .resolves({ Item: { failures: 3, windowStart: 1000, consecutive: 3 } });
  await expect(chargeAttempt('budget-table', 'sub-contended', 1100, policy)).resolves.toEqual({ allowed: false, justLocked: false });
  expect(table.commandCalls(UpdateCommand).length).toBeGreaterThanOrEqual(2);
  expect(capturedLogLines.some((line) => line.includes('answer refused under contention'))).toBe(true);
});
