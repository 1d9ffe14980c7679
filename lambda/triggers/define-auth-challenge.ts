import type { Context, DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { emailMfaAttribute } from '../../contract/user-pool';
import { emailMfaEnabled, parseEmailMfaMark } from '../core/email-mfa-mark';
import { epochSeconds } from '../core/clock';
import { logger } from '../core/logger';
import { decideNextStep, type ChallengeRecord } from '../core/sign-in-policy';
import { appClients } from '../services/app-clients';
import { loadUserMfaState } from '../services/cognito-admin';
import { emailMfaLocked } from '../services/mfa-table';
import { triggerConfig } from '../config/trigger-config';

/**
 * Define Auth Challenge: asks core/sign-in-policy.ts what comes next and tells
 * Cognito. The user's MFA settings and failure budget are read only at the steps
 * where they decide something.
 */
export const handler = async (event: DefineAuthChallengeTriggerEvent, context?: Context): Promise<DefineAuthChallengeTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  const session: readonly ChallengeRecord[] = event.request.session ?? [];
  const passwordVerified = session[1]?.challengeName === 'PASSWORD_VERIFIER' && session[1].challengeResult;
  const sub = event.request.userAttributes.sub;
  const known = !event.request.userNotFound && sub !== undefined;
  const emailOn = emailMfaEnabled(parseEmailMfaMark(event.request.userAttributes[emailMfaAttribute]));
  // Native MFA is read after the password, and for email-MFA users before it too: a
  // factor turned on around the API (Cognito's own user APIs) would otherwise take
  // the email code's place unnoticed.
  const readNativeMfa = known && (passwordVerified || (session.length === 1 && emailOn));

  const [clients, nativeMfa, locked] = await Promise.all([
    appClients(triggerConfig.clientsParameter),
    readNativeMfa ? loadUserMfaState(event.userPoolId, event.userName).then((user) => user.nativeMfa) : [],
    known && passwordVerified && emailOn ? emailMfaLocked(triggerConfig.emailMfa.tableName, sub, epochSeconds()) : false,
  ]);

  const decision = decideNextStep({
    session,
    userNotFound: event.request.userNotFound === true,
    clientId: event.callerContext.clientId,
    knownClientIds: [clients.publicClientId, clients.serverClientId],
    emailMfaEnabled: emailOn,
    nativeMfaEnabled: nativeMfa.length > 0,
    poolRequiresMfa: triggerConfig.poolRequiresMfa,
    emailMfaLocked: locked,
    maxAnswers: triggerConfig.maxAnswersPerSignIn,
  });

  event.response.issueTokens = decision.action === 'ISSUE_TOKENS';
  event.response.failAuthentication = decision.action === 'FAIL';
  if (decision.action === 'CHALLENGE') event.response.challengeName = decision.challengeName;
  logger.info('sign-in step decided', {
    step: session.length,
    decision: decision.action,
    challenge: decision.action === 'CHALLENGE' ? decision.challengeName : undefined,
    reason: decision.action === 'FAIL' ? decision.reason : undefined,
    userNotFound: event.request.userNotFound === true,
  });
  return event;
};
