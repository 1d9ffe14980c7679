import { createHmac } from 'node:crypto';
import {
  AdminDisableUserCommand,
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CognitoUser, CognitoUserSession, IAuthenticationCallback } from 'amazon-cognito-identity-js';
import * as OTPAuth from 'otpauth';
import { passwordClaim, startSrp, type PasswordVerifierChallenge, type SrpClientSession } from '../../lambda/core/srp';
import { apiEnvironment } from '../../contract/environment';
import { startCognitoFront, type CognitoFront } from '../../local/cognito-front';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { capturedLogLines, secrets } from '../support/log-capture';
import { referenceClient } from '../support/reference-client';
import { cognitoClient, createUser, type TestUser } from '../support/local-users';
import { lastEmailedCode, resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * Sign-in end to end through the local Cognito front (local/cognito-front.ts):
 * amazon-cognito-identity-js, AWS's reference SRP client, and the AWS SDK v3 with
 * lambda/core/srp.ts against the stack's two app clients, the real challenge
 * triggers, cognito-local's users and tokens, and dynalite. SES is the mock of
 * test/support/ses-mock.ts and SSM the one startLocalStack sets up.
 */
const { AuthenticationDetails, CognitoUser: ReferenceUser, CognitoUserPool } = referenceClient;
let stack: LocalStackWithFront;
let front: CognitoFront;
let sdk: CognitoIdentityProviderClient;
let publicClientId: string;
let serverClientId: string;

beforeAll(async () => {
  resetSesMock();
  stack = await startLocalStack({ front: true });
  ({ front } = stack);
  ({ publicClientId, serverClientId } = stack.clients);
  secrets.add(stack.clients.serverClientSecret, 'client secret');
  sdk = cognitoClient(front);
});

afterAll(async () => {
  sdk?.destroy();
  await stack?.stop();
});

beforeEach(() => resetSesMock());

function secretHash(username: string): string {
  return createHmac('sha256', stack.clients.serverClientSecret).update(`${username}${serverClientId}`).digest('base64');
}

function registerTokens(result: AuthenticationResultType | undefined): AuthenticationResultType {
  if (!result?.AccessToken || !result.IdToken || !result.RefreshToken) throw new Error('no tokens');
  secrets.add(result.AccessToken, 'access token');
  secrets.add(result.IdToken, 'ID token');
  secrets.add(result.RefreshToken, 'refresh token');
  return result;
}

function totpCode(secret: string, timestamp = Date.now()): string {
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp });
  secrets.add(code, 'TOTP code');
  return code;
}

/** A 6-digit code no TOTP step from 30 s ago to 30 s ahead gives. */
function wrongTotpCode(secret: string): string {
  const near = [-30_000, 0, 30_000].map((offset) => totpCode(secret, Date.now() + offset));
  return ['000000', '111111', '222222', '333333'].find((code) => !near.includes(code)) ?? '444444';
}

// ---- The server client through the SDK: CUSTOM_AUTH with SRP, as a sign-in handler would ----

interface Started {
  readonly srp: SrpClientSession;
  readonly session: string;
  readonly challenge: PasswordVerifierChallenge & { USERNAME: string };
}

async function startSignIn(username: string, options: { hash?: string | null } = {}): Promise<Started> {
  const srp = startSrp();
  const hash = options.hash === undefined ? secretHash(username) : options.hash;
  const answer = await sdk.send(
    new InitiateAuthCommand({
      ClientId: serverClientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: username, SRP_A: srp.A, CHALLENGE_NAME: 'SRP_A', ...(hash !== null && { SECRET_HASH: hash }) },
    }),
  );
  expect(answer.ChallengeName).toBe('PASSWORD_VERIFIER');
  const { SALT = '', SRP_B = '', SECRET_BLOCK = '', USER_ID_FOR_SRP = '', USERNAME = '', ...rest } = answer.ChallengeParameters ?? {};
  expect(rest).toEqual({});
  return { srp, session: answer.Session ?? '', challenge: { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME } };
}

