import { ReauthenticationRequiredException } from './errors';

/**
 * Enrolling, replacing or removing a factor needs a recent password sign-in:
 * `auth_time` in the access token is when the user last authenticated, and
 * refreshing tokens does not move it. A stolen or long-lived session alone
 * therefore cannot change how the account is protected.
 */
export function assertRecentSignIn(authTimeSeconds: number, nowSeconds: number, maxAgeSeconds: number): void {
  if (nowSeconds - authTimeSeconds > maxAgeSeconds) {
    throw new ReauthenticationRequiredException(
      `This change needs a sign-in from the last ${Math.round(maxAgeSeconds / 60)} minutes. Sign in again, then retry.`,
    );
  }
}
