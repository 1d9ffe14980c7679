import { authenticatedRoute } from '../http/api-route';
import { updatePhoneNumber } from '../services/cognito-user';
import { setUpSmsSchema } from './schemas';

/**
 * POST /mfa/sms/setup: sets the phone number SMS codes go to and sends it a
 * verification code. SMS MFA cannot be enabled until POST /mfa/sms/verify.
 */
export const handler = authenticatedRoute(setUpSmsSchema, async ({ accessToken, body }) => {
  const codeDeliveryDetails = await updatePhoneNumber(accessToken, body.phoneNumber);
  return { statusCode: 200, body: { codeDeliveryDetails } };
});
