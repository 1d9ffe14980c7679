import { currentPreference } from '../core/mfa-preference';
import { authenticatedRoute } from '../http/api-route';
import { loadCallerFactors } from './user-factors';

/** GET /mfa/preference: Amplify's `fetchMFAPreference`, EMAIL included. */
export const handler = authenticatedRoute({ body: undefined, stepUp: false }, async ({ accessToken, claims }) => {
  return { statusCode: 200, body: currentPreference(await loadCallerFactors(claims, accessToken)) };
});
