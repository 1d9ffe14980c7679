/**
 * What the custom sender triggers may send for an event Cognito hands them:
 * with a custom SMS sender and a custom email sender on the pool, Cognito sends
 * no SMS and no email itself; it gives each one's code, encrypted, to these
 * triggers, and they decide and send
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html).
 * So the per-account caps hold for Cognito's public APIs too
 * (GetUserAttributeVerificationCode, ForgotPassword, ResendConfirmationCode,
 * SMS MFA sign-in), not only for this service's routes.
 *
 * Facts in, decision out: the event's source, user and destination are read
 * here; every path not named fails closed (nothing is sent). Not the
 * CustomMessage trigger: Cognito reportedly falls back to its default message
 * when that one fails (amazon-cognito-identity-js#517), so it cannot enforce.
 */

/** Every source of https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html and ...-custom-email-sender.html, without its prefix. */
export const poolMessageSources = [
  'SignUp',
  'ResendCode',
  'ForgotPassword',
  'UpdateUserAttribute',
  'VerifyUserAttribute',
  'AdminCreateUser',
  'Authentication',
  'AccountTakeOverNotification',
] as const;

export type PoolMessageSource = (typeof poolMessageSources)[number];

export type PoolChannel = 'SMS' | 'EMAIL';

const triggerPrefix: Record<PoolChannel, string> = { SMS: 'CustomSMSSender_', EMAIL: 'CustomEmailSender_' };

/** What a message to send is about: everything but the code, which stays encrypted until it is put into the message. */
export interface PoolMessage {
  readonly source: PoolMessageSource;
  /** The user's `sub`: whose send log counts the message. */
  readonly sub: string;
  /** The user's name in the pool: an invitation names it beside the temporary password. */
  readonly username: string;
  /** Phone number (E.164) or email address, from the user's attributes. */
  readonly destination: string;
  /** Base64 ciphertext of the AWS Encryption SDK; absent only where Cognito sends no secret. */
  readonly encryptedCode: string | undefined;
}

export type PoolMessageDecision =
  | { readonly send: true; readonly message: PoolMessage }
  /** `reason` names what was wrong, never a value from the event. */
  | { readonly send: false; readonly reason: string; readonly source: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.length > 0 ? value : undefined);

/**
 * Reads a custom sender event (V1_0: `request.type` customSMSSenderRequestV1 or
 * customEmailSenderRequestV1, `request.code`, `request.userAttributes`). The
 * destination is the attribute Cognito sends to: `phone_number` for SMS,
 * `email` for email. Not documented, and not checked here against real
 * Cognito: which value the attributes carry while an update waits for its
 * verification (the pool keeps the original until then, lib/mfa-user-pool.ts).
 * The code is meant for the new value; a deployment test should confirm it.
 */
export function readPoolMessageEvent(channel: PoolChannel, event: unknown): PoolMessageDecision {
  const triggerSource = isRecord(event) ? text(event.triggerSource) : undefined;
  const sourceName = triggerSource?.startsWith(triggerPrefix[channel]) ? triggerSource.slice(triggerPrefix[channel].length) : undefined;
  const source = poolMessageSources.find((known) => known === sourceName);
  const shownSource = source ? `${triggerPrefix[channel]}${source}` : 'unknown';
  if (!isRecord(event) || !source) return { send: false, reason: 'unknown trigger source', source: shownSource };
  const request = isRecord(event.request) ? event.request : {};
  const attributes = isRecord(request.userAttributes) ? request.userAttributes : {};
  const sub = text(attributes.sub);
  const username = text(event.userName);
  const destination = text(channel === 'SMS' ? attributes.phone_number : attributes.email);
  const encryptedCode = text(request.code);
  if (!sub || !username) return { send: false, reason: 'no user in the event', source: shownSource };
  if (!destination) return { send: false, reason: 'no destination in the event', source: shownSource };
  // The takeover notice carries no secret; every other message is about its code.
  if (!encryptedCode && source !== 'AccountTakeOverNotification') {
    return { send: false, reason: 'no code in the event', source: shownSource };
  }
  return { send: true, message: { source, sub, username, destination, encryptedCode } };
}

/** A sign-in code follows a right password: no cool-down for it (lambda/core/send-caps.ts `admitPoolText`). */
export function smsCoolDownApplies(source: PoolMessageSource): boolean {
  return source !== 'Authentication';
}
