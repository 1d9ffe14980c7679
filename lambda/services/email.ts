import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { EmailMessage } from '../core/email-messages';

/**
 * The one way this service sends email: SES, from the sender the stack
 * configures (the function's role may send from that identity only). SES v1's
 * SendEmail does all a plain-text message needs, in 25 KB of bundle where the
 * v2 client takes 60 KB.
 */
const ses = new SESClient({});

export async function sendEmail(from: string, message: EmailMessage): Promise<void> {
  await ses.send(
    new SendEmailCommand({
      Source: from,
      Destination: { ToAddresses: [message.to] },
      Message: {
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: { Text: { Data: message.text, Charset: 'UTF-8' } },
      },
    }),
  );
}
