import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';
import type { SignInOutput } from '../../contract/amplify';
import { recoverRoute } from '../../contract/routes';
import { epochSeconds } from '../core/clock';
import { NotAuthorizedException } from '../core/errors';
import { logger } from '../core/logger';
import { passwordProven } from '../core/password-check';
import { newRecoveryTicket, recoveryTicketHash, recoveryTicketLifetimeSeconds } from '../core/recovery-ticket';
import { passwordCheckMetadata } from '../core/sign-in-policy';
import { UnsupportedChallengeError } from '../core/sign-in-steps';
import { publicRoute } from '../http/api-route';
import { recoverErrorOverrides, recoveryRefusedMessage } from '../http/sign-in-errors';
import { respondToChallenge, startRecoverySignIn } from '../services/cognito-sign-in';
import { startPasswordStep, type PasswordStep } from '../services/password-step';
import { revokeRefreshToken } from '../services/cognito-sessions';
import { getUser } from '../services/cognito-user';
import { consumeRecoveryCode } from '../services/mfa-table';
import { findUnusedRecoveryCode, issueRecoveryCodes } from '../core/recovery-codes';
import { notifyUser } from '../services/notifications';
import { saveRecoveryTicket } from '../services/recovery-tickets';
import { serverClient } from '../services/server-client';
import { apiConfig, notificationSettings } from '../config/api-config';

const refused = () => new NotAuthorizedException(recoveryRefusedMessage);

/**
 * POST /auth/recover: password and recovery code in, a finished sign-in out, for the
 * user who lost a factor. MFA settings are never touched: the password is proven
 * with Cognito in a sign-in that is then dropped (Define's password check; a user
 * with SMS MFA gets Cognito's sign-in text there, unused), the code is taken in one
 * conditional write, and a one-time ticket bound to the user carries both into a
 * passwordless custom sign-in on the server client, to which Cognito applies no
 * native MFA. Every wrong code after the right password is charged to the user's
 * recovery budget; every failure is answered the same way, so the answer tells
 * nothing of the account.
 */
export const handler = publicRoute(recoverRoute, { errorOverrides: recoverErrorOverrides }, async ({ body }) => {
  const tableName = apiConfig.mfaTableName;
  const password = await startPasswordStep(body.username, body.password);
  // The sub for a real user; for a name without one Cognito makes one up.
  const sub = password.userIdForSrp;
  const checked = await checkPassword(password);
  const now = epochSeconds();
  if (!checked) {
    // Not charged to the recovery budget: that budget limits guesses of recovery codes (SP
    // 800-63B-4 3.2.2), and wrong passwords are Cognito's to count (its own lockout). Charging
    // them let anyone who knows a user name lock the user's recovery for good. The codes' hashing
    // runs all the same, so that a wrong password does not answer markedly sooner than a right
    // one with a wrong code; what remains is the right password's DynamoDB round trips.
    await compareWithDecoy(body.recoveryCode);
    logger.info('recovery refused', { reason: 'password not proven' });
    throw refused();
  }

  const redemption = await consumeRecoveryCode(tableName, sub, body.recoveryCode, now);
  if (!redemption.redeemed) {
    logger.info('recovery refused', { reason: redemption.reason, justLocked: redemption.justLocked });
    throw refused();
  }

  const ticket = newRecoveryTicket();
  await saveRecoveryTicket(tableName, sub, recoveryTicketHash(ticket), now + recoveryTicketLifetimeSeconds);
  const started = await startRecoverySignIn(serverClient, sub);
  if (started.challengeName !== 'CUSTOM_CHALLENGE' || started.parameters.kind !== 'RECOVERY') {
    throw new UnsupportedChallengeError(`Cognito opened recovery with ${started.challengeName ?? 'no challenge'}`);
  }
  const done = await respondToChallenge(serverClient, 'CUSTOM_CHALLENGE', started.session, sub, { ANSWER: ticket });
  const tokens = done.tokens;
  if (!tokens?.AccessToken || !tokens.IdToken) throw new Error('Cognito issued no tokens for a recovery ticket');

  const user = await getUser(tokens.AccessToken);
  await notifyUser(notificationSettings, user.attributes.email, { kind: 'recovery-code-used', remaining: redemption.remaining });
  logger.info('recovered', { remaining: redemption.remaining });
  const answer: SignInOutput = {
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
    tokens: {
      accessToken: tokens.AccessToken,
      idToken: tokens.IdToken,
      refreshToken: tokens.RefreshToken,
      expiresIn: tokens.ExpiresIn ?? 3600,
    },
  };
  return { statusCode: 200, body: answer };
});

let decoySet: ReturnType<typeof issueRecoveryCodes> | undefined;

/** The work findUnusedRecoveryCode does on a real set, on a set of this container's own that no code matches. */
async function compareWithDecoy(recoveryCode: string): Promise<void> {
  decoySet ??= issueRecoveryCodes(0);
  await findUnusedRecoveryCode(recoveryCode, (await decoySet).set);
}

/** The password answer with the check's metadata: whether Cognito took the password. */
async function checkPassword(password: PasswordStep): Promise<boolean> {
  try {
    const answer = await password.answer(passwordCheckMetadata);
    // Only where no trigger ends the check (email MFA off), a user without a factor gets tokens here: not passed on, so revoked.
    if (answer.tokens?.RefreshToken) await revokeRefreshToken(serverClient, answer.tokens.RefreshToken);
    return passwordProven(answer);
  } catch (error) {
    // Cognito's refusals of the password and of users who cannot sign in; anything else is not the client's doing.
    if (error instanceof CognitoIdentityProviderServiceException && Object.hasOwn(recoverErrorOverrides, error.name)) return false;
    throw error;
  }
}
