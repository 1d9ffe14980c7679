import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * The deployment's settings, read from CDK context (`cdk.json` or `-c key=value`).
 * Every key is optional; `contextKeys` below is the one list of them, and README.md
 * ("Deploy") shows the same table. Values from the command line arrive as strings,
 * so each value type accepts both the string and the typed form.
 */
export type MfaMode = 'OFF' | 'OPTIONAL' | 'REQUIRED';
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

export interface EmailCodeSettings {
  /**
   * Digits per code, 6 to 8 (`emailCodeLength`).
   * @default 6
   */
  readonly length: number;
  /**
   * Code lifetime, 1 to 10 minutes (`emailCodeTtlMinutes`).
   * @default 5
   */
  readonly ttlMinutes: number;
  /**
   * Wrong codes allowed per user in `windowMinutes` before email MFA locks for `lockMinutes` (`emailMaxFailures`).
   * @default 10
   */
  readonly maxFailures: number;
  /**
   * `emailFailureWindowMinutes`.
   * @default 15
   */
  readonly windowMinutes: number;
  /**
   * `emailLockMinutes`; each further lock lasts twice as long.
   * @default 15
   */
  readonly lockMinutes: number;
  /**
   * Reserved concurrency of the trigger that sends codes: a cap on SES spend. 0 reserves none (`emailSendConcurrency`).
   * @default 10
   */
  readonly sendConcurrency: number;
}

/** Per-account caps on what the service sends; see lambda/core/send-caps.ts. */
export interface SendCapConfig {
  /**
   * Email codes (sign-in and enrolment) per user within `emailWindowMinutes` (`emailSendsPerWindow`).
   * @default 5
   */
  readonly emailSends: number;
  /**
   * `emailSendWindowMinutes`.
   * @default 15
   */
  readonly emailWindowMinutes: number;
  /**
   * Different phone numbers per user per day (`smsNumbersPerDay`).
   * @default 3
   */
  readonly smsNumbersPerDay: number;
  /**
   * SMS texts (codes and old-number notices) per user per hour (`smsTextsPerHour`).
   * @default 5
   */
  readonly smsTextsPerHour: number;
  /**
   * Seconds between two codes to the same number (`smsCodeCooldownSeconds`).
   * @default 60
   */
  readonly smsCooldownSeconds: number;
  /**
   * Calling codes (or longer prefixes) phone numbers may have (`smsAllowedCountries`).
   * @default [] (no number may be set: list the countries you have set up SMS for)
   */
  readonly smsAllowedCountries: readonly string[];
}

export interface MfaServiceConfig {
  /** @default 'MfaService' */
  readonly stackName: string;
  /**
   * Shown in authenticator apps (TOTP issuer) and in SMS texts.
   * @default 'MFA Service'
   */
  readonly appName: string;
  /** @default 'OPTIONAL' */
  readonly mfa: MfaMode;
  /** @default false */
  readonly selfSignUp: boolean;
  /** @default [] (no browser origin may call the API) */
  readonly corsAllowOrigins: readonly string[];
  /**
   * `apiRateLimit` and `apiBurstLimit`.
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly apiThrottle: Throttle;
  /**
   * `codeRateLimit` and `codeBurstLimit`: the routes that check or send a code.
   * @default { rateLimit: 5, burstLimit: 10 }
   */
  readonly codeThrottle: Throttle;
  /** @default 'INFO' */
  readonly logLevel: LogLevel;
  /**
   * `logRetentionDays`.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention: RetentionDays;
  /**
   * `retain` keeps the user pool, table and logs when the stack is deleted, and turns on deletion protection.
   * @default 'retain'
   */
  readonly removalPolicy: 'retain' | 'destroy';
  /**
   * Sender of codes and security notices; an SES identity (this address or its domain) must be verified.
   * @default 'no-reply@example.com' (a placeholder SES never sends from: `configWarnings` says so)
   */
  readonly emailFrom: string;
  /**
   * Email one-time codes as a factor (custom auth triggers); the public client then signs in with CUSTOM_AUTH only.
   * @default true
   */
  readonly emailMfa: boolean;
  readonly emailCode: EmailCodeSettings;
  readonly sendCaps: SendCapConfig;
  /**
   * How recent a sign-in must be to enrol, replace or remove a factor.
   * @default 15
   */
  readonly stepUpMinutes: number;
  /**
   * `smsSpendAlarmUsd` and `alarmTopicArn` (lib/alarms.ts).
   * @default { smsSpendThresholdUsd: 0.8, topicArn: undefined }
   */
  readonly alarms: { readonly smsSpendThresholdUsd: number; readonly topicArn: string | undefined };
}

