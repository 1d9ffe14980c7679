import {
  AdminInitiateAuthCommand,
  AdminRespondToAuthChallengeCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  RevokeTokenCommand,
  AdminSetUserMFAPreferenceCommand,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  type AuthenticationResultType,
  type ExplicitAuthFlowsType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { passwordClaim, startSrp } from '../../lambda/core/srp';
import { startCognitoFront, type CognitoFront } from '../../local/cognito-front';
import { startLocalCognito, type LocalCognito } from '../../local/cognito-local';
import type { Trigger } from '../../local/custom-auth-loop';
import { cognitoClient, createUser, giveTotp, signIn as passwordSignIn, totpCode, type TestUser } from '../support/local-users';
import { secrets } from '../support/log-capture';

/**
 * The Cognito front runs a Pre Token Generation trigger wherever it issues tokens, and answers
 * AdminSetUserMFAPreference, here with a stub trigger on a client that allows SRP, password and
 * refresh flows. The real trigger runs through the front in
 * test/integration/tokens-need-the-email-code.test.ts.
 */
let cognito: LocalCognito;
let front: CognitoFront;
let sdk: CognitoIdentityProviderClient;
let clientId: string;

const events: PreTokenGenerationTriggerEvent[] = [];
/** Users (by sub) the stub refuses tokens to. */
const refused = new Set<string>();
const stubPreTokenGeneration: Trigger<PreTokenGenerationTriggerEvent> = (event) => {
  events.push(structuredClone(event));
  if (refused.has(event.request.userAttributes.sub ?? '')) return Promise.reject(new Error('No tokens for this user'));
  return Promise.resolve(event);
};

beforeAll(async () => {
  const flows: ExplicitAuthFlowsType[] = [
    'ALLOW_USER_SRP_AUTH',
    'ALLOW_USER_PASSWORD_AUTH',
    'ALLOW_ADMIN_USER_PASSWORD_AUTH',
    'ALLOW_REFRESH_TOKEN_AUTH',
  ];
  cognito = await startLocalCognito({ appClients: [{ ClientName: 'tokens', ExplicitAuthFlows: flows }] });
  clientId = cognito.appClients[0]?.clientId ?? '';
  front = await startCognitoFront({
    cognito,
    clients: [{ clientId, explicitAuthFlows: flows }],
    preTokenGeneration: stubPreTokenGeneration,
    mfaConfiguration: 'OPTIONAL',
  });
  sdk = cognitoClient(front, { maxAttempts: 1 });
});

afterAll(async () => {
  sdk?.destroy();
  await front?.stop();
  await cognito?.stop();
});

beforeEach(() => {
  events.length = 0;
  refused.clear();
});

function registered(result: AuthenticationResultType | undefined): AuthenticationResultType {
  for (const [value, what] of [
    [result?.AccessToken, 'access token'],
    [result?.IdToken, 'ID token'],
    [result?.RefreshToken, 'refresh token'],
  ] as const) {
    secrets.add(value, what);
  }
  return result ?? {};
}

/** USER_SRP_AUTH up to the PASSWORD_VERIFIER answer; `beforePassword` runs between the two calls. */
async function srpSignIn(user: TestUser, beforePassword: () => Promise<void> = () => Promise.resolve()) {
  const srp = startSrp();
  const started = await sdk.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: user.email, SRP_A: srp.A } }),
  );
  const { SALT = '', SRP_B = '', SECRET_BLOCK = '', USER_ID_FOR_SRP = '' } = started.ChallengeParameters ?? {};
  await beforePassword();
  const claim = passwordClaim(srp, { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP }, cognito.userPoolId, user.password, new Date());
  const answer = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'PASSWORD_VERIFIER',
      Session: started.Session,
      ChallengeResponses: { USERNAME: USER_ID_FOR_SRP, ...claim },
    }),
  );
  registered(answer.AuthenticationResult);
  return answer;
}

const refusal = {
  name: 'UserLambdaValidationException',
  message: 'PreTokenGeneration failed with error No tokens for this user.',
  $metadata: expect.objectContaining({ httpStatusCode: 400 }),
};

test('SRP sign-in: the trigger sees the user and client (TokenGeneration_Authentication); a throw means no tokens', async () => {
  const user = await createUser(cognito, 'front.tokens.srp@example.com');
  expect((await srpSignIn(user)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  expect(events).toEqual([
    expect.objectContaining({
      triggerSource: 'TokenGeneration_Authentication',
      userName: user.sub,
      callerContext: expect.objectContaining({ clientId }),
      request: expect.objectContaining({ userAttributes: expect.objectContaining({ sub: user.sub, email: user.email }) }),
    }),
  ]);
  refused.add(user.sub);
  await expect(srpSignIn(user)).rejects.toMatchObject(refusal);
});

test('after native TOTP MFA: the trigger runs before the tokens', async () => {
  const user = await createUser(cognito, 'front.tokens.totp@example.com');
  const secret = await giveTotp(cognito, (await passwordSignIn(cognito, user)).accessToken);
  const answerTotp = async () => {
    const challenge = await srpSignIn(user);
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    return sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: user.sub, SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) },
      }),
    );
  };
  expect(registered((await answerTotp()).AuthenticationResult).AccessToken).toEqual(expect.any(String));
  expect(events.map((event) => event.triggerSource)).toEqual(['TokenGeneration_Authentication']);
  refused.add(user.sub);
  await expect(answerTotp()).rejects.toMatchObject(refusal);
});

