import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/verify-auth-challenge-response.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: VerifyAuthChallengeResponseTriggerEvent): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
  const TableName = process.env.MFA_TABLE_NAME;
  const Key = { pk: event.request.userAttributes.sub, sk: 'budget' };
  // Every answer is charged to the failure budget before it is compared.
  let locked = false;
  try {
    const { Attributes } = await table.send(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression: 'ADD failures :one',
        ConditionExpression: 'failures < :max',
        ExpressionAttributeValues: { ':one': 1, ':max': 10 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    if (Number(Attributes?.failures) >= 10) {
      await table.send(
        new UpdateCommand({ TableName, Key, UpdateExpression: 'SET lockedUntil = :until', ExpressionAttributeValues: { ':until': 1 } }),
      );
      locked = true;
    }
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const { Item: budget } = await table.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    if (budget) {
      event.response.answerCorrect = false;
      return event;
    }
    await table.send(
      new PutCommand({
        TableName,
        Item: { ...Key, failures: 1 },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
      }),
    );
  }
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.code;
  if (event.response.answerCorrect) {
    await Promise.all([
      table.send(new DeleteCommand({ TableName, Key })),
      table.send(new DeleteCommand({ TableName, Key: { ...Key, sk: 'code' } })),
    ]);
    return event;
  }
  if (!locked) return event;
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [event.request.userAttributes.email ?? ''] },
      Message: { Subject: { Data: 'Locked' }, Body: { Text: { Data: 'locked' } } },
    }),
  );
  return event;
};
