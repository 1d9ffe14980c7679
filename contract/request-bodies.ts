import type { ObjectSchema } from './schema.js';

/**
 * Request bodies of every route. contract/routes.ts gives each route its own;
 * `lib/` turns them into API Gateway models, the handlers check them again, and
 * docs/openapi.yaml repeats them (a test keeps the three in step).
 */
const mfaPreferenceValues = ['ENABLED', 'DISABLED', 'PREFERRED', 'NOT_PREFERRED'] as const;

const sixDigitCode = {
  type: 'string',
  description: 'a 6-digit code',
  pattern: '^[0-9]{6}$',
} as const;

export const setUpTotpSchema = {
  type: 'object',
  title: 'SetUpTotpRequest',
  // Google Authenticator's key URI format forbids a colon in issuer and account name.
  properties: {
    appName: { type: 'string', description: 'an issuer name without a colon', minLength: 1, maxLength: 128, pattern: '^[^:]+$' },
    accountName: { type: 'string', description: 'an account name without a colon', minLength: 1, maxLength: 128, pattern: '^[^:]+$' },
  },
  required: [],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const verifyTotpSetupSchema = {
  type: 'object',
  title: 'VerifyTotpSetupRequest',
  properties: {
    code: sixDigitCode,
    friendlyDeviceName: {
      type: 'string',
      description: 'a device name of printable characters',
      minLength: 1,
      maxLength: 64,
      pattern: '^[^\\u0000-\\u001f\\u007f]+$',
    },
  },
  required: ['code'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const updateMfaPreferenceSchema = {
  type: 'object',
  title: 'UpdateMfaPreferenceRequest',
  properties: {
    sms: { type: 'string', description: 'an MFA preference', enum: mfaPreferenceValues },
    totp: { type: 'string', description: 'an MFA preference', enum: mfaPreferenceValues },
    email: { type: 'string', description: 'an MFA preference', enum: mfaPreferenceValues },
  },
  required: [],
  minProperties: 1,
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const setUpSmsSchema = {
  type: 'object',
  title: 'SetUpSmsRequest',
  properties: {
    phoneNumber: {
      type: 'string',
      description: 'a phone number in E.164 format, such as +14155550100',
      pattern: '^\\+[1-9][0-9]{6,14}$',
    },
  },
  required: ['phoneNumber'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const verifySmsSchema = {
  type: 'object',
  title: 'VerifySmsRequest',
  properties: { code: sixDigitCode },
  required: ['code'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const setUpEmailSchema = {
  type: 'object',
  title: 'SetUpEmailRequest',
  properties: {},
  required: [],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const verifyEmailSchema = {
  type: 'object',
  title: 'VerifyEmailRequest',
  properties: {
    code: { type: 'string', description: 'the 6 to 8 digit code from the email', pattern: '^[0-9]{6,8}$' },
  },
  required: ['code'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const generateRecoveryCodesSchema = {
  type: 'object',
  title: 'GenerateRecoveryCodesRequest',
  properties: {},
  required: [],
  additionalProperties: false,
} as const satisfies ObjectSchema;

/** The sign-in name and password, as POST /auth/sign-in and POST /auth/recover take them. */
const usernameField = {
  type: 'string',
  description: 'a user name or email of at most 128 characters',
  minLength: 1,
  maxLength: 128,
} as const;
const passwordField = { type: 'string', description: 'a password of at most 256 characters', minLength: 1, maxLength: 256 } as const;

export const signInSchema = {
  type: 'object',
  title: 'SignInRequest',
  properties: {
    username: usernameField,
    password: passwordField,
  },
  required: ['username', 'password'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const confirmSignInSchema = {
  type: 'object',
  title: 'ConfirmSignInRequest',
  properties: {
    username: { type: 'string', description: 'the user name or email signed in with', minLength: 1, maxLength: 128 },
    session: { type: 'string', description: 'the session of the previous answer', minLength: 1, maxLength: 4096 },
    challengeResponse: {
      type: 'string',
      description: 'a code, SMS or TOTP, or a new password, of at most 256 characters',
      minLength: 1,
      maxLength: 256,
    },
  },
  required: ['username', 'session', 'challengeResponse'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

/** POST /auth/refresh and POST /auth/sign-out; the pattern is the one RevokeToken documents for a token. */
export const refreshTokenSchema = {
  type: 'object',
  title: 'RefreshTokenRequest',
  properties: {
    refreshToken: {
      type: 'string',
      description: 'the refresh token of a sign-in through this API',
      minLength: 1,
      maxLength: 4096,
      pattern: '^[A-Za-z0-9._=-]+$',
    },
  },
  required: ['refreshToken'],
  additionalProperties: false,
} as const satisfies ObjectSchema;

export const recoverSchema = {
  type: 'object',
  title: 'RecoverRequest',
  properties: {
    username: usernameField,
    password: passwordField,
    recoveryCode: {
      type: 'string',
      description: 'a recovery code: 16 letters and digits, spaces and hyphens allowed',
      minLength: 16,
      maxLength: 40,
      pattern: '^[A-Za-z0-9 -]+$',
    },
  },
  required: ['username', 'password', 'recoveryCode'],
  additionalProperties: false,
} as const satisfies ObjectSchema;
