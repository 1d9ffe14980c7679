import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/verify-sms.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const accessToken = event.headers.Authorization ?? '';
  const { code } = JSON.parse(event.body ?? '{}') as { code: string };
  await cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'phone_number', Code: code }));
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  // The notice goes out only when SMS MFA is on: codes now go to the new number.
  if (user.UserMFASettingList?.includes('SMS_MFA')) {
    await ses.send(
      new SendEmailCommand({
        Source: process.env.EMAIL_FROM,
        Destination: { ToAddresses: [user.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? ''] },
        Message: { Subject: { Data: 'SMS' }, Body: { Text: { Data: 'verified' } } },
      }),
    );
  }
  return { statusCode: 204, body: '' };
};
