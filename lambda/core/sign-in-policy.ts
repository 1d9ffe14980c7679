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

/**
 * Create Auth Challenge marks a challenge it made while the user's failure budget
 * was locked (no code sent, none accepted) with this metadata prefix, so that the
 * answer to it ends the sign-in.
 */
export const lockedChallengeMetadataPrefix = 'EMAIL_OTP_LOCKED#';

export interface SignInFacts {
  readonly session: readonly ChallengeRecord[];
  readonly userNotFound: boolean;
  readonly clientId: string;
  /** This stack's app clients; any other client is refused. */
  readonly knownClientIds: readonly string[];
  /** Enabled, preferred, or a mark that cannot be read (fail closed). */
  readonly emailMfaEnabled: boolean;
  /**
   * SMS or TOTP enabled in Cognito, read at the first call only (one AdminGetUser
   * per sign-in); undefined at later calls. After the password Cognito asks Define
   * again only if it ran no native MFA of its own (amplify-js issues 3876, 9592,
   * 12887), and Pre Token Generation refuses an email-MFA user's tokens without
   * the email code, however Cognito got there.
   */
  readonly nativeMfaEnabled: boolean | undefined;
  readonly poolRequiresMfa: boolean;
  /** Answers allowed per sign-in before it fails. */
  readonly maxAnswers: number;
}

export type SignInDecision =
  /**
   * `switchOffNativeMfa`: an email-MFA user has SMS or TOTP on, turned on around
   * the API (which refuses the combination). Cognito would run that factor after
   * the password in place of the email code, so it is switched off first and the
   * user told; the email code is asked as usual.
   */
  | { readonly action: 'CHALLENGE'; readonly challengeName: 'PASSWORD_VERIFIER'; readonly switchOffNativeMfa: boolean }
  | { readonly action: 'CHALLENGE'; readonly challengeName: 'CUSTOM_CHALLENGE' }
  /** `recordEmailProof`: the email code was answered; Pre Token Generation will ask for the proof. */
  | { readonly action: 'ISSUE_TOKENS'; readonly recordEmailProof: boolean }
  | { readonly action: 'FAIL'; readonly reason: string };

const fail = (reason: string): SignInDecision => ({ action: 'FAIL', reason });
const passwordStep = (switchOffNativeMfa: boolean): SignInDecision => ({
  action: 'CHALLENGE',
  challengeName: 'PASSWORD_VERIFIER',
  switchOffNativeMfa,
});
const emailChallenge: SignInDecision = { action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' };

export function decideNextStep(facts: SignInFacts): SignInDecision {
  const { session } = facts;
  if (!facts.knownClientIds.includes(facts.clientId)) return fail('unknown app client');
  // With SRP the first call already holds Cognito's SRP_A entry; an empty session
  // means the client asked for a custom flow without the password.
  if (session[0]?.challengeName !== 'SRP_A') return fail('flow did not start with SRP');
  if (session.length === 1) {
    if (facts.userNotFound) return passwordStep(false);
    if (facts.nativeMfaEnabled === undefined) return fail('native MFA not read at the first call');
    return passwordStep(facts.emailMfaEnabled && facts.nativeMfaEnabled);
  }

  const password = session[1];
  if (password?.challengeName !== 'PASSWORD_VERIFIER' || !password.challengeResult) return fail('password not verified');

  const answers = session.slice(2);
  if (answers.some((entry) => entry.challengeName !== 'CUSTOM_CHALLENGE')) return fail('unexpected challenge in session');
  const answeredRight = answers.at(-1)?.challengeResult === true;

  if (facts.userNotFound) {
    // Never reached with a working SRP step; if it were, the fake challenge keeps failing.
    return answers.length < facts.maxAnswers && !answeredRight ? emailChallenge : fail('user not found');
  }
  if (!facts.emailMfaEnabled) {
    if (answers.length > 0) return fail('custom challenge answered by a user without email MFA');
    return facts.poolRequiresMfa
      ? fail('pool requires MFA and the user has no factor')
      : { action: 'ISSUE_TOKENS', recordEmailProof: false };
  }
  if (answers.some((entry) => entry.challengeMetadata?.startsWith(lockedChallengeMetadataPrefix))) {
    return fail('email MFA locked by the failure budget');
  }
  if (answeredRight) return { action: 'ISSUE_TOKENS', recordEmailProof: true };
  if (answers.length >= facts.maxAnswers) return fail('too many wrong answers');
  return emailChallenge;
}
