import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/confirm-sign-in.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { session, challengeResponse } = JSON.parse(event.body ?? '{}') as { session: string; challengeResponse: string };
  const client = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: process.env.USER_POOL_ID, ClientId: process.env.SERVER_CLIENT_ID }),
  );
  const verified = await cognito.send(new VerifySoftwareTokenCommand({ Session: session, UserCode: challengeResponse }));
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      ChallengeName: 'MFA_SETUP',
      Session: verified.Session,
      ChallengeResponses: { SECRET_HASH: client.UserPoolClient?.ClientSecret ?? '' },
    }),
  );
  const setup = await cognito.send(new AssociateSoftwareTokenCommand({ Session: answer.Session }));
  return { statusCode: 200, body: JSON.stringify({ answer, setup }) };
};
