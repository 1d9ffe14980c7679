import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../core/logger';

/**
 * The service's own SMS: only the notice to a replaced phone number (Cognito
 * sends the codes itself). SNS Publish with `PhoneNumber` texts a number
 * directly, with no topic; `Transactional` asks for the delivery route meant
 * for time-critical messages
 * (https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 */
const sns = new SNSClient({});

/**
 * Sends `text` and swallows a failure, logged without the number: like the
 * email notices, the change it tells of already happened and must not be
 * reported as failed.
 */
export async function sendSmsNotice(phoneNumber: string, text: string): Promise<void> {
  try {
    await sns.send(
      new PublishCommand({
        PhoneNumber: phoneNumber,
        Message: text,
        MessageAttributes: { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } },
      }),
    );
    logger.info('SMS notice sent');
  } catch (error) {
    logger.error('SMS notice not sent', { cause: error instanceof Error ? error.name : typeof error });
  }
}
