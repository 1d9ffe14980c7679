/**
 * What Pre Token Generation answers, as a pure function of what Cognito tells it:
 * the last word on who gets tokens. Define Auth Challenge's checks run earlier
 * and a factor can change between a sign-in's calls (a TOTP turned on after the
 * first call makes Cognito run its own MFA and never ask Define again), so here
 * an email-MFA user gets tokens only if Define recorded, for this user and app
 * client a moment ago, a right email code. Every path not named here refuses.
 *
 * Trigger sources as the developer guide lists them
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html):
 * HostedAuth, Authentication, NewPasswordChallenge, AuthenticateDevice and
 * RefreshTokens. Only a refresh goes without proof: its refresh token was issued
 * by a sign-in that passed this check.
 */
export interface TokenIssuanceFacts {
  /** event.triggerSource, e.g. TokenGeneration_Authentication. */
  readonly triggerSource: string;
  /** Email MFA enabled or preferred, or a mark that cannot be read (fail closed). */
  readonly emailMfaRequired: boolean;
  /** The user's sub; a proof is kept under it. */
  readonly sub: string | undefined;
  /** Unset until the proof was asked for; then whether one was consumed. */
  readonly proof?: 'CONSUMED' | 'MISSING';
}

export type TokenIssuanceDecision =
  | { readonly action: 'ALLOW'; readonly reason: string }
  | { readonly action: 'CONSUME_PROOF' }
  | { readonly action: 'REFUSE'; readonly reason: string };

/**
 * How long Define's proof of a right email code lives. Cognito runs Pre Token
 * Generation in the same API call as the Define that issued tokens, and waits at
 * most 5 seconds for a trigger (cold start included), so 10 seconds covers it
 * with a margin for the clocks of two functions and the second-granular expiry;
 * a longer life only widens the window in which another token issue for the same
 * user and client could take the proof (Define says why it cannot be bound
 * closer).
 */
export const signInProofLifetimeSeconds = 10;

export const refreshTriggerSource = 'TokenGeneration_RefreshTokens';

export function decideTokenIssuance(facts: TokenIssuanceFacts): TokenIssuanceDecision {
  if (facts.triggerSource === refreshTriggerSource) return { action: 'ALLOW', reason: 'refresh' };
  if (!facts.emailMfaRequired) return { action: 'ALLOW', reason: 'no email MFA' };
  if (!facts.sub) return { action: 'REFUSE', reason: 'email MFA user without a sub' };
  if (facts.proof === undefined) return { action: 'CONSUME_PROOF' };
  if (facts.proof === 'CONSUMED') return { action: 'ALLOW', reason: 'email code answered in this sign-in' };
  return { action: 'REFUSE', reason: 'no proof of the email code' };
}