test("USER_PASSWORD_AUTH (answered by cognito-local) and REFRESH_TOKEN_AUTH: the trigger runs on cognito-local's tokens", async () => {
  const user = await createUser(cognito, 'front.tokens.password@example.com');
  const password = () =>
    sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
  const tokens = registered((await password()).AuthenticationResult);
  const refresh = () =>
    sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken ?? '' },
      }),
    );
  expect(registered((await refresh()).AuthenticationResult).AccessToken).toEqual(expect.any(String));
  expect(events.map((event) => [event.triggerSource, event.userName])).toEqual([
    ['TokenGeneration_Authentication', user.sub],
    ['TokenGeneration_RefreshTokens', user.sub],
  ]);
  refused.add(user.sub);
  await expect(password()).rejects.toMatchObject(refusal);
  await expect(refresh()).rejects.toMatchObject(refusal);
});

test('ADMIN_USER_PASSWORD_AUTH (answered by cognito-local): the trigger runs on its tokens too', async () => {
  const user = await createUser(cognito, 'front.tokens.admin@example.com');
  const adminSignIn = () =>
    sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: cognito.userPoolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
  expect(registered((await adminSignIn()).AuthenticationResult).AccessToken).toEqual(expect.any(String));
  expect(events.map((event) => event.triggerSource)).toEqual(['TokenGeneration_Authentication']);
  refused.add(user.sub);
  await expect(adminSignIn()).rejects.toMatchObject(refusal);
});

test('AdminRespondToAuthChallenge, which it does not model, is refused on its clients, not passed to cognito-local around the trigger', async () => {
  await expect(
    sdk.send(
      new AdminRespondToAuthChallengeCommand({
        UserPoolId: cognito.userPoolId,
        ClientId: clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: 'session',
        ChallengeResponses: { USERNAME: 'someone', SOFTWARE_TOKEN_MFA_CODE: '123456' },
      }),
    ),
  ).rejects.toMatchObject({ name: 'UnsupportedOperationException', message: expect.stringContaining('does not model') });
});

test('GetTokensFromRefreshToken: the trigger runs (TokenGeneration_RefreshTokens); an unknown or revoked token gets no tokens', async () => {
  const user = await createUser(cognito, 'front.tokens.refresh@example.com');
  const tokens = registered((await srpSignIn(user)).AuthenticationResult);
  const refresh = (refreshToken: string) =>
    sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }));
  const refreshed = registered((await refresh(tokens.RefreshToken ?? '')).AuthenticationResult);
  expect([refreshed.AccessToken, refreshed.RefreshToken]).toEqual([expect.any(String), undefined]);
  expect(events.map((event) => event.triggerSource)).toEqual(['TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens']);
  await expect(refresh('not-a-refresh-token')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Invalid Refresh Token' });
  await sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.RefreshToken ?? '' }));
  await expect(refresh(tokens.RefreshToken ?? '')).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Refresh Token has been revoked',
  });
  await expect(sdk.send(new GetUserCommand({ AccessToken: refreshed.AccessToken ?? '' }))).rejects.toMatchObject({
    name: 'NotAuthorizedException',
    message: 'Access Token has been revoked',
  });
});

test('native MFA after the password follows the user as stored then, not as at the first call', async () => {
  const user = await createUser(cognito, 'front.tokens.late@example.com');
  const { accessToken } = await passwordSignIn(cognito, user);
  await giveTotp(cognito, accessToken);
  const cognitoLocal = cognitoClient(cognito);
  try {
    await cognitoLocal.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: false } }));
    // Off at InitiateAuth, on again before the password is answered: Cognito asks for TOTP.
    const answer = await srpSignIn(user, async () => {
      await cognitoLocal.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true } }));
    });
    expect(answer.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(events).toEqual([]);
  } finally {
    cognitoLocal.destroy();
  }
});

describe('AdminSetUserMFAPreference', () => {
  const setPreference = (input: Omit<ConstructorParameters<typeof AdminSetUserMFAPreferenceCommand>[0], 'UserPoolId'>) =>
    sdk.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: cognito.userPoolId, ...input }));

  test('switches a factor off, and the next sign-in asks for none; on again, it asks again', async () => {
    const user = await createUser(cognito, 'front.admin.mfa@example.com');
    await giveTotp(cognito, (await passwordSignIn(cognito, user)).accessToken, { preferred: true });
    expect((await srpSignIn(user)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(await setPreference({ Username: user.sub, SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false } })).toMatchObject({
      $metadata: expect.objectContaining({ httpStatusCode: 200 }),
    });
    expect((await srpSignIn(user)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    await setPreference({ Username: user.email, SoftwareTokenMfaSettings: { Enabled: true } });
    expect((await srpSignIn(user)).ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  test('refuses a TOTP never verified, SMS without a phone number, and a user that does not exist', async () => {
    const user = await createUser(cognito, 'front.admin.refused@example.com');
    await expect(setPreference({ Username: user.sub, SoftwareTokenMfaSettings: { Enabled: true } })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(setPreference({ Username: user.sub, SMSMfaSettings: { Enabled: true } })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(setPreference({ Username: 'nobody@example.com', SMSMfaSettings: { Enabled: false } })).rejects.toMatchObject({
      name: 'UserNotFoundException',
      message: 'User does not exist.',
    });
    expect((await srpSignIn(user)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });
});

test('operationCounts counts each request by operation', async () => {
  const user = await createUser(cognito, 'front.counts@example.com');
  front.operationCounts.clear();
  await srpSignIn(user);
  expect(Object.fromEntries(front.operationCounts)).toEqual({ InitiateAuth: 1, RespondToAuthChallenge: 1 });
});
