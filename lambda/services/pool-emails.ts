import { epochSeconds } from '../core/clock';
import { poolEmailMessage } from '../core/email-messages';
import { logger } from '../core/logger';
import { sendCapsConfig } from '../config/send-caps-config';
import { senderConfig } from '../config/sender-config';
import { sendEmail } from './email';
import { admissible, refused, secretOf } from './pool-messages';
import { admitPoolEmail } from './send-caps';

/**
 * The custom email sender's story: read the event, take a place in the user's
 * log of Cognito's emails (apart from the email MFA codes'), decrypt the code,
 * email it from `emailFrom`.
 */
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
