import { InvalidParameterException } from '../core/errors';
import { currentPreference, planPreferenceUpdate } from '../core/mfa-preference';
import { updateMfaPreferenceRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { loadUserMfaState, saveEmailMfaMark } from '../services/cognito-admin';
import { setUserMfaPreference } from '../services/cognito-user';
import { notifyUser } from '../services/notifications';
import { apiConfig, notificationSettings } from '../config/api-config';
import { loadCallerFactors } from '../services/caller-factors';

/**
 * PUT /mfa/preference: Amplify's `updateMFAPreference`, EMAIL included,
 * answering with the state it leaves (what `fetchMFAPreference` would now
 * return). Factors are turned off before others are turned on, so a failure
 * half-way never leaves EMAIL and a native factor on together.
 */
export const handler = authenticatedRoute(updateMfaPreferenceRoute, async ({ accessToken, claims, body }) => {
  if (body.email !== undefined && !apiConfig.emailMfa) {
    throw new InvalidParameterException('Email MFA is not enabled in this deployment; set "sms" or "totp" only.');
  }
  const factors = await loadCallerFactors(claims, accessToken);
  const plan = planPreferenceUpdate(factors, body);
  if (plan.turnedOn.includes('SMS') && !factors.phoneNumberVerified) {
    throw new InvalidParameterException('Verify a phone number (POST /mfa/sms/setup, then POST /mfa/sms/verify) before enabling SMS MFA.');
  }

  const emailMark = typeof factors.emailMfa === 'object' ? factors.emailMfa : undefined;
  const saveEmailState = async () => {
    if (plan.emailState && emailMark) {
      await saveEmailMfaMark(apiConfig.userPoolId, claims.username, { ...emailMark, state: plan.emailState });
    }
  };
  const saveNativeSettings = async () => {
    if (!plan.sms && !plan.totp) return;
    await setUserMfaPreference(accessToken, { sms: plan.sms, totp: plan.totp }).catch((error: unknown) => {
      // Cognito's only InvalidParameterException left once the phone is checked:
      // TOTP enabled before an authenticator was verified.
      if (plan.totp?.Enabled && error instanceof Error && error.name === 'InvalidParameterException') {
        throw new InvalidParameterException(
          'Set up and verify an authenticator (POST /mfa/totp/setup, then POST /mfa/totp/verify) before enabling TOTP.',
        );
      }
      throw error;
    });
  };
  if (plan.turnedOff.includes('EMAIL')) {
    await saveEmailState();
    await saveNativeSettings();
  } else {
    await saveNativeSettings();
    await saveEmailState();
  }

  await Promise.all([
    ...plan.turnedOn.map((factor) => notifyUser(notificationSettings, factors.email, { kind: 'factor-enrolled', factor })),
    ...plan.turnedOff.map((factor) => notifyUser(notificationSettings, factors.email, { kind: 'factor-removed', factor })),
  ]);
  return { statusCode: 200, body: currentPreference(await loadUserMfaState(apiConfig.userPoolId, claims.username)) };
});
