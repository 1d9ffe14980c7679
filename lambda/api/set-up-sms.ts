import { epochSeconds } from '../core/clock';
import { maskPhoneNumber } from '../core/masking';
import { assertCountryAllowed, phoneNumberId } from '../core/send-caps';
import { numberChangeNotice } from '../core/sms-messages';
import { setUpSmsRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { updatePhoneNumber } from '../services/cognito-admin';
import { sendPhoneVerificationCode } from '../services/cognito-user';
import { admitSmsNumber } from '../services/send-caps';
import { sendSmsNotice } from '../services/sms';
import { apiConfig } from '../config/api-config';
import { sendCapsConfig } from '../config/send-caps-config';
import { loadCallerFactors } from '../services/caller-factors';

/**
 * POST /mfa/sms/setup: sets the phone number SMS codes go to, and Cognito sends
 * it a verification code. The number is not used until POST /mfa/sms/verify,
 * and SMS MFA is not on until PUT /mfa/preference.
 *
 * Numbers outside `smsAllowedCountries` are refused, and beyond the caps
 * nothing is sent or changed (lambda/core/send-caps.ts `admitNumber`): this
 * route takes the number's place among the day's numbers and the old-number
 * notice it sends itself. The code is Cognito's, so the custom SMS sender
 * counts it and applies the cool-down (lambda/services/pool-texts.ts); this
 * route only checks first that the sender would admit it, so that it answers
 * 429 with a wait rather than 200 for a code that would not come. A text sent
 * for the same user between that check and Cognito's call can still take the
 * last place: then the sender drops the code and the user asks again later.
 * When the number SMS codes go to is being replaced, that number is told too,
 * within the same caps.
 */
export const handler = authenticatedRoute(setUpSmsRoute, async ({ accessToken, claims, body }) => {
  assertCountryAllowed(body.phoneNumber, sendCapsConfig.smsAllowedCountries);
  const factors = await loadCallerFactors(claims, accessToken);
  const sameNumber = factors.phoneNumber === body.phoneNumber;
  const replacedMfaNumber =
    !sameNumber && factors.nativeMfa.includes('SMS_MFA') && factors.phoneNumberVerified ? factors.phoneNumber : undefined;
  const admission = await admitSmsNumber(
    sendCapsConfig.tableName,
    claims.sub,
    phoneNumberId(claims.sub, body.phoneNumber),
    epochSeconds(),
    sendCapsConfig.sms,
    replacedMfaNumber ? 1 : 0,
  );
  if (!admission.admitted) throw admission.error;

  // Setting the same number again changes nothing, so Cognito would send no code: ask for one.
  if (sameNumber) {
    return { statusCode: 200, body: { codeDeliveryDetails: await sendPhoneVerificationCode(accessToken) } };
  }
  await updatePhoneNumber(apiConfig.userPoolId, claims.username, body.phoneNumber);
  if (replacedMfaNumber) await sendSmsNotice(replacedMfaNumber, numberChangeNotice(apiConfig.appName));
  return {
    statusCode: 200,
    body: {
      codeDeliveryDetails: {
        destination: maskPhoneNumber(body.phoneNumber),
        deliveryMedium: 'SMS',
        attributeName: 'phone_number',
      },
    },
  };
});
