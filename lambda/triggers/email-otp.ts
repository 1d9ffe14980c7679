import { randomBytes } from 'node:crypto';
import type { CreateAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { maskEmail } from '../core/masking';
import { signInCodeMessage } from '../core/email-messages';
import { emailMfaAttribute } from '../../contract/user-pool';
import { emailMfaEnabled, parseEmailMfaMark } from '../core/email-mfa-mark';
import { itemKinds } from '../../contract/mfa-table';
import { codeMatches, generateCode, hashCode } from '../core/one-time-code';
import { longestTimedLockSeconds } from '../core/failure-budget';
import { epochSeconds } from '../core/clock';
import { logger } from '../core/logger';
import { sendEmail } from '../services/email';
import { lockedChallengeMetadataPrefix } from '../core/sign-in-policy';
import { chargeAttempt, clearFailures, deletePendingCode, emailMfaLockEnd, loadPendingCode, type PendingCode } from '../services/mfa-table';
import { sendLimitParameters, type SendLimit } from '../core/send-caps';
import { issueSignInCode } from '../services/sign-in-codes';
import { sendCapsConfig } from '../config/send-caps-config';
import { notifyUser } from '../services/notifications';
import { triggerConfig } from '../config/trigger-config';

/**
 * The email one-time code challenge. Create sends a code (or reuses the one sent
 * earlier in the same sign-in) and hands Verify only its salted hash; Verify
 * compares in constant time and charges every wrong answer to the user's failure
 * budget. A user who does not exist, or whose enrolment cannot be read, gets a
 * challenge of the same shape that sends nothing and never succeeds. So does a
 * user whose failure budget is locked: Create is where the lock is read (Define
 * reads nothing after the first call), and its metadata makes Define end the
 * sign-in at the answer.
 */
export const emailOtpMetadataPrefix = 'EMAIL_OTP#';

export async function createEmailOtpChallenge(event: CreateAuthChallengeTriggerEvent): Promise<void> {
  const mark = event.request.userNotFound ? undefined : parseEmailMfaMark(event.request.userAttributes[emailMfaAttribute]);
  const sub = event.request.userAttributes.sub;
  const nonce = previousNonce(event) ?? randomBytes(12).toString('base64url');
  event.response.challengeMetadata = `${emailOtpMetadataPrefix}${nonce}`;

  if (!sub || mark === undefined || mark === 'unreadable' || !emailMfaEnabled(mark)) {
    // The address the user would recognise: theirs, or for an unknown user the name they typed.
    const shownAddress = event.request.userAttributes.email ?? event.userName;
    event.response.publicChallengeParameters = { deliveryMedium: 'EMAIL', destination: maskEmail(shownAddress) };
    event.response.privateChallengeParameters = { kind: 'NONE' };
    logger.info('email code challenge without delivery', { userNotFound: event.request.userNotFound === true });
    return;
  }

  const now = epochSeconds();
  const [stored, lockEnd] = await Promise.all([
    loadPendingCode(triggerConfig.emailMfa.tableName, sub, itemKinds.signInCode),
    emailMfaLockEnd(triggerConfig.emailMfa.tableName, sub, now),
  ]);
  if (lockEnd !== undefined) {
    event.response.challengeMetadata = `${lockedChallengeMetadataPrefix}${nonce}`;
    // Said as the send cap says it, so that the API answers 429 with the lock's end rather than a code step for no code.
    event.response.publicChallengeParameters = {
      deliveryMedium: 'EMAIL',
      destination: maskEmail(mark.address),
      // A lock longer than the longest timed one lasts until an administrator lifts it: no time to give.
      ...sendLimitParameters({ limit: { retryAfterSeconds: lockEnd - now <= longestTimedLockSeconds ? lockEnd - now : undefined } }),
    };
    event.response.privateChallengeParameters = { kind: 'LOCKED' };
    logger.info('email code challenge without delivery: locked', { sub });
    return;
  }
  const reusable = stored !== undefined && stored.nonce === nonce && stored.expiresAt > now ? stored : undefined;
  const pending = reusable ?? (await sendNewCode(sub, mark.address, nonce, now));

  event.response.publicChallengeParameters = {
    deliveryMedium: 'EMAIL',
    destination: maskEmail(mark.address),
    ...sendLimitParameters(pending),
  };
  event.response.privateChallengeParameters = {
    kind: 'EMAIL_OTP',
    hash: pending.hash,
    salt: pending.salt,
    expiresAt: String(pending.expiresAt),
  };
  logger.info('email code challenge', { sub, reused: reusable !== undefined });
}

export async function verifyEmailOtpAnswer(event: VerifyAuthChallengeResponseTriggerEvent): Promise<boolean> {
  const parameters = event.request.privateChallengeParameters;
  const sub = event.request.userAttributes.sub;
  if (event.request.userNotFound || parameters.kind !== 'EMAIL_OTP' || !sub) return false;
  const { hash = '', salt = '' } = parameters;
  const now = epochSeconds();
  if (now >= Number(parameters.expiresAt)) {
    logger.info('email code refused: expired', { sub });
    return false;
  }

  // An answer that cannot be a code (a typo, a stray space) is refused without charging the budget.
  const answer = event.request.challengeAnswer;
  if (typeof answer !== 'string' || !new RegExp(`^[0-9]{${triggerConfig.emailMfa.codeLength}}$`).test(answer)) {
    logger.info('email code refused: malformed', { sub });
    return false;
  }
  const { allowed, justLocked, lockSeconds } = await chargeAttempt(
    triggerConfig.emailMfa.tableName,
    sub,
    now,
    triggerConfig.emailMfa.failureBudget,
  );
  if (!allowed) {
    logger.info('email code refused: locked', { sub });
    return false;
  }
  if (codeMatches(answer, { hash, salt })) {
    await Promise.all([
      clearFailures(triggerConfig.emailMfa.tableName, sub),
      deletePendingCode(triggerConfig.emailMfa.tableName, sub, itemKinds.signInCode),
    ]);
    logger.info('email code accepted', { sub });
    return true;
  }

  logger.info('email code refused: wrong', { sub, justLocked });
  if (justLocked) {
    const mark = parseEmailMfaMark(event.request.userAttributes[emailMfaAttribute]);
    await notifyUser(
      { appName: triggerConfig.appName, from: triggerConfig.emailFrom },
      mark && mark !== 'unreadable' ? mark.address : undefined,
      { kind: 'email-mfa-locked', minutes: lockSeconds === undefined ? undefined : Math.round(lockSeconds / 60) },
    );
  }
  return false;
}

/** The nonce of this sign-in's earlier email challenge, if any: a retry, not a new sign-in. */
function previousNonce(event: CreateAuthChallengeTriggerEvent): string | undefined {
  const metadata = event.request.session.filter((entry) => entry.challengeName === 'CUSTOM_CHALLENGE').at(-1)?.challengeMetadata;
  return metadata?.startsWith(emailOtpMetadataPrefix) ? metadata.slice(emailOtpMetadataPrefix.length) : undefined;
}

/** Beyond the send cap (lambda/services/send-caps.ts): no email, and a challenge that has expired before it starts. */
async function sendNewCode(sub: string, address: string, nonce: string, now: number): Promise<PendingCode & { limit?: SendLimit }> {
  const code = generateCode(triggerConfig.emailMfa.codeLength);
  const pending = { ...hashCode(code), nonce, expiresAt: now + triggerConfig.emailMfa.codeTtlSeconds };
  const issued = await issueSignInCode({
    tableName: triggerConfig.emailMfa.tableName,
    sub,
    address,
    now,
    code: pending,
    cap: sendCapsConfig.emailCodes,
    failureBudget: triggerConfig.emailMfa.failureBudget,
    notices: { appName: triggerConfig.appName, from: triggerConfig.emailFrom },
  });
  if (!issued.send) return { hash: '', salt: '', nonce, expiresAt: 0, limit: issued.limit };
  await sendEmail(
    triggerConfig.emailFrom,
    signInCodeMessage(triggerConfig.appName, address, code, Math.round(triggerConfig.emailMfa.codeTtlSeconds / 60)),
  );
  return pending;
}