async function respond(challengeName: string, session: string, username: string, responses: Record<string, string>) {
  const answer = await sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: serverClientId,
      ChallengeName: challengeName as 'PASSWORD_VERIFIER',
      Session: session,
      ChallengeResponses: { USERNAME: username, SECRET_HASH: secretHash(username), ...responses },
    }),
  );
  if (answer.AuthenticationResult) registerTokens(answer.AuthenticationResult);
  return answer;
}

function provePassword(started: Started, password: string) {
  const claim = passwordClaim(started.srp, started.challenge, stack.cognito.userPoolId, password, new Date());
  return respond('PASSWORD_VERIFIER', started.session, started.challenge.USER_ID_FOR_SRP, claim);
}

async function signInForTokens(user: TestUser): Promise<AuthenticationResultType> {
  const answer = await provePassword(await startSignIn(user.email), user.password);
  return registerTokens(answer.AuthenticationResult);
}

async function usernameOf(accessToken: string | undefined): Promise<string | undefined> {
  return (await sdk.send(new GetUserCommand({ AccessToken: accessToken }))).Username;
}

// ---- The public client through amazon-cognito-identity-js ----

type Outcome =
  | { readonly kind: 'success'; readonly session: CognitoUserSession }
  | { readonly kind: 'failure'; readonly error: { name?: string; code?: string; message: string } }
  | { readonly kind: 'customChallenge' | 'totpRequired' | 'mfaRequired' | 'selectMFAType'; readonly parameters: Record<string, string> };

function outcome(run: (callbacks: IAuthenticationCallback) => void): Promise<Outcome> {
  return new Promise((resolve) =>
    run({
      onSuccess: (session) => {
        secrets.add(session.getAccessToken().getJwtToken(), 'access token');
        secrets.add(session.getIdToken().getJwtToken(), 'ID token');
        secrets.add(session.getRefreshToken().getToken(), 'refresh token');
        resolve({ kind: 'success', session });
      },
      onFailure: (error: { name?: string; code?: string; message: string }) => resolve({ kind: 'failure', error }),
      customChallenge: (parameters: Record<string, string>) => resolve({ kind: 'customChallenge', parameters }),
      totpRequired: (_name, parameters: Record<string, string>) => resolve({ kind: 'totpRequired', parameters }),
      mfaRequired: (_name, parameters: Record<string, string>) => resolve({ kind: 'mfaRequired', parameters }),
      selectMFAType: (_name, parameters: Record<string, string>) => resolve({ kind: 'selectMFAType', parameters }),
    }),
  );
}

function referenceUser(username: string, clientId = publicClientId, endpoint = front.endpoint): CognitoUser {
  const pool = new CognitoUserPool({ UserPoolId: stack.cognito.userPoolId, ClientId: clientId, endpoint });
  return new ReferenceUser({ Username: username, Pool: pool });
}

function referenceSignIn(user: CognitoUser, username: string, password: string, flow: 'CUSTOM_AUTH' | 'USER_SRP_AUTH' = 'CUSTOM_AUTH') {
  user.setAuthenticationFlowType(flow);
  return outcome((callbacks) => user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), callbacks));
}

const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

