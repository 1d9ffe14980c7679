import type { Context, VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { logger } from '../core/logger';
import { verifyEmailOtpAnswer } from './email-otp';
import { verifyRecoveryTicket } from './recovery';

/**
 * Verify Auth Challenge Response: by the kind Create put in the private
 * parameters. The password check's challenge has no right answer.
 */
export const handler = async (
  event: VerifyAuthChallengeResponseTriggerEvent,
  context?: Context,
): Promise<VerifyAuthChallengeResponseTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  const kind = event.request.privateChallengeParameters.kind;
  event.response.answerCorrect =
    kind === 'RECOVERY' ? await verifyRecoveryTicket(event) : kind === 'PASSWORD_CHECKED' ? false : await verifyEmailOtpAnswer(event);
  return event;
};
