import { verifyTotpSetupRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { verifySoftwareToken } from '../services/cognito-user';
import { notifyUser } from '../services/notifications';
import { notificationSettings } from '../config/api-config';
import { assertEmailMfaOff, loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/totp/verify: Amplify's `verifyTOTPSetup`. A right code makes the
 * authenticator the user's TOTP factor (replacing an earlier one); choosing it
 * as preferred is PUT /mfa/preference, as in Amplify.
 */
export const handler = authenticatedRoute(verifyTotpSetupRoute, async ({ accessToken, claims, body }) => {
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
