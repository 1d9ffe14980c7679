import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { capItemKinds, mfaTableKeys, userPartition } from '../../contract/mfa-table';
import { LimitExceededException } from '../core/errors';
import { conditionally, mfaTable as table } from './mfa-table-client';
import {
  admitEmailSend,
  admitNumber,
  admitPoolText,
  type Admission,
  type EmailSendLog,
  type SmsCapPolicy,
  type SmsSendLog,
  type WindowCap,
} from '../core/send-caps';

/**
 * The send logs of lambda/core/send-caps.ts in the MFA table, one item per user
 * and kind, written with optimistic concurrency: an item is replaced only if its
 * `version` is still the one read, so two sends racing for the last place in a
 * window cannot both get it. A write that loses re-reads and decides again; it
 * can lose only to a send that was admitted, so after at most `max` losses it
 * sees a full window.
 */

type CapKind = (typeof capItemKinds)[keyof typeof capItemKinds];

interface Stored {
  readonly version: number;
}

/** Enough for any cap the settings allow (lib/config.ts bounds them far below), with room for rounds lost to the window's own sends. */
const maxRounds = 64;

async function admit<Log extends object>(
  tableName: string,
  sub: string,
  kind: CapKind,
  now: number,
  keepSeconds: number,
  decide: (log: Log | undefined) => Admission<Log>,
): Promise<Admission<Log>> {
  const key = { [mfaTableKeys.partitionKey]: userPartition(sub), [mfaTableKeys.sortKey]: kind };
  for (let round = 0; round < maxRounds; round += 1) {
    const { Item } = await table.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    const stored = Item as (Log & Stored) | undefined;
    const admission = decide(stored);
    if (!admission.admitted) return admission;
    const written = await conditionally(() =>
      table.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, ...admission.log, version: (stored?.version ?? 0) + 1, [mfaTableKeys.timeToLive]: now + keepSeconds },
          ConditionExpression: stored ? 'version = :version' : 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: stored ? undefined : { '#pk': mfaTableKeys.partitionKey },
          ExpressionAttributeValues: stored ? { ':version': stored.version } : undefined,
        }),
      ),
    );
    if (written) return admission;
  }
  // Only reachable when far more than a window's worth of sends race for one user: refuse, never fail.
  const retryAfterSeconds = 60;
  return { admitted: false, retryAfterSeconds, error: new LimitExceededException('Too many requests at once. Try again in 60 seconds.') };
}

/** Takes a place for one email code (sign-in or enrolment) in the user's window. */
/** Takes a place for one send in the user's log of `kind`, a sliding window of send times (`admitEmailSend`). */
function windowLogAdmission(kind: CapKind) {
  return (tableName: string, sub: string, now: number, cap: WindowCap): Promise<Admission<EmailSendLog>> =>
    admit<EmailSendLog>(tableName, sub, kind, now, cap.windowSeconds, (log) => admitEmailSend(log, now, cap));
}

/**
 * Takes a place for one notice that Define switched a factor off. The factor is switched off
 * at every sign-in that finds it on; the notice is capped, because turning the factor on again
 * needs only an access token and starting a sign-in only the user name, which together would
 * otherwise email the user once per round.
 */
export const admitSwitchOffNotice = windowLogAdmission(capItemKinds.switchOffNotices);

export const admitEmailCode = windowLogAdmission(capItemKinds.emailSends);

/**
 * Takes the number's place for the day and the places for `notices` old-number
 * notices, if a code to the number would also be admitted now (`admitNumber`).
 */
export function admitSmsNumber(
  tableName: string,
  sub: string,
  numberId: string,
  now: number,
  policy: SmsCapPolicy,
  notices: number,
): Promise<Admission<SmsSendLog>> {
  return admit<SmsSendLog>(tableName, sub, capItemKinds.smsSends, now, smsKeepSeconds(policy), (log) =>
    admitNumber(log, numberId, now, policy, notices),
  );
}

/** Takes the place of one text Cognito hands the custom SMS sender (`admitPoolText`). */
export function admitPoolSmsText(
  tableName: string,
  sub: string,
  numberId: string,
  now: number,
  policy: SmsCapPolicy,
  coolDown: boolean,
): Promise<Admission<SmsSendLog>> {
  return admit<SmsSendLog>(tableName, sub, capItemKinds.smsSends, now, smsKeepSeconds(policy), (log) =>
    admitPoolText(log, numberId, now, policy, coolDown),
  );
}

const smsKeepSeconds = (policy: SmsCapPolicy) => Math.max(policy.numbers.windowSeconds, policy.texts.windowSeconds, policy.cooldownSeconds);

/**
 * Takes a place for one email Cognito hands the custom email sender, in a log
 * of its own: the same limits as the email codes, but not their window, so that
 * an outsider's ForgotPassword calls cannot use up a user's email MFA codes.
 */
export const admitPoolEmail = windowLogAdmission(capItemKinds.poolEmailSends);