/** How one key's value is read: a string from `-c`, any JSON from cdk.json. */
interface ValueType<T> {
  /** Completes "must be ..." in the message that refuses a value. */
  readonly expected: string;
  /** The value, or undefined to refuse it. */
  readonly parse: (value: unknown) => T | undefined;
}

interface ContextKey<T> {
  readonly type: ValueType<T>;
  readonly default: T;
  readonly description: string;
}

function oneOf<const T extends string>(allowed: readonly T[]): ValueType<T> {
  return {
    expected: `one of ${allowed.join(', ')}`,
    parse: (value) => ((allowed as readonly unknown[]).includes(value) ? (value as T) : undefined),
  };
}

const boolean: ValueType<boolean> = {
  expected: 'true or false',
  parse: (value) => (value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined),
};

// Number('') is 0: an empty `-c key=` must not pass as zero.
const asNumber = (value: unknown): unknown => (typeof value === 'string' && value.trim() !== '' ? Number(value) : value);

const positiveNumber: ValueType<number> = {
  expected: 'a positive number',
  parse: (value) => {
    const number = asNumber(value);
    return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
  },
};

function integerFrom(min: number, max: number): ValueType<number> {
  return {
    expected: `a whole number from ${min} to ${max}`,
    parse: (value) => {
      const number = asNumber(value);
      return typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max ? number : undefined;
    },
  };
}

/** A plain address (no display name), so it is also the SES identity to grant. */
const emailAddress: ValueType<string> = {
  expected: 'an email address such as no-reply@example.com',
  parse: (value) => (typeof value === 'string' && /^[^\s@<>]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(value) ? value : undefined),
};

const stackName: ValueType<string> = {
  expected: 'a CloudFormation stack name (letters, digits, hyphens; starting with a letter)',
  parse: (value) => (typeof value === 'string' && /^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value) ? value : undefined),
};

/** Also the SMS text and the TOTP issuer: no colon (key URI format), short enough for one SMS. */
const appName: ValueType<string> = {
  expected: 'a name of 1 to 40 characters without ":", "{" or "}"',
  parse: (value) => (typeof value === 'string' && /^[^:{}]{1,40}$/.test(value) ? value : undefined),
};

/** A JSON array, or a comma-separated list from the command line; each an exact origin. */
const origins: ValueType<readonly string[]> = {
  expected: 'a list of origins such as ["https://app.example.com"] (no "*", no path)',
  parse: (value) => {
    const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((item) => item.trim()) : undefined;
    const isOrigin = (item: unknown) => typeof item === 'string' && /^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/i.test(item);
    return list?.every(isOrigin) ? (list as string[]) : undefined;
  },
};

/** A JSON array, or a comma-separated list from the command line; each a calling code such as 44, or a longer prefix. */
const callingCodes: ValueType<readonly string[]> = {
  expected: 'a list of calling codes such as 1,44 or ["44","49"] (digits only, 1 to 6 each)',
  parse: (value) => {
    const list = Array.isArray(value)
      ? (value as unknown[]).map((item): unknown => (typeof item === 'number' ? String(item) : item))
      : typeof value === 'string'
        ? value
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        : undefined;
    return list?.every((item) => typeof item === 'string' && /^[1-9][0-9]{0,5}$/.test(item)) ? (list as string[]) : undefined;
  },
};

