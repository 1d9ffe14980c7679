import type { Context, CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { logger } from '../core/logger';
import { createEmailOtpChallenge } from './email-otp';

/**
 * Create Auth Challenge: one custom challenge exists, the email one-time code.
 * Define Auth Challenge only ever asks for CUSTOM_CHALLENGE; anything else is a
 * bug worth failing loudly on.
 */
export const handler = async (event: CreateAuthChallengeTriggerEvent, context?: Context): Promise<CreateAuthChallengeTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') {
    throw new Error(`Create Auth Challenge asked for ${event.request.challengeName}`);
  }
  await createEmailOtpChallenge(event);
  return event;
};
