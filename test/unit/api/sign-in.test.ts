import {
  AssociateSoftwareTokenCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type InitiateAuthCommandInput,
  type RespondToAuthChallengeCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler as confirmSignIn } from '../../../lambda/api/confirm-sign-in';
import { handler as signIn } from '../../../lambda/api/sign-in';
import { secretHash } from '../../../lambda/core/secret-hash';
import { decodeSession, encodeSession } from '../../../lambda/core/sign-in-steps';
import { passwordVerifierAnswer } from '../../support/cognito-answers';
import { cognitoException } from '../../support/cognito-exceptions';
import { cognitoMock, resetMocks } from '../../support/cognito-mocks';
import { changeApiSettings } from '../../support/environment';
import { capturedLogLines, secrets } from '../../support/log-capture';
import { lambdaContext } from '../../../local/lambda-context';
import { proxyEvent } from '../../../local/proxy-event';

/**
 * The sign-in routes with Cognito mocked. Sign-in against a working Cognito (SRP,
 * triggers, native MFA) runs end to end in test/integration; these tests cover
 * what only a mock can produce, each saying which documented answer it stands for.
 */
const clientSecret = 'server-client-secret-value';
const password = 'a long enough password';
secrets.add(clientSecret, 'client secret');
secrets.add(password, 'password');

const passwordVerifier = passwordVerifierAnswer;

async function call(handler: typeof signIn, path: string, body: unknown) {
  const result = await handler(proxyEvent({ method: 'POST', path, body: JSON.stringify(body) }), lambdaContext('unit'));
  return { status: result.statusCode, body: JSON.parse(result.body || '{}') as Record<string, unknown> };
}

beforeEach(() => {
  resetMocks();
  cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: clientSecret } });
  cognitoMock.on(InitiateAuthCommand).resolves(passwordVerifier);
});

test('sign-in starts CUSTOM_AUTH with SRP on the server client, proves the password and never sends it', async () => {
  cognitoMock.on(RespondToAuthChallengeCommand).resolves({
    AuthenticationResult: { AccessToken: 'eyJ.access', IdToken: 'eyJ.id', RefreshToken: 'refresh', ExpiresIn: 3600 },
  });
  const answer = await call(signIn, '/auth/sign-in', { username: 'jane@example.com', password });
  expect(answer).toEqual({
    status: 200,
    body: {
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
      tokens: { accessToken: 'eyJ.access', idToken: 'eyJ.id', refreshToken: 'refresh', expiresIn: 3600 },
    },
  });
  const initiate = cognitoMock.commandCalls(InitiateAuthCommand)[0]?.args[0].input as InitiateAuthCommandInput;
  expect(initiate).toMatchObject({
    ClientId: 'server-client-id',
    AuthFlow: 'CUSTOM_AUTH',
    AuthParameters: {
      USERNAME: 'jane@example.com',
      CHALLENGE_NAME: 'SRP_A',
      SRP_A: expect.stringMatching(/^[0-9a-f]{700,}$/),
      SECRET_HASH: secretHash('jane@example.com', 'server-client-id', clientSecret),
    },
  });
  const respond = cognitoMock.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input as RespondToAuthChallengeCommandInput;
  expect(respond).toMatchObject({
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: 'cognito-session-1',
    ChallengeResponses: {
      USERNAME: 'user-sub',
      SECRET_HASH: secretHash('user-sub', 'server-client-id', clientSecret),
      PASSWORD_CLAIM_SECRET_BLOCK: passwordVerifier.ChallengeParameters.SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/),
      TIMESTAMP: expect.stringMatching(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{1,2} \d\d:\d\d:\d\d UTC \d{4}$/),
    },
  });
  expect(JSON.stringify(cognitoMock.calls().map((c) => c.args[0].input))).not.toContain(password);
  expect(cognitoMock.commandCalls(DescribeUserPoolClientCommand)).toHaveLength(1);
});