const retentionPeriods = Object.values(RetentionDays).filter((item): item is number => typeof item === 'number');

const retentionDays: ValueType<RetentionDays> = {
  expected: `one of CloudWatch Logs' retention periods in days (${retentionPeriods.join(', ')})`,
  parse: (value) => {
    const days = asNumber(value);
    return typeof days === 'number' && retentionPeriods.includes(days) ? days : undefined;
  },
};

/** An SNS topic ARN, or empty for none. */
const topicArn: ValueType<string> = {
  expected: 'an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:alerts, or empty',
  parse: (value) =>
    typeof value === 'string' && /^(arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256})?$/.test(value) ? value : undefined,
};

const key = <T>(type: ValueType<T>, defaultValue: NoInfer<T>, description: string): ContextKey<T> => ({
  type,
  default: defaultValue,
  description,
});

/** Every context key this app reads: the parser of values, the check for misspelled keys and README.md's table. */
export const contextKeys = {
  stackName: key(stackName, 'MfaService', 'CloudFormation stack name'),
  appName: key(appName, 'MFA Service', 'issuer shown in authenticator apps, and the name in SMS texts and emails'),
  mfa: key(oneOf(['OFF', 'OPTIONAL', 'REQUIRED']), 'OPTIONAL', 'MFA mode of the user pool'),
  selfSignUp: key(boolean, false, 'let users sign themselves up; otherwise administrators create users'),
  emailMfa: key(boolean, true, 'email one-time codes as a factor'),
  emailFrom: key(emailAddress, 'no-reply@example.com', 'sender of codes and notices, verified in SES'),
  emailCodeLength: key(integerFrom(6, 8), 6, 'digits in an email code'),
  emailCodeTtlMinutes: key(integerFrom(1, 10), 5, 'email code lifetime'),
  emailMaxFailures: key(integerFrom(3, 100), 10, 'wrong email codes per user within the window before email MFA locks'),
  emailFailureWindowMinutes: key(integerFrom(1, 1440), 15, 'window in which wrong email codes are counted'),
  emailLockMinutes: key(integerFrom(1, 1440), 15, 'first lock of email MFA, doubling at each further lock'),
  emailSendConcurrency: key(integerFrom(0, 1000), 10, 'reserved concurrency of the trigger that sends codes'),
  emailSendsPerWindow: key(integerFrom(1, 100), 5, 'email codes (sign-in and enrolment) sent per user within the window'),
  emailSendWindowMinutes: key(integerFrom(1, 1440), 15, 'window in which email codes sent are counted'),
  smsNumbersPerDay: key(integerFrom(1, 20), 3, 'different phone numbers a user may set per day'),
  smsTextsPerHour: key(integerFrom(2, 100), 5, 'SMS texts (codes and old-number notices) per user per hour'),
  smsCodeCooldownSeconds: key(integerFrom(0, 3600), 60, 'seconds between two codes to the same number'),
  smsAllowedCountries: key(callingCodes, [], 'calling codes phone numbers may have; none by default'),
  stepUpMinutes: key(integerFrom(1, 1440), 15, 'how recent a sign-in must be to add, replace or remove a factor'),
  corsAllowOrigins: key(origins, [], 'exact origins allowed to call the API from a browser'),
  apiRateLimit: key(positiveNumber, 50, 'stage throttle, requests per second'),
  apiBurstLimit: key(positiveNumber, 100, 'stage throttle, burst'),
  codeRateLimit: key(positiveNumber, 5, 'throttle of routes that check or send a code, requests per second'),
  codeBurstLimit: key(positiveNumber, 10, 'throttle of routes that check or send a code, burst'),
  logLevel: key(oneOf(['DEBUG', 'INFO', 'WARN', 'ERROR']), 'INFO', 'log level of the functions'),
  logRetentionDays: key(retentionDays, RetentionDays.ONE_MONTH, 'retention of function and access logs'),
  removalPolicy: key(oneOf(['retain', 'destroy']), 'retain', 'what deleting the stack does to the user pool, table and logs'),
  smsSpendAlarmUsd: key(positiveNumber, 0.8, "alarm when the account's SMS spend this month reaches this many USD"),
  alarmTopicArn: key(topicArn, '', 'SNS topic the alarms notify; empty for none'),
};

