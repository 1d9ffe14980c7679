import type { Context } from 'aws-lambda';
import { logger } from '../core/logger';
import { sendPoolEmail } from '../services/pool-emails';

/**
 * Custom email sender (V1_0 event): every email the pool would send comes here
 * instead, its code encrypted; lambda/services/pool-emails.ts decides and
 * sends. Cognito expects nothing back
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-email-sender.html).
 */
export const handler = async (event: unknown, context?: Context): Promise<void> => {
  logger.setRequestId(context?.awsRequestId);
  await sendPoolEmail(event);
};