test("without email MFA the deployment's clients allow plain SRP only, and sign-in uses it", async () => {
  const restoreSettings = changeApiSettings({ emailMfa: undefined });
  try {
    // A fresh module registry reads the changed environment; the SDK in it is mocked afresh.
    let plain: { signIn: typeof signIn; cognito: typeof cognitoMock } | undefined;
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const sdk = require('@aws-sdk/client-cognito-identity-provider') as typeof import('@aws-sdk/client-cognito-identity-provider');
      const cognito = (require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock')).mockClient(
        sdk.CognitoIdentityProviderClient,
      );
      cognito.on(sdk.DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: clientSecret } });
      cognito.on(sdk.InitiateAuthCommand).resolves(passwordVerifier);
      cognito.on(sdk.RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: 'eyJ.a', IdToken: 'eyJ.i' } });
      plain = { signIn: (require('../../../lambda/api/sign-in') as { handler: typeof signIn }).handler, cognito };
      /* eslint-enable @typescript-eslint/no-require-imports */
    });
    const answer = await call(plain!.signIn, '/auth/sign-in', { username: 'jane@example.com', password });
    expect(answer.body).toMatchObject({ isSignedIn: true });
    const initiate = plain!.cognito.calls()[1]?.args[0].input as InitiateAuthCommandInput;
    expect(initiate.AuthFlow).toBe('USER_SRP_AUTH');
    expect(initiate.AuthParameters).not.toHaveProperty('CHALLENGE_NAME');
  } finally {
    restoreSettings();
  }
});

test.each(['NotAuthorized', 'UserNotFound', 'UserNotConfirmed', 'PasswordResetRequired'])(
  'sign-in answers %sException exactly like a wrong password',
  async (exception) => {
    cognitoMock.on(InitiateAuthCommand).rejects(cognitoException(exception));
    const answer = await call(signIn, '/auth/sign-in', { username: 'who@example.com', password });
    expect(answer).toEqual({
      status: 401,
      body: { name: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    });
  },
);

test('MFA_SETUP: the setup details come from AssociateSoftwareToken on the sign-in session', async () => {
  // RespondToAuthChallenge answers MFA_SETUP for a user without a factor in a pool that
  // requires MFA (API reference, RespondToAuthChallenge; cognito-local cannot produce it).
  cognitoMock.on(RespondToAuthChallengeCommand).resolves({
    ChallengeName: 'MFA_SETUP',
    Session: 'cognito-session-2',
    ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]', USERNAME: 'user-sub' },
  });
  // AssociateSoftwareToken with a Session answers a secret and a new session (API reference).
  cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', Session: 'cognito-session-3' });
  secrets.add('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'TOTP secret');
  const answer = await call(signIn, '/auth/sign-in', { username: 'new@example.com', password });
  expect(answer.body).toMatchObject({
    isSignedIn: false,
    nextStep: {
      signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP',
      totpSetupDetails: {
        sharedSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        setupUri: 'otpauth://totp/Example%20App:new%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example%20App',
      },
    },
  });
  expect(decodeSession(String(answer.body.session))).toEqual({
    challengeName: 'MFA_SETUP',
    username: 'user-sub',
    cognitoSession: 'cognito-session-3',
  });

  // VerifySoftwareToken with the session answers SUCCESS and the session for the MFA_SETUP answer.
  cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS', Session: 'cognito-session-4' });
  cognitoMock.on(RespondToAuthChallengeCommand).resolves({
    AuthenticationResult: { AccessToken: 'eyJ.a', IdToken: 'eyJ.i', ExpiresIn: 3600 },
  });
  const done = await call(confirmSignIn, '/auth/confirm-sign-in', {
    username: 'new@example.com',
    session: answer.body.session,
    challengeResponse: '123456',
  });
  expect(done.body).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(cognitoMock.commandCalls(VerifySoftwareTokenCommand)[0]?.args[0].input).toEqual({
    Session: 'cognito-session-3',
    UserCode: '123456',
  });
  expect(cognitoMock.commandCalls(RespondToAuthChallengeCommand).at(-1)?.args[0].input).toMatchObject({
    ChallengeName: 'MFA_SETUP',
    Session: 'cognito-session-4',
    ChallengeResponses: { USERNAME: 'user-sub' },
  });
});

test('a challenge this API does not carry is our fault (500), and says so only in the log', async () => {
  // Cognito answers DEVICE_SRP_AUTH when device tracking is on (developer guide, "Working with devices").
  cognitoMock.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: 'DEVICE_SRP_AUTH', Session: 's', ChallengeParameters: {} });
  const logStart = capturedLogLines.length;
  const answer = await call(signIn, '/auth/sign-in', { username: 'jane@example.com', password });
  expect(answer).toEqual({ status: 500, body: { name: 'InternalErrorException', message: 'Internal error. Try again later.' } });
  expect(capturedLogLines.slice(logStart).join('\n')).toContain('DEVICE_SRP_AUTH');
});

