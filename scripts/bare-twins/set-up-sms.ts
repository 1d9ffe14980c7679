import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/set-up-sms.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sns = new SNSClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const accessToken = event.headers.Authorization ?? '';
  const { phoneNumber } = JSON.parse(event.body ?? '{}') as { phoneNumber: string };
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  const key = { pk: claims.sub, sk: 'sms' };
  const { Item: log } = await table.send(new GetCommand({ TableName: process.env.MFA_TABLE_NAME, Key: key, ConsistentRead: true }));
  await table.send(
    new PutCommand({
      TableName: process.env.MFA_TABLE_NAME,
      Item: { ...key, version: Number(log?.version ?? 0) + 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  const oldNumber = user.UserAttributes?.find(({ Name }) => Name === 'phone_number')?.Value;
  if (oldNumber === phoneNumber) {
    const sent = await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'phone_number' }),
    );
    return { statusCode: 200, body: JSON.stringify({ codeDeliveryDetails: sent.CodeDeliveryDetails }) };
  }
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: process.env.USER_POOL_ID,
      Username: claims.username,
      UserAttributes: [{ Name: 'phone_number', Value: phoneNumber }],
    }),
  );
  if (oldNumber) await sns.send(new PublishCommand({ PhoneNumber: oldNumber, Message: 'Your number was changed.' }));
  return { statusCode: 200, body: JSON.stringify({ codeDeliveryDetails: { destination: phoneNumber } }) };
};
