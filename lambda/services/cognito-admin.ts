import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { emailMfaAttribute } from '../../contract/user-pool';
import { parseEmailMfaMark, serializeEmailMfaMark, type EmailMfaMark, type ParsedEmailMfaMark } from '../core/email-mfa-mark';

/**
 * Cognito's admin APIs, called with the function's IAM role. Used only for what
 * a user's own token cannot do: read and write the email MFA mark and the phone
 * number, which no app client may write, and read MFA settings from a trigger.
 */
const cognito = new CognitoIdentityProviderClient({});

export interface UserMfaState {
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  /** Cognito's names: SMS_MFA, SOFTWARE_TOKEN_MFA. */
  readonly nativeMfa: readonly string[];
  readonly preferredNativeMfa: string | undefined;
  readonly phoneNumber: string | undefined;
  readonly phoneNumberVerified: boolean;
  readonly emailMfa: ParsedEmailMfaMark;
}

/**
 * From an admin API, NotAuthorizedException means the function's role lacks a
 * permission: a deployment fault, not the caller's, so it must not read as "sign
 * in again" (lambda/http/error-responses.ts maps plain errors to 500).
 */
export function asDeploymentFault(error: unknown): never {
  if (error instanceof Error && error.name === 'NotAuthorizedException') {
    throw new Error('Cognito refused an admin call: check the function role', { cause: error });
  }
  throw error;
}

export async function loadUserMfaState(userPoolId: string, username: string): Promise<UserMfaState> {
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })).catch(asDeploymentFault);
  const attribute = (name: string) => user.UserAttributes?.find((candidate) => candidate.Name === name)?.Value;
  return {
    email: attribute('email'),
    emailVerified: attribute('email_verified') === 'true',
    nativeMfa: user.UserMFASettingList ?? [],
    preferredNativeMfa: user.PreferredMfaSetting,
    phoneNumber: attribute('phone_number'),
    phoneNumberVerified: attribute('phone_number_verified') === 'true',
    emailMfa: parseEmailMfaMark(attribute(emailMfaAttribute)),
  };
}

/**
 * The first call's read for a name that belongs to no user: the same AdminGetUser
 * an existing user costs, so that neither its time nor a throttled read tells the
 * two apart. Cognito answers UserNotFoundException, or InvalidParameterException
 * for a name no user could have; both are what is expected here.
 */
export async function readAbsentUser(userPoolId: string, username: string): Promise<void> {
  await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username })).then(
    () => undefined,
    (error: unknown) => {
      if (error instanceof Error && (error.name === 'UserNotFoundException' || error.name === 'InvalidParameterException')) return;
      asDeploymentFault(error);
    },
  );
}

export async function saveEmailMfaMark(userPoolId: string, username: string, mark: EmailMfaMark): Promise<void> {
  await updateAttribute(userPoolId, username, emailMfaAttribute, serializeEmailMfaMark(mark));
}

/**
 * Sets a new `phone_number`. No app client may write it (lib/mfa-user-pool.ts),
 * so this step-up-checked call is the only way to change where SMS codes go.
 * Cognito sends the new number a verification code and, with "keep original
 * attribute value", keeps using the old verified number until it is verified.
 */
export async function updatePhoneNumber(userPoolId: string, username: string, phoneNumber: string): Promise<void> {
  await updateAttribute(userPoolId, username, 'phone_number', phoneNumber);
}

async function updateAttribute(userPoolId: string, username: string, name: string, value: string): Promise<void> {
  await cognito
    .send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: userPoolId,
        Username: username,
        UserAttributes: [{ Name: name, Value: value }],
      }),
    )
    .catch(asDeploymentFault);
}