describe('confirm-sign-in', () => {
  const session = (challengeName: 'CUSTOM_CHALLENGE' | 'SELECT_MFA_TYPE' | 'SOFTWARE_TOKEN_MFA') =>
    encodeSession({ challengeName, username: 'user-sub', cognitoSession: 'cognito-session' });

  test('the email code goes to CUSTOM_CHALLENGE as ANSWER with the Cognito user name', async () => {
    cognitoMock.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: 'eyJ.a', IdToken: 'eyJ.i' } });
    await call(confirmSignIn, '/auth/confirm-sign-in', {
      username: 'jane@example.com',
      session: session('CUSTOM_CHALLENGE'),
      challengeResponse: '123456',
    });
    expect(cognitoMock.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input).toEqual({
      ClientId: 'server-client-id',
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: 'cognito-session',
      ChallengeResponses: { ANSWER: '123456', USERNAME: 'user-sub', SECRET_HASH: secretHash('user-sub', 'server-client-id', clientSecret) },
    });
  });

  test.each([
    [
      'a session this API did not issue',
      { session: 'forged', challengeResponse: '123456' },
      'Field "session" is not a session this API issued',
    ],
    ['a TOTP code of 5 digits', { session: session('SOFTWARE_TOKEN_MFA'), challengeResponse: '12345' }, 'must be a 6 digit code'],
    ['an MFA choice that is not SMS or TOTP', { session: session('SELECT_MFA_TYPE'), challengeResponse: 'EMAIL' }, 'must be SMS or TOTP'],
  ])('%s is a 400 and reaches no Cognito API', async (_, body, message) => {
    const answer = await call(confirmSignIn, '/auth/confirm-sign-in', { username: 'jane@example.com', ...body });
    expect(answer).toMatchObject({ status: 400, body: { name: 'InvalidParameterException', message: expect.stringContaining(message) } });
    expect(cognitoMock.commandCalls(RespondToAuthChallengeCommand)).toHaveLength(0);
  });

  test('an expired or used session asks the user to sign in again', async () => {
    // Cognito answers a spent session with NotAuthorizedException "Invalid session for the user".
    cognitoMock.on(RespondToAuthChallengeCommand).rejects(cognitoException('NotAuthorized'));
    const answer = await call(confirmSignIn, '/auth/confirm-sign-in', {
      username: 'jane@example.com',
      session: session('CUSTOM_CHALLENGE'),
      challengeResponse: '123456',
    });
    expect(answer).toEqual({
      status: 401,
      body: { name: 'NotAuthorizedException', message: expect.stringContaining('Sign in again') },
    });
  });

  test("a wrong code keeps Cognito's name", async () => {
    cognitoMock.on(RespondToAuthChallengeCommand).rejects(cognitoException('CodeMismatch'));
    const answer = await call(confirmSignIn, '/auth/confirm-sign-in', {
      username: 'jane@example.com',
      session: session('SOFTWARE_TOKEN_MFA'),
      challengeResponse: '123456',
    });
    expect(answer).toMatchObject({ status: 400, body: { name: 'CodeMismatchException' } });
  });
});
