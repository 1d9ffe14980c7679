import type { Context, CreateAuthChallengeTriggerEvent } from 'aws-lambda';
import { logger } from '../core/logger';
import { customChallengeKind } from '../core/sign-in-policy';
import { appClients } from '../services/app-clients';
import { triggerConfig } from '../config/trigger-config';
import { createEmailOtpChallenge } from './email-otp';
import { createPasswordCheckedChallenge, createRecoveryChallenge } from './recovery';

/**
 * Create Auth Challenge: makes the custom challenge core/sign-in-policy.ts names
 * for this point of the flow, the email one-time code or one of recovery's.
 * Define Auth Challenge only ever asks for CUSTOM_CHALLENGE; anything else is a
 * bug worth failing loudly on.
 */
export const handler = async (event: CreateAuthChallengeTriggerEvent, context?: Context): Promise<CreateAuthChallengeTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  if (event.request.challengeName !== 'CUSTOM_CHALLENGE') {
    throw new Error(`Create Auth Challenge asked for ${event.request.challengeName}`);
  }
  const { serverClientId } = await appClients(triggerConfig.clientsParameter);
  const kind = customChallengeKind({
    session: event.request.session ?? [],
    clientId: event.callerContext.clientId,
    serverClientId,
    clientMetadata: event.request.clientMetadata,
  });
  if (kind === 'RECOVERY') createRecoveryChallenge(event);
  else if (kind === 'PASSWORD_CHECKED') createPasswordCheckedChallenge(event);
  else await createEmailOtpChallenge(event);
  return event;
};
