import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The deployment's settings, read from CDK context (`cdk.json` or `-c key=value`).
 * Every key is optional; README.md lists them with these defaults. Values from
 * the command line arrive as strings, so each reader accepts both the string and
 * the typed form, and refuses anything else with a message naming the key.
 */
export type MfaMode = 'OFF' | 'OPTIONAL' | 'REQUIRED';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface EmailCodeSettings {
  /** Digits per code, 6 to 8. */
  readonly length: number;
  readonly ttlMinutes: number;
  /** Wrong codes allowed per user in `windowMinutes` before email MFA locks for `lockMinutes`. */
  readonly maxFailures: number;
  readonly windowMinutes: number;
  readonly lockMinutes: number;
  /** Reserved concurrency of the trigger that sends codes: a cap on SES spend. 0 reserves none. */
  readonly sendConcurrency: number;
}

export interface MfaServiceConfig {
  readonly stackName: string;
  /** Shown in authenticator apps (TOTP issuer) and in SMS texts. */
  readonly appName: string;
  readonly mfa: MfaMode;
  readonly selfSignUp: boolean;
  readonly corsAllowOrigins: readonly string[];
  readonly apiThrottle: Throttle;
  readonly codeThrottle: Throttle;
  readonly logLevel: LogLevel;
  readonly logRetention: RetentionDays;
  /** `retain` keeps the user pool, table and logs when the stack is deleted, and turns on deletion protection. */
  readonly removalPolicy: 'retain' | 'destroy';
  /** Sender of codes and security notices; an SES identity (this address or its domain) must be verified. */
  readonly emailFrom: string;
  /** Email one-time codes as a factor (custom auth triggers); the public client then signs in with CUSTOM_AUTH only. */
  readonly emailMfa: boolean;
  readonly emailCode: EmailCodeSettings;
  /** How recent a sign-in must be to enrol, replace or remove a factor. */
  readonly stepUpMinutes: number;
}

export const defaultConfig: MfaServiceConfig = {
  stackName: 'MfaService',
  appName: 'MFA Service',
  mfa: 'OPTIONAL',
  selfSignUp: false,
  corsAllowOrigins: [],
  apiThrottle: { rateLimit: 50, burstLimit: 100 },
  codeThrottle: { rateLimit: 5, burstLimit: 10 },
  logLevel: 'INFO',
  logRetention: RetentionDays.ONE_MONTH,
  removalPolicy: 'retain',
  emailFrom: 'no-reply@example.com',
  emailMfa: true,
  emailCode: { length: 6, ttlMinutes: 5, maxFailures: 10, windowMinutes: 15, lockMinutes: 15, sendConcurrency: 10 },
  stepUpMinutes: 15,
};

