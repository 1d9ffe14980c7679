import { qrCodeSvg } from '../core/qr-code';
import { totpSetupUri } from '../../contract/totp-uri';
import { setUpTotpRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { associateSoftwareToken } from '../services/cognito-user';
import { apiConfig } from '../config/api-config';
import { assertEmailMfaOff, loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/totp/setup: Amplify's `setUpTOTP`. Associates a new software token
 * and returns its secret with a ready-made setup URI and QR code. The secret is
 * not in use until POST /mfa/totp/verify proves the authenticator has it.
 */
export const handler = authenticatedRoute(setUpTotpRoute, async ({ accessToken, claims, body }) => {
  const factors = await loadCallerFactors(claims, accessToken);
  assertEmailMfaOff(factors);
  const sharedSecret = await associateSoftwareToken(accessToken);
  // The account name authenticator apps show: the user's email, else their username.
  const accountName = body.accountName ?? factors.email ?? claims.username;
  const setupUri = totpSetupUri(sharedSecret, body.appName ?? apiConfig.appName, accountName);
  return { statusCode: 200, body: { sharedSecret, setupUri, qrCodeSvg: qrCodeSvg(setupUri) } };
});
