import { epochSeconds } from '../core/clock';
import { logger } from '../core/logger';
import { smsCoolDownApplies } from '../core/pool-messages';
import { countryAllowed, phoneNumberId } from '../core/send-caps';
import { poolSmsText } from '../core/sms-messages';
import { sendCapsConfig } from '../config/send-caps-config';
import { senderConfig } from '../config/sender-config';
import { admissible, refused, secretOf } from './pool-messages';
import { admitPoolSmsText } from './send-caps';
import { sendSmsText } from './sms';

/**
 * The custom SMS sender's story: read the event, refuse a number outside
 * `smsAllowedCountries` (however it was set: an administrator, a back office, a
 * client added later), take a place in the user's SMS send log (every text counts;
 * no cool-down for sign-in codes, lambda/core/send-caps.ts `admitPoolText`),
 * decrypt the code, text it.
 */
export async function sendPoolText(event: unknown): Promise<void> {
  const message = admissible('SMS', event);
  if (!message) return;
  if (!countryAllowed(message.destination, sendCapsConfig.smsAllowedCountries)) {
    logger.warn('Pool message not sent', { source: message.source, reason: 'country not allowed' });
    return;
  }
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
