import { logger } from '../core/logger';
import { readPoolMessageEvent, type PoolChannel, type PoolMessage } from '../core/pool-messages';
import { senderConfig } from '../config/sender-config';
import { decryptCode } from './code-decryption';

/**
 * What the custom SMS and email senders share (lambda/services/pool-texts.ts,
 * pool-emails.ts; one module each, so neither bundle carries the other's SDK
 * client): reading the event, refusing, decrypting.
 *
 * Nothing sent is never an error here: beyond a cap, for an unknown source or
 * an event without user, destination or code, the trigger logs a warning with
 * the source and returns normally. A throw would not send anything either, but
 * it would fail the caller's Cognito request and count in the function's error
 * alarm (lib/alarms.ts), which anyone could then set off by asking for codes;
 * and Cognito is not documented to retry or fall back to sending itself.
 * What does throw: a failed decryption or a failed SNS/SES call, which only a
 * broken deployment causes, so the alarm should see it.
 */
export function admissible(channel: PoolChannel, event: unknown): PoolMessage | undefined {
  const decision = readPoolMessageEvent(channel, event);
  if (decision.send) return decision.message;
  logger.warn('Pool message not sent', { source: decision.source, reason: decision.reason });
  return undefined;
}

export function refused(message: PoolMessage, retryAfterSeconds: number): void {
  logger.warn('Pool message not sent', { source: message.source, reason: 'send cap', retryAfterSeconds });
}

/** The code or temporary password, into the message and nowhere else; the takeover notice has none (its builders do not use it). */
export async function secretOf(message: PoolMessage): Promise<string> {
  return message.encryptedCode === undefined ? '' : decryptCode(senderConfig.keyArn, message.encryptedCode);
}
