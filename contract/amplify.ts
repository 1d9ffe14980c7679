/**
 * Amplify Auth's MFA and sign-in shapes, once, for the API (what it answers),
 * the client (what it returns) and the tests. Names follow Amplify's
 * `fetchMFAPreference`, `updateMFAPreference`, `signIn` and `confirmSignIn`
 * (../shared/seed, and aws-amplify/amplify-js packages/auth/src/types).
 */
export type AuthMFAType = 'SMS' | 'TOTP' | 'EMAIL';
export type MFAPreference = 'ENABLED' | 'DISABLED' | 'PREFERRED' | 'NOT_PREFERRED';

export interface FetchMFAPreferenceOutput {
  enabled?: AuthMFAType[];
  preferred?: AuthMFAType;
}

export interface UpdateMFAPreferenceInput {
  sms?: MFAPreference;
  totp?: MFAPreference;
  email?: MFAPreference;
}

export type SignInStep =
  | 'CONFIRM_SIGN_IN_WITH_SMS_CODE'
  | 'CONFIRM_SIGN_IN_WITH_TOTP_CODE'
  | 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE'
  | 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION'
  | 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP'
  | 'CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED'
  | 'DONE';

/** Where a code went; `attributeName` only when a user attribute is being verified. */
export interface CodeDeliveryDetails {
  deliveryMedium?: string;
  destination?: string;
  attributeName?: string;
}

/**
 * A sign-in step as the API sends it. The client turns `totpSetupDetails.setupUri`
 * into Amplify's `getSetupUri` function, which JSON cannot carry.
 */
export interface NextStep {
  signInStep: SignInStep;
  codeDeliveryDetails?: CodeDeliveryDetails;
  allowedMFATypes?: AuthMFAType[];
  totpSetupDetails?: { sharedSecret: string; setupUri: string };
}

export interface Tokens {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  expiresIn: number;
}

/** What POST /auth/sign-in and /auth/confirm-sign-in answer: Amplify's SignInOutput, plus what a REST client must keep. */
export interface SignInOutput {
  isSignedIn: boolean;
  nextStep: NextStep;
  /** The session to answer `nextStep` with; absent once signed in. */
  session?: string;
  tokens?: Tokens;
}

/** POST /mfa/totp/setup: the secret, the key URI built from it, and that URI as a QR code. */
export interface SetUpTotpResponse {
  sharedSecret: string;
  setupUri: string;
  qrCodeSvg: string;
}

/** POST /mfa/sms/setup and /mfa/email/setup. */
export interface CodeDeliveryResponse {
  codeDeliveryDetails: CodeDeliveryDetails;
}

/** POST /mfa/recovery-codes: a new set, shown this once. Amplify has no recovery codes; the names follow its style. */
export interface GenerateRecoveryCodesOutput {
  /** Ten codes such as `7K3Q-M9XD-2RTB-HC4W`; each works once. */
  codes: string[];
  /** ISO 8601, when this set was issued. */
  issuedAt: string;
}

/** GET /mfa/recovery-codes. */
export interface RecoveryCodeStatus {
  /** Codes of the current set not used yet; 0 before any set. */
  remaining: number;
  /** ISO 8601; null before any set. */
  issuedAt: string | null;
}

/** The body of every error answer, Amplify's `AuthError` name and message. */
export interface ErrorBody {
  name: string;
  message: string;
}
