import { epochSeconds } from '../core/clock';
import { issueRecoveryCodes } from '../core/recovery-codes';
import { generateRecoveryCodesRoute } from '../../contract/routes';
import type { GenerateRecoveryCodesOutput } from '../../contract/amplify';
import { authenticatedRoute } from '../http/api-route';
import { getAuthorizedUser } from '../services/cognito-user';
import { saveRecoveryCodes } from '../services/mfa-table';
import { notifyUser } from '../services/notifications';
import { apiConfig, notificationSettings } from '../config/api-config';

/**
 * POST /mfa/recovery-codes: a new set of ten recovery codes, in the answer and
 * nowhere else (only their hashes are stored); the previous set stops working
 * in the same write. Needs a recent sign-in, like every change to how the
 * account can be signed in to, and the user is told by email (without the codes).
 */
export const handler = authenticatedRoute(generateRecoveryCodesRoute, async ({ accessToken, claims }) => {
  // The token is shown to Cognito before anything changes: the authorizer does not see revocation.
  const user = await getAuthorizedUser(accessToken, claims);
  const { codes, set } = await issueRecoveryCodes(epochSeconds());
  await saveRecoveryCodes(apiConfig.mfaTableName, claims.sub, set);
  await notifyUser(notificationSettings, user.attributes.email, { kind: 'recovery-codes-issued' });
  const body: GenerateRecoveryCodesOutput = { codes: [...codes], issuedAt: new Date(set.issuedAt * 1000).toISOString() };
  return { statusCode: 200, body };
});