type ContextKeyName = keyof typeof contextKeys;
type Settings = { readonly [K in ContextKeyName]: (typeof contextKeys)[K]['default'] };

const knownKeys = Object.keys(contextKeys) as ContextKeyName[];

function configFrom(settings: Settings): MfaServiceConfig {
  return {
    stackName: settings.stackName,
    appName: settings.appName,
    mfa: settings.mfa,
    selfSignUp: settings.selfSignUp,
    corsAllowOrigins: settings.corsAllowOrigins,
    apiThrottle: { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit },
    codeThrottle: { rateLimit: settings.codeRateLimit, burstLimit: settings.codeBurstLimit },
    logLevel: settings.logLevel,
    logRetention: settings.logRetentionDays,
    removalPolicy: settings.removalPolicy,
    emailFrom: settings.emailFrom,
    emailMfa: settings.emailMfa,
    emailCode: {
      length: settings.emailCodeLength,
      ttlMinutes: settings.emailCodeTtlMinutes,
      maxFailures: settings.emailMaxFailures,
      windowMinutes: settings.emailFailureWindowMinutes,
      lockMinutes: settings.emailLockMinutes,
      sendConcurrency: settings.emailSendConcurrency,
    },
    sendCaps: {
      emailSends: settings.emailSendsPerWindow,
      emailWindowMinutes: settings.emailSendWindowMinutes,
      smsNumbersPerDay: settings.smsNumbersPerDay,
      smsTextsPerHour: settings.smsTextsPerHour,
      smsCooldownSeconds: settings.smsCodeCooldownSeconds,
      smsAllowedCountries: settings.smsAllowedCountries,
    },
    stepUpMinutes: settings.stepUpMinutes,
    alarms: {
      smsSpendThresholdUsd: settings.smsSpendAlarmUsd,
      topicArn: settings.alarmTopicArn === '' ? undefined : settings.alarmTopicArn,
    },
  };
}

// Each entry comes from its own key's row, so the record has the row's type.
export const defaultConfig: MfaServiceConfig = configFrom(
  Object.fromEntries(knownKeys.map((name) => [name, contextKeys[name].default])) as Settings,
);

/**
 * Reads every key, and refuses with all the problems at once: bad values, and
 * `givenKeys` (the keys the user set, `app.node.getAllContext()`) that are not
 * this app's, since a misspelled key would otherwise leave its default in place.
 */
export function readConfig(context: (key: string) => unknown, givenKeys: Iterable<string> = []): MfaServiceConfig {
  const unknownKeys = [...givenKeys].filter((name) => !isCdkKey(name) && !(knownKeys as string[]).includes(name));
  const problems = unknownKeys.map(unknownKeyProblem);
  const settings: Partial<Record<ContextKeyName, unknown>> = {};
  for (const name of knownKeys) {
    const { type, default: fallback } = contextKeys[name];
    const value = context(name);
    settings[name] = value === undefined ? fallback : type.parse(value);
    if (settings[name] === undefined) problems.push(`Context key "${name}" must be ${type.expected}; got ${JSON.stringify(value)}.`);
  }
  const [codeRate, apiRate] = [settings.codeRateLimit, settings.apiRateLimit];
  if (typeof codeRate === 'number' && typeof apiRate === 'number' && codeRate > apiRate) {
    // The stage throttle caps every route, so a looser code throttle would silently be the stage's.
    problems.push(
      `Context key "codeRateLimit" (${codeRate}) must not exceed "apiRateLimit" (${apiRate}); code routes are the tighter ones.`,
    );
  }
  if (problems.length > 0) throw new ContextError(problems, { listKnownKeys: unknownKeys.length > 0 });
  // Every known key is set and none was refused.
  return configFrom(settings as Settings);
}

