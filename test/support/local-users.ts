import { randomBytes } from 'node:crypto';
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { LocalCognito } from './cognito-local';
import { secrets } from './log-capture';

export interface TestUser {
  readonly email: string;
  readonly password: string;
  readonly sub: string;
}

export function cognitoClient(cognito: LocalCognito): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: cognito.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** A confirmed user with a verified email, as after a completed sign-up. */
export async function createUser(cognito: LocalCognito, email: string): Promise<TestUser> {
  const client = cognitoClient(cognito);
  const password = `Pw-${randomBytes(12).toString('base64url')}`;
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
