import { createHmac, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { CognitoError } from 'cognito-local/lib/errors';
import type { User } from 'cognito-local/lib/services/userPoolService';
import { attributesToRecord, attributeValue } from 'cognito-local/lib/services/userPoolService';
import * as OTPAuth from 'otpauth';
import { maskPhoneNumber } from '../lambda/core/masking';
import {
  claimSignature,
  modPow,
  privateKey,
  scramblingParameter,
  sessionKey,
  srpGroup,
  srpMultiplier,
  srpTimestamp,
} from '../lambda/core/srp';
import type { LocalCognito } from './cognito-local';
import {
  copy,
  CustomAuthLoop,
  isObject,
  preTokenGenerationEvent,
  runPreTokenGeneration,
  triggerResponse,
  UserLambdaValidationError,
  type AuthCall,
  type CustomAuthIo,
  type CustomAuthTriggers,
  type LoopStep,
  type StringMap,
  type Trigger,
  type TriggerEvents,
  type TriggerName,
} from './custom-auth-loop';
import { lambdaContext } from './lambda-context';
import { readBody } from './read-body';
import { decodeClaims, TokenSessions, verifiedClaims, type IssuedTokens } from './token-sessions';

/**
 * A local front for cognito-local: an HTTP server speaking Cognito's JSON protocol
 * that runs sign-in the way Cognito does where cognito-local cannot (SRP, the
 * custom-auth triggers, SMS and TOTP MFA after SRP, app-client rules), and passes
 * every other request to cognito-local unchanged. Point the SDK or
 * amazon-cognito-identity-js at `endpoint`.
 *
 * Handled here, for the clients given in `clients` only: InitiateAuth and
 * RespondToAuthChallenge (and the flow and SECRET_HASH checks of
 * AdminInitiateAuth, which is then forwarded), refresh (REFRESH_TOKEN_AUTH and
 * GetTokensFromRefreshToken) and RevokeToken. Requests naming any other client
 * (e.g. LocalCognito's own USER_PASSWORD_AUTH test client) go to cognito-local as
 * they are. USER_PASSWORD_AUTH on a known client is checked here (flow allowed,
 * SECRET_HASH), then answered by cognito-local; when its answer holds tokens, the
 * Pre Token Generation trigger runs before they go back, as it does wherever the
 * front issues tokens itself. Every sign-in on a known client is a session
 * (token-sessions.ts): refresh keeps its `auth_time`, RevokeToken and GlobalSignOut
 * end it, and every operation that takes an access token refuses a revoked one.
 * Also answered here, for any caller: AdminSetUserMFAPreference, GlobalSignOut and
 * AdminUserGlobalSignOut, which cognito-local lacks.
 * Users, passwords, MFA settings and tokens are cognito-local's: the front reads
 * them through its services and mints tokens with its token generator, so its
 * JWKS, GetUser and refresh accept them.
 *
 * Modelled, with the source that decided each point next to the code: flows
 * enabled per client; SECRET_HASH; PreventUserExistenceErrors ENABLED (every
 * client here); server-side SRP-6a; single-use sessions expiring after the
 * client's AuthSessionValidity (default 3 minutes); the custom-auth loop with the
 * Define/Create/Verify triggers (custom-auth-loop.ts, shared with the trigger
 * harness); native SMS/TOTP MFA after the password, with
 * SELECT_MFA_TYPE; retries after a wrong MFA code.
 *
 * Not modelled: MFA_SETUP and NEW_PASSWORD_REQUIRED, and AdminRespondToAuthChallenge
 * on this stack's clients (answered with UnsupportedOperationException), refresh-token
 * rotation, device tracking, USER_AUTH (choice-based)
 * sign-in, Cognito's own EMAIL_OTP MFA, the lockout after repeated wrong
 * passwords, any cap on MFA retries per session, refusal of a TOTP code used
 * twice, the TIMESTAMP's clock skew, ClientMetadata validation, claim overrides
 * from Pre Token Generation, and the other triggers (pre authentication...).
 * Trigger errors keep Cognito's exception names; their exact messages are not
 * documented. `operationCounts` counts every request by operation, e.g. the
 * AdminGetUser calls a sign-in makes.
 */
export interface CognitoFront {
  endpoint: string;
  /** SMS MFA codes sent at sign-in (through the pool's messages, so by the custom SMS sender when it has one): destination (phone) and code. */
  readonly smsMessages: { destination: string; code: string; username: string }[];
  /** Lets a test fix the next SMS MFA codes (e.g. to run documentation examples that hard-code "123456"). */
  setSmsCodeGenerator(next: () => string): void;
  /** Requests received, by operation (the X-Amz-Target without its prefix), since the start or the last reset. */
  readonly operationCounts: Map<string, number>;
  stop(): Promise<void>;
}

export interface FrontAppClient {
  clientId: string;
  clientSecret?: string;
  /** ALLOW_CUSTOM_AUTH, ALLOW_USER_SRP_AUTH, ALLOW_REFRESH_TOKEN_AUTH... */
  explicitAuthFlows: readonly string[];
  /** Minutes a Session string stays valid; Cognito's default is 3. */
  authSessionValidity?: number;
  /** The client's WriteAttributes; when given, a user's token of this client may write no other attribute. */
  writeAttributes?: readonly string[];
}

export type FrontTriggers = CustomAuthTriggers;

export interface CognitoFrontOptions {
  cognito: LocalCognito;
  clients: readonly FrontAppClient[];
  /** The custom-auth triggers; without them CUSTOM_AUTH is refused like a pool without triggers. */
  triggers?: FrontTriggers;
  /** Runs wherever the front issues tokens; without it tokens are issued unchecked. */
  preTokenGeneration?: Trigger<PreTokenGenerationTriggerEvent>;
  mfaConfiguration: 'OFF' | 'OPTIONAL' | 'ON';
  /**
   * False: SignUp on this front's clients is refused, as in a pool with
   * AllowAdminCreateUserOnly (the stack's default). Default true.
   */
  selfSignUp?: boolean;
}

type NativeMfa = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA';
type ChallengeName = 'PASSWORD_VERIFIER' | 'CUSTOM_CHALLENGE' | NativeMfa | 'SELECT_MFA_TYPE';
type Json = Record<string, unknown>;

/** Everything one sign-in carries from call to call; each Session string points at it once. */
interface SignIn {
  readonly client: FrontAppClient;
  /** The USERNAME the client sent to InitiateAuth (an email alias, or the user name). */
  readonly typedUsername: string;
  /** The user's Username (the sub in cognito-local's email-username pools); undefined if there is none. */
  readonly username: string | undefined;
  readonly srpA: bigint | undefined;
  /** Cognito's custom-auth loop in CUSTOM_AUTH; undefined in USER_SRP_AUTH. */
  readonly customAuth: CustomAuthLoop | undefined;
  expected: ChallengeName;
  srp?: { readonly userIdForSrp: string; readonly v: bigint; readonly b: bigint; readonly B: bigint; readonly secretBlock: string };
  smsCode?: string;
  mfaChoices?: readonly NativeMfa[];
}

interface StoredSession {
  readonly signIn: SignIn;
  readonly expiresAt: number;
}

/** A Cognito error as the SDKs parse it: HTTP 400, `__type` and `message`. */
class CognitoFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const fault = {
  // The message Cognito gives for a wrong password, an unknown user with PreventUserExistenceErrors,
  // and a Define that fails the sign-in (amplify-js#10320).
  incorrectPassword: () => new CognitoFault('NotAuthorizedException', 'Incorrect username or password.'),
  invalidParameter: (message: string) => new CognitoFault('InvalidParameterException', message),
  notModelled: (what: string) => new CognitoFault('UnsupportedOperationException', `The local Cognito front does not model ${what}.`),
  revokedAccessToken: () => new CognitoFault('NotAuthorizedException', 'Access Token has been revoked'),
};

function isIssuedTokens(value: unknown): value is IssuedTokens & Json {
  return (
    isObject(value) && typeof value.AccessToken === 'string' && typeof value.IdToken === 'string' && typeof value.RefreshToken === 'string'
  );
}

const HOSTNAME = '127.0.0.1';
const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

/** The ExplicitAuthFlows entry each AuthFlow needs (UserPoolClientType.ExplicitAuthFlows, API reference). */
const requiredClientFlow: Readonly<Record<string, string>> = {
  USER_SRP_AUTH: 'ALLOW_USER_SRP_AUTH',
  CUSTOM_AUTH: 'ALLOW_CUSTOM_AUTH',
  USER_PASSWORD_AUTH: 'ALLOW_USER_PASSWORD_AUTH',
  REFRESH_TOKEN_AUTH: 'ALLOW_REFRESH_TOKEN_AUTH',
  REFRESH_TOKEN: 'ALLOW_REFRESH_TOKEN_AUTH',
  ADMIN_USER_PASSWORD_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  ADMIN_NO_SRP_AUTH: 'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  USER_AUTH: 'ALLOW_USER_AUTH',
};

const lambdaNames: Readonly<Record<TriggerName, string>> = {
  define: 'DefineAuthChallenge',
  create: 'CreateAuthChallenge',
  verify: 'VerifyAuthChallengeResponse',
};

export async function startCognitoFront(options: CognitoFrontOptions): Promise<CognitoFront> {
  const { cognito, triggers, mfaConfiguration, preTokenGeneration } = options;
  const { services, ctx } = cognito.internals;
  const clients = new Map(options.clients.map((client) => [client.clientId, client]));
  const upstream = new URL(cognito.endpoint);
  const agent = new http.Agent({ keepAlive: true });
  const poolName = cognito.userPoolId.slice(cognito.userPoolId.indexOf('_') + 1);
  /** Keys the fake SRP values of unknown users, so that they repeat like a real user's do. */
  const frontKey = randomBytes(32);
  const smsMessages: CognitoFront['smsMessages'] = [];
  let nextSmsCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
  const sessions = new Map<string, StoredSession>();
  const spentSessions = new Set<string>();
  const operationCounts = new Map<string, number>();
  const tokenSessions = new TokenSessions();

  // ---- HTTP ----------------------------------------------------------------------------------

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) {
        response.destroy();
        return;
      }
      // A fault of the front itself (or of the trigger plumbing): 400, not Cognito's 500, so the
      // SDK does not retry it into a spent session and hide the message behind "Invalid session".
      const message = error instanceof Error ? error.message : 'unknown error';
      reply(response, 400, { __type: 'InternalErrorException', message: `local Cognito front failed: ${message}` });
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const body = await readBody(request);
    const target = request.headers['x-amz-target'];
    const operation =
      request.method === 'POST' && typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : undefined;
    const input = operation ? parseObject(body) : undefined;
    if (operation) operationCounts.set(operation, (operationCounts.get(operation) ?? 0) + 1);
    const client = typeof input?.ClientId === 'string' ? clients.get(input.ClientId) : undefined;
    const handled =
      input && client && (operation === 'InitiateAuth' || operation === 'RespondToAuthChallenge' || operation === 'AdminInitiateAuth');
    // Every token-authorized operation refuses a revoked session's access token (token-sessions.ts).
    if (typeof input?.AccessToken === 'string' && tokenSessions.isRevoked(input.AccessToken)) {
      replyFault(response, fault.revokedAccessToken());
      return;
    }
    // SignUp in a pool where only administrators create users (AdminCreateUserConfig.AllowAdminCreateUserOnly,
    // https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html);
    // the message is the one widely reported for it.
    if (client && operation === 'SignUp' && options.selfSignUp === false) {
      replyFault(response, new CognitoFault('NotAuthorizedException', 'SignUp is not permitted for this user pool'));
      return;
    }
    // A client's WriteAttributes are all a user's token of that client may set
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html);
    // cognito-local stores them but checks nothing. The message is the one widely reported.
    if (
      operation === 'UpdateUserAttributes' &&
      typeof input?.AccessToken === 'string' &&
      writesUnauthorized(input.AccessToken, input.UserAttributes)
    ) {
      replyFault(response, new CognitoFault('NotAuthorizedException', 'A client attempted to write unauthorized attribute'));
      return;
    }
    // Real Cognito issues tokens on this too; forwarded, cognito-local would issue them without the
    // app client's flow checks and without Pre Token Generation, so a test would pass around both.
    if (client && operation === 'AdminRespondToAuthChallenge') {
      replyFault(response, fault.notModelled(operation));
      return;
    }
    const sessionCall =
      input &&
      ((client && (operation === 'GetTokensFromRefreshToken' || operation === 'RevokeToken')) ||
        operation === 'GlobalSignOut' ||
        operation === 'AdminUserGlobalSignOut');
    if (handled || sessionCall || (input && operation === 'AdminSetUserMFAPreference')) {
      try {
        const answer =
          operation === 'AdminSetUserMFAPreference'
            ? await adminSetUserMfaPreference(input)
            : operation === 'GlobalSignOut'
              ? globalSignOut(input)
              : operation === 'AdminUserGlobalSignOut'
                ? await adminUserGlobalSignOut(input)
                : operation === 'GetTokensFromRefreshToken'
                  ? await getTokensFromRefreshToken(client!, input)
                  : operation === 'RevokeToken'
                    ? revokeToken(client!, input)
                    : operation === 'InitiateAuth'
                      ? await initiateAuth(client!, input)
                      : operation === 'RespondToAuthChallenge'
                        ? await respondToAuthChallenge(client!, input)
                        : await adminInitiateAuth(client!, input);
        if (answer === 'FORWARD') {
          await forwardIssuingTokens(request, body, response, client!, input);
          return;
        }
        reply(response, 200, answer);
      } catch (error) {
        replyFault(response, error);
      }
      return;
    }
    await forward(request, body, response);
  }

  function writesUnauthorized(accessToken: string, attributes: unknown): boolean {
    const clientId = decodeClaims(accessToken)?.client_id;
    const writable = typeof clientId === 'string' ? clients.get(clientId)?.writeAttributes : undefined;
    if (!writable || !Array.isArray(attributes)) return false;
    return attributes.some((attribute) => !isObject(attribute) || typeof attribute.Name !== 'string' || !writable.includes(attribute.Name));
  }

  function replyFault(response: http.ServerResponse, error: unknown): void {
    // Errors of cognito-local's services (e.g. ResourceNotFoundException) keep their names too.
    const type =
      error instanceof CognitoFault
        ? error.type
        : error instanceof UserLambdaValidationError
          ? error.name
          : error instanceof CognitoError
            ? error.code
            : undefined;
    if (type === undefined) throw error;
    reply(response, 400, { __type: type, message: (error as Error).message });
  }

  /**
   * Forwards a sign-in that cognito-local answers itself (USER_PASSWORD_AUTH,
   * ADMIN_USER_PASSWORD_AUTH on a known client); if the answer holds tokens, Pre Token
   * Generation runs first, and if it throws the client gets its error instead of them.
   * The tokens start a session (token-sessions.ts), as every sign-in on a known client does.
   */
  async function forwardIssuingTokens(
    request: http.IncomingMessage,
    body: Buffer,
    response: http.ServerResponse,
    client: FrontAppClient,
    input: Json,
  ): Promise<void> {
    const answer = await forwardBuffered(request, body);
    const parsed = answer.status === 200 ? parseObject(answer.body) : undefined;
    const result = parsed?.AuthenticationResult;
    if (!parsed || !isIssuedTokens(result)) {
      response.writeHead(answer.status, answer.rawHeaders);
      response.end(answer.body);
      return;
    }
    const userPool = await services.cognito.getUserPoolForClientId(ctx, client.clientId);
    const user = await userPool.getUserByUsername(ctx, stringMap(input.AuthParameters).USERNAME ?? '');
    if (!user) throw new Error('cognito-local issued tokens for a user the front cannot find');
    const clientMetadata = input.ClientMetadata === undefined ? undefined : stringMap(input.ClientMetadata);
    try {
      if (preTokenGeneration) await checkTokenIssue(client, user, 'TokenGeneration_Authentication', clientMetadata);
    } catch (error) {
      replyFault(response, error);
      return;
    }
    reply(response, 200, { ...parsed, AuthenticationResult: tokenSessions.startSession(result, client.clientId, user.Username) });
  }

  /** Passes the request on unchanged (method, path, raw headers, body) and its answer back. */
  function forward(request: http.IncomingMessage, body: Buffer, response: http.ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        {
          agent,
          host: upstream.hostname,
          port: upstream.port,
          method: request.method,
          path: request.url,
          headers: request.rawHeaders,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
          answer.pipe(response);
          answer.on('end', resolve);
          answer.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  function forwardBuffered(request: http.IncomingMessage, body: Buffer): Promise<{ status: number; rawHeaders: string[]; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = http.request(
        { agent, host: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.rawHeaders },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 502, rawHeaders: answer.rawHeaders, body: Buffer.concat(chunks) }));
          answer.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  // ---- AdminSetUserMFAPreference ---------------------------------------------------------------

  /**
   * AdminSetUserMFAPreference (API reference,
   * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminSetUserMFAPreference.html):
   * UserPoolId and Username; SMSMfaSettings and SoftwareTokenMfaSettings each { Enabled, PreferredMfa }
   * change only the factor they name; an empty answer. Modelled on cognito-local's own
   * SetUserMFAPreference, against the same user store: a TOTP that was never verified cannot be
   * enabled, nor SMS without a phone number (both InvalidParameterException), and a preferred factor
   * must be enabled. Unknown user: UserNotFoundException "User does not exist." (the admin APIs answer
   * it whatever PreventUserExistenceErrors says). EmailMfaSettings (Cognito's own EMAIL_OTP MFA) is
   * not modelled. The caller's IAM permissions are not checked: nothing here checks signatures.
   */
  async function adminSetUserMfaPreference(input: Json): Promise<Json> {
    const { UserPoolId: userPoolId, Username: username } = input;
    if (typeof userPoolId !== 'string' || userPoolId === '') throw fault.invalidParameter('Missing required parameter UserPoolId');
    if (typeof username !== 'string' || username === '') throw fault.invalidParameter('Missing required parameter Username');
    if (input.EmailMfaSettings !== undefined) throw fault.notModelled('EmailMfaSettings in AdminSetUserMFAPreference');
    const userPool = await services.cognito.getUserPool(ctx, userPoolId);
    const user = await userPool.getUserByUsername(ctx, username);
    if (!user) throw new CognitoFault('UserNotFoundException', 'User does not exist.');
    const settings = (value: unknown) =>
      isObject(value) ? { enabled: value.Enabled === true, preferred: value.PreferredMfa === true } : undefined;
    const sms = settings(input.SMSMfaSettings);
    const totp = settings(input.SoftwareTokenMfaSettings);
    if (totp?.enabled && !user.SoftwareTokenMfaConfiguration?.Verified) {
      throw fault.invalidParameter('User has not verified software token mfa');
    }
    if (sms?.enabled && !attributeValue('phone_number', user.Attributes)) {
      throw fault.invalidParameter('User does not have delivery config set to turn on SMS_MFA');
    }
    const factors = new Set(nativeMfaOf(user));
    const apply = (factor: NativeMfa, change: { enabled: boolean } | undefined) => {
      if (change?.enabled === true) factors.add(factor);
      if (change?.enabled === false) factors.delete(factor);
    };
    apply('SMS_MFA', sms);
    apply('SOFTWARE_TOKEN_MFA', totp);
    const preferredNow = user.PreferredMfaSetting;
    const preferred = sms?.preferred
      ? 'SMS_MFA'
      : totp?.preferred
        ? 'SOFTWARE_TOKEN_MFA'
        : preferredNow && factors.has(preferredNow as NativeMfa)
          ? preferredNow
          : undefined;
    if (preferred && !factors.has(preferred as NativeMfa))
      throw fault.invalidParameter(`Cannot set ${preferred} as preferred: it is not enabled`);
    await userPool.saveUser(ctx, {
      ...user,
      UserMFASettingList: [...factors],
      PreferredMfaSetting: preferred,
      // The legacy field would count as SMS MFA again (nativeMfaOf); the list above says it all now.
      MFAOptions: undefined,
    });
    return {};
  }

  // ---- App clients ---------------------------------------------------------------------------

  function checkFlow(client: FrontAppClient, authFlow: unknown): asserts authFlow is string {
    if (typeof authFlow !== 'string' || authFlow === '') throw fault.invalidParameter('Missing required parameter AuthFlow');
    const needed = requiredClientFlow[authFlow];
    // e.g. "USER_PASSWORD_AUTH flow not enabled for this client" (InvalidParameterException, widely reported).
    if (!needed || !client.explicitAuthFlows.includes(needed)) {
      throw fault.invalidParameter(`${authFlow} flow not enabled for this client`);
    }
  }

  /**
   * SECRET_HASH = Base64(HMAC_SHA256(client secret, user name + client id)) ("Computing secret hash
   * values", developer guide). Messages as Cognito gives them: missing, amplify-android#2504; wrong,
   * AWS knowledge center "cognito-unable-to-verify-secret-hash". A client without a secret is
   * reported to refuse one too, rather than ignore it (pmill/aws-cognito#23).
   */
  function checkSecretHash(client: FrontAppClient, usernames: readonly string[], secretHash: unknown): void {
    if (client.clientSecret === undefined) {
      if (secretHash !== undefined) {
        throw fault.invalidParameter(`App client ${client.clientId} is not configured for secret but secret hash was received`);
      }
      return;
    }
    if (typeof secretHash !== 'string' || secretHash === '') {
      throw new CognitoFault(
        'NotAuthorizedException',
        `Client ${client.clientId} is configured with secret but SECRET_HASH was not received`,
      );
    }
    const given = Buffer.from(secretHash, 'base64');
    const secret = client.clientSecret;
    const matches = usernames.some((username) => {
      const expected = createHmac('sha256', secret).update(`${username}${client.clientId}`, 'utf8').digest();
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw new CognitoFault('NotAuthorizedException', `Unable to verify secret hash for client ${client.clientId}`);
  }

  // ---- InitiateAuth --------------------------------------------------------------------------

  async function initiateAuth(client: FrontAppClient, input: Json): Promise<Json | 'FORWARD'> {
    const authFlow = input.AuthFlow;
    checkFlow(client, authFlow);
    const parameters = stringMap(input.AuthParameters);
    if (authFlow === 'REFRESH_TOKEN_AUTH' || authFlow === 'REFRESH_TOKEN') {
      // The hash is over the user's user name, which the refresh token identifies
      // (InitiateAuth API reference, AuthParameters). Unknown tokens are cognito-local's to refuse.
      const userPool = await services.cognito.getUserPoolForClientId(ctx, client.clientId);
      const user = parameters.REFRESH_TOKEN ? await userPool.getUserByRefreshToken(ctx, parameters.REFRESH_TOKEN) : null;
      if (user) checkSecretHash(client, [user.Username], parameters.SECRET_HASH);
      const clientMetadata = input.ClientMetadata === undefined ? undefined : stringMap(input.ClientMetadata);
      return {
        ChallengeParameters: {},
        AuthenticationResult: await refreshSession(client, parameters.REFRESH_TOKEN ?? '', clientMetadata),
      };
    }
    if (authFlow !== 'USER_SRP_AUTH' && authFlow !== 'CUSTOM_AUTH') {
      checkSecretHash(client, [parameters.USERNAME ?? ''], parameters.SECRET_HASH);
      return 'FORWARD';
    }

    const typedUsername = parameters.USERNAME;
    if (!typedUsername) throw fault.invalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, [typedUsername], parameters.SECRET_HASH);
    // CUSTOM_WITH_SRP sends SRP_A with CHALLENGE_NAME SRP_A (amazon-cognito-identity-js
    // authenticateUserDefaultAuth, amplify-js handleCustomSRPAuthFlow); USER_SRP_AUTH always sends SRP_A.
    const withSrp = authFlow === 'USER_SRP_AUTH' || parameters.CHALLENGE_NAME === 'SRP_A';
    if (withSrp && !parameters.SRP_A) throw fault.invalidParameter('Missing required parameter SRP_A');
    const srpA = withSrp ? parseSrpA(parameters.SRP_A ?? '') : undefined;
    if (authFlow === 'CUSTOM_AUTH' && !triggers) {
      // What Cognito answers when the pool has no Define Auth Challenge trigger (widely reported).
      throw fault.invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
    }

    const user = await userByName(client, typedUsername);
    const signIn: SignIn = {
      client,
      typedUsername,
      username: user?.Username,
      srpA,
      customAuth: authFlow === 'CUSTOM_AUTH' ? new CustomAuthLoop(customAuthIo, srpA !== undefined) : undefined,
      expected: 'PASSWORD_VERIFIER',
    };
    if (!signIn.customAuth) return passwordVerifierChallenge(signIn, user);
    // InitiateAuth's ClientMetadata is not passed to Define or Create (InitiateAuth API reference).
    return askDefine(signIn, signIn.customAuth, user, undefined);
  }

  async function adminInitiateAuth(client: FrontAppClient, input: Json): Promise<Json | 'FORWARD'> {
    checkFlow(client, input.AuthFlow);
    const parameters = stringMap(input.AuthParameters);
    if (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN') {
      const clientMetadata = input.ClientMetadata === undefined ? undefined : stringMap(input.ClientMetadata);
      return {
        ChallengeParameters: {},
        AuthenticationResult: await refreshSession(client, parameters.REFRESH_TOKEN ?? '', clientMetadata),
      };
    }
    checkSecretHash(client, [parameters.USERNAME ?? ''], parameters.SECRET_HASH);
    return 'FORWARD';
  }

  // ---- RespondToAuthChallenge ----------------------------------------------------------------

  async function respondToAuthChallenge(client: FrontAppClient, input: Json): Promise<Json> {
    const responses = stringMap(input.ChallengeResponses);
    const givenUsername = responses.USERNAME;
    if (!givenUsername) throw fault.invalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, [givenUsername], responses.SECRET_HASH);
    if (typeof input.Session !== 'string' || input.Session === '') throw fault.invalidParameter('Missing required parameter Session');
    const clientMetadata = input.ClientMetadata === undefined ? undefined : stringMap(input.ClientMetadata);

    const sessionId = input.Session;
    const stored = takeSession(sessionId, client);
    const { signIn } = stored;
    if (input.ChallengeName !== signIn.expected) {
      throw fault.invalidParameter(`ChallengeName ${String(input.ChallengeName)} does not answer this session's ${signIn.expected}`);
    }
    const knownNames = [signIn.typedUsername, signIn.username ?? signIn.srp?.userIdForSrp];
    if (!knownNames.includes(givenUsername)) throw fault.incorrectPassword();
    const user = signIn.username === undefined ? null : await userByName(client, signIn.username);

    switch (signIn.expected) {
      case 'PASSWORD_VERIFIER':
        return answerPasswordVerifier(signIn, user, responses, clientMetadata);
      case 'CUSTOM_CHALLENGE':
        return answerCustomChallenge(signIn, user, responses.ANSWER, clientMetadata);
      case 'SELECT_MFA_TYPE': {
        const choice = responses.ANSWER;
        if (!user) throw fault.incorrectPassword();
        if ((choice !== 'SMS_MFA' && choice !== 'SOFTWARE_TOKEN_MFA') || !signIn.mfaChoices?.includes(choice)) {
          throw fault.invalidParameter(`ANSWER must be one of ${JSON.stringify(signIn.mfaChoices ?? [])}`);
        }
        return await mfaChallenge(signIn, user, choice, clientMetadata);
      }
      case 'SOFTWARE_TOKEN_MFA':
      case 'SMS_MFA': {
        if (!user) throw fault.incorrectPassword();
        const right =
          signIn.expected === 'SMS_MFA'
            ? signIn.smsCode !== undefined && sameText(responses.SMS_MFA_CODE ?? '', signIn.smsCode)
            : totpMatches(user, responses.SOFTWARE_TOKEN_MFA_CODE ?? '');
        if (!right) {
          // The session survives a wrong code and the user may type it again (reported: the same
          // Session answered wrong codes repeatedly, robor-systems/tokapi-beta#27). Message as
          // Cognito gives it for a wrong MFA code (widely quoted, e.g. in Amplify's error lists).
          restoreSession(sessionId, stored);
          throw new CognitoFault('CodeMismatchException', 'Invalid code received for user');
        }
        // After native MFA Cognito issues tokens without asking Define again (see custom-auth-harness.ts).
        return issueTokens(signIn, user, clientMetadata);
      }
    }
  }

  async function answerPasswordVerifier(
    signIn: SignIn,
    user: User | null,
    responses: StringMap,
    clientMetadata: StringMap | undefined,
  ): Promise<Json> {
    const srp = signIn.srp;
    if (!srp || signIn.srpA === undefined) throw fault.incorrectPassword();
    for (const name of ['PASSWORD_CLAIM_SIGNATURE', 'PASSWORD_CLAIM_SECRET_BLOCK', 'TIMESTAMP'] as const) {
      if (!responses[name]) throw fault.invalidParameter(`Missing required parameter ${name}`);
    }
    // An unknown user fails here exactly like a wrong password ("Managing user existence error
    // responses", developer guide: with PreventUserExistenceErrors, SRP answers both alike).
    if (!user || !passwordClaimHolds(signIn.srpA, srp, responses)) throw fault.incorrectPassword();
    // A disabled user is told so once the password is right (amplify-js#5503; moto#6552 quotes the message).
    if (!user.Enabled) throw new CognitoFault('NotAuthorizedException', 'User is disabled.');
    if (user.UserStatus === 'UNCONFIRMED') throw new CognitoFault('UserNotConfirmedException', 'User is not confirmed.');
    if (user.UserStatus !== 'CONFIRMED')
      throw fault.notModelled(`sign-in of a user in status ${user.UserStatus} (e.g. NEW_PASSWORD_REQUIRED)`);

    // "If MFA is enabled for a user, it is handled automatically after the password is verified"
    // (User pool authentication flow, developer guide); in CUSTOM_AUTH Define is not asked again
    // (amplify-js#3876, #9592; see custom-auth-harness.ts).
    const factors = mfaConfiguration === 'OFF' ? [] : nativeMfaOf(user);
    if (factors.length === 1) return mfaChallenge(signIn, user, factors[0]!, clientMetadata);
    if (factors.length > 1) {
      const preferred = user.PreferredMfaSetting;
      if (preferred === 'SMS_MFA' || preferred === 'SOFTWARE_TOKEN_MFA') {
        if (factors.includes(preferred)) return mfaChallenge(signIn, user, preferred, clientMetadata);
      }
      // Several factors and none preferred: the user chooses (amplify-js#13123; RespondToAuthChallenge
      // API reference, SELECT_MFA_TYPE).
      signIn.mfaChoices = factors;
      return challenge(signIn, 'SELECT_MFA_TYPE', { MFAS_CAN_CHOOSE: JSON.stringify(factors), USERNAME: user.Username });
    }
    if (mfaConfiguration === 'ON') throw fault.notModelled('MFA_SETUP (MFA required and the user has no factor)');

    if (!signIn.customAuth) return issueTokens(signIn, user, clientMetadata);
    signIn.customAuth.recordPasswordVerifier(true);
    return askDefine(signIn, signIn.customAuth, user, clientMetadata);
  }

  async function answerCustomChallenge(
    signIn: SignIn,
    user: User | null,
    answer: string | undefined,
    clientMetadata: StringMap | undefined,
  ): Promise<Json> {
    const { customAuth } = signIn;
    if (!customAuth?.awaitsAnswer || !triggers) throw fault.incorrectPassword();
    if (answer === undefined) throw fault.invalidParameter('Missing required parameter ANSWER');
    return afterDefine(signIn, user, await customAuth.answer(answer, customAuthCall(signIn, user, clientMetadata)), clientMetadata);
  }

  // ---- The custom-auth loop ------------------------------------------------------------------

  async function askDefine(
    signIn: SignIn,
    customAuth: CustomAuthLoop,
    user: User | null,
    clientMetadata: StringMap | undefined,
  ): Promise<Json> {
    return afterDefine(signIn, user, await customAuth.next(customAuthCall(signIn, user, clientMetadata)), clientMetadata);
  }

  /** Does what Define decided: tokens, a failure, or a challenge for the client. */
  async function afterDefine(signIn: SignIn, user: User | null, step: LoopStep, clientMetadata: StringMap | undefined): Promise<Json> {
    switch (step.kind) {
      case 'TOKENS':
        if (!user) throw fault.incorrectPassword();
        return issueTokens(signIn, user, clientMetadata);
      case 'FAILED':
        throw fault.incorrectPassword();
      case 'PASSWORD_VERIFIER':
        return passwordVerifierChallenge(signIn, user);
      case 'CUSTOM_CHALLENGE':
        return challenge(signIn, 'CUSTOM_CHALLENGE', {
          ...step.publicChallengeParameters,
          USERNAME: signIn.username ?? signIn.typedUsername,
        });
    }
  }

  function customAuthCall(signIn: SignIn, user: User | null, clientMetadata: StringMap | undefined): AuthCall {
    return {
      subject: {
        region: cognito.region,
        userPoolId: cognito.userPoolId,
        clientId: signIn.client.clientId,
        userName: signIn.username ?? signIn.typedUsername,
        // The documented example events carry cognito:user_status beside the attributes.
        userAttributes: user ? { ...attributesToRecord(user.Attributes), 'cognito:user_status': user.UserStatus } : {},
        userNotFound: user === null,
      },
      clientMetadata,
    };
  }

  const customAuthIo: CustomAuthIo = {
    /** Calls a trigger with a JSON copy of the event, as Lambda delivers it, and returns its `response`. */
    async invoke<K extends TriggerName>(name: K, event: TriggerEvents[K]): Promise<Record<string, unknown>> {
      if (!triggers) throw fault.invalidParameter('Custom auth lambda trigger is not configured for the user pool.');
      const handler = triggers[name] as unknown as Trigger<TriggerEvents[K]>;
      let returned: unknown;
      try {
        returned = await handler(copy(event), lambdaContext(lambdaNames[name], cognito.region));
      } catch (error) {
        // A throwing trigger reaches the client as UserLambdaValidationException, e.g. "CreateAuthChallenge
        // failed with error ..." (aws-samples/amazon-cognito-passwordless-email-auth#17).
        const message = error instanceof Error ? error.message : String(error);
        throw new CognitoFault('UserLambdaValidationException', `${lambdaNames[name]} failed with error ${message}.`);
      }
      return triggerResponse(name, returned, customAuthIo);
    },
    invalidResponse: (trigger, detail) =>
      new CognitoFault('InvalidLambdaResponseException', `Invalid ${lambdaNames[trigger]} Lambda response: ${detail}.`),
    unmodelledChallenge: (challengeName) => fault.notModelled(`Define asking for ${challengeName}`),
  };

  // ---- SRP -----------------------------------------------------------------------------------

  /**
   * The server half of Cognito's SRP-6a (lambda/core/srp.ts holds the shared maths): v = g^x,
   * B = k·v + g^b. A real user's salt is fixed for their password; an unknown user gets a salt and
   * verifier derived from the name typed, so repeated attempts look alike, and a user id of the
   * same shape as a real one (what Cognito puts there for an unknown user is not documented).
   */
  function passwordVerifierChallenge(signIn: SignIn, user: User | null): Json {
    const { N, g } = srpGroup;
    const userIdForSrp = user ? user.Username : fakeUuid(`user-id:${signIn.typedUsername}`);
    const salt = user ? derived(`salt:${user.Username}:${user.Password}`, 16) : derived(`salt:${signIn.typedUsername}`, 16);
    const x = user ? privateKey(poolName, userIdForSrp, user.Password, salt) : derived(`x:${signIn.typedUsername}`, 32);
    const v = modPow(g, x, N);
    let b: bigint;
    let B: bigint;
    do {
      b = BigInt(`0x${randomBytes(32).toString('hex')}`);
      B = (srpMultiplier * v + modPow(g, b, N)) % N;
    } while (B === 0n || scramblingParameter(signIn.srpA ?? 1n, B) === 0n);
    const secretBlock = randomBytes(128).toString('base64');
    signIn.srp = { userIdForSrp, v, b, B, secretBlock };
    return challenge(signIn, 'PASSWORD_VERIFIER', {
      SALT: salt.toString(16),
      SRP_B: B.toString(16),
      SECRET_BLOCK: secretBlock,
      USER_ID_FOR_SRP: userIdForSrp,
      USERNAME: userIdForSrp,
    });
  }

  /** S = (A·v^u)^b; the client's claim must be the HMAC the shared key gives over pool, user, block and time. */
  function passwordClaimHolds(A: bigint, srp: NonNullable<SignIn['srp']>, responses: StringMap): boolean {
    const { N } = srpGroup;
    const timestamp = responses.TIMESTAMP ?? '';
    // Cognito re-reads TIMESTAMP in its own format: a zero-padded day fails the claim (qwigo/warrant#12).
    const parsed = parseSrpTimestamp(timestamp);
    if (!parsed || srpTimestamp(parsed) !== timestamp) return false;
    if (responses.PASSWORD_CLAIM_SECRET_BLOCK !== srp.secretBlock) return false;
    const u = scramblingParameter(A, srp.B);
    const S = modPow(A * modPow(srp.v, u, N), srp.b, N);
    const expected = Buffer.from(claimSignature(sessionKey(S, u), poolName, srp.userIdForSrp, srp.secretBlock, timestamp), 'base64');
    const given = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE ?? '', 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function derived(label: string, bytes: number): bigint {
    const digest = createHmac('sha256', frontKey).update(label, 'utf8').digest().subarray(0, bytes);
    return BigInt(`0x${digest.toString('hex')}`) || 1n;
  }

  function fakeUuid(label: string): string {
    const hex = createHmac('sha256', frontKey).update(label, 'utf8').digest('hex');
    const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  // ---- Native MFA ----------------------------------------------------------------------------

  function nativeMfaOf(user: User): NativeMfa[] {
    const listed = user.UserMFASettingList ?? [];
    // Legacy MFAOptions (SMS) count when no UserMFASettingList is set (AdminSetUserSettings, API reference).
    const legacy = listed.length === 0 && (user.MFAOptions ?? []).some((option) => option.DeliveryMedium === 'SMS') ? ['SMS_MFA'] : [];
    const factors = new Set([...listed, ...legacy]);
    return (['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] as const).filter((factor) => factors.has(factor));
  }

  async function mfaChallenge(signIn: SignIn, user: User, factor: NativeMfa, clientMetadata: StringMap | undefined): Promise<Json> {
    if (factor === 'SOFTWARE_TOKEN_MFA') {
      const deviceName = user.SoftwareTokenMfaConfiguration?.FriendlyDeviceName;
      return challenge(signIn, 'SOFTWARE_TOKEN_MFA', {
        USERNAME: user.Username,
        ...(deviceName ? { FRIENDLY_DEVICE_NAME: deviceName } : {}),
      });
    }
    const phoneNumber = attributeValue('phone_number', user.Attributes);
    if (!phoneNumber) throw fault.notModelled('SMS_MFA for a user without phone_number');
    const code = nextSmsCode();
    signIn.smsCode = code;
    // The code goes out as the pool sends every message: through cognito-local's messages
    // service, which with the stack's custom SMS sender hands it to that trigger (source
    // Authentication). It is listed in smsMessages only if it was really sent; a code the
    // sender dropped (over the caps) still leaves the challenge open, as Cognito does not
    // learn what the trigger did.
    const sentBefore = cognito.messages.length;
    await cognito.internals.services.messages.deliver(
      cognito.internals.ctx,
      'Authentication',
      signIn.client.clientId,
      cognito.userPoolId,
      user,
      code,
      clientMetadata,
      { DeliveryMedium: 'SMS', Destination: phoneNumber, AttributeName: 'phone_number' },
    );
    const sent = cognito.messages.slice(sentBefore).some((message) => message.destination === phoneNumber && message.code === code);
    if (sent) smsMessages.push({ destination: phoneNumber, code, username: user.Username });
    // Only the last four digits are shown, e.g. "+*******0100" (CodeDeliveryDetailsType, API reference).
    return challenge(signIn, 'SMS_MFA', {
      CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
      CODE_DELIVERY_DESTINATION: maskPhoneNumber(phoneNumber),
      USERNAME: user.Username,
    });
  }

  /** RFC 6238 with Cognito's settings (SHA-1, 6 digits, 30 s), one step either side. */
  function totpMatches(user: User, code: string): boolean {
    const configuration = user.SoftwareTokenMfaConfiguration;
    if (!configuration?.Verified || !/^[0-9]{6}$/.test(code)) return false;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(configuration.Secret), algorithm: 'SHA1', digits: 6, period: 30 });
    return totp.validate({ token: code, window: 1, timestamp: Date.now() }) !== null;
  }

  // ---- Sessions, challenges and tokens -------------------------------------------------------

  function challenge(signIn: SignIn, name: ChallengeName, parameters: StringMap): Json {
    signIn.expected = name;
    // Session strings are opaque to the client (re:Post QUXOn0iCq-TNavGxtuFc7DGA).
    const id = randomBytes(96).toString('base64');
    const validityMinutes = signIn.client.authSessionValidity ?? 3;
    sessions.set(id, { signIn, expiresAt: Date.now() + validityMinutes * 60_000 });
    return { ChallengeName: name, ChallengeParameters: parameters, Session: id };
  }

  /**
   * Each Session string answers one call: "the session key can be used only once" and it "expires
   * after 3 ~ 15 minutes" (AuthSessionValidity; re:Post QUXOn0iCq-TNavGxtuFc7DGA). Messages as
   * Cognito gives them: reapit/foundations#9684 (used twice), Amplify's error lists (expired).
   */
  function takeSession(id: string, client: FrontAppClient): StoredSession {
    const stored = sessions.get(id);
    if (!stored || stored.signIn.client !== client) {
      const used = spentSessions.has(id);
      throw new CognitoFault(
        'NotAuthorizedException',
        used ? 'Invalid session for the user, session can only be used once.' : 'Invalid session for the user.',
      );
    }
    sessions.delete(id);
    spentSessions.add(id);
    if (Date.now() >= stored.expiresAt)
      throw new CognitoFault('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    return stored;
  }

  function restoreSession(id: string, stored: StoredSession): void {
    spentSessions.delete(id);
    sessions.set(id, stored);
  }

  /** Pre Token Generation, if the pool has it, for a token issue to this user on this client. */
  async function checkTokenIssue(
    client: FrontAppClient,
    user: User,
    triggerSource: PreTokenGenerationTriggerEvent['triggerSource'],
    clientMetadata: StringMap | undefined,
  ): Promise<void> {
    if (!preTokenGeneration) return;
    const subject = {
      region: cognito.region,
      userPoolId: cognito.userPoolId,
      clientId: client.clientId,
      userName: user.Username,
      // The documented example event carries cognito:user_status beside the attributes.
      userAttributes: { ...attributesToRecord(user.Attributes), 'cognito:user_status': user.UserStatus },
      userNotFound: false,
    };
    await runPreTokenGeneration(
      preTokenGeneration,
      preTokenGenerationEvent(subject, triggerSource, clientMetadata),
      lambdaContext('PreTokenGeneration', cognito.region),
      (detail) => new CognitoFault('InvalidLambdaResponseException', `Invalid PreTokenGeneration Lambda response: ${detail}.`),
    );
  }

  /** Access, ID and refresh tokens from cognito-local's own generator, for this client, with the refresh token stored. */
  async function mintTokens(
    client: FrontAppClient,
    user: User,
    clientMetadata: StringMap | undefined,
    source: 'Authentication' | 'RefreshTokens',
  ) {
    const userPool = await services.cognito.getUserPoolForClientId(ctx, client.clientId);
    const appClient = await services.cognito.getAppClient(ctx, client.clientId);
    if (!appClient) throw new CognitoFault('ResourceNotFoundException', `No app client ${client.clientId} in cognito-local`);
    const groups = await userPool.listUserGroupMembership(ctx, user);
    const tokens = await services.tokenGenerator.generate(ctx, user, groups, appClient, clientMetadata, source);
    if (source === 'Authentication') await userPool.storeRefreshToken(ctx, tokens.RefreshToken, user);
    return tokens;
  }

  function lifetimeOf(accessToken: string): number {
    const claims = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number; iat: number };
    return claims.exp - claims.iat;
  }

  /**
   * A sign-in's tokens, once Pre Token Generation let them through (a throw is the client's
   * UserLambdaValidationException); they start a session (token-sessions.ts).
   */
  async function issueTokens(signIn: SignIn, user: User, clientMetadata: StringMap | undefined): Promise<Json> {
    await checkTokenIssue(signIn.client, user, 'TokenGeneration_Authentication', clientMetadata);
    const tokens = tokenSessions.startSession(
      await mintTokens(signIn.client, user, clientMetadata, 'Authentication'),
      signIn.client.clientId,
      user.Username,
    );
    return {
      ChallengeParameters: {},
      AuthenticationResult: {
        AccessToken: tokens.AccessToken,
        ExpiresIn: lifetimeOf(tokens.AccessToken),
        IdToken: tokens.IdToken,
        RefreshToken: tokens.RefreshToken,
        TokenType: 'Bearer',
      },
    };
  }

  // ---- Refresh, revocation, global sign-out ----------------------------------------------------

  /**
   * New access and ID tokens for a session's refresh token, on the client it was issued to: Pre
   * Token Generation runs with TokenGeneration_RefreshTokens, no new refresh token comes back
   * (rotation is off) and `auth_time` stays the sign-in's. The refusals' messages are the ones
   * widely reported for Cognito (e.g. amplify-js#3435, #5087); a deleted or disabled user's token
   * is refused too, which real Cognito may word otherwise.
   */
  async function refreshSession(client: FrontAppClient, refreshToken: string, clientMetadata: StringMap | undefined): Promise<Json> {
    const session = tokenSessions.find(refreshToken);
    if (!session || session.clientId !== client.clientId) throw new CognitoFault('NotAuthorizedException', 'Invalid Refresh Token');
    if (session.revoked) throw new CognitoFault('NotAuthorizedException', 'Refresh Token has been revoked');
    if (session.expiresAt <= Math.floor(Date.now() / 1000)) throw new CognitoFault('NotAuthorizedException', 'Refresh Token has expired');
    const user = await userByName(client, session.username);
    if (!user?.Enabled) throw new CognitoFault('NotAuthorizedException', 'Invalid Refresh Token');
    await checkTokenIssue(client, user, 'TokenGeneration_RefreshTokens', clientMetadata);
    const tokens = tokenSessions.stamp(await mintTokens(client, user, clientMetadata, 'RefreshTokens'), session);
    return { AccessToken: tokens.AccessToken, ExpiresIn: lifetimeOf(tokens.AccessToken), IdToken: tokens.IdToken, TokenType: 'Bearer' };
  }

  /**
   * GetTokensFromRefreshToken (API reference,
   * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GetTokensFromRefreshToken.html):
   * ClientId, the client's secret itself as ClientSecret when it has one, RefreshToken; the
   * client must allow ALLOW_REFRESH_TOKEN_AUTH. Cognito's wording for a wrong secret here is not
   * documented; the front answers the SECRET_HASH refusal's name. DeviceKey is not modelled.
   */
  async function getTokensFromRefreshToken(client: FrontAppClient, input: Json): Promise<Json> {
    checkFlow(client, 'REFRESH_TOKEN_AUTH');
    checkClientSecret(client, input.ClientSecret, 'NotAuthorizedException');
    if (typeof input.RefreshToken !== 'string' || input.RefreshToken === '')
      throw fault.invalidParameter('Missing required parameter RefreshToken');
    const clientMetadata = input.ClientMetadata === undefined ? undefined : stringMap(input.ClientMetadata);
    return { AuthenticationResult: await refreshSession(client, input.RefreshToken, clientMetadata) };
  }

  /**
   * RevokeToken (API reference, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_RevokeToken.html):
   * ends the session of a refresh token issued to this client, and with it every access and ID
   * token issued from it; an empty answer, also for a token already revoked. Every stack client
   * has EnableTokenRevocation on, so its refusal (UnsupportedOperationException) is not modelled.
   * A wrong secret, and a token this client never issued, get UnauthorizedException, the
   * operation's documented refusal; what real Cognito answers for an unknown token is not
   * documented and may differ.
   */
  function revokeToken(client: FrontAppClient, input: Json): Json {
    checkClientSecret(client, input.ClientSecret, 'UnauthorizedException');
    const session = typeof input.Token === 'string' ? tokenSessions.find(input.Token) : undefined;
    if (!session || session.clientId !== client.clientId) throw new CognitoFault('UnauthorizedException', 'Invalid token');
    tokenSessions.revoke(session);
    return {};
  }

  /**
   * GlobalSignOut (API reference, https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html):
   * with a valid access token, ends every session of its user on every client. cognito-local has
   * no such operation. Tokens cognito-local issued to clients the front does not handle are not
   * sessions here and stay valid.
   */
  function globalSignOut(input: Json): Json {
    const claims = typeof input.AccessToken === 'string' ? verifiedClaims(input.AccessToken, Math.floor(Date.now() / 1000)) : undefined;
    if (claims?.token_use !== 'access' || typeof claims.username !== 'string') {
      throw new CognitoFault('NotAuthorizedException', 'Invalid Access Token');
    }
    tokenSessions.revokeEveryone(claims.username);
    return {};
  }

  /**
   * AdminUserGlobalSignOut (API reference,
   * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUserGlobalSignOut.html):
   * UserPoolId and Username (the user name or an alias, as the admin APIs take it); invalidates the
   * user's access, ID and refresh tokens, so token-authorized operations refuse the access tokens
   * ("Access Token has been revoked") and refresh requests refuse the refresh tokens; an empty
   * answer. Here: every session of the user ends, as GlobalSignOut ends them. Unknown user:
   * UserNotFoundException "User does not exist.", as the admin APIs answer whatever
   * PreventUserExistenceErrors says. cognito-local has no such operation; the caller's IAM
   * permissions are not checked (nothing here checks signatures).
   */
  async function adminUserGlobalSignOut(input: Json): Promise<Json> {
    const { UserPoolId: userPoolId, Username: username } = input;
    if (typeof userPoolId !== 'string' || userPoolId === '') throw fault.invalidParameter('Missing required parameter UserPoolId');
    if (typeof username !== 'string' || username === '') throw fault.invalidParameter('Missing required parameter Username');
    const userPool = await services.cognito.getUserPool(ctx, userPoolId);
    const user = await userPool.getUserByUsername(ctx, username);
    if (!user) throw new CognitoFault('UserNotFoundException', 'User does not exist.');
    tokenSessions.revokeEveryone(user.Username);
    return {};
  }

  function checkClientSecret(client: FrontAppClient, given: unknown, refusal: string): void {
    if (client.clientSecret === undefined) return;
    if (typeof given !== 'string' || !sameText(given, client.clientSecret)) {
      throw new CognitoFault(refusal, `Unable to verify client secret for client ${client.clientId}`);
    }
  }

  // ---- Users ---------------------------------------------------------------------------------

  /** By user name, sub or email alias, as cognito-local resolves sign-in names. */
  async function userByName(client: FrontAppClient, name: string): Promise<User | null> {
    const userPool = await services.cognito.getUserPoolForClientId(ctx, client.clientId);
    return userPool.getUserByUsername(ctx, name);
  }

  // ---- Start and stop ------------------------------------------------------------------------

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOSTNAME, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://${HOSTNAME}:${port}`,
    smsMessages,
    operationCounts,
    setSmsCodeGenerator: (next) => {
      nextSmsCode = next;
    },
    stop: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

function parseSrpA(hex: string): bigint {
  if (!/^[0-9a-fA-F]+$/.test(hex)) throw fault.invalidParameter('SRP_A is not a hexadecimal number');
  const A = BigInt(`0x${hex}`);
  // SRP-6a: the server aborts if A mod N is 0 (RFC 5054, 2.5.4).
  if (A % srpGroup.N === 0n) throw fault.invalidParameter('SRP_A is not valid');
  return A;
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parseSrpTimestamp(text: string): Date | undefined {
  const match = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/.exec(text);
  if (!match) return undefined;
  const [, month, day, hours, minutes, seconds, year] = match;
  const monthIndex = months.indexOf(month ?? '');
  if (monthIndex < 0) return undefined;
  return new Date(Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds)));
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

function stringMap(value: unknown): StringMap {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function parseObject(body: Buffer): Json | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function reply(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/x-amz-json-1.1',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    // As cognito-local (cors, origin *), so a browser playground can call the front too.
    'Access-Control-Allow-Origin': '*',
  });
  response.end(text);
}
