import { epochSeconds } from '../core/clock';
import { CodeMismatchException, ExpiredCodeException, InvalidParameterException, emailMfaLockedError } from '../core/errors';
import { itemKinds } from '../../contract/mfa-table';
import { codeMatches } from '../core/one-time-code';
import { verifyEmailRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { saveEmailMfaMark } from '../services/cognito-admin';
import { chargeAttempt, clearFailures, deletePendingCode, loadPendingCode } from '../services/mfa-table';
import { notifyUser } from '../services/notifications';
import { apiConfig, emailMfaSettings, notificationSettings } from '../config/api-config';
import { assertNativeMfaOff, loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/email/verify: checks the code from POST /mfa/email/setup and enrols
 * the address it went to, with email MFA on. Wrong codes count against the same
 * per-user failure budget as sign-in codes.
 */
export const handler = authenticatedRoute(verifyEmailRoute, async ({ accessToken, claims, body }) => {
  const settings = emailMfaSettings();
  if (body.code.length !== settings.codeLength) {
    throw new InvalidParameterException(`Field "code" must be ${settings.codeLength} digits.`);
  }
  const now = epochSeconds();
  const [factors, pending] = await Promise.all([
    loadCallerFactors(claims, accessToken),
    loadPendingCode(settings.tableName, claims.sub, itemKinds.enrolmentCode),
  ]);
  if (!pending?.address || pending.expiresAt <= now) {
    throw new ExpiredCodeException('The code has expired or was never sent. Request a new one with POST /mfa/email/setup.');
  }
  assertNativeMfaOff(factors);

  const { allowed, justLocked, lockSeconds } = await chargeAttempt(settings.tableName, claims.sub, now, settings.failureBudget);
  if (!allowed) throw emailMfaLockedError();
  if (!codeMatches(body.code, pending)) {
    if (!justLocked) throw new CodeMismatchException('The code is not valid.');
    await notifyUser(notificationSettings, factors.email, {
      kind: 'email-mfa-locked',
      minutes: lockSeconds === undefined ? undefined : Math.round(lockSeconds / 60),
    });
    throw emailMfaLockedError();
  }

  const previous = typeof factors.emailMfa === 'object' ? factors.emailMfa : undefined;
  await saveEmailMfaMark(apiConfig.userPoolId, claims.username, {
    state: previous?.state === 'PREFERRED' ? 'PREFERRED' : 'ENABLED',
    address: pending.address,
  });
  await Promise.all([
    deletePendingCode(settings.tableName, claims.sub, itemKinds.enrolmentCode),
    clearFailures(settings.tableName, claims.sub),
  ]);
  // A replaced address hears about it too: it is the one that loses the factor.
  const recipients = new Set([pending.address, ...(previous ? [previous.address] : [])]);
  await Promise.all(
    [...recipients].map((to) =>
      notifyUser(notificationSettings, to, { kind: previous ? 'factor-replaced' : 'factor-enrolled', factor: 'EMAIL' }),
    ),
  );
  return { statusCode: 204 };
});
