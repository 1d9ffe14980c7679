import { AdminGetUserCommand, CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/set-up-email.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: event.headers.Authorization ?? '' })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  const email = user.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? '';
  const { Item: budget } = await table.send(
    new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: { pk: claims.sub, sk: 'budget' }, ConsistentRead: true }),
  );
  if (budget) return { statusCode: 429, body: '' };
  await table.send(
    new PutCommand({ TableName: process.env.MFA_TABLE_NAME, Item: { pk: claims.sub, sk: 'code', code: '123456', address: email } }),
  );
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [email] },
      Message: { Subject: { Data: 'Code' }, Body: { Text: { Data: '123456' } } },
    }),
  );
  return { statusCode: 200, body: JSON.stringify({ codeDeliveryDetails: { destination: email } }) };
};
