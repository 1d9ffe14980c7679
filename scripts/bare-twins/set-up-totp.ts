import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/set-up-totp.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const accessToken = event.headers.Authorization ?? '';
  const [token, user] = await Promise.all([
    cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken })),
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
  ]);
  return { statusCode: 200, body: JSON.stringify({ sharedSecret: token.SecretCode, username: user.Username }) };
};