describe('the public client, with amazon-cognito-identity-js (custom auth with SRP)', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(stack.cognito, 'reference.user@example.com');
  });

  test('the right password signs in, and cognito-local accepts the access token', async () => {
    const result = await referenceSignIn(referenceUser(user.email), user.email, user.password);
    expect(result.kind).toBe('success');
    if (result.kind !== 'success') return;
    const accessToken = result.session.getAccessToken();
    expect(accessToken.decodePayload()).toMatchObject({ client_id: publicClientId, sub: user.sub, token_use: 'access' });
    expect(await usernameOf(accessToken.getJwtToken())).toBe(user.sub);
  });

  test('a wrong password is NotAuthorizedException', async () => {
    const result = await referenceSignIn(referenceUser(user.email), user.email, 'not-the-password-at-all');
    expect(result).toEqual({ kind: 'failure', error: expect.objectContaining(incorrect) });
  });

  test('an unknown user is refused exactly like a wrong password', async () => {
    const result = await referenceSignIn(referenceUser('nobody@example.com'), 'nobody@example.com', 'whatever-password-1');
    expect(result).toEqual({ kind: 'failure', error: expect.objectContaining(incorrect) });
  });

  test("USER_SRP_AUTH is not one of the client's flows", async () => {
    const result = await referenceSignIn(referenceUser(user.email), user.email, user.password, 'USER_SRP_AUTH');
    expect(result).toEqual({
      kind: 'failure',
      error: expect.objectContaining({ name: 'InvalidParameterException', message: 'USER_SRP_AUTH flow not enabled for this client' }),
    });
  });
});

