import { signInRoute } from '../../contract/routes';
import { publicRoute } from '../http/api-route';
import { signInErrorOverrides } from '../http/sign-in-errors';
import { startPasswordStep } from '../services/password-step';
import { toSignInOutput } from '../services/sign-in-output';
/**
 * POST /auth/sign-in: Amplify's `signIn` over the API. The server client runs
 * the same flow as Amplify apps (CUSTOM_AUTH starting with SRP, or plain SRP
 * when the deployment has no email MFA), so the same triggers and rules apply;
 * the password only proves itself to Cognito through SRP and is never stored or
 * logged.
 */
export const handler = publicRoute(signInRoute, { errorOverrides: signInErrorOverrides }, async ({ body }) => {
  const password = await startPasswordStep(body.username, body.password);
  const answer = await password.answer();
  return {
    statusCode: 200,
    body: await toSignInOutput(answer, { typedUsername: body.username, cognitoUsername: password.userIdForSrp }),
  };
});
