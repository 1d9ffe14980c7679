import { createHash } from 'node:crypto';
import { InvalidParameterException, LimitExceededException } from './errors';

/**
 * Caps on what one account can make the service send (email codes, SMS texts):
 * each is a sliding window over a log of send times kept per user, so "at most
 * `max` in `windowSeconds`" holds for every span of that length, not only for
 * fixed windows. This file decides; lambda/services/send-caps.ts stores the
 * logs with conditional writes, so that sends racing each other are decided one
 * after the other.
 */
export interface WindowCap {
  readonly max: number;
  readonly windowSeconds: number;
}

export interface SmsCapPolicy {
  /** Different phone numbers set per user. */
  readonly numbers: WindowCap;
  /** SMS texts per user: every text Cognito hands the custom SMS sender, and the API's old-number notices. */
  readonly texts: WindowCap;
  /** Seconds between two codes to the same number (not for sign-in codes: `admitPoolText`). */
  readonly cooldownSeconds: number;
}

/** Epoch seconds of each send still inside the window. */
export interface EmailSendLog {
  readonly sends: readonly number[];
}

/**
 * A number of the user's, by a salted hash of it: `since` when the API first set
 * it in the numbers window (what the numbers cap counts), `lastCode` when the
 * custom SMS sender last texted it a code (what the cool-down reads). Either
 * may be missing: Cognito texts numbers the API did not set in the window, and
 * the API sets numbers no code has reached yet.
 */
export interface NumberUse {
  readonly id: string;
  readonly since?: number;
  readonly lastCode?: number;
}

export interface SmsSendLog {
  readonly texts: readonly number[];
  readonly numbers: readonly NumberUse[];
}

export type Admission<Log> =
  | { readonly admitted: true; readonly log: Log }
  | { readonly admitted: false; readonly retryAfterSeconds: number; readonly error: LimitExceededException };

const inWindow = (times: readonly number[], now: number, windowSeconds: number) =>
  times.filter((time) => time > now - windowSeconds).sort((a, b) => a - b);

/** Seconds until `needed` more sends fit: when the oldest ones leave the window. */
function secondsUntilRoom(recent: readonly number[], cap: WindowCap, now: number, needed: number): number {
  const mustLeave = recent.length + needed - cap.max;
  const lastToLeave = recent[mustLeave - 1] ?? now;
  return Math.max(1, lastToLeave + cap.windowSeconds - now);
}

function refused<Log>(retryAfterSeconds: number, what: string): Admission<Log> {
  return { admitted: false, retryAfterSeconds, error: new LimitExceededException(`${what} ${tryAgainIn(retryAfterSeconds)}`) };
}

/** One more email code, if the window has room. */
export function admitEmailSend(log: EmailSendLog | undefined, now: number, cap: WindowCap): Admission<EmailSendLog> {
  const recent = inWindow(log?.sends ?? [], now, cap.windowSeconds);
  if (recent.length >= cap.max) {
    return refused(secondsUntilRoom(recent, cap, now, 1), 'Too many email codes were sent to this account.');
  }
  return { admitted: true, log: { sends: [...recent, now] } };
}

/** The uses still inside a window: set within the numbers window, or texted within the cool-down. */
function recentNumbers(log: SmsSendLog | undefined, now: number, policy: SmsCapPolicy): NumberUse[] {
  return (log?.numbers ?? [])
    .map((use) => ({
      id: use.id,
      ...(use.since !== undefined && use.since > now - policy.numbers.windowSeconds && { since: use.since }),
      ...(use.lastCode !== undefined && use.lastCode > now - policy.cooldownSeconds && { lastCode: use.lastCode }),
    }))
    .filter((use) => use.since !== undefined || use.lastCode !== undefined);
}

function coolingDown<Log>(use: NumberUse | undefined, now: number, policy: SmsCapPolicy): Admission<Log> | undefined {
  if (use?.lastCode === undefined || use.lastCode <= now - policy.cooldownSeconds) return undefined;
  return refused(use.lastCode + policy.cooldownSeconds - now, 'A code was just sent to this number.');
}

function textsFull<Log>(texts: readonly number[], needed: number, now: number, policy: SmsCapPolicy): Admission<Log> | undefined {
  if (texts.length + needed <= policy.texts.max) return undefined;
  return refused(secondsUntilRoom(texts, policy.texts, now, needed), 'Too many SMS texts were sent for this account.');
}

/**
 * POST /mfa/sms/setup, before it asks Cognito for a code: `numberId` must be one
 * of the window's numbers or fit in as a new one, and `notices` texts to the
 * number it replaces are taken here (the API sends them). The code itself is
 * Cognito's, so the custom SMS sender counts it (`admitPoolText`); this only
 * checks, without taking anything, that the sender would admit it now: out of
 * its cool-down and with room for one more text. So the API still answers 429
 * with a wait instead of a 200 for a code the sender would then drop. All or
 * nothing.
 */
