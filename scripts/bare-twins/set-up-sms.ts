import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/set-up-sms.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, string>;
  const accessToken = event.headers.Authorization ?? '';
  const { phoneNumber } = JSON.parse(event.body ?? '{}') as { phoneNumber: string };
  const [, user] = await Promise.all([
    cognito.send(new GetUserCommand({ AccessToken: accessToken })),
    cognito.send(new AdminGetUserCommand({ UserPoolId: process.env.USER_POOL_ID, Username: claims.username })),
  ]);
  if (user.UserAttributes?.find(({ Name }) => Name === 'phone_number')?.Value === phoneNumber) {
    const sent = await cognito.send(
      new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'phone_number' }),
    );
    return { statusCode: 200, body: JSON.stringify({ codeDeliveryDetails: sent.CodeDeliveryDetails }) };
  }
  await cognito.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: process.env.USER_POOL_ID,
      Username: claims.username,
      UserAttributes: [{ Name: 'phone_number', Value: phoneNumber }],
    }),
  );
  return { statusCode: 200, body: JSON.stringify({ codeDeliveryDetails: { destination: phoneNumber } }) };
};
