import { InvalidParameterException } from '../core/errors';
import {
  assertOnePreferred,
  enables,
  fromCognitoMfaSettings,
  toCognitoMfaSettings,
} from '../core/mfa-preference';
import { authenticatedRoute } from '../http/api-route';
import { getUser, setUserMfaPreference } from '../services/cognito-user';
import { updateMfaPreferenceSchema } from './schemas';

/**
 * PUT /mfa/preference: Amplify's `updateMFAPreference`, answering with the state
 * it leaves (what `fetchMFAPreference` would now return).
 */
export const handler = authenticatedRoute(updateMfaPreferenceSchema, async ({ accessToken, body }) => {
  if (body.email !== undefined) {
    throw new InvalidParameterException('Email MFA is not enabled in this deployment; set "sms" or "totp" only.');
  }
  assertOnePreferred(body);
  if (enables(body.sms)) await assertVerifiedPhoneNumber(accessToken);

  await setUserMfaPreference(accessToken, {
    sms: toCognitoMfaSettings(body.sms),
    totp: toCognitoMfaSettings(body.totp),
  }).catch((error: unknown) => {
    // Cognito's only InvalidParameterException left once the phone is checked:
    // TOTP enabled before an authenticator was verified.
    if (enables(body.totp) && error instanceof Error && error.name === 'InvalidParameterException') {
      throw new InvalidParameterException(
        'Set up and verify an authenticator (POST /mfa/totp/setup, then POST /mfa/totp/verify) before enabling TOTP.',
      );
    }
    throw error;
  });

  const user = await getUser(accessToken);
  return { statusCode: 200, body: fromCognitoMfaSettings(user.mfaSettingList, user.preferredMfaSetting) };
});

async function assertVerifiedPhoneNumber(accessToken: string): Promise<void> {
  const { attributes } = await getUser(accessToken);
  if (attributes.phone_number_verified !== 'true') {
    throw new InvalidParameterException(
      'Verify a phone number (POST /mfa/sms/setup, then POST /mfa/sms/verify) before enabling SMS MFA.',
    );
  }
}
