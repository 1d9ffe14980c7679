import { CfnOutput, RemovalPolicy, Stack, type CfnResource, type StackProps } from 'aws-cdk-lib';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { MfaAlarms } from './alarms';
import { appClientSettings } from './app-client-settings';
import type { MfaServiceConfig } from './config';
import { EmailMfa } from './email-mfa';
import { grantSendEmail } from './email-sending';
import { MfaApi } from './mfa-api';
import { MfaTable } from './mfa-table';
import { grantSendSms } from './sms-sending';
import { MfaUserPool } from './mfa-user-pool';
import { codeKey, PoolSenders } from './pool-senders';
import { apiEnvironment, sendCapsEnvironment, type SendCapSettings } from '../contract/environment';
import { routesFor } from '../contract/routes';

export interface MfaServiceStackProps extends StackProps {
  readonly config: MfaServiceConfig;
}

/** The whole service: the user pool with its clients, and the MFA API in front of it. */
export class MfaServiceStack extends Stack {
  readonly users: MfaUserPool;
  /** Cognito's every SMS and email, within the caps: present whatever `emailMfa` is. */
  readonly senders: PoolSenders;
  /** The custom auth triggers: email codes with `emailMfa` on, and recovery's sign-in whatever it is. */
  readonly emailMfa: EmailMfa;
  /** Email codes and budgets, the caps' send logs and recovery codes: present whatever `emailMfa` is. */
  readonly table: TableV2;
  readonly api: MfaApi;
  readonly alarms: MfaAlarms;

  constructor(scope: Construct, id: string, props: MfaServiceStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.removalPolicy === 'retain' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const key = codeKey(this, removalPolicy);
    this.users = new MfaUserPool(this, 'Users', {
      customSenderKmsKey: key,
      appName: config.appName,
      mfa: config.mfa,
      selfSignUp: config.selfSignUp,
      removalPolicy,
      clients: appClientSettings({ emailMfa: config.emailMfa, emailCodeTtlMinutes: config.emailCode.ttlMinutes }),
      emailFrom: config.emailFrom,
    });
    const { userPool } = this.users;
    const functionDefaults = { logLevel: config.logLevel, logRetention: config.logRetention, removalPolicy };
    const { table } = new MfaTable(this, 'MfaTable', { removalPolicy });
    // The table was EmailMfa's until the SMS caps needed it without email MFA. Its logical ID from
    // then makes an update keep the table, and every failure budget and lock in it, not replace it.
    (table.node.defaultChild as CfnResource).overrideLogicalId('EmailMfaTableDF0E40D8');
    this.table = table;
    const sendCaps: SendCapSettings = {
      tableName: table.tableName,
      emailCodes: { max: config.sendCaps.emailSends, windowSeconds: config.sendCaps.emailWindowMinutes * 60 },
      sms: {
        numbersPerDay: config.sendCaps.smsNumbersPerDay,
        textsPerHour: config.sendCaps.smsTextsPerHour,
        cooldownSeconds: config.sendCaps.smsCooldownSeconds,
        allowedCountries: config.sendCaps.smsAllowedCountries,
      },
    };
    this.senders = new PoolSenders(this, 'Senders', {
      userPool,
      key,
      appName: config.appName,
      emailFrom: config.emailFrom,
      table,
      sendCaps,
      functionDefaults,
    });
    const emailMfa = new EmailMfa(this, 'EmailMfa', {
      userPool,
      publicClient: this.users.publicClient,
      serverClient: this.users.serverClient,
      appName: config.appName,
      emailFrom: config.emailFrom,
      mfa: config.mfa,
      code: config.emailCode,
      functionDefaults,
      table,
      sendCaps,
      emailCodes: config.emailMfa,
    });
    this.emailMfa = emailMfa;

    this.api = new MfaApi(this, 'Api', {
      userPool,
      routes: routesFor({ emailMfa: config.emailMfa }),
      environment: {
        ...sendCapsEnvironment.encode(sendCaps),
        ...apiEnvironment.encode({
          appName: config.appName,
          userPoolId: userPool.userPoolId,
          serverClientId: this.users.serverClient.userPoolClientId,
          emailFrom: config.emailFrom,
          stepUpMaxAgeSeconds: config.stepUpMinutes * 60,
          corsAllowedOrigins: config.corsAllowOrigins,
          mfaTableName: table.tableName,
          emailMfa: config.emailMfa ? emailMfa.settings : undefined,
        }),
      },
      functionDefaults,
      corsAllowOrigins: config.corsAllowOrigins,
      throttle: config.apiThrottle,
      codeThrottle: config.codeThrottle,
      grants: {
        readUser: (fn) => userPool.grant(fn, 'cognito-idp:AdminGetUser'),
        updateUserAttributes: (fn) => userPool.grant(fn, 'cognito-idp:AdminUpdateUserAttributes'),
        mfaTableSaveCode: (fn) => table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem'),
        mfaTable: (fn) => table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'),
        sendCaps: (fn) => table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem'),
        sendSms: (fn) =>
          grantSendSms(
            fn,
            'sns:Publish to a phone number has no ARN and no condition key for the number, so "*" is the only resource; the handler publishes only to the replaced number, within the per-user SMS caps.',
          ),
        sendEmail: (fn) => grantSendEmail(fn, config.emailFrom),
        readServerClientSecret: (fn) => userPool.grant(fn, 'cognito-idp:DescribeUserPoolClient'),
        recoveryCodesWrite: (fn) => table.grant(fn, 'dynamodb:PutItem'),
        recoveryCodesRead: (fn) => table.grant(fn, 'dynamodb:GetItem'),
      },
    });

    // Last, so it finds every function of the stack.
    this.alarms = new MfaAlarms(this, 'Alarms', {
      restApi: this.api.restApi,
      smsSpendThresholdUsd: config.alarms.smsSpendThresholdUsd,
      alarmTopicArn: config.alarms.topicArn,
    });

    new CfnOutput(this, 'Region', { value: this.region });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'PublicClientId', {
      value: this.users.publicClient.userPoolClientId,
      description: 'App client for browsers and mobile apps (no secret, SRP sign-in).',
    });
    new CfnOutput(this, 'ServerClientId', {
      value: this.users.serverClient.userPoolClientId,
      description: "Confidential app client for the API's own sign-in calls.",
    });
    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
    // What the operators' tools (scripts/admin.ts) look up by stack name: the table of budgets and
    // recovery codes, and the sender and name of the notice a reset sends.
    new CfnOutput(this, 'MfaTableName', {
      value: table.tableName,
      description: 'DynamoDB table of email codes, failure budgets, send caps and recovery codes.',
    });
    new CfnOutput(this, 'EmailFrom', { value: config.emailFrom, description: 'SES sender of codes and security notices.' });
    new CfnOutput(this, 'AppName', { value: config.appName, description: 'The name security notices are signed with.' });
    // RestApi adds an unnamed duplicate of ApiUrl; one stable output name is enough.
    this.api.restApi.node.tryRemoveChild('Endpoint');
  }
}
