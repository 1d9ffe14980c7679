import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { secrets } from './log-capture';

/**
 * SES has no local emulator, so every test mocks it with aws-sdk-client-mock.
 * The mock stands for SES SendEmail
 * (https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html),
 * which answers a MessageId once SES has accepted the message.
 */
export const sesMock = mockClient(SESClient);

export function resetSesMock(): void {
  sesMock.reset();
  sesMock.on(SendEmailCommand).resolves({ MessageId: 'ses-message-id' });
}

export interface SentEmail {
  to: string[];
  subject: string;
  text: string;
}

/** Every email sent through the mock; codes in them are registered with the log scan. */
export function sentEmails(): SentEmail[] {
  return sesMock.commandCalls(SendEmailCommand).map((call) => {
    const input = call.args[0].input;
    const text = input.Message?.Body?.Text?.Data ?? '';
    for (const code of text.match(/\b[0-9]{6,8}\b/g) ?? []) secrets.add(code, 'emailed code');
    return { to: input.Destination?.ToAddresses ?? [], subject: input.Message?.Subject?.Data ?? '', text };
  });
}

/** The code in the last email sent to `to`. */
export function lastEmailedCode(to: string): string | undefined {
  const email = sentEmails()
    .filter((sent) => sent.to.includes(to))
    .at(-1);
  return email?.text.match(/\b([0-9]{6,8})\b/)?.[1];
}
