import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/verify-email.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const { code } = JSON.parse(event.body ?? '{}') as { code: string };
  const TableName = process.env.MFA_TABLE_NAME;
  const [, user, pending] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: event.headers.Authorization ?? '' })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
    table.send(new GetCommand({ TableName, Key: { pk: claims.sub, sk: 'code' }, ConsistentRead: true })),
  ]);
  const address = String(pending.Item?.address);
  const email = user.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? '';
  // Every answer is charged to the failure budget before it is compared.
  const Key = { pk: claims.sub, sk: 'budget' };
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
    }
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const { Item: budget } = await table.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    if (budget) return { statusCode: 429, body: '' };
    await table.send(
      new PutCommand({
        TableName,
        Item: { ...Key, failures: 1 },
        ConditionExpression: 'attribute_not_exists(#pk)',
        ExpressionAttributeNames: { '#pk': 'pk' },
      }),
    );
  }
  if (pending.Item?.code !== code) return { statusCode: 400, body: '' };
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: process.env.USER_POOL_ID,
      Username: claims.username,
      UserAttributes: [{ Name: 'custom:email_mfa', Value: address }],
    }),
  );
  await Promise.all([
    table.send(new DeleteCommand({ TableName, Key: { pk: claims.sub, sk: 'code' } })),
    table.send(new DeleteCommand({ TableName, Key: { pk: claims.sub, sk: 'budget' } })),
  ]);
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [address || email] },
      Message: { Subject: { Data: 'Email MFA' }, Body: { Text: { Data: 'enrolled' } } },
    }),
  );
  return { statusCode: 204, body: '' };
};
