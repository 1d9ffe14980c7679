import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/refresh.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { refreshToken } = JSON.parse(event.body ?? '{}') as { refreshToken: string };
  const client = await cognito.send(
    new DescribeUserPoolClientCommand({ UserPoolId: process.env.USER_POOL_ID, ClientId: process.env.SERVER_CLIENT_ID }),
  );
  const answer = await cognito.send(
    new GetTokensFromRefreshTokenCommand({
      ClientId: process.env.SERVER_CLIENT_ID,
      ClientSecret: client.UserPoolClient?.ClientSecret,
      RefreshToken: refreshToken,
    }),
  );
  return { statusCode: 200, body: JSON.stringify(answer) };
};
