import {
  AdminDeleteUserAttributesCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { emailMfaAttribute } from '../../contract/user-pool';
import { securityEventMessage } from '../../lambda/core/email-messages';
import type { AuditLog } from './audit-log';
import { deleteRecoveryCodeSet, deleteRecoveryTickets } from './mfa-table';
import type { ServiceLocation } from './stack-outputs';
import type { AdminUser } from './users';

export interface ResetClients {
  readonly cognito: CognitoIdentityProviderClient;
  readonly table: DynamoDBDocumentClient;
  readonly ses: SESClient;
}

export interface ResetOutcome {
  readonly lines: string[];
  /** False when no notice could be sent: the reset itself is done, the user must be told another way. */
  readonly notified: boolean;
}

/**
 * `reset-mfa <user>`, for the user who lost every factor and every recovery code:
 * SMS and TOTP off, the email MFA mark removed, the recovery codes (and any
 * recovery ticket minted from one) deleted, every session ended, and a notice
 * sent. The session end comes last, so that it also ends any session started
 * with a factor while the others were being removed. The password, the phone
 * number and the failure budgets stay: the user signs in with the password and
 * sets up a factor; `unlock` clears the budgets.
 */
export async function resetMfa(clients: ResetClients, location: ServiceLocation, user: AdminUser, audit: AuditLog): Promise<ResetOutcome> {
  const { cognito, table, ses } = clients;
  const { userPoolId, tableName } = location;
  const lines: string[] = [];

  // Each *MfaSettings changes only the factor it names; Enabled false turns it off
  // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserMFAPreference.html).
  await cognito.send(
    new AdminSetUserMFAPreferenceCommand({
      UserPoolId: userPoolId,
      Username: user.username,
      SMSMfaSettings: { Enabled: false, PreferredMfa: false },
      SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false },
    }),
  );
  audit('native-mfa-off', { sub: user.sub, sms: user.nativeMfa.includes('SMS_MFA'), totp: user.nativeMfa.includes('SOFTWARE_TOKEN_MFA') });
  lines.push(`SMS and TOTP MFA turned off (were: ${user.nativeMfa.length > 0 ? user.nativeMfa.join(', ') : 'none'}).`);

  if (user.emailMfa !== undefined) {
    // The mark is a custom attribute, deleted by its name with the custom: prefix
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminDeleteUserAttributes.html):
    // no mark is what a user who never enrolled has (lambda/core/email-mfa-mark.ts).
    await cognito.send(
      new AdminDeleteUserAttributesCommand({ UserPoolId: userPoolId, Username: user.username, UserAttributeNames: [emailMfaAttribute] }),
    );
    lines.push('Email MFA removed.');
  } else {
    lines.push('Email MFA was not set up.');
  }
  audit('email-mfa-removed', { sub: user.sub, existed: user.emailMfa !== undefined });

  const hadCodes = await deleteRecoveryCodeSet(table, tableName, user.sub);
  const hadTicket = await deleteRecoveryTickets(table, tableName, user.sub);
  audit('recovery-codes-deleted', { sub: user.sub, existed: hadCodes, ticketExisted: hadTicket });
  lines.push(hadCodes ? 'Recovery codes deleted.' : 'No recovery codes were issued.');

  // Invalidates the user's access, ID and refresh tokens: refresh requests and
  // token-authorized operations refuse them from now on
  // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html).
  await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: user.username }));
  audit('signed-out-everywhere', { sub: user.sub });
  lines.push('Signed out on every device.');

  const notified = await notify(ses, location, user, audit, lines);
  return { lines, notified };
}

/**
 * The notice goes to the account's address and, if it differs, to the address
 * email codes went to: if the account's address was changed by someone who then
 * asked for this reset, the address the user verified still hears of it. SES
 * SendEmail (https://docs.aws.amazon.com/ses/latest/APIReference/API_SendEmail.html),
 * from the stack's sender.
 */
async function notify(ses: SESClient, location: ServiceLocation, user: AdminUser, audit: AuditLog, lines: string[]): Promise<boolean> {
  const markAddress = typeof user.emailMfa === 'object' ? user.emailMfa.address : undefined;
  const recipients = [...new Set([user.email, markAddress].filter((address): address is string => Boolean(address)))];
  if (recipients.length === 0) {
    audit('notice-not-sent', { sub: user.sub, reason: 'no email address' });
    lines.push('No notice sent: the user has no email address. Tell them another way.');
    return false;
  }
  let sent = 0;
  for (const to of recipients) {
    const message = securityEventMessage(location.appName, to, { kind: 'mfa-reset-by-administrator' });
    try {
      await ses.send(
        new SendEmailCommand({
          Source: location.emailFrom,
          Destination: { ToAddresses: [message.to] },
          Message: { Subject: { Data: message.subject, Charset: 'UTF-8' }, Body: { Text: { Data: message.text, Charset: 'UTF-8' } } },
        }),
      );
      sent += 1;
    } catch (error) {
      audit('notice-not-sent', { sub: user.sub, reason: error instanceof Error ? error.name : typeof error });
    }
  }
  if (sent > 0) audit('notice-sent', { sub: user.sub, recipients: sent });
  lines.push(
    sent === recipients.length
      ? `Notice sent to ${recipients.length === 1 ? 'the user' : 'both the account address and the email MFA address'}.`
      : `Notice NOT sent to ${recipients.length - sent} of ${recipients.length} addresses (SES refused): tell the user another way.`,
  );
  return sent === recipients.length;
}
