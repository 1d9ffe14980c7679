import { authenticatedRoute } from '../http/api-route';
import { verifySoftwareToken } from '../services/cognito-user';
import { notifyUser } from '../services/notifications';
import { notificationSettings } from './config';
import { verifyTotpSetupSchema } from './schemas';
import { assertEmailMfaOff, loadCallerFactors } from './user-factors';

/**
 * POST /mfa/totp/verify: Amplify's `verifyTOTPSetup`. A right code makes the
 * authenticator the user's TOTP factor (replacing an earlier one); choosing it
 * as preferred is PUT /mfa/preference, as in Amplify.
 */
export const handler = authenticatedRoute({ body: verifyTotpSetupSchema, stepUp: true }, async ({ accessToken, claims, body }) => {
  const factors = await loadCallerFactors(claims, accessToken);
  assertEmailMfaOff(factors);
  await verifySoftwareToken(accessToken, body.code, body.friendlyDeviceName);
  const replaced = factors.nativeMfa.includes('SOFTWARE_TOKEN_MFA');
  await notifyUser(notificationSettings, factors.email, {
    kind: replaced ? 'factor-replaced' : 'factor-enrolled',
    factor: 'TOTP',
  });
  return { statusCode: 204 };
});
