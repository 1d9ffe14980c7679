import type { Context, PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { emailMfaAttribute } from '../../contract/user-pool';
import { epochSeconds } from '../core/clock';
import { emailMfaEnabled, parseEmailMfaMark } from '../core/email-mfa-mark';
import { logger } from '../core/logger';
import { decideTokenIssuance, type TokenIssuanceFacts } from '../core/token-issuance-policy';
import { consumeSignInProof } from '../services/mfa-table';
import { triggerConfig } from '../config/trigger-config';

/**
 * Cognito refuses the tokens when this trigger throws, and the client gets
 * UserLambdaValidationException ("PreTokenGeneration failed with error
 * <message>."; the Errors of InitiateAuth and RespondToAuthChallenge,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RespondToAuthChallenge.html#API_RespondToAuthChallenge_Errors,
 * and the developer guide on trigger errors,
 * https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html).
 * The message goes to the client: it names the rule, never a value.
 */
export class TokensRefusedError extends Error {
  override readonly name = 'TokensRefusedError';
}

/**
 * Pre Token Generation (V1_0 event): asks core/token-issuance-policy.ts whether tokens may be issued.
 * The mark is read from the event's userAttributes, which hold the user's attributes whatever the
 * app client may read (triggers are reported to read custom attributes that the ID token leaves
 * out, e.g. aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#372); not
 * yet tried against real Cognito with this pool's unreadable mark.
 */
export const handler = async (event: PreTokenGenerationTriggerEvent, context?: Context): Promise<PreTokenGenerationTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  const attributes = event.request.userAttributes ?? {};
  const facts: TokenIssuanceFacts = {
    triggerSource: event.triggerSource,
    emailMfaRequired: emailMfaEnabled(parseEmailMfaMark(attributes[emailMfaAttribute])),
    sub: attributes.sub,
  };
  let decision = decideTokenIssuance(facts);
  if (decision.action === 'CONSUME_PROOF') {
    const consumed = await consumeSignInProof(
      triggerConfig.emailMfa.tableName,
      facts.sub ?? '',
      event.callerContext.clientId,
      epochSeconds(),
    );
    decision = decideTokenIssuance({ ...facts, proof: consumed ? 'CONSUMED' : 'MISSING' });
  }
  logger.info('token issue decided', {
    sub: facts.sub,
    triggerSource: event.triggerSource,
    decision: decision.action,
    reason: decision.action === 'CONSUME_PROOF' ? undefined : decision.reason,
  });
  if (decision.action !== 'ALLOW') throw new TokensRefusedError('This sign-in did not answer the email code, so no tokens are issued');
  return event;
};
