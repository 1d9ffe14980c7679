import type { Context, DefineAuthChallengeTriggerEvent } from 'aws-lambda';
import { emailMfaAttribute } from '../../contract/user-pool';
import { emailMfaEnabled, parseEmailMfaMark } from '../core/email-mfa-mark';
import { amplifyMfaTypeOf } from '../core/mfa-preference';
import { epochSeconds } from '../core/clock';
import { logger } from '../core/logger';
import { decideNextStep, type ChallengeRecord } from '../core/sign-in-policy';
import { signInProofLifetimeSeconds } from '../core/token-issuance-policy';
import { appClients } from '../services/app-clients';
import { loadUserMfaState, readAbsentUser } from '../services/cognito-admin';
import { recordSignInProof } from '../services/mfa-table';
import { admitSwitchOffNotice } from '../services/send-caps';
import { switchOffNativeMfa } from '../services/native-mfa';
import { notifyUser } from '../services/notifications';
import { triggerConfig } from '../config/trigger-config';

/** At most this many switch-off notices per user: the first tells them; more within a day add nothing but mail. */
const switchOffNoticeCap = { max: 3, windowSeconds: 24 * 60 * 60 } as const;

/**
 * Define Auth Challenge: asks core/sign-in-policy.ts what comes next, does what
 * that needs, and tells Cognito. The user is read (AdminGetUser) at the first
 * call only, whatever their factors, and for a name without a user too: one read
 * per sign-in, and the same work at the first call for every name.
 */
export const handler = async (event: DefineAuthChallengeTriggerEvent, context?: Context): Promise<DefineAuthChallengeTriggerEvent> => {
  logger.setRequestId(context?.awsRequestId);
  const session: readonly ChallengeRecord[] = event.request.session ?? [];
  const sub = event.request.userAttributes.sub;
  const known = !event.request.userNotFound && sub !== undefined;
  const mark = parseEmailMfaMark(event.request.userAttributes[emailMfaAttribute]);

  const firstCall = session.length === 1;
  const [clients, user] = await Promise.all([
    appClients(triggerConfig.clientsParameter),
    known && firstCall ? loadUserMfaState(event.userPoolId, event.userName) : undefined,
    !known && firstCall ? readAbsentUser(event.userPoolId, event.userName) : undefined,
  ]);

  const decision = decideNextStep({
    session,
    userNotFound: event.request.userNotFound === true,
    clientId: event.callerContext.clientId,
    knownClientIds: [clients.publicClientId, clients.serverClientId],
    serverClientId: clients.serverClientId,
    clientMetadata: event.request.clientMetadata,
    emailMfaDeployed: triggerConfig.emailMfaDeployed,
    emailMfaEnabled: emailMfaEnabled(mark),
    nativeMfaEnabled: user === undefined ? undefined : user.nativeMfa.length > 0,
    poolRequiresMfa: triggerConfig.poolRequiresMfa,
    maxAnswers: triggerConfig.maxAnswersPerSignIn,
  });

  if (decision.action === 'CHALLENGE' && decision.challengeName === 'PASSWORD_VERIFIER' && decision.switchOffNativeMfa) {
    await switchOffNativeMfa(event.userPoolId, event.userName);
    const factors = (user?.nativeMfa ?? []).flatMap((name) => amplifyMfaTypeOf[name] ?? []);
    const address = mark && mark !== 'unreadable' ? mark.address : event.request.userAttributes.email;
    const notice =
      sub === undefined ? undefined : await admitSwitchOffNotice(triggerConfig.emailMfa.tableName, sub, epochSeconds(), switchOffNoticeCap);
    if (notice?.admitted) {
      await notifyUser({ appName: triggerConfig.appName, from: triggerConfig.emailFrom }, address, {
        kind: 'native-mfa-switched-off',
        factors,
      });
    } else {
      logger.warn('switch-off notice not sent', { reason: 'notice cap' });
    }
  }
  // The proof (of a right email code or recovery ticket) binds it to this user and app client only: the Pre
  // Token Generation event carries no session id, nothing of the sign-in that
  // Define could also see. It lives a few seconds (Cognito runs Pre Token
  // Generation in the same call) and is taken once; what remains is that a token
  // issue for the same user and client racing this one inside that window could
  // take it instead.
  const proofRecorded =
    decision.action === 'ISSUE_TOKENS' && decision.recordProof && sub !== undefined
      ? await recordSignInProof(
          triggerConfig.emailMfa.tableName,
          sub,
          event.callerContext.clientId,
          epochSeconds(),
          signInProofLifetimeSeconds,
        )
      : undefined;

  event.response.issueTokens = decision.action === 'ISSUE_TOKENS';
  event.response.failAuthentication = decision.action === 'FAIL';
  if (decision.action === 'CHALLENGE') event.response.challengeName = decision.challengeName;
  logger.info('sign-in step decided', {
    step: session.length,
    decision: decision.action,
    challenge: decision.action === 'CHALLENGE' ? decision.challengeName : undefined,
    reason: decision.action === 'FAIL' ? decision.reason : undefined,
    nativeMfaSwitchedOff: decision.action === 'CHALLENGE' && decision.challengeName === 'PASSWORD_VERIFIER' && decision.switchOffNativeMfa,
    proofRecorded,
    userNotFound: event.request.userNotFound === true,
  });
  return event;
};
