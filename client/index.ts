import type {
  AuthMFAType,
  CodeDeliveryDetails,
  FetchMFAPreferenceOutput,
  GenerateRecoveryCodesOutput,
  MFAPreference,
  NextStep,
  RecoveryCodeStatus,
  SetUpTotpResponse,
  SignInOutput as ApiSignInOutput,
  SignInStep,
  Tokens,
  UpdateMFAPreferenceInput,
} from '../contract/amplify.js';
import { totpSetupUri } from '../contract/totp-uri.js';
import { AuthError } from './auth-error.js';
import { callApi } from './http.js';
import { Session, type AuthSession, type AuthTokens, type AuthUser } from './session.js';
import { MemoryTokenStore, type TokenStore } from './token-store.js';

/**
 * Amplify Auth's sign-in, session and MFA functions over this service's REST
 * API: code written against Amplify's documentation runs with only the import
 * changed. Fetch only, no AWS SDK, no Node.js APIs: runs in browsers and Node.js
 * 22 or later. The types and the setup URI are the API's own (contract/), so the
 * two cannot drift apart. Sessions (refresh, sign-out, stores) are session.ts and
 * token-store.ts; client/README.md is the guide.
 */
export { AuthError };
export { MemoryTokenStore, WebStorageTokenStore, type KeyValueStorage, type StoredTokens, type TokenStore } from './token-store.js';
export type { JWT, JwtPayload } from './jwt.js';

export type { AuthMFAType, CodeDeliveryDetails, FetchMFAPreferenceOutput, MFAPreference, SignInStep, Tokens, UpdateMFAPreferenceInput };
export type { AuthSession, AuthTokens, AuthUser };

export interface SetUpTOTPOutput {
  sharedSecret: string;
  getSetupUri: (appName: string, accountName?: string) => string;
}
export interface VerifyTOTPSetupInput {
  code: string;
  friendlyDeviceName?: string;
}
export interface SignInInput {
  username: string;
  password: string;
}
export interface ConfirmSignInInput {
  challengeResponse: string;
}
/**
 * Amplify's next sign-in step: the API's step (contract/amplify.ts), with the
 * setup URI as Amplify's `getSetupUri` function and the MFA choices also under
 * the name the Amplify MFA document's example uses.
 */
export interface AuthNextSignInStep extends Omit<NextStep, 'totpSetupDetails'> {
  availableChallenges?: AuthMFAType[];
  totpSetupDetails?: { sharedSecret: string; getSetupUri: (appName: string, accountName?: string) => string };
}
export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: AuthNextSignInStep;
}

let apiUrl: string | undefined;
let session = new Session(undefined, new MemoryTokenStore());
/** The unfinished sign-in that confirmSignIn answers. */
let pendingSignIn: { username: string; session: string } | undefined;

/** `tokenStore`: where the session is kept; memory by default (see WebStorageTokenStore for browsers). */
export function configure(options: { apiUrl: string; tokenStore?: TokenStore }): void {
  apiUrl = options.apiUrl.replace(/\/+$/, '');
  session = new Session(apiUrl, options.tokenStore ?? new MemoryTokenStore());
  pendingSignIn = undefined;
}

/** A call with the session's access token (refreshed first if it is about to expire), or none when signed out. */
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return callApi<T>(apiUrl, method, path, body, (await session.current())?.accessToken);
}

/** A call of the sign-in routes, which take no token. */
function publicRequest<T>(path: string, body: unknown): Promise<T> {
  return callApi<T>(apiUrl, 'POST', path, body);
}

/** Amplify's getSetupUri: issuer and account percent-encoded, issuer in the label and as a parameter. */
function setupUriBuilder(sharedSecret: string, defaultAccount: string) {
  return (appName: string, accountName = defaultAccount) => {
    try {
      return totpSetupUri(sharedSecret, appName, accountName);
    } catch (error) {
      throw new AuthError({ name: (error as Error).name, message: (error as Error).message });
    }
  };
}

function finishStep(username: string, output: ApiSignInOutput): SignInOutput {
  const { totpSetupDetails, ...step } = output.nextStep;
  const nextStep: AuthNextSignInStep = { ...step };
  if (step.allowedMFATypes) nextStep.availableChallenges = step.allowedMFATypes;
  if (totpSetupDetails) {
    nextStep.totpSetupDetails = {
      sharedSecret: totpSetupDetails.sharedSecret,
      getSetupUri: setupUriBuilder(totpSetupDetails.sharedSecret, username),
    };
  }
  if (output.tokens) session.keep(output.tokens);
  pendingSignIn = output.session ? { username, session: output.session } : undefined;
  return { isSignedIn: output.isSignedIn, nextStep };
}

export async function signIn(input: SignInInput): Promise<SignInOutput> {
  // A new sign-in ends the old session as signOut does, so that its refresh token does not outlive
  // it; a failed revocation does not stop the sign-in (the old tokens are forgotten all the same).
  pendingSignIn = undefined;
  if (session.store.get()) await session.signOut(false).catch(() => undefined);
  const output = await publicRequest<ApiSignInOutput>('/auth/sign-in', input);
  return finishStep(input.username, output);
}

