import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/generate-recovery-codes.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const user = await cognito.send(new GetUserCommand({ AccessToken: event.headers.Authorization ?? '' }));
  const email = user.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? '';
  await table.send(
    new PutCommand({ TableName: process.env.MFA_TABLE_NAME, Item: { pk: claims.sub, sk: 'codes', codes: ['hash'], usedAt: {} } }),
  );
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [email] },
      Message: { Subject: { Data: 'Notice' }, Body: { Text: { Data: 'New codes' } } },
    }),
  );
  return { statusCode: 200, body: JSON.stringify({ codes: ['code'] }) };
};
