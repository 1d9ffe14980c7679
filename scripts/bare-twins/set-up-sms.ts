import {
  CognitoIdentityProviderClient,
  GetUserAttributeVerificationCodeCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** Bare twin of lambda/api/set-up-sms.ts: its SDK calls and nothing else (see scripts/bundle.ts). */
const cognito = new CognitoIdentityProviderClient({});

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const accessToken = event.headers.Authorization ?? '';
  const { phoneNumber } = JSON.parse(event.body ?? '{}') as { phoneNumber: string };
  const updated = await cognito.send(
    new UpdateUserAttributesCommand({
      AccessToken: accessToken,
      UserAttributes: [{ Name: 'phone_number', Value: phoneNumber }],
    }),
  );
  const sent =
    updated.CodeDeliveryDetailsList?.[0] ??
    (
      await cognito.send(
        new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'phone_number' }),
      )
    ).CodeDeliveryDetails;
  return { statusCode: 200, body: JSON.stringify({ codeDeliveryDetails: sent }) };
};
