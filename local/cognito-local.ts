// Runs cognito-local 5.3.0 inside the test process, wired like its own
// lib/server/defaults.js (createDefaultServer) with these differences:
// - data lives in a fresh temp directory and no .cognito config is read, so
//   nothing lands in the repo and instances (one per test file, or several in
//   one file) never share state;
// - messages are recorded (see RecordingMessageSender) instead of printed, or,
//   with `senders`, handed to the stack's custom SMS and email sender triggers
//   (see SenderTriggerMessages), and recorded only when they did send;
// - no Lambda triggers: cognito-local's TriggersService needs CryptoService,
//   whose module loads aws-sdk v2 and @aws-crypto/client-node (~250 ms and an
//   "end-of-support" warning) only to serve CustomEmailSender, so an inert
//   Triggers object stands in (local/cognito-front.ts runs the
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
  type PasswordPolicyType,
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
import type { DeliveryDetails } from 'cognito-local/lib/services/messageDelivery/messageDelivery';
import type { Message, Messages } from 'cognito-local/lib/services/messages';
import { MessagesService } from 'cognito-local/lib/services/messages';
import { otp } from 'cognito-local/lib/services/otp';
import { JwtTokenGenerator } from 'cognito-local/lib/services/tokenGenerator';
import type { Triggers } from 'cognito-local/lib/services/triggers';
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService';
import { attributesToRecord, UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import { getClient, KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { KMS } from '@aws-sdk/client-kms';

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
   * code that works beside its API (local/cognito-front.ts reads users
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
  /** The attributes a user's token may write through this client (cognito-local stores them, but does not check them). */
  writeAttributes?: string[];
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
  /** The pool's custom SMS and email sender triggers. Default none: messages are only recorded. */
  senders?: LocalSenderTriggers;
  /** CreateUserPool's password policy (cognito-local stores it; see `LocalCognitoOptions` notes in scripts/start.ts). Default none. */
  passwordPolicy?: PasswordPolicyType;
  /**
   * A directory that keeps cognito-local's data, left in place on stop (npm start's state). Default: a fresh
   * temporary directory, removed on stop.
   */
  dataDirectory?: string;
  /** A pool (and its clients) created in `dataDirectory` by an earlier run, used instead of creating one. Default none. */
  existingPool?: LocalPool;
}

/** What identifies a pool cognito-local created, so that a later run over the same data can use it again. */
export interface LocalPool {
  readonly userPoolId: string;
  readonly clientId: string;
  readonly appClients: readonly LocalAppClient[];
}

/** A message a sender trigger sent, as the SNS or SES capture saw it. */
export interface SenderDelivery {
  readonly medium: SentMessage['medium'];
  readonly to: string;
  readonly text: string;
}

export interface LocalSenderTriggers {
  readonly sms: (event: unknown) => Promise<unknown>;
  readonly email: (event: unknown) => Promise<unknown>;
  /** The pool's KMS key (`KMSKeyID` of its LambdaConfig), on the KMS at `kmsEndpoint` (local/kms.ts). */
  readonly keyArn: string;
  readonly kmsEndpoint: string;
  /** Everything the triggers have sent so far, in order for each medium (the SNS and SES captures). */
  readonly sent: () => readonly SenderDelivery[];
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

/**
 * Cognito with custom sender triggers: every message goes to the trigger of its
 * medium, nothing is sent by the pool itself
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html).
 * The event is the documented V1_0 one (common trigger parameters, then
 * `request.type` customSMSSenderRequestV1 / customEmailSenderRequestV1,
 * `request.code`, `request.clientMetadata`, `request.userAttributes`;
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sms-sender.html,
 * ...-custom-email-sender.html), with the code encrypted by the real AWS
 * Encryption SDK under the pool's key through the local KMS, as Cognito
 * encrypts it. What encryption context Cognito adds is not documented; none is
 * set here, and the senders do not depend on one.
 *
 * Where this differs from real Cognito, by cognito-local's choices, not ours:
 * - the medium is cognito-local's: GetUserAttributeVerificationCode picks SMS
 *   whenever the user has a phone number (from the pool's
 *   AutoVerifiedAttributes, not from the attribute asked for), ForgotPassword
 *   always email, AdminCreateUser SMS first;
 * - cognito-local's own MessagesService would call only a custom email sender
 *   and skip it for sign-in codes; here every SMS and email, sign-in codes
 *   included, goes to its trigger, as in Cognito;
 * - for an attribute update cognito-local hands over the user as it was before
 *   the update, so it would send the code to the old number (or by email when
 *   there was none). Cognito sends it to verify the new value ("A user updates
 *   an email address or phone number attribute and Amazon Cognito sends a code
 *   to verify the attribute", trigger sources of the two pages above), so here
 *   the user as saved with this very code (cognito-local stores each new
 *   attribute code on the user before sending it) is taken, and the code goes
 *   to the changed attribute;
 *   and none is sent when the update marks that value verified itself, as
 *   AdminUpdateUserAttributes allows with phone_number_verified/email_verified
 *   true (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html),
 *   which cognito-local would still send a code for;
 * - the user's attributes carry the value the code goes to (`Destination`),
 *   which is what the senders assume Cognito puts there while an update is
 *   pending; not confirmed against real Cognito.
 * A message is recorded in `messages` only if the trigger sent one to that
 * destination holding that very code, so a test that reads a code reads one
 * the trigger really sent.
 */
class SenderTriggerMessages implements Messages {
  private readonly encrypt = buildEncrypt('REQUIRE_ENCRYPT_ALLOW_DECRYPT' as Parameters<typeof buildEncrypt>[0]).encrypt;
  private readonly keyring: KmsKeyringNode;

  constructor(
    private readonly senders: LocalSenderTriggers,
    private readonly region: string,
    private readonly messages: SentMessage[],
    /** The user as cognito-local saved it with `code` as its attribute verification code. */
    private readonly savedWithCode: (code: string) => User | undefined,
  ) {
    this.keyring = new KmsKeyringNode({
      generatorKeyId: senders.keyArn,
      clientProvider: getClient(KMS, {
        endpoint: senders.kmsEndpoint,
        credentials: { accessKeyId: 'cognito', secretAccessKey: 'cognito' },
      }),
    });
  }

  async deliver(
    _ctx: Context,
    source: Parameters<Messages['deliver']>[1],
    clientId: string | null,
    userPoolId: string,
    user: User,
    code: string,
    clientMetadata: Record<string, string> | undefined,
    asked: DeliveryDetails,
  ): Promise<void> {
    let deliveryDetails = asked;
    if (source === 'UpdateUserAttribute') {
      const updated = this.savedWithCode(code);
      const changed = updated && updatedContact(user, updated);
      if (changed === 'verified') return;
      if (changed) deliveryDetails = changed;
    }
    const medium = deliveryDetails.DeliveryMedium === 'SMS' ? 'SMS' : 'EMAIL';
    const { result } = await this.encrypt(this.keyring, Buffer.from(code, 'utf8'));
    const event = {
      version: '1',
      triggerSource: `${medium === 'SMS' ? 'CustomSMSSender' : 'CustomEmailSender'}_${source}`,
      region: this.region,
      userPoolId,
      userName: user.Username,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: clientId ?? 'CLIENT_ID_NOT_APPLICABLE' },
      request: {
        type: medium === 'SMS' ? 'customSMSSenderRequestV1' : 'customEmailSenderRequestV1',
        code: Buffer.from(result).toString('base64'),
        clientMetadata: clientMetadata ?? {},
        userAttributes: {
          ...attributesToRecord(user.Attributes),
          [deliveryDetails.AttributeName]: deliveryDetails.Destination,
          'cognito:user_status': user.UserStatus,
        },
      },
      response: {},
    };
    const sentOn = () => this.senders.sent().filter((sent) => sent.medium === medium);
    const before = sentOn().length;
    await (medium === 'SMS' ? this.senders.sms : this.senders.email)(JSON.parse(JSON.stringify(event)));
    const delivered = sentOn()
      .slice(before)
      .some((sent) => sent.to === deliveryDetails.Destination && sent.text.includes(code));
    if (delivered) this.messages.push({ medium, destination: deliveryDetails.Destination, code, username: user.Username });
  }
}

/** The same service, but the user as first saved with each attribute verification code is kept by that code in `saved`. */
function recordingSavedCodes(cognito: Services['cognito'], saved: Map<string, User>): Services['cognito'] {
  const recording = (pool: UserPoolService): UserPoolService =>
    new Proxy(pool, {
      get(target, property, receiver) {
        if (property !== 'saveUser') return Reflect.get(target, property, receiver) as unknown;
        return async (ctx: Context, user: User) => {
          // The first save with a code is the one that made it; later saves of the user carry it along.
          const code = user.AttributeVerificationCode;
          if (code && !saved.has(code)) saved.set(code, user);
          await target.saveUser(ctx, user);
        };
      },
    });
  return new Proxy(cognito, {
    get(target, property, receiver) {
      if (property === 'getUserPool' || property === 'getUserPoolForClientId') {
        return async (ctx: Context, id: string) => recording(await target[property](ctx, id));
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/** The phone number or email an update changed, where its code goes; 'verified' when the update verified it too. */
function updatedContact(before: User, after: User): DeliveryDetails | 'verified' | undefined {
  const value = (attributes: User['Attributes'], name: string) => attributesToRecord(attributes)[name];
  const contacts: readonly (DeliveryDetails & { Destination: '' })[] = [
    { AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '' },
    { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: '' },
  ];
  for (const contact of contacts) {
    const now = value(after.Attributes, contact.AttributeName);
    if (now === undefined || now === value(before.Attributes, contact.AttributeName)) continue;
    if (value(after.Attributes, `${contact.AttributeName}_verified`) === 'true') return 'verified';
    return { ...contact, Destination: now };
  }
  return undefined;
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
  const keepData = options.dataDirectory !== undefined;
  const dataDirectory = options.dataDirectory ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cognito-local-'));
  const removeData = () => {
    if (!keepData) fs.rmSync(dataDirectory, { recursive: true, force: true });
  };
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
    // Each user saved with an attribute verification code, by that code, for SenderTriggerMessages.
    const savedWithCode = new Map<string, User>();
    const services: Services = {
      clock,
      cognito: recordingSavedCodes(await cognitoServiceFactory.create({ logger }, config.UserPoolDefaults), savedWithCode),
      config,
      messages: options.senders
        ? new SenderTriggerMessages(options.senders, REGION, messages, (code) => savedWithCode.get(code))
        : new MessagesService(noTriggers, new MessageDeliveryService(new RecordingMessageSender(messages))),
      otp,
      tokenGenerator: new JwtTokenGenerator(clock, noTriggers, config.TokenConfig),
      triggers: noTriggers,
    };
    const cognitoServer = createServer(Router(services), logger, config.ServerConfig, services);
    httpServer.on('request', cognitoServer.application as http.RequestListener);

    const { userPoolId, clientId, appClients } =
      options.existingPool ??
      (await createUserPoolAndClient(endpoint, {
        mfaConfiguration: options.mfaConfiguration ?? 'OPTIONAL',
        autoVerifiedAttributes: options.autoVerifiedAttributes ?? ['email'],
        customAttributes: options.customAttributes ?? [],
        appClients: options.appClients ?? [],
        passwordPolicy: options.passwordPolicy,
      }));

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
        removeData();
      },
    };
  } catch (error) {
    if (httpServer.listening) await close(httpServer);
    removeData();
    throw error;
  }
}

// Goes through the real SDK so requests are shaped exactly as production code sends them.
async function createUserPoolAndClient(
  endpoint: string,
  {
    mfaConfiguration,
    autoVerifiedAttributes,
    customAttributes,
    appClients,
    passwordPolicy,
  }: Required<Pick<LocalCognitoOptions, 'mfaConfiguration' | 'autoVerifiedAttributes' | 'customAttributes' | 'appClients'>> &
    Pick<LocalCognitoOptions, 'passwordPolicy'>,
): Promise<LocalPool> {
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
        ...(passwordPolicy && { Policies: { PasswordPolicy: passwordPolicy } }),
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
        ...(settings.WriteAttributes !== undefined && { writeAttributes: [...settings.WriteAttributes] }),
      });
    }

    return { userPoolId, clientId, appClients: created };
  } finally {
    client.destroy();
  }
}
