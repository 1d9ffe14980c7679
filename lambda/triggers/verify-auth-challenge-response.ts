import type { Context, VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { logger } from '../core/logger';
import { verifyEmailOtpAnswer } from './email-otp';

/** Verify Auth Challenge Response: the email one-time code is the only custom challenge. */
export const handler = async (
  event: VerifyAuthChallengeResponseTriggerEvent,
  context?: Context,
): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  event.response.answerCorrect = await verifyEmailOtpAnswer(event);
  return event;
};
