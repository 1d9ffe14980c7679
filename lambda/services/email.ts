import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage } from '../core/email-messages';

/**
 * The one way this service sends email: SES, from the sender the stack
 * configures (the function's role may send from that identity only).
 */
const ses = new SESv2Client({});

export async function sendEmail(from: string, message: EmailMessage): Promise<void> {
  await ses.send(
    new SendEmailCommand({
      FromEmailAddress: from,
      Destination: { ToAddresses: [message.to] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
        },
      },
    }),
  );
}
