import { CognitoIdentityProviderClient, VerifySoftwareTokenCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/verify-totp-setup.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const { code, friendlyDeviceName } = JSON.parse(event.body ?? '{}') as { code: string; friendlyDeviceName?: string };
  const { Status } = await cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken: event.headers.Authorization ?? '',
      UserCode: code,
      FriendlyDeviceName: friendlyDeviceName,
    }),
  );
  return { statusCode: Status === 'SUCCESS' ? 204 : 400, body: '' };
};
