import { epochSeconds } from '../core/clock';
import { poolEmailMessage } from '../core/email-messages';
import { logger } from '../core/logger';
import { readPoolMessageEvent, smsCoolDownApplies, type PoolChannel, type PoolMessage } from '../core/pool-messages';
import { phoneNumberId } from '../core/send-caps';
import { poolSmsText } from '../core/sms-messages';
import { sendCapsConfig } from '../config/send-caps-config';
import { senderConfig } from '../config/sender-config';
import { decryptCode } from './code-decryption';
import { sendEmail } from './email';
import { admitPoolEmail, admitPoolSmsText } from './send-caps';
import { sendSmsText } from './sms';

/**
 * The custom SMS and email senders' one story each: read the event
 * (lambda/core/pool-messages.ts), take a place in the user's send log
 * (lambda/services/send-caps.ts), decrypt the code, send.
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
export async function sendPoolText(event: unknown): Promise<void> {
  const message = admissible('SMS', event);
  if (!message) return;
  const admission = await admitPoolSmsText(
    sendCapsConfig.tableName,
    message.sub,
    phoneNumberId(message.sub, message.destination),
    epochSeconds(),
    sendCapsConfig.sms,
    smsCoolDownApplies(message.source),
  );
  if (!admission.admitted) return refused(message, admission.retryAfterSeconds);
  const code = await secretOf(message);
  await sendSmsText(message.destination, poolSmsText(senderConfig.appName, message.source, code, message.username));
  logger.info('Pool SMS sent', { source: message.source });
}

export async function sendPoolEmail(event: unknown): Promise<void> {
  const message = admissible('EMAIL', event);
  if (!message) return;
  const admission = await admitPoolEmail(sendCapsConfig.tableName, message.sub, epochSeconds(), sendCapsConfig.emailCodes);
  if (!admission.admitted) return refused(message, admission.retryAfterSeconds);
  const code = await secretOf(message);
  await sendEmail(
    senderConfig.emailFrom,
    poolEmailMessage(senderConfig.appName, message.destination, message.source, code, message.username),
  );
  logger.info('Pool email sent', { source: message.source });
}

function admissible(channel: PoolChannel, event: unknown): PoolMessage | undefined {
  const decision = readPoolMessageEvent(channel, event);
  if (decision.send) return decision.message;
  logger.warn('Pool message not sent', { source: decision.source, reason: decision.reason });
  return undefined;
}

function refused(message: PoolMessage, retryAfterSeconds: number): void {
  logger.warn('Pool message not sent', { source: message.source, reason: 'send cap', retryAfterSeconds });
}

/** The takeover notice has no secret; the message builders do not use it then. */
async function secretOf(message: PoolMessage): Promise<string> {
  return message.encryptedCode === undefined ? '' : decryptCode(senderConfig.keyArn, message.encryptedCode);
}
