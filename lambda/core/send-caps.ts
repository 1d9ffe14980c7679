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
  /** SMS texts per user: verification codes and old-number notices. */
  readonly texts: WindowCap;
  /** Seconds between two codes to the same number. */
  readonly cooldownSeconds: number;
}

/** Epoch seconds of each send still inside the window. */
export interface EmailSendLog {
  readonly sends: readonly number[];
}

/** A number set by the user: a salted hash of it, when it was first set in the window, and its last code. */
export interface NumberUse {
  readonly id: string;
  readonly since: number;
  readonly lastCode: number;
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

/**
 * One code to `numberId`, plus `notices` texts to the number it replaces: the
 * number must be one of the window's numbers or fit in as a new one, be out of
 * its cool-down, and every text must fit in the text cap. All or nothing.
 */
export function admitSmsCode(
  log: SmsSendLog | undefined,
  numberId: string,
  now: number,
  policy: SmsCapPolicy,
  notices = 0,
): Admission<SmsSendLog> {
  const numbers = (log?.numbers ?? []).filter((use) => use.since > now - policy.numbers.windowSeconds);
  const known = numbers.find((use) => use.id === numberId);
  if (known && known.lastCode > now - policy.cooldownSeconds) {
    return refused(known.lastCode + policy.cooldownSeconds - now, 'A code was just sent to this number.');
  }
  if (!known && numbers.length >= policy.numbers.max) {
    const since = numbers.map((use) => use.since).sort((a, b) => a - b);
    return refused(secondsUntilRoom(since, policy.numbers, now, 1), 'Too many different phone numbers were set for this account.');
  }
  const texts = inWindow(log?.texts ?? [], now, policy.texts.windowSeconds);
  const needed = 1 + notices;
  if (texts.length + needed > policy.texts.max) {
    return refused(secondsUntilRoom(texts, policy.texts, now, needed), 'Too many SMS texts were sent for this account.');
  }
  const used: NumberUse = { id: numberId, since: known?.since ?? now, lastCode: now };
  return {
    admitted: true,
    log: {
      texts: [...texts, ...Array.from({ length: needed }, () => now)],
      numbers: [...numbers.filter((use) => use.id !== numberId), used],
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
export function assertCountryAllowed(phoneNumber: string, allowed: readonly string[]): void {
  const digits = phoneNumber.slice(1);
  if (!allowed.some((prefix) => digits.startsWith(prefix))) {
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
