import { securityEventMessage, type SecurityEvent } from '../core/email-messages';
import { logger } from '../core/logger';
import { sendEmail } from './email';

export interface NotificationSettings {
  readonly appName: string;
  readonly from: string;
}

/**
 * Tells the user by email that their sign-in methods changed or were locked. A
 * notice that cannot be sent is logged and swallowed: the change itself already
 * happened and must not be reported to the client as failed.
 */
export async function notifyUser(settings: NotificationSettings, to: string | undefined, event: SecurityEvent): Promise<void> {
  if (!to) {
    logger.warn('security notice not sent: user has no email address', { event: event.kind });
    return;
  }
  try {
    await sendEmail(settings.from, securityEventMessage(settings.appName, to, event));
    logger.info('security notice sent', { event: event.kind });
  } catch (error) {
    logger.error('security notice not sent', { event: event.kind, cause: error instanceof Error ? error.name : typeof error });
  }
}
