import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/update-mfa-preference.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});
const ses = new SESClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const accessToken = event.headers.Authorization ?? '';
  const { sms, totp, email } = JSON.parse(event.body ?? '{}') as { sms?: boolean; totp?: boolean; email?: string };
  const loadUser = async () => {
    const [, user] = await Promise.all([
      cognito.send(new GetUserCommand({ AccessToken: accessToken })),
      cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
    ]);
    return user;
  };
  const before = await loadUser();
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SMSMfaSettings: sms === undefined ? undefined : { Enabled: sms },
      SoftwareTokenMfaSettings: totp === undefined ? undefined : { Enabled: totp },
    }),
  );
  if (email !== undefined) {
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: process.env.USER_POOL_ID,
        Username: claims.username,
        UserAttributes: [{ Name: 'custom:email_mfa', Value: email }],
      }),
    );
  }
  await ses.send(
    new SendEmailCommand({
      Source: process.env.EMAIL_FROM,
      Destination: { ToAddresses: [before.UserAttributes?.find(({ Name }) => Name === 'email')?.Value ?? ''] },
      Message: { Subject: { Data: 'MFA' }, Body: { Text: { Data: 'changed' } } },
    }),
  );
  const user = await loadUser();
  return {
    statusCode: 200,
    body: JSON.stringify({ enabled: user.UserMFASettingList, preferred: user.PreferredMfaSetting }),
  };
};
