import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/sign-in.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { username } = JSON.parse(event.body ?? '{}') as { username: string };
  const client = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: process.env.USER_POOL_ID, ClientId: process.env.SERVER_CLIENT_ID }),
  );
  const challenge = await cognito.send(
    new InitiateAuthCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: username, SECRET_HASH: client.UserPoolClient?.ClientSecret ?? '' },
    }),
  );
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: challenge.Session,
      ChallengeResponses: challenge.ChallengeParameters,
    }),
  );
  return { statusCode: 200, body: JSON.stringify(answer) };
};
