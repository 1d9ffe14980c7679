import { AdminGetUserCommand, CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/fetch-mfa-preference.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: event.headers.Authorization ?? '' })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  return {
    statusCode: 200,
    body: JSON.stringify({ enabled: user.UserMFASettingList, preferred: user.PreferredMfaSetting }),
  };
};
