import {
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { passwordClaim, startSrp } from '../../lambda/core/srp';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { capturedLogLines, secrets } from '../support/log-capture';
import {
  cognitoClient,
  createUser,
  giveEmailMfa,
  giveTotp,
  signIn as passwordSignIn,
  totpCode,
  type TestUser,
} from '../support/local-users';
import { lastEmailedCode, resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * Issue 8, end to end on the public client: the real triggers (Define, Create, Verify and Pre
 * Token Generation) through the Cognito front in front of cognito-local, with dynalite; SES is the
 * mock of test/support/ses-mock.ts and SSM the one startLocalStack sets up. Cognito's own user
 * APIs (AssociateSoftwareToken, VerifySoftwareToken, SetUserMFAPreference) are cognito-local's,
 * reached through the front as a client would reach Cognito.
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

beforeEach(() => resetSesMock());

function registerTokens(answer: RespondToAuthChallengeCommandOutput): RespondToAuthChallengeCommandOutput {
  const result = answer.AuthenticationResult;
  secrets.add(result?.AccessToken, 'access token');
  secrets.add(result?.IdToken, 'ID token');
  secrets.add(result?.RefreshToken, 'refresh token');
  return answer;
}

/** CUSTOM_AUTH with SRP_A on the public client, as Amplify's CUSTOM_WITH_SRP starts it: PASSWORD_VERIFIER comes back. */
async function startSignIn(user: TestUser) {
  const srp = startSrp();
  const started = await sdk.send(
    new InitiateAuthCommand({
      ClientId: stack.clients.publicClientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: user.email, SRP_A: srp.A, CHALLENGE_NAME: 'SRP_A' },
    }),
  );
  expect(started.ChallengeName).toBe('PASSWORD_VERIFIER');
  const { SALT = '', SRP_B = '', SECRET_BLOCK = '', USER_ID_FOR_SRP = '' } = started.ChallengeParameters ?? {};
  return {
    userId: USER_ID_FOR_SRP,
    answerPassword: async () =>
      registerTokens(
        await respond('PASSWORD_VERIFIER', started.Session ?? '', USER_ID_FOR_SRP, {
          ...passwordClaim(srp, { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP }, stack.cognito.userPoolId, user.password, new Date()),
        }),
      ),
  };
}

async function respond(challengeName: string, session: string, username: string, responses: Record<string, string>) {
  return registerTokens(
    await sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: stack.clients.publicClientId,
        ChallengeName: challengeName as 'PASSWORD_VERIFIER',
        Session: session,
        ChallengeResponses: { USERNAME: username, ...responses },
      }),
    ),
  );
}

async function emailMfaUser(email: string): Promise<TestUser> {
  const user = await createUser(stack.cognito, email);
  await giveEmailMfa(stack.cognito, user);
  return user;
}

async function nativeMfaOf(user: TestUser): Promise<string[]> {
  const answer = await sdk.send(new AdminGetUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: user.sub }));
  return answer.UserMFASettingList ?? [];
}

const refused = {
  name: 'UserLambdaValidationException',
  message: expect.stringMatching(/^PreTokenGeneration failed with error .*email code.*\.$/),
};

test('the race: TOTP turned on between the first call and the password gets no tokens, and no email code is asked', async () => {
  const user = await emailMfaUser('race@example.com');
  // The attacker has the password and an access token of the user (stolen, or minted from a refresh token).
  const { accessToken } = await passwordSignIn(stack.cognito, user);
  const signIn = await startSignIn(user);

  const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
  const attackersSecret = SecretCode ?? '';
  secrets.add(attackersSecret, 'TOTP secret');
  await sdk.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(attackersSecret) }));
  await sdk.send(
    new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }),
  );

  // Cognito now runs its own TOTP step after the password and never asks Define again.
  const totpStep = await signIn.answerPassword();
  expect(totpStep.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  await expect(
    respond('SOFTWARE_TOKEN_MFA', totpStep.Session ?? '', signIn.userId, { SOFTWARE_TOKEN_MFA_CODE: totpCode(attackersSecret) }),
  ).rejects.toMatchObject(refused);
  expect(sentEmails().filter((email) => email.subject.includes('sign-in code'))).toEqual([]);
});

