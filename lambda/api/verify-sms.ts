import { authenticatedRoute } from '../http/api-route';
import { verifyPhoneNumber } from '../services/cognito-user';
import { verifySmsSchema } from './schemas';

/** POST /mfa/sms/verify: confirms the phone number with the code sent to it. */
export const handler = authenticatedRoute(verifySmsSchema, async ({ accessToken, body }) => {
  await verifyPhoneNumber(accessToken, body.code);
  return { statusCode: 204 };
});
