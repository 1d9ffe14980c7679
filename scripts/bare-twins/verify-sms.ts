import { CognitoIdentityProviderClient, VerifyUserAttributeCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/verify-sms.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { code } = JSON.parse(event.body ?? '{}') as { code: string };
  await cognito.send(
    new VerifyUserAttributeCommand({
      AccessToken: event.headers.Authorization ?? '',
      AttributeName: 'phone_number',
      Code: code,
    }),
  );
  return { statusCode: 204, body: '' };
};
