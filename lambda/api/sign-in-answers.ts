import type { ErrorOverrides } from '../http/error-responses';
import { encodeSession, nextStepFor, type NextStep, type SupportedChallenge } from '../core/sign-in-steps';
import { totpSetupUri } from '../core/totp-uri';
import { associateSoftwareTokenInSession, type ServerClient, type SignInAnswer } from '../services/cognito-sign-in';
import { apiConfig } from './config';

/** What POST /auth/sign-in and /auth/confirm-sign-in answer: Amplify's SignInOutput, plus what a REST client must keep. */
export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: NextStep;
  session?: string;
  tokens?: { accessToken: string; idToken: string; refreshToken?: string; expiresIn: number };
}

export const serverClient: ServerClient = { userPoolId: apiConfig.userPoolId, clientId: apiConfig.serverClientId };

const incorrectCredentials = { status: 401, name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

/**
 * Sign-in answers every failure that could tell whether an account exists, is
 * disabled, unconfirmed or must reset its password in one way: the same status,
 * name and message as a wrong password.
 */
export const signInErrorOverrides: ErrorOverrides = {
  NotAuthorizedException: incorrectCredentials,
  UserNotFoundException: incorrectCredentials,
  UserNotConfirmedException: incorrectCredentials,
  PasswordResetRequiredException: incorrectCredentials,
};

const signInAgain = {
  status: 401,
  name: 'NotAuthorizedException',
  message: 'The sign-in session is invalid or has expired, or too many answers were wrong. Sign in again.',
};

export const confirmSignInErrorOverrides: ErrorOverrides = {
  NotAuthorizedException: signInAgain,
  UserNotFoundException: signInAgain,
  UserNotConfirmedException: signInAgain,
  PasswordResetRequiredException: signInAgain,
};

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
