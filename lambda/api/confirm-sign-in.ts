import { InvalidParameterException } from '../core/errors';
import { decodeSession, selectedMfaChallenge, type ApiSession } from '../core/sign-in-steps';
import { confirmSignInRoute } from '../../contract/routes';
import { publicRoute } from '../http/api-route';
import { respondToChallenge, verifySoftwareTokenInSession, type SignInAnswer } from '../services/cognito-sign-in';
import { confirmSignInErrorOverrides } from '../http/sign-in-errors';
import { serverClient } from '../services/server-client';
import { toSignInOutput } from '../services/sign-in-output';

/**
 * POST /auth/confirm-sign-in: Amplify's `confirmSignIn({ challengeResponse })`.
 * The session names the step being answered, so the same field carries a code,
 * an MFA choice or a new password.
 */
export const handler = publicRoute(confirmSignInRoute, { errorOverrides: confirmSignInErrorOverrides }, async ({ body }) => {
  const session = decodeSession(body.session);
  const answer = await answerStep(session, body.challengeResponse);
  return {
    statusCode: 200,
    body: await toSignInOutput(answer, { typedUsername: body.username, cognitoUsername: session.username }),
  };
});

async function answerStep(session: ApiSession, response: string): Promise<SignInAnswer> {
  const { challengeName, username, cognitoSession } = session;
  const respond = (responses: Record<string, string>, name: string = challengeName, cognito = cognitoSession) =>
    respondToChallenge(serverClient, name, cognito, username, responses);
  switch (challengeName) {
    case 'CUSTOM_CHALLENGE':
      return respond({ ANSWER: code(response, '6 to 8', /^[0-9]{6,8}$/) });
    case 'SOFTWARE_TOKEN_MFA':
      return respond({ SOFTWARE_TOKEN_MFA_CODE: code(response, '6', /^[0-9]{6}$/) });
    case 'SMS_MFA':
      return respond({ SMS_MFA_CODE: code(response, '6', /^[0-9]{6}$/) });
    case 'SELECT_MFA_TYPE':
      return respond({ ANSWER: selectedMfaChallenge(response) });
    case 'NEW_PASSWORD_REQUIRED':
      return respond({ NEW_PASSWORD: response });
    case 'MFA_SETUP':
      return respond({}, 'MFA_SETUP', await verifySoftwareTokenInSession(cognitoSession, code(response, '6', /^[0-9]{6}$/)));
  }
}

function code(response: string, digits: string, shape: RegExp): string {
  if (!shape.test(response)) throw new InvalidParameterException(`Field "challengeResponse" must be a ${digits} digit code for this step.`);
  return response;
}