describe('the server client, with the AWS SDK', () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await createUser(stack.cognito, 'server.user@example.com');
  });

  test('password proof with SECRET_HASH: tokens for the server client, accepted by GetUser', async () => {
    const started = await startSignIn(user.email);
    expect(started.challenge).toEqual({
      SALT: expect.stringMatching(/^[0-9a-f]+$/),
      SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
      SECRET_BLOCK: expect.any(String),
      USER_ID_FOR_SRP: user.sub,
      USERNAME: user.sub,
    });
    const answer = await provePassword(started, user.password);
    expect(answer.ChallengeName).toBeUndefined();
    const tokens = registerTokens(answer.AuthenticationResult);
    expect(tokens).toMatchObject({ TokenType: 'Bearer', ExpiresIn: 3600 });
    expect(JSON.parse(Buffer.from(tokens.AccessToken?.split('.')[1] ?? '', 'base64url').toString())).toMatchObject({
      client_id: serverClientId,
    });
    expect(await usernameOf(tokens.AccessToken)).toBe(user.sub);
  });

  test('a missing SECRET_HASH is refused, at InitiateAuth and at RespondToAuthChallenge', async () => {
    await expect(startSignIn(user.email, { hash: null })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Client ${serverClientId} is configured with secret but SECRET_HASH was not received`,
    });
    const started = await startSignIn(user.email);
    const claim = passwordClaim(started.srp, started.challenge, stack.cognito.userPoolId, user.password, new Date());
    await expect(
      sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: serverClientId,
          ChallengeName: 'PASSWORD_VERIFIER',
          Session: started.session,
          ChallengeResponses: { USERNAME: user.sub, ...claim },
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: expect.stringContaining('SECRET_HASH was not received') });
  });

  test('a wrong SECRET_HASH is refused', async () => {
    await expect(startSignIn(user.email, { hash: secretHash('someone.else@example.com') })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: `Unable to verify secret hash for client ${serverClientId}`,
    });
  });

  test('a SECRET_HASH sent for the public client, which has no secret, is refused', async () => {
    await expect(
      sdk.send(
        new InitiateAuthCommand({
          ClientId: publicClientId,
          AuthFlow: 'CUSTOM_AUTH',
          AuthParameters: { USERNAME: user.email, SRP_A: startSrp().A, CHALLENGE_NAME: 'SRP_A', SECRET_HASH: secretHash(user.email) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining('is not configured for secret') });
  });

  test('a flow the client does not allow is refused', async () => {
    await expect(
      sdk.send(
        new InitiateAuthCommand({
          ClientId: serverClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: user.email, PASSWORD: user.password, SECRET_HASH: secretHash(user.email) },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' });
  });

  test('a session answers once', async () => {
    const started = await startSignIn(user.email);
    registerTokens((await provePassword(started, user.password)).AuthenticationResult);
    await expect(provePassword(started, user.password)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid session for the user, session can only be used once.',
    });
  });

  test("a session expires after the client's AuthSessionValidity", async () => {
    const minutes = stack.cognito.appClients.find((client) => client.clientId === stack.clients.serverClientId)?.authSessionValidity ?? 0;
    expect(minutes).toBeGreaterThanOrEqual(3);
    const started = await startSignIn(user.email);
    const later = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + minutes * 60_000 + 1000);
    try {
      await expect(provePassword(started, user.password)).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Invalid session for the user, session is expired.',
      });
    } finally {
      later.mockRestore();
    }
  });

  test('an unknown user gets a plausible challenge, the same salt each time, and the wrong-password answer', async () => {
    const first = await startSignIn('ghost@example.com');
    const second = await startSignIn('ghost@example.com');
    expect(first.challenge).toEqual({
      SALT: expect.stringMatching(/^[0-9a-f]+$/),
      SRP_B: expect.stringMatching(/^[0-9a-f]+$/),
      SECRET_BLOCK: expect.any(String),
      USER_ID_FOR_SRP: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      USERNAME: first.challenge.USER_ID_FOR_SRP,
    });
    expect(second.challenge.SALT).toBe(first.challenge.SALT);
    expect(second.challenge.USER_ID_FOR_SRP).toBe(first.challenge.USER_ID_FOR_SRP);
    expect(second.challenge.SRP_B).not.toBe(first.challenge.SRP_B);
    await expect(provePassword(first, 'whatever-password-1')).rejects.toMatchObject(incorrect);
    const known = await startSignIn(user.email);
    await expect(provePassword(known, 'whatever-password-1')).rejects.toMatchObject(incorrect);
  });

  test('a disabled user is told so once the password is right', async () => {
    const disabled = await createUser(stack.cognito, 'disabled.user@example.com');
    await sdk.send(new AdminDisableUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: disabled.email }));
    await expect(provePassword(await startSignIn(disabled.email), 'not-the-password-at-all')).rejects.toMatchObject(incorrect);
    await expect(provePassword(await startSignIn(disabled.email), disabled.password)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'User is disabled.',
    });
  });

  test("DescribeUserPoolClient is passed to cognito-local: the server client's secret, for the sign-in handlers", async () => {
    expect(apiEnvironment.decode(process.env).serverClientId).toBe(serverClientId);
    const { UserPoolClient } = await sdk.send(
      new DescribeUserPoolClientCommand({ UserPoolId: stack.cognito.userPoolId, ClientId: serverClientId }),
    );
    expect(UserPoolClient).toMatchObject({
      ClientSecret: stack.clients.serverClientSecret,
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });
});

describe('native MFA after the password (Define is not asked again)', () => {
  async function enableTotp(accessToken: string | undefined): Promise<string> {
    const { SecretCode } = await sdk.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    secrets.add(SecretCode, 'TOTP secret');
    await sdk.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totpCode(SecretCode ?? '') }));
    await sdk.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true } }));
    return SecretCode ?? '';
  }

  async function enableSms(user: TestUser, accessToken: string | undefined, preferred = false): Promise<void> {
    await sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: stack.cognito.userPoolId,
        Username: user.email,
        UserAttributes: [
          { Name: 'phone_number', Value: '+15555550100' },
          { Name: 'phone_number_verified', Value: 'true' },
        ],
      }),
    );
    await sdk.send(
      new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SMSMfaSettings: { Enabled: true, PreferredMfa: preferred } }),
    );
  }

  function lastSmsCode(): string {
    const code = front.smsMessages.at(-1)?.code ?? '';
    secrets.add(code, 'SMS code');
    return code;
  }

  test('TOTP: SOFTWARE_TOKEN_MFA; a wrong code can be retried on the same session', async () => {
    const user = await createUser(stack.cognito, 'totp.signin@example.com');
    const secret = await enableTotp((await signInForTokens(user)).AccessToken);

    const afterPassword = await provePassword(await startSignIn(user.email), user.password);
    expect(afterPassword).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: { USERNAME: user.sub } });
    const session = afterPassword.Session ?? '';
    await expect(
      respond('SOFTWARE_TOKEN_MFA', session, user.sub, { SOFTWARE_TOKEN_MFA_CODE: wrongTotpCode(secret) }),
    ).rejects.toMatchObject({
      name: 'CodeMismatchException',
      message: 'Invalid code received for user',
    });
    const signedIn = await respond('SOFTWARE_TOKEN_MFA', session, user.sub, { SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) });
    expect(await usernameOf(signedIn.AuthenticationResult?.AccessToken)).toBe(user.sub);
    await expect(respond('SOFTWARE_TOKEN_MFA', session, user.sub, { SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });

    // The same with the reference client on the public client: totpRequired, then sendMFACode.
    const reference = referenceUser(user.email);
    expect(await referenceSignIn(reference, user.email, user.password)).toMatchObject({ kind: 'totpRequired' });
    const result = await outcome((callbacks) => reference.sendMFACode(totpCode(secret), callbacks, 'SOFTWARE_TOKEN_MFA'));
    expect(result.kind).toBe('success');
  });

  test('SMS: SMS_MFA with a masked destination; the recorded code signs in', async () => {
    const user = await createUser(stack.cognito, 'sms.signin@example.com');
    await enableSms(user, (await signInForTokens(user)).AccessToken);

    const afterPassword = await provePassword(await startSignIn(user.email), user.password);
    expect(afterPassword).toMatchObject({
      ChallengeName: 'SMS_MFA',
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0100', USERNAME: user.sub },
    });
    expect(front.smsMessages.at(-1)).toEqual({
      destination: '+15555550100',
      code: expect.stringMatching(/^[0-9]{6}$/),
      username: user.sub,
    });
    const signedIn = await respond('SMS_MFA', afterPassword.Session ?? '', user.sub, { SMS_MFA_CODE: lastSmsCode() });
    expect(await usernameOf(signedIn.AuthenticationResult?.AccessToken)).toBe(user.sub);

    // A fixed code, as documentation examples use, through the reference client's mfaRequired.
    front.setSmsCodeGenerator(() => '123456');
    const reference = referenceUser(user.email);
    expect(await referenceSignIn(reference, user.email, user.password)).toMatchObject({
      kind: 'mfaRequired',
      parameters: { CODE_DELIVERY_DESTINATION: '+*******0100' },
    });
    expect((await outcome((callbacks) => reference.sendMFACode('123456', callbacks, 'SMS_MFA'))).kind).toBe('success');
  });

  test('both factors without a preference: SELECT_MFA_TYPE, then the chosen one; with one preferred: that one', async () => {
    const user = await createUser(stack.cognito, 'both.factors@example.com');
    const { AccessToken } = await signInForTokens(user);
    const secret = await enableTotp(AccessToken);
    await enableSms(user, AccessToken);

    const afterPassword = await provePassword(await startSignIn(user.email), user.password);
    expect(afterPassword).toMatchObject({
      ChallengeName: 'SELECT_MFA_TYPE',
      ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]', USERNAME: user.sub },
    });
    const chosen = await respond('SELECT_MFA_TYPE', afterPassword.Session ?? '', user.sub, { ANSWER: 'SOFTWARE_TOKEN_MFA' });
    expect(chosen.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const signedIn = await respond('SOFTWARE_TOKEN_MFA', chosen.Session ?? '', user.sub, { SOFTWARE_TOKEN_MFA_CODE: totpCode(secret) });
    expect(signedIn.AuthenticationResult?.AccessToken).toBeDefined();

    await enableSms(user, signedIn.AuthenticationResult?.AccessToken, true);
    const preferred = await provePassword(await startSignIn(user.email), user.password);
    expect(preferred.ChallengeName).toBe('SMS_MFA');
  });
});

describe('email MFA: the custom challenge from the real triggers', () => {
  test('CUSTOM_CHALLENGE with the masked address; a wrong code asks again, the emailed code signs in', async () => {
    const user = await createUser(stack.cognito, 'email.mfa@example.com');
    await sdk.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: stack.cognito.userPoolId,
        Username: user.email,
        UserAttributes: [{ Name: 'custom:email_mfa', Value: JSON.stringify({ state: 'ENABLED', address: 'codes@example.com' }) }],
      }),
    );

    const afterPassword = await provePassword(await startSignIn(user.email), user.password);
    expect(afterPassword).toMatchObject({
      ChallengeName: 'CUSTOM_CHALLENGE',
      ChallengeParameters: { deliveryMedium: 'EMAIL', destination: 'c***@e***.com', USERNAME: user.sub },
    });
    // The sign-up's confirmation code (the custom email sender's, to the account's address), then the sign-in code.
    expect(sentEmails()).toEqual([
      expect.objectContaining({ to: ['email.mfa@example.com'], subject: 'Confirm your Example App account' }),
      expect.objectContaining({ to: ['codes@example.com'], subject: 'Example App sign-in code' }),
    ]);
    const code = lastEmailedCode('codes@example.com') ?? '';
    const wrong = await respond('CUSTOM_CHALLENGE', afterPassword.Session ?? '', user.sub, {
      ANSWER: code === '000000' ? '111111' : '000000',
    });
    expect(wrong).toMatchObject({ ChallengeName: 'CUSTOM_CHALLENGE', ChallengeParameters: { destination: 'c***@e***.com' } });
    const signedIn = await respond('CUSTOM_CHALLENGE', wrong.Session ?? '', user.sub, { ANSWER: code });
    expect(await usernameOf(signedIn.AuthenticationResult?.AccessToken)).toBe(user.sub);

    // The reference client on the public client: customChallenge, then sendCustomChallengeAnswer.
    const reference = referenceUser(user.email);
    expect(await referenceSignIn(reference, user.email, user.password)).toMatchObject({
      kind: 'customChallenge',
      parameters: { deliveryMedium: 'EMAIL', destination: 'c***@e***.com' },
    });
    const answer = lastEmailedCode('codes@example.com') ?? '';
    expect((await outcome((callbacks) => reference.sendCustomChallengeAnswer(answer, callbacks))).kind).toBe('success');
  });
});

describe('a pool without custom-auth triggers', () => {
  let bare: CognitoFront;
  let srpClientId: string;

  beforeAll(async () => {
    // An extra client with USER_SRP_AUTH, created through the front (forwarded to cognito-local).
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: stack.cognito.userPoolId,
        ClientName: 'srp',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    srpClientId = UserPoolClient?.ClientId ?? '';
    bare = await startCognitoFront({
      cognito: stack.cognito,
      clients: [{ clientId: srpClientId, explicitAuthFlows: UserPoolClient?.ExplicitAuthFlows ?? [] }],
      mfaConfiguration: 'OPTIONAL',
    });
  });

  afterAll(async () => {
    await bare?.stop();
  });

  test('refuses CUSTOM_AUTH, and USER_SRP_AUTH signs in', async () => {
    const user = await createUser(stack.cognito, 'bare.pool@example.com');
    expect(await referenceSignIn(referenceUser(user.email, srpClientId, bare.endpoint), user.email, user.password)).toEqual({
      kind: 'failure',
      error: expect.objectContaining({
        name: 'InvalidParameterException',
        message: 'Custom auth lambda trigger is not configured for the user pool.',
      }),
    });
    const result = await referenceSignIn(referenceUser(user.email, srpClientId, bare.endpoint), user.email, user.password, 'USER_SRP_AUTH');
    expect(result.kind).toBe('success');
  });
});

test('the triggers ran through the front and logged no secret (checked by the log scan)', () => {
  // Define's first call saw Cognito's [SRP_A] session and asked for the password.
  const decisions = capturedLogLines.filter((line) => line.includes('"message":"sign-in step decided"'));
  expect(decisions.some((line) => line.includes('"step":1') && line.includes('"challenge":"PASSWORD_VERIFIER"'))).toBe(true);
  expect(capturedLogLines.some((line) => line.includes('"message":"email code accepted"'))).toBe(true);
});
