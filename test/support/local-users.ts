import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import {
  AdminConfirmSignUpCommand,
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalCognito } from '../../local/cognito-local';
import { secrets } from './log-capture';

export interface TestUser {
  readonly email: string;
  readonly password: string;
  readonly sub: string;
}

/** An SDK client for cognito-local or the Cognito front (anything with an endpoint); `maxAttempts: 1` shows a refusal as it is. */
export function cognitoClient(
  target: { readonly endpoint: string },
  options: { maxAttempts?: number } = {},
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: target.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...options,
  });
}

/** A confirmed user with a verified email, as after a completed sign-up. */
export async function createUser(cognito: LocalCognito, email: string, chosenPassword?: string): Promise<TestUser> {
  const client = cognitoClient(cognito);
  const password = chosenPassword ?? `Pw-${randomBytes(12).toString('base64url')}`;
  secrets.add(password, 'password');
  const { UserSub } = await client.send(
    new SignUpCommand({
      ClientId: cognito.clientId,
      Username: email,
      Password: password,
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  await client.send(new AdminConfirmSignUpCommand({ UserPoolId: cognito.userPoolId, Username: email }));
  client.destroy();
  return { email, password, sub: UserSub ?? '' };
}

/** Signs in with USER_PASSWORD_AUTH (cognito-local has no SRP) and answers nothing: expects tokens. */
export async function signIn(cognito: LocalCognito, user: TestUser): Promise<{ accessToken: string; idToken: string }> {
  const client = cognitoClient(cognito);
  const { AuthenticationResult } = await client.send(
    new InitiateAuthCommand({
      ClientId: cognito.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
    }),
  );
  client.destroy();
  const accessToken = AuthenticationResult?.AccessToken;
  const idToken = AuthenticationResult?.IdToken;
  if (!accessToken || !idToken) throw new Error('sign-in returned no tokens');
  secrets.add(accessToken, 'access token');
  secrets.add(idToken, 'ID token');
  return { accessToken, idToken };
}

/**
 * A TOTP authenticator set up and enabled the way Cognito's own user APIs do it;
 * returns the secret for codes. Takes a token from before any factor was on:
 * cognito-local's password sign-in cannot answer MFA challenges for test set-up.
 */
export async function giveTotp(cognito: LocalCognito, accessToken: string, options: { preferred?: boolean } = {}): Promise<string> {
  const client = cognitoClient(cognito);
  const { SecretCode } = await client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  const secret = SecretCode ?? '';
  secrets.add(secret, 'TOTP secret');
  await client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(secret) }));
  await client.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: options.preferred ?? false },
    }),
  );
  client.destroy();
  return secret;
}

/** A verified phone number with SMS MFA enabled, set up as an administrator would; the token as for giveTotp. */
export async function giveSms(
  cognito: LocalCognito,
  user: TestUser,
  accessToken: string,
  options: { preferred?: boolean } = {},
): Promise<void> {
  const client = cognitoClient(cognito);
  await client.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: cognito.userPoolId,
      Username: user.sub,
      UserAttributes: [
        { Name: 'phone_number', Value: '+14155550100' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
    }),
  );
  await client.send(
    new SetUserMFAPreferenceCommand({
      AccessToken: accessToken,
      SMSMfaSettings: { Enabled: true, PreferredMfa: options.preferred ?? false },
    }),
  );
  client.destroy();
}

/** Email MFA on, as POST /mfa/email/verify leaves it. */
export async function giveEmailMfa(cognito: LocalCognito, user: TestUser): Promise<void> {
  const client = cognitoClient(cognito);
  await client.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: cognito.userPoolId,
      Username: user.sub,
      UserAttributes: [{ Name: 'custom:email_mfa', Value: JSON.stringify({ state: 'ENABLED', address: user.email }) }],
    }),
  );
  client.destroy();
}

/** The current code of an authenticator, from the otpauth library (not project code). */
export function totpCode(secret: string): string {
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
  secrets.add(code, 'TOTP code');
  return code;
}

/** The codes Cognito accepts now for this secret: this step, the one before and the one after. */
export function totpWindow(secret: string): Set<string> {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
  return new Set([-30_000, 0, 30_000].map((offset) => totp.generate({ timestamp: Date.now() + offset })));
}

/** A code no authenticator with this secret shows now, a step before or a step after. */
export function wrongTotpCode(secret: string): string {
  const window = totpWindow(secret);
  return ['000000', '111111', '222222', '333333'].find((code) => !window.has(code)) ?? '444444';
}
