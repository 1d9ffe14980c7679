import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { logger } from '../core/logger';

/**
 * Every SMS of the service: the notice to a replaced phone number, and
 * Cognito's texts, which the custom SMS sender writes and sends. SNS Publish with `PhoneNumber` texts a number
 * directly, with no topic; `Transactional` asks for the delivery route meant
 * for time-critical messages
 * (https://docs.aws.amazon.com/sns/latest/dg/sms_publish-to-phone.html,
 * https://docs.aws.amazon.com/sns/latest/api/API_Publish.html).
 */
const sns = new SNSClient({});

const transactional = { 'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' } } as const;

/** Sends `text` or throws: a code the user waits for must not be lost quietly. */
export async function sendSmsText(phoneNumber: string, text: string): Promise<void> {
  await sns.send(new PublishCommand({ PhoneNumber: phoneNumber, Message: text, MessageAttributes: transactional }));
}

/**
 * Sends `text` and swallows a failure, logged without the number: like the
 * email notices, the change it tells of already happened and must not be
 * reported as failed.
 */
export async function sendSmsNotice(phoneNumber: string, text: string): Promise<void> {
  try {
    await sendSmsText(phoneNumber, text);
    logger.info('SMS notice sent');
  } catch (error) {
    logger.error('SMS notice not sent', { cause: error instanceof Error ? error.name : typeof error });
  }
}
