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

/**
 * Amplify Auth's MFA functions over this service's REST API: code written
 * against Amplify's MFA documentation runs with only the import changed. Fetch
 * only, no AWS SDK, no Node.js APIs: runs in browsers and Node.js 22 or later.
 * The types and the setup URI are the API's own (contract/), so the two cannot
 * drift apart.
 */
export { AuthError };

export type { AuthMFAType, CodeDeliveryDetails, FetchMFAPreferenceOutput, MFAPreference, SignInStep, Tokens, UpdateMFAPreferenceInput };

/** Where the tokens of a finished sign-in are kept. The default keeps them in memory. */
export interface TokenStore {
  get(): Tokens | undefined;
  set(tokens: Tokens): void;
  clear(): void;
}

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

function memoryStore(): TokenStore {
  let tokens: Tokens | undefined;
  return { get: () => tokens, set: (value) => (tokens = value), clear: () => (tokens = undefined) };
}

let apiUrl: string | undefined;
let tokenStore: TokenStore = memoryStore();
/** The unfinished sign-in that confirmSignIn answers. */
let pendingSignIn: { username: string; session: string } | undefined;

export function configure(options: { apiUrl: string; tokenStore?: TokenStore }): void {
  apiUrl = options.apiUrl.replace(/\/+$/, '');
  tokenStore = options.tokenStore ?? memoryStore();
  pendingSignIn = undefined;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (!apiUrl) throw new AuthError({ name: 'InvalidParameterException', message: 'Call configure({ apiUrl }) first.' });
  const accessToken = tokenStore.get()?.accessToken;
  let response: Response;
  try {
    response = await fetch(apiUrl + path, {
      method,
      headers: {
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...(accessToken && { Authorization: `Bearer ${accessToken}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new AuthError({ name: 'NetworkError', message: error instanceof Error ? error.message : 'The API could not be reached.' });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { name?: unknown; message?: unknown };
    throw new AuthError({
      name: typeof error.name === 'string' ? error.name : 'UnknownError',
      message: typeof error.message === 'string' ? error.message : `The API answered ${response.status}.`,
      status: response.status,
    });
  }
  return parsed as T;
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
  if (output.tokens) tokenStore.set(output.tokens);
  pendingSignIn = output.session ? { username, session: output.session } : undefined;
  return { isSignedIn: output.isSignedIn, nextStep };
}

export async function signIn(input: SignInInput): Promise<SignInOutput> {
  // A new sign-in ends the old one: its tokens are neither kept nor sent.
  pendingSignIn = undefined;
  tokenStore.clear();
  const output = await request<ApiSignInOutput>('POST', '/auth/sign-in', input);
  return finishStep(input.username, output);
}

export async function confirmSignIn(input: ConfirmSignInInput): Promise<SignInOutput> {
  const pending = pendingSignIn;
  if (!pending) throw new AuthError({ name: 'SignInException', message: 'There is no sign-in to confirm. Call signIn first.' });
  const output = await request<ApiSignInOutput>('POST', '/auth/confirm-sign-in', { ...pending, ...input });
  return finishStep(pending.username, output);
}

export function signOut(): Promise<void> {
  tokenStore.clear();
  pendingSignIn = undefined;
  return Promise.resolve();
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
