/**
 * What Define Auth Challenge answers at each step of a sign-in, as a pure
 * function of what Cognito tells it and what we know about the user. The flow is
 * SRP_A -> PASSWORD_VERIFIER -> (email MFA ? CUSTOM_CHALLENGE : tokens). Every
 * path not described here fails: this decides who gets tokens.
 */
export interface ChallengeRecord {
  readonly challengeName: string;
  readonly challengeResult: boolean;
  readonly challengeMetadata?: string;
}

export interface SignInFacts {
  readonly session: readonly ChallengeRecord[];
  readonly userNotFound: boolean;
  readonly clientId: string;
  /** This stack's app clients; any other client is refused. */
  readonly knownClientIds: readonly string[];
  /** Enabled, preferred, or a mark that cannot be read (fail closed). */
  readonly emailMfaEnabled: boolean;
  /** SMS or TOTP enabled in Cognito. */
  readonly nativeMfaEnabled: boolean;
  readonly poolRequiresMfa: boolean;
  readonly emailMfaLocked: boolean;
  /** Answers allowed per sign-in before it fails. */
  readonly maxAnswers: number;
}

export type SignInDecision =
  | { readonly action: 'CHALLENGE'; readonly challengeName: 'PASSWORD_VERIFIER' | 'CUSTOM_CHALLENGE' }
  | { readonly action: 'ISSUE_TOKENS' }
  | { readonly action: 'FAIL'; readonly reason: string };

const fail = (reason: string): SignInDecision => ({ action: 'FAIL', reason });
const challenge = (challengeName: 'PASSWORD_VERIFIER' | 'CUSTOM_CHALLENGE'): SignInDecision => ({
  action: 'CHALLENGE',
  challengeName,
});

export function decideNextStep(facts: SignInFacts): SignInDecision {
  const { session } = facts;
  if (!facts.knownClientIds.includes(facts.clientId)) return fail('unknown app client');
  // With SRP the first call already holds Cognito's SRP_A entry; an empty session
  // means the client asked for a custom flow without the password.
  if (session[0]?.challengeName !== 'SRP_A') return fail('flow did not start with SRP');
  // Only reachable around the API, which refuses the combination: fail before the password.
  if (facts.emailMfaEnabled && facts.nativeMfaEnabled && !facts.userNotFound) return fail('email MFA together with native MFA');
  if (session.length === 1) return challenge('PASSWORD_VERIFIER');

  const password = session[1];
  if (password?.challengeName !== 'PASSWORD_VERIFIER' || !password.challengeResult) return fail('password not verified');

  const answers = session.slice(2);
  if (answers.some((entry) => entry.challengeName !== 'CUSTOM_CHALLENGE')) return fail('unexpected challenge in session');
  const answeredRight = answers.at(-1)?.challengeResult === true;

  if (facts.userNotFound) {
    // Never reached with a working SRP step; if it were, the fake challenge keeps failing.
    return answers.length < facts.maxAnswers && !answeredRight ? challenge('CUSTOM_CHALLENGE') : fail('user not found');
  }
  // Cognito is reported to run its own MFA after the password for these users and
  // not to ask us again; if it ever did ask, tokens here would skip their factor.
  if (facts.nativeMfaEnabled) return fail('native MFA user reached Define after the password');
  if (!facts.emailMfaEnabled) {
    if (answers.length > 0) return fail('custom challenge answered by a user without email MFA');
    return facts.poolRequiresMfa ? fail('pool requires MFA and the user has no factor') : { action: 'ISSUE_TOKENS' };
  }
  if (answeredRight) return { action: 'ISSUE_TOKENS' };
  if (facts.emailMfaLocked) return fail('email MFA locked by the failure budget');
  if (answers.length >= facts.maxAnswers) return fail('too many wrong answers');
  return challenge('CUSTOM_CHALLENGE');
}
