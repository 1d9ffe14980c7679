/**
 * The Lambda environment, as one typed codec per kind of function: `lib/` encodes
 * a function's settings into its environment, the function decodes them once at
 * module load (lambda/config/), and tests and the bench encode theirs the same
 * way. No other file names an environment variable of ours.
 *
 * Decoding fails loudly on a missing or out-of-range value, so a broken
 * deployment fails its first invocation instead of a later request quietly.
 * Encoding checks the same bounds, so synthesis cannot write what a function
 * would refuse to read. Values may be CloudFormation tokens (strings) in `lib/`.
 */
export type Environment = Readonly<Record<string, string | undefined>>;

export type MfaMode = 'OFF' | 'OPTIONAL' | 'REQUIRED';

export interface FailureBudgetSettings {
  /** Wrong codes allowed in `windowSeconds` before the budget locks for `lockSeconds`. */
  readonly maxFailures: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

/** Email MFA settings shared by the triggers and the enrolment routes. */
export interface EmailMfaSettings {
  readonly tableName: string;
  readonly codeLength: number;
  readonly codeTtlSeconds: number;
  readonly failureBudget: FailureBudgetSettings;
}

/** What every function's logger reads. */
export interface LoggingSettings {
  readonly logLevel: string;
  readonly serviceName: string;
}

/** What the API functions read. */
export interface ApiFunctionSettings {
  /** Issuer in authenticator apps when the client names none, and the name in emails. */
  readonly appName: string;
  readonly userPoolId: string;
  /** The confidential app client the sign-in routes use; its secret is read from Cognito. */
  readonly serverClientId: string;
  /** Sender of codes and security notices. */
  readonly emailFrom: string;
  /** How recent a sign-in must be to change factors. */
  readonly stepUpMaxAgeSeconds: number;
  /** Origins that get CORS headers; empty means same-origin only. */
  readonly corsAllowedOrigins: readonly string[];
  /** The MFA table (lib/mfa-table.ts), which exists with or without email MFA: the recovery code sets are kept there. */
  readonly mfaTableName: string;
  /** Undefined when the stack is deployed with email MFA off. */
  readonly emailMfa: EmailMfaSettings | undefined;
}

/** What the custom auth challenge triggers read. */
export interface TriggerFunctionSettings {
  readonly appName: string;
  readonly emailFrom: string;
  /** SSM parameter with this stack's app client ids (lambda/services/app-clients.ts says why not the environment). */
  readonly clientsParameter: string;
  readonly mfaMode: MfaMode;
  /**
   * Off: the triggers exist for recovery alone (lambda/core/sign-in-policy.ts), no
   * sign-in asks for an email code, and `emailMfa` holds only the table and the
   * defaults no code path uses.
   */
  readonly emailMfaDeployed: boolean;
  readonly emailMfa: EmailMfaSettings;
}

/** What the custom SMS and email sender triggers read, besides the send caps. */
export interface SenderFunctionSettings {
  /** Named in every message. */
  readonly appName: string;
  /** From address of the pool's emails (the email sender's role may send from it only). */
  readonly emailFrom: string;
  /** ARN of the KMS key Cognito encrypts codes under: the only key the senders' keyring will use. */
  readonly keyArn: string;
}

/** Per-account caps on what the service sends (lambda/core/send-caps.ts): the API's SMS and email routes, and Create Auth Challenge. */
export interface SendCapSettings {
  /** The MFA table, which exists with or without email MFA. */
  readonly tableName: string;
  /** Email codes (sign-in and enrolment) per user in a sliding window. */
  readonly emailCodes: { readonly max: number; readonly windowSeconds: number };
  readonly sms: {
    /** Different phone numbers per user per day. */
    readonly numbersPerDay: number;
    /** SMS texts (codes and old-number notices) per user per hour. */
    readonly textsPerHour: number;
    readonly cooldownSeconds: number;
    /** Calling codes or longer prefixes, digits only; empty refuses every number. */
    readonly allowedCountries: readonly string[];
  };
}

export interface EnvironmentCodec<T> {
  encode(settings: T): Record<string, string>;
  decode(environment: Environment): T;
}

/** The bounds every whole-number setting is held to, on both sides. */
export const environmentBounds = {
  stepUpMaxAgeSeconds: [60, 86_400],
  codeLength: [6, 8],
  codeTtlSeconds: [60, 600],
  maxFailures: [3, 100],
  windowSeconds: [60, 86_400],
  lockSeconds: [60, 86_400],
  emailSendsPerWindow: [1, 100],
  emailSendWindowSeconds: [60, 86_400],
  smsNumbersPerDay: [1, 20],
  // A number change with SMS MFA on takes two texts: the code and the old number's notice.
  smsTextsPerHour: [2, 100],
  smsCodeCooldownSeconds: [0, 3_600],
} as const satisfies Record<string, readonly [number, number]>;

class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

function text(environment: Environment, name: string): string {
  const value = environment[name];
  if (value === undefined || value === '') {
    throw new EnvironmentError(`Environment variable ${name} is not set; the stack sets it for every function that reads it.`);
  }
  return value;
}

function whole(environment: Environment, name: string, [min, max]: readonly [number, number]): number {
  return checkedWhole(name, Number(text(environment, name)), [min, max]);
}

function checkedWhole(name: string, value: number, [min, max]: readonly [number, number]): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EnvironmentError(`Environment variable ${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

function wholeText(name: string, value: number, bounds: readonly [number, number]): string {
  return String(checkedWhole(name, value, bounds));
}

function oneOf<const T extends string>(environment: Environment, name: string, allowed: readonly T[]): T {
  const value = text(environment, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new EnvironmentError(`Environment variable ${name} must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A comma-separated list; empty or unset means none. */
function list(environment: Environment, name: string): readonly string[] {
  return (environment[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Calling codes, or longer prefixes to narrow one (E.164 numbers have at most 15 digits). */
function callingCodes(name: string, codes: readonly string[]): readonly string[] {
  if (!codes.every((code) => /^[1-9][0-9]{0,5}$/.test(code))) {
    throw new EnvironmentError(`Environment variable ${name} must list calling codes of 1 to 6 digits, such as 44,49.`);
  }
  return codes;
}

export const loggingEnvironment: EnvironmentCodec<LoggingSettings> = {
  encode: (settings) => ({ LOG_LEVEL: settings.logLevel, SERVICE_NAME: settings.serviceName }),
  // Lenient on purpose: the logger also runs in tools and tests that set neither.
  decode: (environment) => ({
    logLevel: environment.LOG_LEVEL ?? 'INFO',
    serviceName: environment.SERVICE_NAME ?? 'mfa-service',
  }),
};

/**
 * The stack has one MFA table (lib/mfa-table.ts): the email settings, the caps and the API
 * each carry its name, always in the one variable MFA_TABLE_NAME, whichever codecs a
 * function's environment combines.
 */
export const emailMfaEnvironment: EnvironmentCodec<EmailMfaSettings> = {
  encode: (settings) => ({
    MFA_TABLE_NAME: settings.tableName,
    EMAIL_CODE_LENGTH: wholeText('EMAIL_CODE_LENGTH', settings.codeLength, environmentBounds.codeLength),
    EMAIL_CODE_TTL_SECONDS: wholeText('EMAIL_CODE_TTL_SECONDS', settings.codeTtlSeconds, environmentBounds.codeTtlSeconds),
    EMAIL_MAX_FAILURES: wholeText('EMAIL_MAX_FAILURES', settings.failureBudget.maxFailures, environmentBounds.maxFailures),
    EMAIL_FAILURE_WINDOW_SECONDS: wholeText(
      'EMAIL_FAILURE_WINDOW_SECONDS',
      settings.failureBudget.windowSeconds,
      environmentBounds.windowSeconds,
    ),
    EMAIL_LOCK_SECONDS: wholeText('EMAIL_LOCK_SECONDS', settings.failureBudget.lockSeconds, environmentBounds.lockSeconds),
  }),
  decode: (environment) => ({
    tableName: text(environment, 'MFA_TABLE_NAME'),
    codeLength: whole(environment, 'EMAIL_CODE_LENGTH', environmentBounds.codeLength),
    codeTtlSeconds: whole(environment, 'EMAIL_CODE_TTL_SECONDS', environmentBounds.codeTtlSeconds),
    failureBudget: {
      maxFailures: whole(environment, 'EMAIL_MAX_FAILURES', environmentBounds.maxFailures),
      windowSeconds: whole(environment, 'EMAIL_FAILURE_WINDOW_SECONDS', environmentBounds.windowSeconds),
      lockSeconds: whole(environment, 'EMAIL_LOCK_SECONDS', environmentBounds.lockSeconds),
    },
  }),
};

export const apiEnvironment: EnvironmentCodec<ApiFunctionSettings> = {
  encode: (settings) => ({
    APP_NAME: settings.appName,
    USER_POOL_ID: settings.userPoolId,
    SERVER_CLIENT_ID: settings.serverClientId,
    EMAIL_FROM: settings.emailFrom,
    STEP_UP_MAX_AGE_SECONDS: wholeText('STEP_UP_MAX_AGE_SECONDS', settings.stepUpMaxAgeSeconds, environmentBounds.stepUpMaxAgeSeconds),
    CORS_ALLOWED_ORIGINS: settings.corsAllowedOrigins.join(','),
    MFA_TABLE_NAME: settings.mfaTableName,
    EMAIL_MFA: settings.emailMfa ? 'on' : 'off',
    ...(settings.emailMfa && emailMfaEnvironment.encode(settings.emailMfa)),
  }),
  decode: (environment) => ({
    appName: text(environment, 'APP_NAME'),
    userPoolId: text(environment, 'USER_POOL_ID'),
    serverClientId: text(environment, 'SERVER_CLIENT_ID'),
    emailFrom: text(environment, 'EMAIL_FROM'),
    stepUpMaxAgeSeconds: whole(environment, 'STEP_UP_MAX_AGE_SECONDS', environmentBounds.stepUpMaxAgeSeconds),
    corsAllowedOrigins: list(environment, 'CORS_ALLOWED_ORIGINS'),
    mfaTableName: text(environment, 'MFA_TABLE_NAME'),
    emailMfa: oneOf(environment, 'EMAIL_MFA', ['on', 'off']) === 'on' ? emailMfaEnvironment.decode(environment) : undefined,
  }),
};

export const triggerEnvironment: EnvironmentCodec<TriggerFunctionSettings> = {
  encode: (settings) => ({
    APP_NAME: settings.appName,
    EMAIL_FROM: settings.emailFrom,
    CLIENTS_PARAMETER: settings.clientsParameter,
    MFA_MODE: settings.mfaMode,
    EMAIL_MFA: settings.emailMfaDeployed ? 'on' : 'off',
    ...emailMfaEnvironment.encode(settings.emailMfa),
  }),
  decode: (environment) => ({
    appName: text(environment, 'APP_NAME'),
    emailFrom: text(environment, 'EMAIL_FROM'),
    clientsParameter: text(environment, 'CLIENTS_PARAMETER'),
    mfaMode: oneOf(environment, 'MFA_MODE', ['OFF', 'OPTIONAL', 'REQUIRED']),
    emailMfaDeployed: oneOf(environment, 'EMAIL_MFA', ['on', 'off']) === 'on',
    emailMfa: emailMfaEnvironment.decode(environment),
  }),
};

export const sendCapsEnvironment: EnvironmentCodec<SendCapSettings> = {
  encode: (settings) => ({
    MFA_TABLE_NAME: settings.tableName,
    EMAIL_SENDS_PER_WINDOW: wholeText('EMAIL_SENDS_PER_WINDOW', settings.emailCodes.max, environmentBounds.emailSendsPerWindow),
    EMAIL_SEND_WINDOW_SECONDS: wholeText(
      'EMAIL_SEND_WINDOW_SECONDS',
      settings.emailCodes.windowSeconds,
      environmentBounds.emailSendWindowSeconds,
    ),
    SMS_NUMBERS_PER_DAY: wholeText('SMS_NUMBERS_PER_DAY', settings.sms.numbersPerDay, environmentBounds.smsNumbersPerDay),
    SMS_TEXTS_PER_HOUR: wholeText('SMS_TEXTS_PER_HOUR', settings.sms.textsPerHour, environmentBounds.smsTextsPerHour),
    SMS_CODE_COOLDOWN_SECONDS: wholeText(
      'SMS_CODE_COOLDOWN_SECONDS',
      settings.sms.cooldownSeconds,
      environmentBounds.smsCodeCooldownSeconds,
    ),
    SMS_ALLOWED_COUNTRIES: callingCodes('SMS_ALLOWED_COUNTRIES', settings.sms.allowedCountries).join(','),
  }),
  decode: (environment) => ({
    tableName: text(environment, 'MFA_TABLE_NAME'),
    emailCodes: {
      max: whole(environment, 'EMAIL_SENDS_PER_WINDOW', environmentBounds.emailSendsPerWindow),
      windowSeconds: whole(environment, 'EMAIL_SEND_WINDOW_SECONDS', environmentBounds.emailSendWindowSeconds),
    },
    sms: {
      numbersPerDay: whole(environment, 'SMS_NUMBERS_PER_DAY', environmentBounds.smsNumbersPerDay),
      textsPerHour: whole(environment, 'SMS_TEXTS_PER_HOUR', environmentBounds.smsTextsPerHour),
      cooldownSeconds: whole(environment, 'SMS_CODE_COOLDOWN_SECONDS', environmentBounds.smsCodeCooldownSeconds),
      allowedCountries: callingCodes('SMS_ALLOWED_COUNTRIES', list(environment, 'SMS_ALLOWED_COUNTRIES')),
    },
  }),
};

export const senderEnvironment: EnvironmentCodec<SenderFunctionSettings> = {
  encode: (settings) => ({ APP_NAME: settings.appName, EMAIL_FROM: settings.emailFrom, CODE_KEY_ARN: settings.keyArn }),
  decode: (environment) => ({
    appName: text(environment, 'APP_NAME'),
    emailFrom: text(environment, 'EMAIL_FROM'),
    keyArn: text(environment, 'CODE_KEY_ARN'),
  }),
};
