import {
  CognitoIdentityProviderServiceException,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler as confirmSignIn } from '../../../lambda/api/confirm-sign-in';
import { handler as signIn } from '../../../lambda/api/sign-in';
import { encodeSession } from '../../../lambda/core/sign-in-steps';
import { cognitoException, exceptionsOf, expectedAnswer } from '../../support/cognito-exceptions';
import { cognitoMock, resetMocks } from '../../support/cognito-mocks';
import { lambdaContext } from '../../../local/lambda-context';
import { proxyEvent } from '../../../local/proxy-event';

/**
 * Every exception the sign-in routes' Cognito calls can raise (API reference,
 * "Errors" of InitiateAuth and RespondToAuthChallenge), injected with
 * aws-sdk-client-mock, and the answer the client gets. Whatever could tell
 * whether an account exists or what state it is in is answered like a wrong
 * password (sign-in) or a spent session (confirm).
 */
const hidden = new Set(['NotAuthorizedException', 'UserNotFoundException', 'UserNotConfirmedException', 'PasswordResetRequiredException']);

beforeEach(() => {
  resetMocks();
  cognitoMock.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: 'secret' } });
  cognitoMock.on(InitiateAuthCommand).resolves({
    ChallengeName: 'PASSWORD_VERIFIER',
    Session: 's',
    ChallengeParameters: { SALT: 'ab', SRP_B: 'cd'.repeat(64), SECRET_BLOCK: 'AAAA', USER_ID_FOR_SRP: 'sub' },
  });
});

async function post(handler: typeof signIn, path: string, body: unknown) {
  const result = await handler(proxyEvent({ method: 'POST', path, body: JSON.stringify(body) }), lambdaContext('unit'));
  return { status: result.statusCode, body: JSON.parse(result.body) as { name: string; message: string } };
}

const signInCases = [
  ...exceptionsOf.InitiateAuth.map((exception) => ['InitiateAuth', exception] as const),
  ...exceptionsOf.RespondToAuthChallenge.map((exception) => ['RespondToAuthChallenge', exception] as const),
];

test.each(signInCases)('POST /auth/sign-in: %s raising %sException', async (command, exception) => {
  const name = `${exception}Exception`;
  if (command === 'InitiateAuth') cognitoMock.on(InitiateAuthCommand).rejects(cognitoException(exception));
  else cognitoMock.on(RespondToAuthChallengeCommand).rejects(cognitoException(exception));
  const answer = await post(signIn, '/auth/sign-in', { username: 'jane@example.com', password: 'a password' });
  if (hidden.has(name)) {
    expect(answer).toEqual({ status: 401, body: { name: 'NotAuthorizedException', message: 'Incorrect username or password.' } });
  } else {
    const [status, shown] = expectedAnswer[name] ?? [0, 'unmapped'];
    expect({ status: answer.status, name: answer.body.name }).toEqual({ status, name: shown });
  }
  expect(answer.body.message).not.toMatch(/424242|validation error/);
});

test.each(exceptionsOf.RespondToAuthChallenge)(
  'POST /auth/confirm-sign-in: RespondToAuthChallenge raising %sException',
  async (exception) => {
    const name = `${exception}Exception`;
    cognitoMock.on(RespondToAuthChallengeCommand).rejects(cognitoException(exception));
    const session = encodeSession({ challengeName: 'SOFTWARE_TOKEN_MFA', username: 'sub', cognitoSession: 's' });
    const answer = await post(confirmSignIn, '/auth/confirm-sign-in', {
      username: 'jane@example.com',
      session,
      challengeResponse: '123456',
    });
    if (hidden.has(name)) {
      expect(answer).toEqual({ status: 401, body: { name: 'NotAuthorizedException', message: expect.stringContaining('Sign in again') } });
    } else {
      const [status, shown] = expectedAnswer[name] ?? [0, 'unmapped'];
      expect({ status: answer.status, name: answer.body.name }).toEqual({ status, name: shown });
    }
  },
);

describe('Pre Token Generation refusing tokens is a refused sign-in, not a fault', () => {
  const refusal = (message: string) =>
    new CognitoIdentityProviderServiceException({
      name: 'UserLambdaValidationException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
      message,
    });
  const confirm = () =>
    post(confirmSignIn, '/auth/confirm-sign-in', {
      username: 'jane@example.com',
      session: encodeSession({ challengeName: 'SOFTWARE_TOKEN_MFA', username: 'sub', cognitoSession: 's' }),
      challengeResponse: '123456',
    });

  test('POST /auth/confirm-sign-in answers 401 "sign in again"', async () => {
    cognitoMock
      .on(RespondToAuthChallengeCommand)
      .rejects(refusal('PreTokenGeneration failed with error This sign-in did not answer the email code, so no tokens are issued.'));
    expect(await confirm()).toEqual({
      status: 401,
      body: { name: 'NotAuthorizedException', message: expect.stringContaining('Sign in again') },
    });
  });

  test('POST /auth/sign-in answers like a wrong password', async () => {
    cognitoMock.on(RespondToAuthChallengeCommand).rejects(refusal('PreTokenGeneration failed with error No tokens for this user.'));
    expect(await post(signIn, '/auth/sign-in', { username: 'jane@example.com', password: 'a password' })).toEqual({
      status: 401,
      body: { name: 'NotAuthorizedException', message: 'Incorrect username or password.' },
    });
  });

  test('another trigger failing stays an internal error', async () => {
    cognitoMock.on(RespondToAuthChallengeCommand).rejects(refusal('CreateAuthChallenge failed with error Task timed out.'));
    expect(await confirm()).toMatchObject({ status: 500, body: { name: 'InternalErrorException' } });
  });
});