/** The CDK CLI's own settings that it keeps in the same context as the app's. */
const cdkToolkitKeys = ['cli-telemetry', 'acknowledged-issue-numbers'];

/** Keys the CDK sets or reads itself: feature flags and `aws:cdk:*` (all with a colon), lookups and CLI settings. */
function isCdkKey(name: string): boolean {
  return name.includes(':') || name.startsWith('@aws-cdk') || name.startsWith('cdk') || cdkToolkitKeys.includes(name);
}

function unknownKeyProblem(name: string): string {
  const nearest = nearestKnownKey(name);
  return nearest === undefined
    ? `Unknown context key "${name}".`
    : `Unknown context key "${name}"; did you mean "${nearest}" (${contextKeys[nearest].description})?`;
}

/** Case is ignored, since `appname` for `appName` is the likeliest slip; a key too far from any is a guess, not a typo. */
function nearestKnownKey(name: string): ContextKeyName | undefined {
  const ranked = knownKeys
    .map((known) => ({ known, distance: editDistance(name.toLowerCase(), known.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
  const best = ranked[0];
  return best && best.distance <= Math.max(2, Math.floor(best.known.length / 3)) ? best.known : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Every problem with the context at once, in a message written for the person who typed it. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options: { listKnownKeys: boolean }) {
    super(
      [
        'Invalid context for this app:',
        ...problems.map((problem) => `  - ${problem}`),
        ...(options.listKnownKeys ? [`Known keys: ${knownKeys.join(', ')}.`] : []),
        'Set a key with -c key=value on the command line, or under "context" in cdk.json; README.md ("Deploy") describes each.',
      ].join('\n'),
    );
    this.problems = problems;
  }
}

/** Domains reserved for documentation and tests (RFC 2606, RFC 6761): nobody can verify them in SES. */
const reservedDomain = /(^|\.)example\.(com|net|org)$|\.(example|test|invalid|localhost)$/i;

/** Settings that synthesize but deploy a service that fails some users; bin/app.ts prints them. */
export function configWarnings(config: MfaServiceConfig): string[] {
  const warnings: string[] = [];
  const fix = 'set -c emailFrom=<an address verified in SES, or on a domain verified there>';
  if (reservedDomain.test(config.emailFrom.split('@')[1] ?? '')) {
    warnings.push(
      config.emailMfa
        ? `emailFrom is ${config.emailFrom}, an example address SES will never send from: the deployment fails, since Cognito refuses a user pool whose SES sender is not a verified identity; and nothing sent from it would arrive: email-MFA users will never receive a code, so they cannot sign in, and no security notice reaches anyone; ${fix}.`
        : `emailFrom is ${config.emailFrom}, an example address SES will never send from: the deployment fails, since Cognito refuses a user pool whose SES sender is not a verified identity; and nothing sent from it would arrive: no security notice about a changed factor reaches anyone; ${fix}.`,
    );
  }
  if (config.mfa === 'REQUIRED' && config.emailMfa) {
    warnings.push(
      'mfa=REQUIRED with email MFA on: users who have no factor yet are refused at sign-in, after the password, and so cannot enrol one through the API (whether Cognito offers them MFA_SETUP first, and how email-only users fare in this mode, was not tried against real Cognito). Enrol every user before switching and try it in a test account first; or deploy with -c emailMfa=false, where Cognito asks factorless users to set up TOTP at sign-in.',
    );
  }
  if (config.sendCaps.smsAllowedCountries.length === 0) {
    warnings.push(
      'smsAllowedCountries is empty: POST /mfa/sms/setup refuses every phone number, so no user can enrol SMS MFA; set -c smsAllowedCountries=<the calling codes you have set up SMS for, e.g. 1,44>.',
    );
  }
  return warnings;
}
