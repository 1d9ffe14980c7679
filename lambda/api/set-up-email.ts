import { epochSeconds } from '../core/clock';
import { maskEmail } from '../core/masking';
import { enrolmentCodeMessage } from '../core/email-messages';
import { InvalidParameterException, emailMfaLockedError } from '../core/errors';
import { itemKinds } from '../../contract/mfa-table';
import { generateCode, hashCode } from '../core/one-time-code';
import { setUpEmailRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { sendEmail } from '../services/email';
import { emailMfaLocked, savePendingCode } from '../services/mfa-table';
import { admitEmailCode } from '../services/send-caps';
import { apiConfig, emailMfaSettings } from '../config/api-config';
import { sendCapsConfig } from '../config/send-caps-config';
import { assertNativeMfaOff, loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/email/setup: sends a code to the user's verified email address. Its
 * answer, POST /mfa/email/verify, enrols that address for sign-in codes.
 * Beyond the per-user email cap it sends nothing and answers 429.
 */
export const handler = authenticatedRoute(setUpEmailRoute, async ({ accessToken, claims }) => {
  const settings = emailMfaSettings();
  const factors = await loadCallerFactors(claims, accessToken);
  assertNativeMfaOff(factors);
  if (!factors.email || !factors.emailVerified) {
    throw new InvalidParameterException('The account has no verified email address to send codes to.');
  }
  const now = epochSeconds();
  if (await emailMfaLocked(settings.tableName, claims.sub, now)) throw emailMfaLockedError();
  // Enrolment codes count against the same per-user cap as sign-in codes.
  const admission = await admitEmailCode(sendCapsConfig.tableName, claims.sub, now, sendCapsConfig.emailCodes);
  if (!admission.admitted) throw admission.error;

  const code = generateCode(settings.codeLength);
  await savePendingCode(settings.tableName, claims.sub, itemKinds.enrolmentCode, {
    ...hashCode(code),
    address: factors.email,
    expiresAt: now + settings.codeTtlSeconds,
  });
  await sendEmail(
    apiConfig.emailFrom,
    enrolmentCodeMessage(apiConfig.appName, factors.email, code, Math.round(settings.codeTtlSeconds / 60)),
  );
  return {
    statusCode: 200,
    body: { codeDeliveryDetails: { destination: maskEmail(factors.email), deliveryMedium: 'EMAIL', attributeName: 'email' } },
  };
});
