import {
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/set-up-totp.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const accessToken = event.headers.Authorization ?? '';
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  const token = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  return { statusCode: 200, body: JSON.stringify({ sharedSecret: token.SecretCode, username: user.Username }) };
};