export function admitNumber(
  log: SmsSendLog | undefined,
  numberId: string,
  now: number,
  policy: SmsCapPolicy,
  notices = 0,
): Admission<SmsSendLog> {
  const numbers = recentNumbers(log, now, policy);
  const known = numbers.find((use) => use.id === numberId);
  const cooling = coolingDown<SmsSendLog>(known, now, policy);
  if (cooling) return cooling;
  const setInWindow = numbers.filter((use) => use.since !== undefined);
  if (known?.since === undefined && setInWindow.length >= policy.numbers.max) {
    const since = setInWindow.map((use) => use.since!).sort((a, b) => a - b);
    return refused(secondsUntilRoom(since, policy.numbers, now, 1), 'Too many different phone numbers were set for this account.');
  }
  const texts = inWindow(log?.texts ?? [], now, policy.texts.windowSeconds);
  const full = textsFull<SmsSendLog>(texts, notices + 1, now, policy);
  if (full) return full;
  const used: NumberUse = { ...known, id: numberId, since: known?.since ?? now };
  return {
    admitted: true,
    log: {
      texts: [...texts, ...Array.from({ length: notices }, () => now)],
      numbers: [...numbers.filter((use) => use.id !== numberId), used],
    },
  };
}

/**
 * The custom SMS sender, for each text Cognito hands it: every text counts
 * towards the user's texts cap, whatever asked for it (the API, Cognito's own
 * user APIs called directly, ForgotPassword, sign-in). The cool-down applies to
 * every source but sign-in (`coolDown` false): a sign-in code follows a right
 * password, and a user retrying sign-in within the cool-down would otherwise
 * get no code at all. The numbers cap is the API's: only it decides when a
 * number changes (Cognito texts only the number the user already has).
 */
export function admitPoolText(
  log: SmsSendLog | undefined,
  numberId: string,
  now: number,
  policy: SmsCapPolicy,
  coolDown: boolean,
): Admission<SmsSendLog> {
  const numbers = recentNumbers(log, now, policy);
  const known = numbers.find((use) => use.id === numberId);
  const cooling = coolDown ? coolingDown<SmsSendLog>(known, now, policy) : undefined;
  if (cooling) return cooling;
  const texts = inWindow(log?.texts ?? [], now, policy.texts.windowSeconds);
  const full = textsFull<SmsSendLog>(texts, 1, now, policy);
  if (full) return full;
  return {
    admitted: true,
    log: {
      texts: [...texts, now],
      numbers: [...numbers.filter((use) => use.id !== numberId), { ...known, id: numberId, lastCode: now }],
    },
  };
}

/** "Try again in 12 minutes.": rounded up, so that trying at the time said works. */
export function tryAgainIn(seconds: number): string {
  const [amount, unit] =
    seconds < 120 ? [seconds, 'second'] : seconds < 2 * 3600 ? [Math.ceil(seconds / 60), 'minute'] : [Math.ceil(seconds / 3600), 'hour'];
  return `Try again in ${amount} ${unit}${amount === 1 ? '' : 's'}.`;
}

/**
 * Which numbers the cap counts as one: a hash salted with the user, so the
 * table does not hold the phone numbers themselves (Cognito does). Phone numbers
 * are few enough to be found from their hash; it is a key, not a secret.
 */
export function phoneNumberId(sub: string, phoneNumber: string): string {
  return createHash('sha256').update(`${sub}\n${phoneNumber}`).digest('base64url').slice(0, 22);
}

/**
 * `allowed` holds calling codes (`44`) or longer prefixes (`1415`), digits only;
 * a number is allowed when its digits after `+` start with one of them. Calling
 * codes are prefix-free (ITU-T E.164), so a listed code never admits another
 * country's, but North America's `1` covers more than 20 countries: list area
 * codes to narrow it.
 */
export function countryAllowed(phoneNumber: string, allowed: readonly string[]): boolean {
  const digits = phoneNumber.startsWith('+') ? phoneNumber.slice(1) : '';
  return digits.length > 0 && allowed.some((prefix) => digits.startsWith(prefix));
}

export function assertCountryAllowed(phoneNumber: string, allowed: readonly string[]): void {
  if (!countryAllowed(phoneNumber, allowed)) {
    throw new InvalidParameterException(
      allowed.length === 0
        ? 'Field "phoneNumber": SMS is not enabled for any country in this deployment.'
        : 'Field "phoneNumber" must be a number of a country this deployment sends SMS to.',
    );
  }
}

/**
 * A sign-in beyond the email cap (or whose replaced code locked the failure
 * budget) gets a challenge that sends nothing and can never succeed; its public
 * challenge parameters say so, for Amplify apps (`nextStep.additionalInfo`) and
 * for the API, which answers 429 instead of the step.
 */
export interface SendLimit {
  /** Undefined when the wait is not known (a lock another sign-in set). */
  readonly retryAfterSeconds: number | undefined;
}

export const sendLimitParameterNames = { limitExceeded: 'limitExceeded', retryAfterSeconds: 'retryAfterSeconds' } as const;

export function sendLimitParameters(challenge: object): Record<string, string> {
  if (!('limit' in challenge)) return {};
  const { retryAfterSeconds } = challenge.limit as SendLimit;
  return {
    [sendLimitParameterNames.limitExceeded]: 'true',
    ...(retryAfterSeconds !== undefined && { [sendLimitParameterNames.retryAfterSeconds]: String(retryAfterSeconds) }),
  };
}

/** The API's answer to such a challenge: the 429 it stands for. */
export function assertNoSendLimit(parameters: Readonly<Record<string, string>>): void {
  if (parameters[sendLimitParameterNames.limitExceeded] !== 'true') return;
  const seconds = Number(parameters[sendLimitParameterNames.retryAfterSeconds]);
  const when = Number.isInteger(seconds) && seconds > 0 ? tryAgainIn(seconds) : 'Try again later.';
  throw new LimitExceededException(`No sign-in code was sent: too many codes or wrong answers for this account. ${when}`);
}
