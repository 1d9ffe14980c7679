import { authenticatedRoute } from '../http/api-route';
import { verifySoftwareToken } from '../services/cognito-user';
import { verifyTotpSetupSchema } from './schemas';

/**
 * POST /mfa/totp/verify: Amplify's `verifyTOTPSetup`. A right code makes the
 * authenticator usable; enabling it as a factor is PUT /mfa/preference, as in
 * Amplify.
 */
export const handler = authenticatedRoute(verifyTotpSetupSchema, async ({ accessToken, body }) => {
  await verifySoftwareToken(accessToken, body.code, body.friendlyDeviceName);
  return { statusCode: 204 };
});