test('a TOTP turned on before the sign-in is switched off, the email code is asked, and the user has a notice', async () => {
  const user = await emailMfaUser('around.before@example.com');
  await giveTotp(stack.cognito, (await passwordSignIn(stack.cognito, user)).accessToken, { preferred: true });
  expect(await nativeMfaOf(user)).toEqual(['SOFTWARE_TOKEN_MFA']);

  const signIn = await startSignIn(user);
  expect(await nativeMfaOf(user)).toEqual([]);
  const emailStep = await signIn.answerPassword();
  expect(emailStep.ChallengeName).toBe('CUSTOM_CHALLENGE');
  const signedIn = await respond('CUSTOM_CHALLENGE', emailStep.Session ?? '', signIn.userId, { ANSWER: lastEmailedCode(user.email) ?? '' });
  expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));

  const notices = sentEmails().filter((email) => email.subject === 'Example App security notice');
  expect(notices).toEqual([
    {
      to: [user.email],
      subject: 'Example App security notice',
      text: expect.stringMatching(/^Sign-in with an authenticator app was turned on for your Example App account outside the app/),
    },
  ]);
});

test('an email sign-in answered right gets tokens through Pre Token Generation, and refreshes without a proof', async () => {
  const user = await emailMfaUser('email.tokens@example.com');
  const signIn = await startSignIn(user);
  const emailStep = await signIn.answerPassword();
  const signedIn = await respond('CUSTOM_CHALLENGE', emailStep.Session ?? '', signIn.userId, { ANSWER: lastEmailedCode(user.email) ?? '' });
  expect(signedIn.AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
  // A refresh needs no proof.
  const refreshed = await sdk.send(
    new InitiateAuthCommand({
      ClientId: stack.clients.publicClientId,
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult?.RefreshToken ?? '' },
    }),
  );
  secrets.add(refreshed.AuthenticationResult?.AccessToken, 'access token');
  secrets.add(refreshed.AuthenticationResult?.IdToken, 'ID token');
  expect(refreshed.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
});

describe('at most one AdminGetUser per sign-in, whatever the factor', () => {
  const adminGetUsers = () => stack.front.operationCounts.get('AdminGetUser') ?? 0;

  test.each([
    ['no factor', (): Promise<void> => Promise.resolve()],
    ['email MFA', (user: TestUser): Promise<void> => giveEmailMfa(stack.cognito, user)],
  ] as const)('%s: one', async (name, setUp: (user: TestUser) => Promise<void>) => {
    const user = await createUser(stack.cognito, `reads.${name.replace(' ', '.')}@example.com`);
    await setUp(user);
    stack.front.operationCounts.clear();
    const signIn = await startSignIn(user);
    const next = await signIn.answerPassword();
    if (next.ChallengeName === 'CUSTOM_CHALLENGE') {
      await respond('CUSTOM_CHALLENGE', next.Session ?? '', signIn.userId, { ANSWER: lastEmailedCode(user.email) ?? '' });
    }
    expect(adminGetUsers()).toBe(1);
  });

  test('TOTP: one', async () => {
    const user = await createUser(stack.cognito, 'reads.totp@example.com');
    const secret = await giveTotp(stack.cognito, (await passwordSignIn(stack.cognito, user)).accessToken);
    stack.front.operationCounts.clear();
    const signIn = await startSignIn(user);
    const totpStep = await signIn.answerPassword();
    expect(totpStep.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const signedIn = await respond('SOFTWARE_TOKEN_MFA', totpStep.Session ?? '', signIn.userId, {
      SOFTWARE_TOKEN_MFA_CODE: totpCode(secret),
    });
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(adminGetUsers()).toBe(1);
  });

  test('a name without a user: one too, so the first call costs the same', async () => {
    stack.front.operationCounts.clear();
    await startSignIn({ email: 'nobody.reads@example.com', password: 'not-a-password-1', sub: '' });
    expect(adminGetUsers()).toBe(1);
  });
});

test('the triggers logged their decisions and no token, code or proof value (checked by the log scan)', () => {
  expect(capturedLogLines.some((line) => line.includes('"message":"token issue decided"'))).toBe(true);
  expect(capturedLogLines.some((line) => line.includes('"nativeMfaSwitchedOff":true'))).toBe(true);
});
