import type { SignInOutput } from '../../contract/amplify';
import { totpSetupUri } from '../../contract/totp-uri';
import { apiConfig } from '../config/api-config';
import { encodeSession, nextStepFor, type SupportedChallenge } from '../core/sign-in-steps';
import { associateSoftwareTokenInSession, type SignInAnswer } from './cognito-sign-in';

/**
 * Cognito's answer as Amplify's: tokens when done, else the next step and the
 * session to answer it with. `cognitoUsername` is the user's Cognito user name
 * (the sub; what SECRET_HASH must be computed over), used when a challenge does
 * not repeat it; `typedUsername` only labels a new authenticator.
 */
export async function toSignInOutput(
  answer: SignInAnswer,
  { typedUsername, cognitoUsername }: { typedUsername: string; cognitoUsername: string },
): Promise<SignInOutput> {
  if (answer.tokens?.AccessToken && answer.tokens.IdToken) {
    return {
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
      tokens: {
        accessToken: answer.tokens.AccessToken,
        idToken: answer.tokens.IdToken,
        refreshToken: answer.tokens.RefreshToken,
        expiresIn: answer.tokens.ExpiresIn ?? 3600,
      },
    };
  }
  const nextStep = nextStepFor(answer.challengeName, answer.parameters);
  const challengeName = answer.challengeName as SupportedChallenge;
  let cognitoSession = answer.session ?? '';
  const username = answer.parameters.USERNAME ?? answer.parameters.USER_ID_FOR_SRP ?? cognitoUsername;
  if (challengeName === 'MFA_SETUP') {
    const association = await associateSoftwareTokenInSession(cognitoSession);
    cognitoSession = association.session;
    nextStep.totpSetupDetails = {
      sharedSecret: association.sharedSecret,
      // The key URI format reserves the colon; a user name is not checked for one, so it is dropped.
      setupUri: totpSetupUri(association.sharedSecret, apiConfig.appName, typedUsername.replaceAll(':', '')),
    };
  }
  return {
    isSignedIn: false,
    nextStep,
    session: encodeSession({ challengeName, username, cognitoSession }),
  };
}
