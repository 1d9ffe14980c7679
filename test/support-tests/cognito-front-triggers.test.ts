import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { CreateAuthChallengeTriggerEvent, DefineAuthChallengeTriggerEvent, VerifyAuthChallengeResponseTriggerEvent } from 'aws-lambda';
import { startCognitoFront, type CognitoFront } from '../../local/cognito-front';
import { startLocalCognito, type LocalCognito } from '../../local/cognito-local';
import type { Trigger } from '../../local/custom-auth-loop';
import { cognitoClient, createUser, type TestUser } from '../support/local-users';
import { secrets } from '../support/log-capture';

/**
 * The Cognito front plays the custom-auth loop of local/custom-auth-loop.ts with stub
 * triggers here, over CUSTOM_WITHOUT_SRP, to pin what a client sees when a trigger misbehaves:
 * the exception Cognito names for it. The real triggers run through the front in
 * test/integration/cognito-front.test.ts.
 */
let cognito: LocalCognito;
let front: CognitoFront;
let sdk: CognitoIdentityProviderClient;
let clientId: string;
let user: TestUser;

const CODE = '482913';

/** Passwordless: one custom challenge, tokens for the right answer. */
const passwordlessDefine: Trigger<DefineAuthChallengeTriggerEvent> = (event) => {
  const last = event.request.session.at(-1);
  if (!last) event.response.challengeName = 'CUSTOM_CHALLENGE';
  else if (last.challengeResult) event.response.issueTokens = true;
  else event.response.failAuthentication = true;
  return Promise.resolve(event);
};
const codeCreate: Trigger<CreateAuthChallengeTriggerEvent> = (event) => {
  event.response.publicChallengeParameters = { delivery: 'EMAIL' };
  event.response.privateChallengeParameters = { code: CODE };
  return Promise.resolve(event);
};
const codeVerify: Trigger<VerifyAuthChallengeResponseTriggerEvent> = (event) => {
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.code;
  return Promise.resolve(event);
};

let define = passwordlessDefine;
let create = codeCreate;
let verify = codeVerify;
const defineEvents: DefineAuthChallengeTriggerEvent[] = [];

beforeAll(async () => {
  cognito = await startLocalCognito({ appClients: [{ ClientName: 'custom', ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH'] }] });
  clientId = cognito.appClients[0]?.clientId ?? '';
  front = await startCognitoFront({
    cognito,
    clients: [{ clientId, explicitAuthFlows: ['ALLOW_CUSTOM_AUTH'] }],
    triggers: {
      define: (event, context) => {
        defineEvents.push(structuredClone(event));
        return define(event, context);
      },
      create: (event, context) => create(event, context),
      verify: (event, context) => verify(event, context),
    },
    mfaConfiguration: 'OPTIONAL',
  });
  sdk = cognitoClient(front, { maxAttempts: 1 });
  user = await createUser(cognito, 'front.triggers@example.com');
});

afterAll(async () => {
  sdk?.destroy();
  await front?.stop();
  await cognito?.stop();
});

beforeEach(() => {
  define = passwordlessDefine;
  create = codeCreate;
  verify = codeVerify;
  defineEvents.length = 0;
});

function initiate() {
  return sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: user.email } }));
}

async function answer(challengeAnswer: string) {
  const started = await initiate();
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: started.Session,
      ChallengeResponses: { USERNAME: user.email, ANSWER: challengeAnswer },
    }),
  );
}

function setResponse<E extends { response: object }>(response: object): Trigger<E> {
  return (event) => Promise.resolve({ ...event, response: { ...event.response, ...response } });
}

test('the right answer signs in, with the verdict in the session Define sees; a wrong one is refused', async () => {
  const started = await initiate();
  expect(started.ChallengeName).toBe('CUSTOM_CHALLENGE');
  expect(started.ChallengeParameters).toEqual({ delivery: 'EMAIL', USERNAME: user.sub });
  const result = await answer(CODE);
  secrets.add(result.AuthenticationResult?.AccessToken ?? '', 'access token');
  secrets.add(result.AuthenticationResult?.IdToken ?? '', 'ID token');
  secrets.add(result.AuthenticationResult?.RefreshToken ?? '', 'refresh token');
  expect(result.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  expect(defineEvents.at(-1)?.request.session).toEqual([
    { challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: null },
  ]);
  expect(defineEvents.at(-1)?.request.userAttributes).toMatchObject({ email: user.email, 'cognito:user_status': 'CONFIRMED' });

  await expect(answer('000000')).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
});

test.each([
  [{ issueTokens: true, failAuthentication: true }, 'InvalidLambdaResponseException', /both true/],
  [{}, 'InvalidLambdaResponseException', /no challengeName/],
  [{ issueTokens: 'yes' }, 'InvalidLambdaResponseException', /issueTokens must be a boolean/],
  [{ challengeName: 'PASSWORD_VERIFIER' }, 'InvalidLambdaResponseException', /did not start with SRP_A/],
  [{ challengeName: 'SMS_MFA' }, 'UnsupportedOperationException', /does not model Define asking for SMS_MFA/],
])('Define responding %j: %s', async (response, name, message) => {
  define = setResponse(response);
  await expect(initiate()).rejects.toMatchObject({ name, message: expect.stringMatching(message) });
});

test('Create without privateChallengeParameters: InvalidLambdaResponseException', async () => {
  create = setResponse({ publicChallengeParameters: {}, privateChallengeParameters: {} });
  await expect(initiate()).rejects.toMatchObject({
    name: 'InvalidLambdaResponseException',
    message: 'Invalid CreateAuthChallenge Lambda response: privateChallengeParameters must be a non-empty object of strings.',
  });
});

test('Verify leaving answerCorrect unset: InvalidLambdaResponseException', async () => {
  verify = (event) => Promise.resolve(event);
  await expect(answer(CODE)).rejects.toMatchObject({
    name: 'InvalidLambdaResponseException',
    message: 'Invalid VerifyAuthChallengeResponse Lambda response: answerCorrect must be a boolean.',
  });
});

test('a throwing trigger, or one that returns no event: UserLambdaValidationException, InvalidLambdaResponseException', async () => {
  define = () => Promise.reject(new Error('boom'));
  await expect(initiate()).rejects.toMatchObject({
    name: 'UserLambdaValidationException',
    message: 'DefineAuthChallenge failed with error boom.',
  });
  define = (() => Promise.resolve(undefined)) as unknown as Trigger<DefineAuthChallengeTriggerEvent>;
  await expect(initiate()).rejects.toMatchObject({
    name: 'InvalidLambdaResponseException',
    message: expect.stringMatching(/response object/),
  });
});
