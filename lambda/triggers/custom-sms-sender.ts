import type { Context } from 'aws-lambda';
import { logger } from '../core/logger';
import { sendPoolText } from '../services/pool-texts';

/**
 * Custom SMS sender (V1_0 event): every SMS the pool would send comes here
 * instead, its code encrypted; lambda/services/pool-texts.ts decides and
 * sends. Cognito expects nothing back
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html).
 */
export const handler = async (event: unknown, context?: Context): Promise<void> => {
  logger.setRequestId(context?.awsRequestId);
  await sendPoolText(event);
};
