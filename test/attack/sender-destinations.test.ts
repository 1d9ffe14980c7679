import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordClaim, startSrp } from '../../lambda/core/srp';
import { testSendCaps } from '../support/environment';
import { secrets } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { cognitoClient, createUser, type TestUser } from '../support/local-users';
import { resetSnsMock, sentTexts } from '../support/sns-mock';

/**
 * Attack: the custom SMS sender texts whatever number Cognito's event names, in any country.
 *
 * `smsAllowedCountries` (docs/security.md: "toll fraud targets countries a deployment never
 * serves") and the numbers-per-day cap are checked only by POST /mfa/sms/setup. The sender
 * (lambda/services/pool-texts.ts) applies the texts cap and the cool-down, but not the countries:
 * every other way a number reaches the pool texts it unchecked. In the stack those ways are closed
 * by configuration, not by the sender: the app clients cannot write `phone_number`
 * (lib/mfa-user-pool.ts `writeAttributes`) and self sign-up is off by default. The local stack
 * models neither (its app clients are made without ReadAttributes/WriteAttributes, and
 * cognito-local ignores AllowAdminCreateUserOnly), so tests run through it are more permissive than
 * the deployment.
 *
 * A number outside the list: +882 (international networks), the kind toll fraud uses.
 *
 * Cognito's documentation for the two refusals the local stack lacks: an app client's
 * WriteAttributes are the attributes a user's access token may set
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html,
 * WriteAttributes); with AllowAdminCreateUserOnly only administrators create users
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html).
 */
let stack: LocalStackWithFront;
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  sdk = cognitoClient(stack.front, { maxAttempts: 1 });
});

afterAll(async () => {
  sdk?.destroy();
  await stack?.stop();
});

beforeEach(() => resetSnsMock());

const tollNumber = '+88213900001';
const outsideTheList = () =>
  sentTexts().filter((text) => !testSendCaps.sms.allowedCountries.some((code) => text.to.startsWith(`+${code}`)));

/** Tokens of the stack's public client, as an Amplify app gets them (CUSTOM_WITH_SRP; this user has no factor). */
async function publicClientToken(user: TestUser): Promise<string> {
  const srp = startSrp();
  const started = await sdk.send(
    new InitiateAuthCommand({
      ClientId: stack.clients.publicClientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: user.email, SRP_A: srp.A, CHALLENGE_NAME: 'SRP_A' },
    }),
  );
  const { SALT = '', SRP_B = '', SECRET_BLOCK = '', USER_ID_FOR_SRP = '' } = started.ChallengeParameters ?? {};
  const answered = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: stack.clients.publicClientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: started.Session,
      ChallengeResponses: {
        USERNAME: USER_ID_FOR_SRP,
        ...passwordClaim(srp, { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP }, stack.cognito.userPoolId, user.password, new Date()),
      },
    }),
  );
  const result = answered.AuthenticationResult;
  secrets.add(result?.AccessToken, 'access token');
  secrets.add(result?.IdToken, 'ID token');
  secrets.add(result?.RefreshToken, 'refresh token');
  return result?.AccessToken ?? '';
}

test('an Amplify app (the public client) writes phone_number itself: real Cognito refuses it (WriteAttributes), the local stack does not', async () => {
  const user = await createUser(stack.cognito, 'write.phone@example.com');
  const accessToken = await publicClientToken(user);
  // Real Cognito: the public client's WriteAttributes lack phone_number, so this is refused
  // (NotAuthorizedException, "A client attempted to write unauthorized attribute"). Locally it succeeds.
  const update = sdk.send(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'phone_number', Value: tollNumber }] }),
  );
  await expect(update).rejects.toMatchObject({ name: 'NotAuthorizedException' });
});

test('sign-up on the public client with a phone number outside smsAllowedCountries: real Cognito refuses it (self sign-up off, phone_number not writable), the local stack does not', async () => {
  const password = `Pw-${'x'.repeat(14)}-sign-up`;
  secrets.add(password, 'password');
  // Real Cognito with self sign-up off (the default, lib/config.ts) refuses SignUp outright; with it on,
  // phone_number is not writable by the client. Locally both pass.
  const signUp = sdk.send(
    new SignUpCommand({
      ClientId: stack.clients.publicClientId,
      Username: 'toll.sign.up@example.com',
      Password: password,
      UserAttributes: [
        { Name: 'email', Value: 'toll.sign.up@example.com' },
        { Name: 'phone_number', Value: tollNumber },
      ],
    }),
  );
  await expect(signUp).rejects.toMatchObject({ name: 'NotAuthorizedException' });
});

test("the SMS sender texts a number outside smsAllowedCountries when Cognito's event names one", async () => {
  // Through a call real Cognito allows: an administrator (or a back office, or an app client added later with
  // write access to phone_number) sets the number; Cognito then texts it a verification code through the sender.
  const user = await createUser(stack.cognito, 'admin.toll@example.com');
  const admin = cognitoClient(stack.cognito);
  await admin.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: stack.cognito.userPoolId,
      Username: user.sub,
      UserAttributes: [{ Name: 'phone_number', Value: tollNumber }],
    }),
  );
  admin.destroy();
  // Fails today: the sender checks caps, not countries; the country list holds in POST /mfa/sms/setup only.
  expect(outsideTheList()).toEqual([]);
});
