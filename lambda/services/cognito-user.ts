import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
  type CodeDeliveryDetailsType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AccessTokenClaims } from '../core/access-token-claims';
import { CodeMismatchException, NotAuthorizedException } from '../core/errors';
import type { CognitoMfaSettings } from '../core/mfa-preference';

/**
 * Cognito's user APIs, authorized by the user's own access token: the functions
 * that call them need no IAM permission at all. Cognito's exceptions pass
 * through with their names; `lambda/http/error-responses.ts` turns them into
 * responses.
 */
const cognito = new CognitoIdentityProviderClient({});

export interface CognitoUser {
  username: string;
  attributes: Readonly<Record<string, string>>;
  mfaSettingList: readonly string[] | undefined;
  preferredMfaSetting: string | undefined;
}

export interface CodeDeliveryDetails {
  destination: string | undefined;
  deliveryMedium: string | undefined;
  attributeName: string | undefined;
}

export async function getUser(accessToken: string): Promise<CognitoUser> {
  const user = await cognito.send(new GetUserCommand({ AccessToken: accessToken }));
  return {
    username: user.Username ?? '',
    attributes: Object.fromEntries((user.UserAttributes ?? []).map(({ Name, Value }): [string, string] => [Name ?? '', Value ?? ''])),
    mfaSettingList: user.UserMFASettingList,
    preferredMfaSetting: user.PreferredMfaSetting,
  };
}

/**
 * GetUser for the caller API Gateway's authorizer named. Both read the same
 * Authorization header, so a different user means the authorizer and the
 * handler did not see the same token (a bypassed or misconfigured authorizer);
 * acting on either user would then be a guess, so the request is refused.
 */
export async function getAuthorizedUser(accessToken: string, caller: AccessTokenClaims): Promise<CognitoUser> {
  const user = await getUser(accessToken);
  if (user.username !== caller.username) {
    throw new NotAuthorizedException('The access token is not the one the request was authorized with. Sign in again.');
  }
  return user;
}

export async function associateSoftwareToken(accessToken: string): Promise<string> {
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  if (!SecretCode) throw new Error('AssociateSoftwareToken returned no SecretCode');
  return SecretCode;
}

export async function verifySoftwareToken(accessToken: string, code: string, friendlyDeviceName: string | undefined): Promise<void> {
  const { Status } = await cognito.send(
    new VerifySoftwareTokenCommand({
      AccessToken: accessToken,
      UserCode: code,
      FriendlyDeviceName: friendlyDeviceName,
    }),
  );
  if (Status !== 'SUCCESS') throw new CodeMismatchException('The code is not valid for this authenticator.');
}

export async function setUserMfaPreference(
  accessToken: string,
  settings: { sms?: CognitoMfaSettings; totp?: CognitoMfaSettings },
): Promise<void> {
  await cognito.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SMSMfaSettings: settings.sms,
      SoftwareTokenMfaSettings: settings.totp,
    }),
  );
}

/** Sends a new code to the (unverified) phone number already set. */
export async function sendPhoneVerificationCode(accessToken: string): Promise<CodeDeliveryDetails> {
  const { CodeDeliveryDetails } = await cognito.send(
    new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'phone_number' }),
  );
  return toCodeDeliveryDetails(CodeDeliveryDetails ?? {});
}

export async function verifyPhoneNumber(accessToken: string, code: string): Promise<void> {
  await cognito.send(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'phone_number', Code: code }));
}

function toCodeDeliveryDetails(details: CodeDeliveryDetailsType): CodeDeliveryDetails {
  return {
    destination: details.Destination,
    deliveryMedium: details.DeliveryMedium,
    attributeName: details.AttributeName,
  };
}
