import { qrCodeSvg, totpSetupUri } from '../core/totp-setup-uri';
import { authenticatedRoute } from '../http/api-route';
import { associateSoftwareToken, getUser } from '../services/cognito-user';
import { apiConfig } from './config';
import { setUpTotpSchema } from './schemas';

/**
 * POST /mfa/totp/setup: Amplify's `setUpTOTP`. Associates a new software token
 * and returns its secret with a ready-made setup URI and QR code. The secret is
 * not in use until POST /mfa/totp/verify proves the authenticator has it.
 */
export const handler = authenticatedRoute(setUpTotpSchema, async ({ accessToken, body }) => {
  const [sharedSecret, accountName] = await Promise.all([
    associateSoftwareToken(accessToken),
    body.accountName ?? defaultAccountName(accessToken),
  ]);
  const setupUri = totpSetupUri(sharedSecret, body.appName ?? apiConfig.totpIssuer, accountName);
  return { statusCode: 200, body: { sharedSecret, setupUri, qrCodeSvg: qrCodeSvg(setupUri) } };
});

/** The account name authenticator apps show: the user's email, else their username. */
async function defaultAccountName(accessToken: string): Promise<string> {
  const { attributes, username } = await getUser(accessToken);
  return attributes.email ?? username;
}
