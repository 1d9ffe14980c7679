import { verifySmsRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { verifyPhoneNumber } from '../services/cognito-user';
import { notifyUser } from '../services/notifications';
import { notificationSettings } from '../config/api-config';
import { loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/sms/verify: confirms the phone number with the code sent to it.
 * With SMS MFA on, codes now go to this number, so the user is told; otherwise
 * nothing changed yet (PUT /mfa/preference turns SMS on and tells them then).
 */
export const handler = authenticatedRoute(verifySmsRoute, async ({ accessToken, claims, body }) => {
  await verifyPhoneNumber(accessToken, body.code);
  const factors = await loadCallerFactors(claims, accessToken);
  if (factors.nativeMfa.includes('SMS_MFA')) {
    await notifyUser(notificationSettings, factors.email, { kind: 'factor-replaced', factor: 'SMS' });
  }
  return { statusCode: 204 };
});
