import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/create-auth-challenge.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
  const key = { pk: event.request.userAttributes.sub, sk: 'code' };
  const [{ Item }, budget] = await Promise.all([
    table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: key, ConsistentRead: true })),
    table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: { ...key, sk: 'budget' }, ConsistentRead: true })),
  ]);
  if (budget.Item) {
    event.response.privateChallengeParameters = { kind: 'LOCKED' };
    return event;
  }
  const code = String(Item?.code ?? '123456');
  if (!Item) {
    // The send cap's log, then the code, then the charge for the code it replaced.
    const capKey = { pk: key.pk, sk: 'sends' };
    const { Item: log } = await table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: capKey, ConsistentRead: true }));
    await table.send(
      new PutCommand({
        TableName: process.env.MFA_TABLE_NAME,
        Item: { ...capKey, version: Number(log?.version ?? 0) + 1 },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    const { Attributes: replaced } = await table.send(
      new PutCommand({ TableName: process.env.MFA_TABLE_NAME, Item: { ...key, code }, ReturnValues: 'ALL_OLD' }),
    );
    if (replaced) {
      await table.send(
        new UpdateCommand({
          TableName: process.env.MFA_TABLE_NAME,
          Key: { pk: key.pk, sk: 'budget' },
          UpdateExpression: 'ADD failures :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    }
    await ses.send(
      new SendEmailCommand({
        Source: process.env.EMAIL_FROM,
        Destination: { ToAddresses: [event.request.userAttributes.email ?? ''] },
        Message: { Subject: { Data: 'Code' }, Body: { Text: { Data: code } } },
      }),
    );
  }
  event.response.publicChallengeParameters = { deliveryMedium: 'EMAIL' };
  event.response.privateChallengeParameters = { code };
  return event;
};
