import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { apiEnvironment, senderEnvironment, triggerEnvironment, type ApiFunctionSettings } from '../../contract/environment';
import { emailMfaAttributeName } from '../../contract/user-pool';
import { appClientSettings } from '../../lib/app-client-settings';
import { mfaTableKeys } from '../../contract/mfa-table';
import { startLocalApi, type LocalApi } from '../../local/api-adapter';
import { startCognitoFront, type CognitoFront, type FrontTriggers } from '../../local/cognito-front';
import { startLocalCognito, type LocalAppClientOptions, type LocalCognito, type LocalSenderTriggers } from '../../local/cognito-local';
import { createTable, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynalite';
import { startLocalKms, type LocalKms } from '../../local/kms';
import { sentEmails } from './ses-mock';
import { sentTexts } from './sns-mock';

/**
 * The deployed stack's moving parts, run locally inside a test: cognito-local
 * with the pool settings of lib/mfa-user-pool.ts that it supports, dynalite with
 * the table of lib/email-mfa.ts, and the real API handlers behind the local API
 * Gateway stand-in. The SDK in the handlers reaches the emulators through the
 * service-specific endpoint variables, exactly as unchanged Lambda code would.
 *
 * With `{ front: true }` it also creates the stack's two app clients and starts
 * the Cognito front (local/cognito-front.ts) with the real challenge
 * triggers and Pre Token Generation, and points AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER at the front,
 * so SRP and custom-auth sign-in run end to end. SSM GetParameter, which the
 * triggers use to learn the client ids, is mocked to answer the parameter the
 * stack writes (lib/email-mfa.ts;
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html).
 *
 * Like the stack's pool, the local one always has the custom SMS and email
 * sender triggers (lib/pool-senders.ts): every message cognito-local (or the
 * front, for SMS MFA) sends goes to the real sender handlers, its code
 * encrypted under the senders' key on a local KMS stand-in
 * (local/kms.ts, reached through AWS_ENDPOINT_URL_KMS), and what they
 * send lands in the SNS and SES captures (test/support/sns-mock.ts, ses-mock.ts).
 */
export interface LocalStack {
  readonly cognito: LocalCognito;
  readonly dynamoDb: LocalDynamoDb;
  readonly kms: LocalKms;
  readonly api: LocalApi;
  stop(): Promise<void>;
}

export interface StackAppClients {
  /** For browsers and apps: no secret. */
  readonly publicClientId: string;
  /** Confidential, for the API's sign-in handlers; also in env SERVER_CLIENT_ID. */
  readonly serverClientId: string;
  readonly serverClientSecret: string;
}

export interface LocalStackWithFront extends LocalStack {
  readonly front: CognitoFront;
  readonly clients: StackAppClients;
}

export interface LocalStackOptions {
  /** Start the Cognito front with the stack's app clients and the real triggers. Default false. */
  front?: boolean;
}

/**
 * The stack's two app clients, from the same settings lib/mfa-user-pool.ts uses,
 * for the deployment the test environment describes (email MFA on or
 * off, the code's lifetime). cognito-local keeps all but AuthSessionValidity,
 * which the front reads.
 */
function stackClients(api: ApiFunctionSettings): LocalAppClientOptions[] {
  const settings = appClientSettings({
    emailMfa: api.emailMfa !== undefined,
    emailCodeTtlMinutes: (api.emailMfa?.codeTtlSeconds ?? 300) / 60,
  });
  const shared = {
    ExplicitAuthFlows: [...settings.explicitAuthFlows],
    PreventUserExistenceErrors: 'ENABLED',
    AuthSessionValidity: settings.authSessionMinutes,
    AccessTokenValidity: settings.accessTokenHours,
    IdTokenValidity: settings.idTokenHours,
    RefreshTokenValidity: settings.refreshTokenDays,
    TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' },
    EnableTokenRevocation: true,
    WriteAttributes: [...settings.writeAttributes],
  } as const satisfies Omit<LocalAppClientOptions, 'ClientName'>;
  return [
    { ...shared, ClientName: 'public', GenerateSecret: false },
    { ...shared, ClientName: 'server', GenerateSecret: true, ExplicitAuthFlows: [...settings.serverExplicitAuthFlows] },
  ];
}

export async function startLocalStack(options: LocalStackOptions & { front: true }): Promise<LocalStackWithFront>;
export async function startLocalStack(options?: LocalStackOptions): Promise<LocalStack>;
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack | LocalStackWithFront> {
  const apiSettings = apiEnvironment.decode(process.env);
  const { mfaMode, clientsParameter } = triggerEnvironment.decode(process.env);
  const mfaConfiguration = mfaMode === 'REQUIRED' ? 'ON' : mfaMode;
  const { keyArn } = senderEnvironment.decode(process.env);
  const kms = await startLocalKms([keyArn]);
  process.env.AWS_ENDPOINT_URL_KMS = kms.endpoint;
  const [cognito, dynamoDb] = await Promise.all([
    startLocalCognito({
      // Both auto-verified, as in the stack, so phone codes go by SMS.
      autoVerifiedAttributes: ['email', 'phone_number'],
      customAttributes: [emailMfaAttributeName],
      senders: await loadSenders(keyArn, kms.endpoint),
      ...(options.front && { mfaConfiguration, appClients: stackClients(apiSettings) }),
    }),
    startLocalDynamoDb(),
  ]);
  const tableName = apiSettings.mfaTableName;
  await createTable(dynamoDb.endpoint, {
    tableName,
    partitionKey: mfaTableKeys.partitionKey,
    sortKey: mfaTableKeys.sortKey,
    timeToLiveAttribute: mfaTableKeys.timeToLive,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    ...apiEnvironment.encode({ ...apiSettings, userPoolId: cognito.userPoolId }),
  });
  const api = await startLocalApi(`${cognito.endpoint}/${cognito.userPoolId}`);
  if (!options.front) {
    return {
      cognito,
      dynamoDb,
      kms,
      api,
      stop: async () => {
        await api.stop();
        await Promise.all([cognito.stop(), dynamoDb.stop(), kms.stop()]);
      },
    };
  }

  const [publicClient, serverClient] = cognito.appClients;
  if (!publicClient || !serverClient?.clientSecret) throw new Error("cognito-local did not create the stack's app clients");
  const clients: StackAppClients = {
    publicClientId: publicClient.clientId,
    serverClientId: serverClient.clientId,
    serverClientSecret: serverClient.clientSecret,
  };
  const ssm = mockClient(SSMClient);
  ssm.on(GetParameterCommand, { Name: clientsParameter }).resolves({
    Parameter: {
      Name: clientsParameter,
      Type: 'String',
      Value: JSON.stringify({ publicClientId: clients.publicClientId, serverClientId: clients.serverClientId }),
    },
  });
  const front = await startCognitoFront({
    cognito,
    clients: [publicClient, serverClient],
    // The stack's default: administrators create users (lib/config.ts `selfSignUp`).
    selfSignUp: false,
    // Their SDK clients read the endpoint variables at each call, so the switch below reaches them.
    // Like the stack: the challenge triggers always (recovery needs them), Pre Token Generation with email MFA only.
    triggers: await loadTriggers(),
    preTokenGeneration: apiSettings.emailMfa ? (await import('../../lambda/triggers/pre-token-generation')).handler : undefined,
    mfaConfiguration,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: front.endpoint,
    ...apiEnvironment.encode({ ...apiSettings, userPoolId: cognito.userPoolId, serverClientId: clients.serverClientId }),
  });
  return {
    cognito,
    dynamoDb,
    kms,
    api,
    front,
    clients,
    stop: async () => {
      await api.stop();
      await front.stop();
      await Promise.all([cognito.stop(), dynamoDb.stop(), kms.stop()]);
      ssm.restore();
    },
  };
}

async function loadTriggers(): Promise<FrontTriggers> {
  const [define, create, verify] = await Promise.all([
    import('../../lambda/triggers/define-auth-challenge'),
    import('../../lambda/triggers/create-auth-challenge'),
    import('../../lambda/triggers/verify-auth-challenge-response'),
  ]);
  return { define: define.handler, create: create.handler, verify: verify.handler };
}

/** The stack's sender triggers, imported once the environment is set, and what they sent, from the captures. */
async function loadSenders(keyArn: string, kmsEndpoint: string): Promise<LocalSenderTriggers> {
  const [sms, email] = await Promise.all([
    import('../../lambda/triggers/custom-sms-sender'),
    import('../../lambda/triggers/custom-email-sender'),
  ]);
  return {
    sms: sms.handler,
    email: email.handler,
    keyArn,
    kmsEndpoint,
    sent: () => [
      ...sentTexts().map((text) => ({ medium: 'SMS' as const, to: text.to, text: text.text })),
      ...sentEmails().flatMap((email) => email.to.map((to) => ({ medium: 'EMAIL' as const, to, text: email.text }))),
    ],
  };
}
