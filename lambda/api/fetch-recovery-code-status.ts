import { remainingRecoveryCodes } from '../core/recovery-codes';
import { fetchRecoveryCodeStatusRoute } from '../../contract/routes';
import type { RecoveryCodeStatus } from '../../contract/amplify';
import { authenticatedRoute } from '../http/api-route';
import { getAuthorizedUser } from '../services/cognito-user';
import { loadRecoveryCodes } from '../services/mfa-table';
import { apiConfig } from '../config/api-config';

/** GET /mfa/recovery-codes: how many codes of the current set are left, and when it was issued. */
export const handler = authenticatedRoute(fetchRecoveryCodeStatusRoute, async ({ accessToken, claims }) => {
  // GetUser alongside the read: a revoked token gets no answer about the account.
  const [, set] = await Promise.all([getAuthorizedUser(accessToken, claims), loadRecoveryCodes(apiConfig.mfaTableName, claims.sub)]);
  const body: RecoveryCodeStatus = {
    remaining: remainingRecoveryCodes(set),
    issuedAt: set ? new Date(set.issuedAt * 1000).toISOString() : null,
  };
  return { statusCode: 200, body };
});
