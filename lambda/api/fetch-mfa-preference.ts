import { fromCognitoMfaSettings } from '../core/mfa-preference';
import { authenticatedRoute } from '../http/api-route';
import { getUser } from '../services/cognito-user';

/** GET /mfa/preference: Amplify's `fetchMFAPreference`. */
export const handler = authenticatedRoute(undefined, async ({ accessToken }) => {
  const user = await getUser(accessToken);
  return { statusCode: 200, body: fromCognitoMfaSettings(user.mfaSettingList, user.preferredMfaSetting) };
});
