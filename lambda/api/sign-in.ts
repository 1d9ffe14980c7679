import { UnsupportedChallengeError } from '../core/sign-in-steps';
import { passwordClaim, startSrp, type PasswordVerifierChallenge } from '../core/srp';
import { signInRoute } from '../../contract/routes';
import { publicRoute } from '../http/api-route';
import { respondToChallenge, startSrpSignIn } from '../services/cognito-sign-in';
import { apiConfig } from '../config/api-config';
import { signInErrorOverrides } from '../http/sign-in-errors';
import { serverClient } from '../services/server-client';
import { toSignInOutput } from '../services/sign-in-output';

/**
 * POST /auth/sign-in: Amplify's `signIn` over the API. The server client runs
 * the same flow as Amplify apps (CUSTOM_AUTH starting with SRP, or plain SRP
 * when the deployment has no email MFA), so the same triggers and rules apply;
 * the password only proves itself to Cognito through SRP and is never stored or
 * logged.
 */
export const handler = publicRoute(signInRoute, { errorOverrides: signInErrorOverrides }, async ({ body }) => {
  const srp = startSrp();
  const flow = apiConfig.emailMfa ? 'CUSTOM_AUTH' : 'USER_SRP_AUTH';
  const challenge = await startSrpSignIn(serverClient, flow, body.username, srp.A);
  if (challenge.challengeName !== 'PASSWORD_VERIFIER') {
    throw new UnsupportedChallengeError(`Cognito answered SRP_A with ${challenge.challengeName ?? 'no challenge'}`);
  }
  const verifier = challenge.parameters as unknown as PasswordVerifierChallenge;
  const claim = passwordClaim(srp, verifier, apiConfig.userPoolId, body.password, new Date());
  const answer = await respondToChallenge(serverClient, 'PASSWORD_VERIFIER', challenge.session, verifier.USER_ID_FOR_SRP, claim);
  return {
    statusCode: 200,
    body: await toSignInOutput(answer, { typedUsername: body.username, cognitoUsername: verifier.USER_ID_FOR_SRP }),
  };
});