export function readConfig(context: (key: string) => unknown): MfaServiceConfig {
  const read = <T>(key: string, parse: (value: unknown, key: string) => T, fallback: T): T => {
    const value = context(key);
    return value === undefined ? fallback : parse(value, key);
  };
  return {
    stackName: read('stackName', stackName, defaultConfig.stackName),
    appName: read('appName', appName, defaultConfig.appName),
    mfa: read('mfa', oneOf(['OFF', 'OPTIONAL', 'REQUIRED'] as const), defaultConfig.mfa),
    selfSignUp: read('selfSignUp', boolean, defaultConfig.selfSignUp),
    corsAllowOrigins: read('corsAllowOrigins', origins, defaultConfig.corsAllowOrigins),
    apiThrottle: {
      rateLimit: read('apiRateLimit', positiveNumber, defaultConfig.apiThrottle.rateLimit),
      burstLimit: read('apiBurstLimit', positiveNumber, defaultConfig.apiThrottle.burstLimit),
    },
    codeThrottle: {
      rateLimit: read('codeRateLimit', positiveNumber, defaultConfig.codeThrottle.rateLimit),
      burstLimit: read('codeBurstLimit', positiveNumber, defaultConfig.codeThrottle.burstLimit),
    },
    logLevel: read('logLevel', oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR'] as const), defaultConfig.logLevel),
    logRetention: read('logRetentionDays', retentionDays, defaultConfig.logRetention),
    removalPolicy: read('removalPolicy', oneOf(['retain', 'destroy'] as const), defaultConfig.removalPolicy),
    emailFrom: read('emailFrom', emailAddress, defaultConfig.emailFrom),
    emailMfa: read('emailMfa', boolean, defaultConfig.emailMfa),
    emailCode: {
      length: read('emailCodeLength', integerFrom(6, 8), defaultConfig.emailCode.length),
      ttlMinutes: read('emailCodeTtlMinutes', integerFrom(1, 10), defaultConfig.emailCode.ttlMinutes),
      maxFailures: read('emailMaxFailures', integerFrom(3, 100), defaultConfig.emailCode.maxFailures),
      windowMinutes: read('emailFailureWindowMinutes', integerFrom(1, 1440), defaultConfig.emailCode.windowMinutes),
      lockMinutes: read('emailLockMinutes', integerFrom(1, 1440), defaultConfig.emailCode.lockMinutes),
      sendConcurrency: read('emailSendConcurrency', integerFrom(0, 1000), defaultConfig.emailCode.sendConcurrency),
    },
    stepUpMinutes: read('stepUpMinutes', integerFrom(1, 1440), defaultConfig.stepUpMinutes),
  };
}

class ContextError extends Error {
  override readonly name = 'ContextError';
  constructor(key: string, expected: string, value: unknown) {
    super(`Context key "${key}" must be ${expected}; got ${JSON.stringify(value)}.`);
  }
}

function oneOf<const T extends string>(allowed: readonly T[]) {
  return (value: unknown, key: string): T => {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    throw new ContextError(key, `one of ${allowed.join(', ')}`, value);
  };
}

function boolean(value: unknown, key: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ContextError(key, 'true or false', value);
}

function positiveNumber(value: unknown, key: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number === 'number' && Number.isFinite(number) && number > 0) return number;
  throw new ContextError(key, 'a positive number', value);
}

function integerFrom(min: number, max: number) {
  return (value: unknown, key: string): number => {
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max) return number;
    throw new ContextError(key, `a whole number from ${min} to ${max}`, value);
  };
}

/** A plain address (no display name), so it is also the SES identity to grant. */
function emailAddress(value: unknown, key: string): string {
  if (typeof value === 'string' && /^[^\s@<>]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value)) return value;
  throw new ContextError(key, 'an email address such as no-reply@example.com', value);
}

function stackName(value: unknown, key: string): string {
  if (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value)) return value;
  throw new ContextError(key, 'a CloudFormation stack name (letters, digits, hyphens; starting with a letter)', value);
}

/** Also the SMS text and the TOTP issuer: no colon (key URI format), short enough for one SMS. */
function appName(value: unknown, key: string): string {
  if (typeof value === 'string' && /^[^:{}]{1,40}$/.test(value)) return value;
  throw new ContextError(key, 'a name of 1 to 40 characters without ":", "{" or "}"', value);
}

/** A JSON array, or a comma-separated list from the command line; each an exact origin. */
function origins(value: unknown, key: string): readonly string[] {
  const list =
    Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((item) => item.trim()) : undefined;
  const isOrigin = (item: unknown) =>
    typeof item === 'string' && /^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(item);
  if (list && list.every(isOrigin)) return list.filter((item) => item !== '') as string[];
  throw new ContextError(key, 'a list of origins such as ["https://app.example.com"] (no "*", no path)', value);
}

function retentionDays(value: unknown, key: string): RetentionDays {
  const days = typeof value === 'string' ? Number(value) : value;
  const allowed = Object.values(RetentionDays).filter((item): item is number => typeof item === 'number');
  if (typeof days === 'number' && allowed.includes(days)) return days;
  throw new ContextError(key, `one of CloudWatch Logs' retention periods in days (${allowed.join(', ')})`, value);
}
