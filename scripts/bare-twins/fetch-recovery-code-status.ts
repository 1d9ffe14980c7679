import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/fetch-recovery-code-status.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const [, { Item }] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: event.headers.Authorization ?? '' })),
    table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: { pk: claims.sub, sk: 'codes' }, ConsistentRead: true })),
  ]);
  return { statusCode: 200, body: JSON.stringify({ remaining: Item ? 10 : 0 }) };
};
