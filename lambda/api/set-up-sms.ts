import { maskPhoneNumber } from '../core/masking';
import { setUpSmsRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { updatePhoneNumber } from '../services/cognito-admin';
import { sendPhoneVerificationCode } from '../services/cognito-user';
import { apiConfig } from '../config/api-config';
import { loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/sms/setup: sets the phone number SMS codes go to, and Cognito sends
 * it a verification code. The number is not used until POST /mfa/sms/verify,
 * and SMS MFA is not on until PUT /mfa/preference.
 */
export const handler = authenticatedRoute(setUpSmsRoute, async ({ accessToken, claims, body }) => {
  const factors = await loadCallerFactors(claims, accessToken);
  // Setting the same number again changes nothing, so Cognito would send no code: ask for one.
  if (factors.phoneNumber === body.phoneNumber) {
    return { statusCode: 200, body: { codeDeliveryDetails: await sendPhoneVerificationCode(accessToken) } };
  }
  await updatePhoneNumber(apiConfig.userPoolId, claims.username, body.phoneNumber);
  return {
    statusCode: 200,
    body: {
      codeDeliveryDetails: {
        destination: maskPhoneNumber(body.phoneNumber),
        deliveryMedium: 'SMS',
        attributeName: 'phone_number',
      },
    },
  };
});
