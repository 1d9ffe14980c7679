import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendEmailCommand, SESClient } from '@aws-sdk/client-ses';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/recover.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { username, recoveryCode } = JSON.parse(event.body ?? '{}') as { username: string; recoveryCode: string };
  const TableName = process.env.MFA_TABLE_NAME;
  const Key = { pk: username, sk: 'RECOVERY_CODE_SET' };
  const client = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: process.env.USER_POOL_ID, ClientId: process.env.SERVER_CLIENT_ID }),
  );
  const secret = client.UserPoolClient?.ClientSecret ?? '';
  const challenge = await cognito.send(
    new InitiateAuthCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: username, SECRET_HASH: secret },
    }),
  );
  const checked = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: challenge.Session,
      ChallengeResponses: challenge.ChallengeParameters,
    }),
  );
  if (checked.AuthenticationResult?.RefreshToken) {
    await cognito.send(
      new RevokeTokenCommand({
        ClientId: process.env.SERVER_CLIENT_ID,
        ClientSecret: secret,
        Token: checked.AuthenticationResult.RefreshToken,
      }),
    );
  }
  const set = await table.send(new GetCommand({ TableName, Key }));
  await table.send(
    new UpdateCommand({
      TableName,
      Key,
      UpdateExpression: 'SET usedAt.#c = :now',
      ExpressionAttributeNames: { '#c': recoveryCode },
      ExpressionAttributeValues: { ':now': 1 },
    }),
  );
  await table.send(new DeleteCommand({ TableName, Key }));
  await table.send(new PutCommand({ TableName, Item: { ...Key, set: set.Item } }));
  const recovery = await cognito.send(
    new InitiateAuthCommand({ ClientId: process.env.SERVER_CLIENT_ID, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: username } }),
  );
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: recovery.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: recoveryCode },
    }),
  );
  const user = await cognito.send(new GetUserCommand({ AccessToken: answer.AuthenticationResult?.AccessToken }));
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [user.Username ?? ''] },
      Message: { Subject: { Data: 'Recovery' }, Body: { Text: { Data: 'Recovery' } } },
    }),
  );
  return { statusCode: 200, body: JSON.stringify(answer) };
};
