import {
  CognitoIdentityProviderClient,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/update-mfa-preference.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const accessToken = event.headers.Authorization ?? '';
  const { sms, totp } = JSON.parse(event.body ?? '{}') as { sms?: boolean; totp?: boolean };
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SMSMfaSettings: sms === undefined ? undefined : { Enabled: sms },
      SoftwareTokenMfaSettings: totp === undefined ? undefined : { Enabled: totp },
    }),
  );
  const user = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  return {
    statusCode: 200,
    body: JSON.stringify({ enabled: user.UserMFASettingList, preferred: user.PreferredMfaSetting }),
  };
};
