import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/verify-totp-setup.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const accessToken = event.headers.Authorization ?? '';
  const { code, friendlyDeviceName } = JSON.parse(event.body ?? '{}') as { code: string; friendlyDeviceName?: string };
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  const { Status } = await cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: friendlyDeviceName,
    }),
  );
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [user.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? ''] },
      Message: { Subject: { Data: 'TOTP' }, Body: { Text: { Data: String(Status) } } },
    }),
  );
  return { statusCode: Status === 'SUCCESS' ? 204 : 400, body: '' };
};
