import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { emailMfaAttribute } from '../../contract/user-pool';
import { parseEmailMfaMark, type ParsedEmailMfaMark } from '../../lambda/core/email-mfa-mark';
import { AdminRefusal } from './errors';

/** What the tools need to know of a user, read with AdminGetUser. */
export interface AdminUser {
  /** Cognito's Username: the sub in this pool, whose sign-in name is the email address. */
  readonly username: string;
  /** The table's items are keyed by it (contract/mfa-table.ts). */
  readonly sub: string;
  readonly email: string | undefined;
  readonly enabled: boolean;
  readonly status: string | undefined;
  /** Cognito's names: SMS_MFA, SOFTWARE_TOKEN_MFA. */
  readonly nativeMfa: readonly string[];
  readonly preferredNativeMfa: string | undefined;
  readonly phoneNumber: string | undefined;
  readonly emailMfa: ParsedEmailMfaMark;
}

/**
 * The user a name stands for: the user name, the email address or the sub.
 * AdminGetUser takes any of them: its Username "can be any of their alias
 * attributes. If username isn't an alias attribute in your user pool, this value
 * must be the sub of a local user"
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html);
 * the pool's alias is the email address (lib/mfa-user-pool.ts). An unknown name
 * is UserNotFoundException, whatever PreventUserExistenceErrors says (it covers
 * the app clients' APIs, not the admin ones); a name no user could have is
 * InvalidParameterException.
 */
export async function findUser(cognito: CognitoIdentityProviderClient, userPoolId: string, name: string): Promise<AdminUser> {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: name })).catch((error: unknown) => {
    if (error instanceof Error && (error.name === 'UserNotFoundException' || error.name === 'InvalidParameterException')) {
      throw new AdminRefusal(`No user "${name}" in user pool ${userPoolId}: give a user name, email address or sub.`);
    }
    if (error instanceof Error && error.name === 'ResourceNotFoundException') {
      throw new AdminRefusal(`No user pool ${userPoolId}: check --stack, --region or --user-pool.`);
    }
    throw error;
  });
  const attribute = (attributeName: string) => user.UserAttributes?.find((candidate) => candidate.Name === attributeName)?.Value;
  const sub = attribute('sub');
  if (!user.Username || !sub) throw new Error('AdminGetUser answered without Username or sub');
  return {
    username: user.Username,
    sub,
    email: attribute('email'),
    enabled: user.Enabled !== false,
    status: user.UserStatus,
    nativeMfa: user.UserMFASettingList ?? [],
    preferredNativeMfa: user.PreferredMfaSetting,
    phoneNumber: attribute('phone_number'),
    emailMfa: parseEmailMfaMark(attribute(emailMfaAttribute)),
  };
}
