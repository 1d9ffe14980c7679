import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CreateAuthChallengeTriggerEvent } from 'aws-lambda';

/** Bare twin of lambda/triggers/create-auth-challenge.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: CreateAuthChallengeTriggerEvent): Promise<CreateAuthChallengeTriggerEvent> => {
  const key = { pk: event.request.userAttributes.sub, sk: 'code' };
  const [{ Item }, budget] = await Promise.all([
    table.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: key, ConsistentRead: true })),
    table.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { ...key, sk: 'budget' }, ConsistentRead: true })),
  ]);
  if (budget.Item) {
    event.response.privateChallengeParameters = { kind: 'LOCKED' };
    return event;
  }
  const code = String(Item?.code ?? '123456');
  if (!Item) {
    await table.send(new PutCommand({ TableName: process.env.TABLE_NAME, Item: { ...key, code } }));
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