export async function confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput> {
  const pending = pendingSignIn;
  if (!pending) throw new AuthError({ name: 'SignInException', message: 'There is no sign-in to confirm. Call signIn first.' });
  const output = await publicRequest<ApiSignInOutput>('/auth/confirm-sign-in', { ...pending, ...input });
  return finishStep(pending.username, output);
}

export interface RecoverInput {
  username: string;
  password: string;
  /** One of the user's recovery codes; case, spaces and hyphens do not matter. */
  recoveryCode: string;
}

/**
 * Signs in with the password and a recovery code, for a user who lost a factor
 * (POST /auth/recover): the answer is a finished sign-in, recent enough to set up
 * a new factor at once. The code is used up. Every failure is one AuthError,
 * NotAuthorizedException "Incorrect username, password or recovery code.".
 */
export async function recover(input: RecoverInput): Promise<SignInOutput> {
  pendingSignIn = undefined;
  if (session.store.get()) await session.signOut(false).catch(() => undefined);
  const output = await publicRequest<ApiSignInOutput>('/auth/recover', input);
  return finishStep(input.username, output);
}

/**
 * Amplify's fetchAuthSession: the session's tokens as JWTs (`tokens` absent when
 * signed out), refreshed first when they expire within a minute or when
 * `forceRefresh` is set. A refresh the API refuses signs out here and throws its
 * AuthError (Amplify answers no tokens instead); a failed network or a fault
 * throws and keeps the session for the next try.
 */
export function fetchAuthSession(options: { forceRefresh?: boolean } = {}): Promise<AuthSession> {
  return session.authSession(options.forceRefresh);
}

/** Amplify's getCurrentUser, from the ID token; UserUnAuthenticatedException when signed out. */
export function getCurrentUser(): Promise<AuthUser> {
  return session.user();
}

/**
 * Amplify's signOut: revokes on the server (`global`: every session of the user;
 * else this session's refresh token, which also ends the tokens issued from it),
 * then forgets the tokens here even if that failed. Unlike Amplify, a failed
 * revocation is then thrown, so that the app can tell the user.
 */
export async function signOut(options: { global?: boolean } = {}): Promise<void> {
  pendingSignIn = undefined;
  await session.signOut(options.global === true);
}

export async function setUpTOTP(): Promise<SetUpTOTPOutput> {
  const { sharedSecret, setupUri } = await request<SetUpTotpResponse>('POST', '/mfa/totp/setup', {});
  // The account the API put in the URI (the user's email) is the default, as Amplify uses the username.
  const label = decodeURIComponent(setupUri.slice('otpauth://totp/'.length, setupUri.indexOf('?')));
  return { sharedSecret, getSetupUri: setupUriBuilder(sharedSecret, label.slice(label.indexOf(':') + 1)) };
}

export async function verifyTOTPSetup(input: VerifyTOTPSetupInput): Promise<void> {
  await request('POST', '/mfa/totp/verify', input);
}

export async function updateMFAPreference(input: UpdateMFAPreferenceInput): Promise<void> {
  await request('PUT', '/mfa/preference', input);
}

export function fetchMFAPreference(): Promise<FetchMFAPreferenceOutput> {
  return request<FetchMFAPreferenceOutput>('GET', '/mfa/preference');
}

/** Sets the phone number SMS codes go to; Cognito texts it a code for verifySMSSetup. */
export async function setUpSMS(input: { phoneNumber: string }): Promise<{ codeDeliveryDetails: CodeDeliveryDetails }> {
  return request('POST', '/mfa/sms/setup', input);
}

export async function verifySMSSetup(input: { code: string }): Promise<void> {
  await request('POST', '/mfa/sms/verify', input);
}

/** Emails the user a code for verifyEmailSetup, which enrols the address for sign-in codes. */
export async function setUpEmail(): Promise<{ codeDeliveryDetails: CodeDeliveryDetails }> {
  return request('POST', '/mfa/email/setup', {});
}

export async function verifyEmailSetup(input: { code: string }): Promise<void> {
  await request('POST', '/mfa/email/verify', input);
}

/**
 * A new set of ten recovery codes, shown this once: keep them somewhere safe. The
 * previous set stops working. Needs a recent sign-in (ReauthenticationRequiredException otherwise).
 */
export function generateRecoveryCodes(): Promise<GenerateRecoveryCodesOutput> {
  return request<GenerateRecoveryCodesOutput>('POST', '/mfa/recovery-codes', {});
}

/** How many recovery codes are left unused, and when the set was issued (`remaining: 0, issuedAt: null` before any). */
export function getRecoveryCodeStatus(): Promise<RecoveryCodeStatus> {
  return request<RecoveryCodeStatus>('GET', '/mfa/recovery-codes');
}

export type { GenerateRecoveryCodesOutput, RecoveryCodeStatus };
