import { currentPreference } from '../core/mfa-preference';
import { fetchMfaPreferenceRoute } from '../../contract/routes';
import { authenticatedRoute } from '../http/api-route';
import { loadCallerFactors } from '../services/caller-factors';

/** GET /mfa/preference: Amplify's `fetchMFAPreference`, EMAIL included. */
export const handler = authenticatedRoute(fetchMfaPreferenceRoute, async ({ accessToken, claims }) => {
  return { statusCode: 200, body: currentPreference(await loadCallerFactors(claims, accessToken)) };
});
