/**
 * What Define Auth Challenge answers at each step of a sign-in, as a pure
 * function of what Cognito tells it and what we know about the user. Three flows
 * exist, and every path not described here fails: this decides who gets tokens.
 * - Sign-in: SRP_A -> PASSWORD_VERIFIER -> (email MFA ? CUSTOM_CHALLENGE : tokens).
 * - The API's password check for recovery, on the server client only: the same
 *   start, then, with `purpose` PASSWORD_CHECK in the password answer's
 *   ClientMetadata, a CUSTOM_CHALLENGE that sends nothing and never succeeds
 *   (PASSWORD_CHECKED): reaching it proves the password, and nothing is issued or
 *   emailed. Users with SMS or TOTP get Cognito's own challenge there instead.
 * - Recovery, on the server client only: CUSTOM_AUTH without SRP_A, one
 *   CUSTOM_CHALLENGE (RECOVERY) answered with the ticket POST /auth/recover minted
 *   after the password and a recovery code; then tokens. Cognito applies no native
 *   MFA to a custom flow without a password step, which is the point: the user has
 *   lost that factor. The client secret the server client needs, and the ticket,
 *   only the API holds.
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

/** Create Auth Challenge's metadata on the recovery and password-check challenges. */
export const recoveryChallengeMetadata = 'RECOVERY';
export const passwordCheckedChallengeMetadata = 'PASSWORD_CHECKED';

/** The ClientMetadata the API sends with the password answer of its password check. */
export const passwordCheckMetadata = { purpose: 'PASSWORD_CHECK' } as const;

export type CustomChallengeKind = 'EMAIL_OTP' | 'RECOVERY' | 'PASSWORD_CHECKED';

/**
 * Which custom challenge Create Auth Challenge makes, from what both it and Define
 * see: no password step is recovery (Define asks for it only on the server client),
 * the password check's metadata on the server client is the check, anything else
 * the email code.
 */
export function customChallengeKind(facts: {
  readonly session: readonly ChallengeRecord[];
  readonly clientId: string;
  readonly serverClientId: string;
  readonly clientMetadata: Readonly<Record<string, string>> | undefined;
}): CustomChallengeKind {
  if (facts.session[0]?.challengeName !== 'SRP_A') return 'RECOVERY';
  const checking = facts.clientId === facts.serverClientId && facts.clientMetadata?.purpose === passwordCheckMetadata.purpose;
  return checking && facts.session.at(-1)?.challengeName === 'PASSWORD_VERIFIER' ? 'PASSWORD_CHECKED' : 'EMAIL_OTP';
}

export interface SignInFacts {
  readonly session: readonly ChallengeRecord[];
  readonly userNotFound: boolean;
  readonly clientId: string;
  /** This stack's app clients; any other client is refused. */
  readonly knownClientIds: readonly string[];
  /** The API's confidential client: the only one that may recover or check a password. */
  readonly serverClientId: string;
  /** This call's ClientMetadata (Cognito passes RespondToAuthChallenge's on to Define). */
  readonly clientMetadata: Readonly<Record<string, string>> | undefined;
  /**
   * Whether the deployment has email codes at all. Without them the clients sign in
   * with plain SRP and the triggers exist for recovery alone: a custom flow with a
   * password has nothing to ask for.
   */
  readonly emailMfaDeployed: boolean;
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
  /** `recordProof`: the email code or a recovery ticket was answered; Pre Token Generation will ask for the proof. */
  | { readonly action: 'ISSUE_TOKENS'; readonly recordProof: boolean }
  | { readonly action: 'FAIL'; readonly reason: string };

const fail = (reason: string): SignInDecision => ({ action: 'FAIL', reason });
const passwordStep = (switchOffNativeMfa: boolean): SignInDecision => ({
  action: 'CHALLENGE',
  challengeName: 'PASSWORD_VERIFIER',
  switchOffNativeMfa,
});
/** Create decides which custom challenge it is (customChallengeKind). */
const customChallenge: SignInDecision = { action: 'CHALLENGE', challengeName: 'CUSTOM_CHALLENGE' };

export function decideNextStep(facts: SignInFacts): SignInDecision {
  const { session } = facts;
  if (!facts.knownClientIds.includes(facts.clientId)) return fail('unknown app client');
  // With SRP the first call already holds Cognito's SRP_A entry; an empty session
  // means the client asked for a custom flow without the password.
  if (session[0]?.challengeName !== 'SRP_A') return decideRecovery(facts);
  if (!facts.emailMfaDeployed) return fail('custom sign-in with a password without email MFA');
  if (session.length === 1) {
    if (facts.userNotFound) return passwordStep(false);
    if (facts.nativeMfaEnabled === undefined) return fail('native MFA not read at the first call');
    return passwordStep(facts.emailMfaEnabled && facts.nativeMfaEnabled);
  }

  const password = session[1];
  if (password?.challengeName !== 'PASSWORD_VERIFIER' || !password.challengeResult) return fail('password not verified');

  const answers = session.slice(2);
  if (answers.some((entry) => entry.challengeName !== 'CUSTOM_CHALLENGE')) return fail('unexpected challenge in session');
  if (answers.some((entry) => entry.challengeMetadata === passwordCheckedChallengeMetadata)) return fail('password check answered');
  if (answers.length === 0 && customChallengeKind(facts) === 'PASSWORD_CHECKED') return customChallenge;
  const answeredRight = answers.at(-1)?.challengeResult === true;

  if (facts.userNotFound) {
    // Never reached with a working SRP step; if it were, the fake challenge keeps failing.
    return answers.length < facts.maxAnswers && !answeredRight ? customChallenge : fail('user not found');
  }
  if (!facts.emailMfaEnabled) {
    if (answers.length > 0) return fail('custom challenge answered by a user without email MFA');
    return facts.poolRequiresMfa ? fail('pool requires MFA and the user has no factor') : { action: 'ISSUE_TOKENS', recordProof: false };
  }
  if (answers.some((entry) => entry.challengeMetadata?.startsWith(lockedChallengeMetadataPrefix))) {
    return fail('email MFA locked by the failure budget');
  }
  if (answeredRight) return { action: 'ISSUE_TOKENS', recordProof: true };
  if (answers.length >= facts.maxAnswers) return fail('too many wrong answers');
  return customChallenge;
}

/** A custom flow without the password: only the API's recovery, with one answer. */
function decideRecovery(facts: SignInFacts): SignInDecision {
  const { session } = facts;
  if (facts.clientId !== facts.serverClientId) return fail('flow did not start with SRP');
  if (facts.userNotFound) return fail('user not found');
  if (session.length === 0) return customChallenge;
  const [answer, ...more] = session;
  if (more.length > 0 || answer?.challengeName !== 'CUSTOM_CHALLENGE' || answer.challengeMetadata !== recoveryChallengeMetadata) {
    return fail('unexpected challenge in recovery');
  }
  return answer.challengeResult ? { action: 'ISSUE_TOKENS', recordProof: true } : fail('recovery ticket refused');
}
