// Runs cognito-local 5.3.0 inside the test process, wired like its own
// lib/server/defaults.js (createDefaultServer) with these differences:
// - data lives in a fresh temp directory and no .cognito config is read, so
//   nothing lands in the repo and instances (one per test file, or several in
//   one file) never share state;
// - messages are recorded (see RecordingMessageSender) instead of printed;
// - no Lambda triggers: cognito-local's TriggersService needs CryptoService,
//   whose module loads aws-sdk v2 and @aws-crypto/client-node (~250 ms and an
//   "end-of-support" warning) only to serve CustomEmailSender, so an inert
//   Triggers object stands in (test/support/cognito-front.ts runs the
//   custom-auth challenge triggers, with SRP, in front of this server);
// - the socket listens on 127.0.0.1:0 before the services are built so that
//   the token issuer names the real port.
//
// Jest on Node < 24.9 cannot require() ESM, and cognito-local's TOTP code
// (otplib) depends on the ESM-only @scure/base and @noble/hashes. The Jest
// config therefore has to transform them, e.g.
//   transform: { '/node_modules/@(scure|noble)/.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true } }], ... }
//   transformIgnorePatterns: ['/node_modules/(?!@(scure|noble)/)']
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  SetUserPoolMfaConfigCommand,
  type CreateUserPoolClientCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
// pino is cognito-local's own logger dependency; a disabled instance is the
// simplest object that satisfies both its server and pino-http.
import pino from 'pino';
import type { Config } from 'cognito-local/lib/server/config';
import { Router } from 'cognito-local/lib/server/Router';
import { createServer } from 'cognito-local/lib/server/server';
import type { Services } from 'cognito-local/lib/services';
import { DateClock } from 'cognito-local/lib/services/clock';
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService';
import type { Context } from 'cognito-local/lib/services/context';
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb';
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery';
import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender';
import type { Message } from 'cognito-local/lib/services/messages';
import { MessagesService } from 'cognito-local/lib/services/messages';
import { otp } from 'cognito-local/lib/services/otp';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
import type { Triggers } from 'cognito-local/lib/services/triggers';
import type { User } from 'cognito-local/lib/services/userPoolService';
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';

export interface SentMessage {
  medium: 'EMAIL' | 'SMS';
  destination: string;
  code: string;
  /** The user's Username; with email as username attribute this is the sub. */
  username: string;
}

export interface LocalCognito {
  endpoint: string;
  userPoolId: string;
  /** App client without a secret, allowing USER_PASSWORD_AUTH and refresh. */
  clientId: string;
  /** The clients asked for with `appClients`, in the same order. */
  appClients: readonly LocalAppClient[];
  /** cognito-local hard-codes 'local' in pool ids (local_XXXXXXXX) and ARNs. */
  region: string;
  messages: SentMessage[];
  lastCodeFor(destination: string): string | undefined;
  /**
   * cognito-local's own services and a request context for them, for support
   * code that works beside its API (test/support/cognito-front.ts reads users
   * and mints tokens through them). Tests should use the API.
   */
  internals: { readonly services: Services; readonly ctx: Context };
  stop(): Promise<void>;
}

/** An extra app client: CreateUserPoolClient's settings (cognito-local stores most of them). */
export type LocalAppClientOptions = Omit<CreateUserPoolClientCommandInput, 'UserPoolId'> & { ClientName: string };

export interface LocalAppClient {
  name: string;
  clientId: string;
  /** Only for clients created with GenerateSecret: true. */
  clientSecret?: string;
  explicitAuthFlows: string[];
  /** Minutes; cognito-local does not store AuthSessionValidity, so it is kept here. */
  authSessionValidity?: number;
}

export interface LocalCognitoOptions {
  /** Default 'OPTIONAL'. */
  mfaConfiguration?: 'OFF' | 'ON' | 'OPTIONAL';
  /**
   * Default ['email']. cognito-local picks the channel of every attribute
   * verification code from this list, not from the attribute being verified:
   * with ['email'] a new phone_number's code is e-mailed; with 'phone_number'
   * listed, every code goes by SMS once the user has a phone number.
   */
  autoVerifiedAttributes?: Array<'email' | 'phone_number'>;
  /** Mutable string custom attributes, named without the `custom:` prefix. Default none. */
  customAttributes?: string[];
  /** App clients to create besides the default test client (e.g. the stack's two). Default none. */
  appClients?: readonly LocalAppClientOptions[];
}

const REGION = 'local';
const HOSTNAME = '127.0.0.1';

class RecordingMessageSender implements MessageSender {
  constructor(private readonly messages: SentMessage[]) {}

  sendEmail(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    this.record('EMAIL', user, destination, message);
    return Promise.resolve();
  }

  sendSms(_ctx: Context, user: User, destination: string, message: Message): Promise<void> {
    this.record('SMS', user, destination, message);
    return Promise.resolve();
  }

  private record(medium: SentMessage['medium'], user: User, destination: string, message: Message): void {
    // Without a CustomMessage trigger cognito-local always fills __code.
    if (message.__code === undefined) {
      throw new Error(`cognito-local sent a ${medium} message to ${destination} without a code`);
    }
    this.messages.push({ medium, destination, code: message.__code, username: user.Username });
  }
}

const rejectUnconfiguredTrigger = (): Promise<never> =>
  Promise.reject(new Error('no Lambda triggers are configured for the local Cognito'));

