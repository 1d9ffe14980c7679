import { UnsupportedChallengeError } from '../core/sign-in-steps';
import { passwordClaim, startSrp, type PasswordVerifierChallenge } from '../core/srp';
import { apiConfig } from '../config/api-config';
import { respondToChallenge, startSrpSignIn, type SignInAnswer } from './cognito-sign-in';
import { serverClient } from './server-client';

export interface PasswordStep {
  /** Cognito's name for the user (the sub), what later answers are made for; made up for a name without a user. */
  readonly userIdForSrp: string;
  /** Answers PASSWORD_VERIFIER with the SRP proof of the password. */
  answer(clientMetadata?: Readonly<Record<string, string>>): Promise<SignInAnswer>;
}

/**
 * The password step of a sign-in on the server client, as the deployment's apps run it:
 * CUSTOM_AUTH starting with SRP when email MFA guards sign-in, plain USER_SRP_AUTH
 * otherwise. The password only becomes the SRP proof, in memory, for this one call.
 */
export async function startPasswordStep(username: string, password: string): Promise<PasswordStep> {
  const srp = startSrp();
  const challenge = await startSrpSignIn(serverClient, apiConfig.emailMfa ? 'CUSTOM_AUTH' : 'USER_SRP_AUTH', username, srp.A);
  if (challenge.challengeName !== 'PASSWORD_VERIFIER') {
    throw new UnsupportedChallengeError(`Cognito answered SRP_A with ${challenge.challengeName ?? 'no challenge'}`);
  }
  const verifier = challenge.parameters as unknown as PasswordVerifierChallenge;
  const claim = passwordClaim(srp, verifier, apiConfig.userPoolId, password, new Date());
  return {
    userIdForSrp: verifier.USER_ID_FOR_SRP,
    answer: (clientMetadata) =>
      respondToChallenge(serverClient, 'PASSWORD_VERIFIER', challenge.session, verifier.USER_ID_FOR_SRP, claim, clientMetadata),
  };
}
