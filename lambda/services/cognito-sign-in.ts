import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type ChallengeNameType,
} from '@aws-sdk/client-cognito-identity-provider';
import { CodeMismatchException } from '../core/errors';
import { asDeploymentFault } from './cognito-admin';
import { secretHash } from '../core/secret-hash';

/**
 * Cognito's sign-in APIs on the confidential server client, so that the API's
 * sign-in goes through the same CUSTOM_AUTH flow, triggers and rules as Amplify
 * apps do. The client secret is read from Cognito once per container (never
 * from the environment, where the Lambda console would show it).
 */
const cognito = new CognitoIdentityProviderClient({});
let cachedSecret: Promise<string> | undefined;

export interface ServerClient {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** What Cognito answered: either tokens, or the next challenge with its session. */
export interface SignInAnswer {
  readonly tokens?: AuthenticationResultType;
  readonly challengeName?: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly session?: string;
}

/**
 * The server client's secret, read with DescribeUserPoolClient once per container
 * and kept in memory: for SECRET_HASH at sign-in, and as ClientSecret itself for
 * the session calls (lambda/services/cognito-sessions.ts).
 */
export function serverClientSecret(client: ServerClient): Promise<string> {
  cachedSecret ??= cognito
    .send(new DescribeUserPoolClientCommand({ UserPoolId: client.userPoolId, ClientId: client.clientId }))
    .then(({ UserPoolClient }) => {
      if (!UserPoolClient?.ClientSecret) throw new Error('The server app client has no secret');
      return UserPoolClient.ClientSecret;
    })
    .catch((error: unknown) => {
      cachedSecret = undefined;
      // The function's own role was refused: a deployment fault, not a wrong password.
      return asDeploymentFault(error);
    });
  return cachedSecret;
}

async function hashFor(client: ServerClient, username: string): Promise<string> {
  return secretHash(username, client.clientId, await serverClientSecret(client));
}

/**
 * InitiateAuth with SRP_A: CUSTOM_AUTH (Amplify's CUSTOM_WITH_SRP) when the
 * email MFA triggers guard sign-in, plain USER_SRP_AUTH when the deployment has
 * no email MFA and its clients allow only that.
 */
export async function startSrpSignIn(
  client: ServerClient,
  flow: 'CUSTOM_AUTH' | 'USER_SRP_AUTH',
  username: string,
  srpA: string,
): Promise<SignInAnswer> {
  const answer = await cognito.send(
    new InitiateAuthCommand({
      ClientId: client.clientId,
      AuthFlow: flow,
      AuthParameters: {
        USERNAME: username,
        SRP_A: srpA,
        SECRET_HASH: await hashFor(client, username),
        ...(flow === 'CUSTOM_AUTH' && { CHALLENGE_NAME: 'SRP_A' }),
      },
    }),
  );
  return toAnswer(answer);
}

/** `clientMetadata` reaches Define, Create and Verify (the RespondToAuthChallenge API reference). */
export async function respondToChallenge(
  client: ServerClient,
  challengeName: string,
  session: string | undefined,
  username: string,
  responses: Readonly<Record<string, string>>,
  clientMetadata?: Readonly<Record<string, string>>,
): Promise<SignInAnswer> {
  const answer = await cognito.send(
    new RespondToAuthChallengeCommand({
      ClientId: client.clientId,
      ChallengeName: challengeName as ChallengeNameType,
      Session: session,
      ChallengeResponses: { ...responses, USERNAME: username, SECRET_HASH: await hashFor(client, username) },
      ...(clientMetadata && { ClientMetadata: { ...clientMetadata } }),
    }),
  );
  return toAnswer(answer);
}

/**
 * CUSTOM_AUTH without SRP_A: the recovery flow (lambda/core/sign-in-policy.ts),
 * which Define opens only on this server client. `username` is the user's Cognito
 * user name (the sub), what SECRET_HASH is computed over.
 */
export async function startRecoverySignIn(client: ServerClient, username: string): Promise<SignInAnswer> {
  const answer = await cognito.send(
    new InitiateAuthCommand({
      ClientId: client.clientId,
      AuthFlow: 'CUSTOM_AUTH',
      AuthParameters: { USERNAME: username, SECRET_HASH: await hashFor(client, username) },
    }),
  );
  return toAnswer(answer);
}

/** MFA_SETUP: a new TOTP secret for a user signing in, tied to the sign-in session. */
export async function associateSoftwareTokenInSession(session: string): Promise<{ sharedSecret: string; session: string }> {
  const answer = await cognito.send(new AssociateSoftwareTokenCommand({ Session: session }));
  if (!answer.SecretCode || !answer.Session) throw new Error('AssociateSoftwareToken returned no secret or session');
  return { sharedSecret: answer.SecretCode, session: answer.Session };
}

/** MFA_SETUP: proves the authenticator; Cognito answers with the session for the MFA_SETUP response. */
export async function verifySoftwareTokenInSession(session: string, code: string): Promise<string> {
  const answer = await cognito.send(new VerifySoftwareTokenCommand({ Session: session, UserCode: code }));
  if (answer.Status !== 'SUCCESS' || !answer.Session) throw new CodeMismatchException('The code is not valid for this authenticator.');
  return answer.Session;
}

function toAnswer(answer: {
  AuthenticationResult?: AuthenticationResultType;
  ChallengeName?: string;
  ChallengeParameters?: Record<string, string>;
  Session?: string;
}): SignInAnswer {
  return {
    tokens: answer.AuthenticationResult,
    challengeName: answer.ChallengeName,
    parameters: answer.ChallengeParameters ?? {},
    session: answer.Session,
  };
}
