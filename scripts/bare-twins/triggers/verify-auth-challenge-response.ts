import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/verify-auth-challenge-response.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESv2Client({});

export const handler = async (
  event: VerifyAuthChallengeResponseTriggerEvent,
): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
  const TableName = process.env.TABLE_NAME;
  const pk = event.request.userAttributes.sub;
  const { Item: budget } = await table.send(new GetCommand({ TableName, Key: { pk, sk: 'budget' }, ConsistentRead: true }));
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.code;
  if (event.response.answerCorrect) {
    await Promise.all([
      table.send(new DeleteCommand({ TableName, Key: { pk, sk: 'budget' } })),
      table.send(new DeleteCommand({ TableName, Key: { pk, sk: 'code' } })),
    ]);
    return event;
  }
  try {
    await table.send(
      new PutCommand({
        TableName,
        Item: { pk, sk: 'budget', failures: Number(budget?.failures ?? 0) + 1 },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [event.request.userAttributes.email ?? ''] },
      Content: { Simple: { Subject: { Data: 'Locked' }, Body: { Text: { Data: 'locked' } } } },
    }),
  );
  return event;
};
