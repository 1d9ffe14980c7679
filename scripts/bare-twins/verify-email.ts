import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/verify-email.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESv2Client({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const { code } = JSON.parse(event.body ?? '{}') as { code: string };
  const TableName = process.env.TABLE_NAME;
  const [user, pending, budget] = await Promise.all([
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
    table.send(new GetCommand({ TableName, Key: { pk: claims.sub, sk: 'code' }, ConsistentRead: true })),
    table.send(new GetCommand({ TableName, Key: { pk: claims.sub, sk: 'budget' }, ConsistentRead: true })),
  ]);
  const address = String(pending.Item?.address);
  const email = user.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? '';
  if (pending.Item?.code !== code) {
    try {
      await table.send(
        new PutCommand({
          TableName,
          Item: { pk: claims.sub, sk: 'budget', failures: Number(budget.Item?.failures ?? 0) + 1 },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': 'pk' },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return { statusCode: 400, body: '' };
  }
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
      FromEmailAddress: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [address || email] },
      Content: { Simple: { Subject: { Data: 'Email MFA' }, Body: { Text: { Data: 'enrolled' } } } },
    }),
  );
  return { statusCode: 204, body: '' };
};
