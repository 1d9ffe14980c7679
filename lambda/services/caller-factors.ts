import type { AccessTokenClaims } from '../core/access-token-claims';
import { emailMfaEnabled } from '../core/email-mfa-mark';
import { InvalidParameterException } from '../core/errors';
import { combinationRefusal } from '../core/mfa-preference';
import { loadUserMfaState, type UserMfaState } from './cognito-admin';
import { getAuthorizedUser } from './cognito-user';
import { apiConfig } from '../config/api-config';

/**
 * The caller's factors, email MFA mark included (only the API's role can read
 * it). The token is shown to Cognito too: API Gateway's authorizer checks
 * signature and expiry but not revocation, and routes that would otherwise make
 * only admin calls must not accept a token revoked by sign-out.
 */
export async function loadCallerFactors(claims: AccessTokenClaims, accessToken: string): Promise<UserMfaState> {
  const [, factors] = await Promise.all([getAuthorizedUser(accessToken, claims), loadUserMfaState(apiConfig.userPoolId, claims.username)]);
  return factors;
}

/** SMS and TOTP cannot be set up while email MFA is on, nor email while they are: see core/mfa-preference.ts. */
export function assertEmailMfaOff(factors: UserMfaState): void {
  if (emailMfaEnabled(factors.emailMfa)) throw new InvalidParameterException(combinationRefusal);
}

export function assertNativeMfaOff(factors: UserMfaState): void {
  if (factors.nativeMfa.length > 0) throw new InvalidParameterException(combinationRefusal);
}