// enabled() is false for every trigger, so cognito-local never calls the others.
const noTriggers: Triggers = {
  enabled: () => false,
  customMessage: rejectUnconfiguredTrigger,
  customEmailSender: rejectUnconfiguredTrigger,
  postAuthentication: rejectUnconfiguredTrigger,
  postConfirmation: rejectUnconfiguredTrigger,
  preSignUp: rejectUnconfiguredTrigger,
  preTokenGeneration: rejectUnconfiguredTrigger,
  userMigration: rejectUnconfiguredTrigger,
};

function listen(server: http.Server): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOSTNAME, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

function close(server: http.Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // SDK clients keep sockets alive; without this close() waits for them.
    server.closeAllConnections();
  });
}

export async function startLocalCognito(options: LocalCognitoOptions = {}): Promise<LocalCognito> {
  const dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-local-'));
  const httpServer = http.createServer();
  try {
    const { port } = await listen(httpServer);
    const endpoint = `http://${HOSTNAME}:${port}`;
    const messages: SentMessage[] = [];
    const logger = pino({ enabled: false });

    const config: Config = {
      LambdaClient: {},
      TriggerFunctions: {},
      // Empty so pools get exactly what CreateUserPool asked for (cognito-local's
      // default config would merge UsernameAttributes: ['email'] into every pool).
      UserPoolDefaults: {},
      ServerConfig: { port, hostname: HOSTNAME, development: false, https: false },
      TokenConfig: { IssuerDomain: endpoint },
    };
    const clock = new DateClock();
    const dataStoreFactory = new StormDBDataStoreFactory(dataDirectory);
    const cognitoServiceFactory = new CognitoServiceFactoryImpl(
      dataDirectory,
      dataStoreFactory,
      new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
    );
    const services: Services = {
      clock,
      cognito: await cognitoServiceFactory.create({ logger }, config.UserPoolDefaults),
      config,
      messages: new MessagesService(noTriggers, new MessageDeliveryService(new RecordingMessageSender(messages))),
      otp,
      tokenGenerator: new JwtTokenGenerator(clock, noTriggers, config.TokenConfig),
      triggers: noTriggers,
    };
    const cognitoServer = createServer(Router(services), logger, config.ServerConfig, services);
    httpServer.on('request', cognitoServer.application as http.RequestListener);

    const { userPoolId, clientId, appClients } = await createUserPoolAndClient(endpoint, {
      mfaConfiguration: options.mfaConfiguration ?? 'OPTIONAL',
      autoVerifiedAttributes: options.autoVerifiedAttributes ?? ['email'],
      customAttributes: options.customAttributes ?? [],
      appClients: options.appClients ?? [],
    });

    return {
      endpoint,
      userPoolId,
      clientId,
      appClients,
      region: REGION,
      messages,
      lastCodeFor: (destination) => messages.findLast((message) => message.destination === destination)?.code,
      internals: { services, ctx: { logger } },
      stop: async () => {
        await close(httpServer);
        fs.rmSync(dataDirectory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (httpServer.listening) await close(httpServer);
    fs.rmSync(dataDirectory, { recursive: true, force: true });
    throw error;
  }
}

// Goes through the real SDK so requests are shaped exactly as production code sends them.
async function createUserPoolAndClient(
  endpoint: string,
  { mfaConfiguration, autoVerifiedAttributes, customAttributes, appClients }: Required<LocalCognitoOptions>,
): Promise<{ userPoolId: string; clientId: string; appClients: LocalAppClient[] }> {
  const client = new CognitoIdentityProviderClient({
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { UserPool: userPool } = await client.send(
      new CreateUserPoolCommand({
        PoolName: 'local-test-pool',
        // cognito-local resolves sign-in names through UsernameAttributes only
        // (AliasAttributes is stored but ignored); the Username becomes the sub.
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: autoVerifiedAttributes,
        MfaConfiguration: mfaConfiguration,
        Schema: customAttributes.map((name) => ({ Name: name, AttributeDataType: 'String', Mutable: true })),
      }),
    );
    const userPoolId = userPool?.Id;
    if (!userPoolId) throw new Error('cognito-local CreateUserPool returned no pool id');

    // CreateUserPool has no field for TOTP; like the real service it is switched on here.
    await client.send(
      new SetUserPoolMfaConfigCommand({
        UserPoolId: userPoolId,
        MfaConfiguration: mfaConfiguration,
        SoftwareTokenMfaConfiguration: { Enabled: true },
        SmsMfaConfiguration: {
          SmsConfiguration: { SnsCallerArn: 'arn:aws:iam::000000000000:role/local-cognito-sms', ExternalId: 'local' },
        },
      }),
    );

    const { UserPoolClient: userPoolClient } = await client.send(
      new CreateUserPoolClientCommand({
        UserPoolId: userPoolId,
        ClientName: 'local-test-client',
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    const clientId = userPoolClient?.ClientId;
    if (!clientId) throw new Error('cognito-local CreateUserPoolClient returned no client id');

    const created: LocalAppClient[] = [];
    for (const settings of appClients) {
      const { UserPoolClient: appClient } = await client.send(new CreateUserPoolClientCommand({ ...settings, UserPoolId: userPoolId }));
      if (!appClient?.ClientId) throw new Error(`cognito-local created no client ${settings.ClientName}`);
      created.push({
        name: settings.ClientName,
        clientId: appClient.ClientId,
        ...(appClient.ClientSecret !== undefined && { clientSecret: appClient.ClientSecret }),
        explicitAuthFlows: appClient.ExplicitAuthFlows ?? [],
        ...(settings.AuthSessionValidity !== undefined && { authSessionValidity: settings.AuthSessionValidity }),
      });
    }

    return { userPoolId, clientId, appClients: created };
  } finally {
    client.destroy();
  }
}
