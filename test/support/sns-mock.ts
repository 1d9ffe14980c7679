import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { secrets } from './log-capture';

/**
 * SNS has no local emulator, so the tests mock it with aws-sdk-client-mock. The
 * mock stands for SNS Publish to a phone number, which answers a MessageId once
 * SNS has accepted the text (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 * Both the API's notices and the custom SMS sender's texts go through it.
 */
export const snsMock = mockClient(SNSClient);

export function resetSnsMock(): void {
  snsMock.reset();
  snsMock.on(PublishCommand).resolves({ MessageId: 'sns-message-id' });
}
resetSnsMock();

export interface SentText {
  readonly to: string;
  readonly text: string;
  readonly smsType: string | undefined;
}

/** Every text sent through the mock; codes in them are registered with the log scan. */
export function sentTexts(): SentText[] {
  return snsMock.commandCalls(PublishCommand).map((call) => {
    const input = call.args[0].input;
    const text = input.Message ?? '';
    for (const code of text.match(/\b[0-9]{6,8}\b/g) ?? []) secrets.add(code, 'texted code');
    return { to: input.PhoneNumber ?? '', text, smsType: input.MessageAttributes?.['AWS.SNS.SMS.SMSType']?.StringValue };
  });
}
