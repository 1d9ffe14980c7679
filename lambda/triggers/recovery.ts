import type { CreateAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { epochSeconds } from '../core/clock';
import { logger } from '../core/logger';
import { recoveryTicketHash } from '../core/recovery-ticket';
import { passwordCheckedChallengeMetadata, recoveryChallengeMetadata } from '../core/sign-in-policy';
import { takeRecoveryTicket } from '../services/recovery-tickets';
import { triggerConfig } from '../config/trigger-config';

/**
 * The two custom challenges of POST /auth/recover (lambda/core/sign-in-policy.ts
 * says when Define asks for them). RECOVERY is answered with the ticket the API
 * minted after the password and a recovery code: Verify takes it, once, for this
 * user. PASSWORD_CHECKED ends the API's password check: it sends nothing and no
 * answer is right.
 */
export function createRecoveryChallenge(event: CreateAuthChallengeTriggerEvent): void {
  event.response.challengeMetadata = recoveryChallengeMetadata;
  event.response.publicChallengeParameters = { kind: 'RECOVERY' };
  event.response.privateChallengeParameters = { kind: 'RECOVERY' };
}

export function createPasswordCheckedChallenge(event: CreateAuthChallengeTriggerEvent): void {
  event.response.challengeMetadata = passwordCheckedChallengeMetadata;
  event.response.publicChallengeParameters = { kind: 'PASSWORD_CHECKED' };
  event.response.privateChallengeParameters = { kind: 'PASSWORD_CHECKED' };
}

export async function verifyRecoveryTicket(event: VerifyAuthChallengeResponseTriggerEvent): Promise<boolean> {
  const sub = event.request.userAttributes.sub;
  const ticket = event.request.challengeAnswer;
  if (event.request.userNotFound || !sub || typeof ticket !== 'string' || ticket.length === 0) return false;
  const taken = await takeRecoveryTicket(triggerConfig.emailMfa.tableName, sub, recoveryTicketHash(ticket), epochSeconds());
  logger.info('recovery ticket checked', { sub, taken });
  return taken;
}
