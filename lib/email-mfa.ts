import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { LambdaVersion, UserPoolOperation, type UserPool, type UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { sendCapsEnvironment, triggerEnvironment, type EmailMfaSettings, type SendCapSettings } from '../contract/environment';
import type { EmailCodeSettings, MfaMode } from './config';
import { grantSendEmail } from './email-sending';
import { MfaFunction, type FunctionDefaults } from './mfa-function';

export interface EmailMfaProps {
  readonly userPool: UserPool;
  readonly publicClient: UserPoolClient;
  readonly serverClient: UserPoolClient;
  readonly appName: string;
  readonly emailFrom: string;
  readonly mfa: MfaMode;
  readonly code: EmailCodeSettings;
  readonly functionDefaults: FunctionDefaults;
  /** The stack's MFA table (lib/mfa-table.ts), which the API's caps share. */
  readonly table: TableV2;
  /** The per-account send caps Create Auth Challenge applies to sign-in codes. */
  readonly sendCaps: SendCapSettings;
  /**
   * Email codes as a sign-in factor. Off, the challenge triggers stay for recovery
   * alone (POST /auth/recover's passwordless flow on the server client) and there is
   * no Pre Token Generation trigger: no user has the email factor to enforce.
   * @default true
   */
  readonly emailCodes?: boolean;
}

const triggerDirectory = path.join(__dirname, '..', 'lambda', 'triggers');

/**
 * Email one-time codes as a second factor, and the sign-in flows of recovery: the
 * three custom auth challenge triggers on the user pool (present whatever
 * `emailCodes` says: recovery needs them; the construct keeps its id, `EmailMfa`,
 * so that deployed resources keep their logical IDs), the Pre Token Generation trigger that refuses an
 * email-MFA user's tokens unless the sign-in answered the email code, their use
 * of the table of pending codes, failure budgets and sign-in proofs, and the SSM
 * parameter through which the triggers learn the app client ids.
 *
 * The pool refers to the triggers, and the clients to the pool, so neither the
 * client ids nor the pool's ARN may appear in a trigger's environment or in a
 * policy the trigger depends on: CloudFormation would see a cycle. The ids go
 * through an SSM parameter with a name fixed in advance, and Define's grants on
 * the pool (AdminGetUser, AdminSetUserMFAPreference) are a separate policy the
 * function does not wait for.
 */
export class EmailMfa extends Construct {
  readonly table: TableV2;
  readonly clientsParameter: StringParameter;
  readonly defineAuthChallenge: MfaFunction;
  readonly createAuthChallenge: MfaFunction;
  readonly verifyAuthChallengeResponse: MfaFunction;
  /** Undefined without email codes. */
  readonly preTokenGeneration: MfaFunction | undefined;
  /** The settings the API's email routes share with the triggers. */
  readonly settings: EmailMfaSettings;

  constructor(scope: Construct, id: string, props: EmailMfaProps) {
    super(scope, id);
    validate(props.code);
    const emailCodes = props.emailCodes ?? true;

    this.table = props.table;

    const parameterName = `/${Stack.of(this).stackName}/app-clients`;
    this.clientsParameter = new StringParameter(this, 'AppClients', {
      parameterName,
      description: 'App client ids of the MFA service, read by its custom auth triggers.',
      stringValue: Stack.of(this).toJsonString({
        publicClientId: props.publicClient.userPoolClientId,
        serverClientId: props.serverClient.userPoolClientId,
      }),
    });

    this.settings = {
      tableName: this.table.tableName,
      codeLength: props.code.length,
      codeTtlSeconds: props.code.ttlMinutes * 60,
      failureBudget: {
        maxFailures: props.code.maxFailures,
        windowSeconds: props.code.windowMinutes * 60,
        lockSeconds: props.code.lockMinutes * 60,
      },
    };
    const environment = {
      ...triggerEnvironment.encode({
        appName: props.appName,
        emailFrom: props.emailFrom,
        clientsParameter: parameterName,
        mfaMode: props.mfa,
        emailMfaDeployed: emailCodes,
        emailMfa: this.settings,
      }),
      ...sendCapsEnvironment.encode(props.sendCaps),
    };
    const trigger = (name: string, description: string, reservedConcurrentExecutions?: number) =>
      new MfaFunction(this, name, {
        entry: path.join(triggerDirectory, `${kebab(name)}.ts`),
        description,
        defaults: props.functionDefaults,
        environment,
        // Cognito waits 5 seconds for a trigger.
        timeout: Duration.seconds(5),
        reservedConcurrentExecutions,
      });
    this.defineAuthChallenge = trigger('DefineAuthChallenge', 'Cognito Define Auth Challenge: the sign-in policy');
    this.createAuthChallenge = trigger(
      'CreateAuthChallenge',
      'Cognito Create Auth Challenge: sends email sign-in codes',
      props.code.sendConcurrency > 0 ? props.code.sendConcurrency : undefined,
    );
    this.verifyAuthChallengeResponse = trigger('VerifyAuthChallengeResponse', 'Cognito Verify Auth Challenge Response');
    this.preTokenGeneration = emailCodes
      ? trigger('PreTokenGeneration', 'Cognito Pre Token Generation: no tokens without the email code')
      : undefined;

    props.userPool.addTrigger(UserPoolOperation.DEFINE_AUTH_CHALLENGE, this.defineAuthChallenge);
    props.userPool.addTrigger(UserPoolOperation.CREATE_AUTH_CHALLENGE, this.createAuthChallenge);
    props.userPool.addTrigger(UserPoolOperation.VERIFY_AUTH_CHALLENGE_RESPONSE, this.verifyAuthChallengeResponse);
    // V1_0: the event every feature plan gets (Lite included); it carries the user's attributes, which is all the check reads.
    if (this.preTokenGeneration) {
      props.userPool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION, this.preTokenGeneration, LambdaVersion.V1_0);
      this.table.grant(this.preTokenGeneration, 'dynamodb:DeleteItem');
    }

    const parameterArn = Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) });
    this.defineAuthChallenge.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }));
    // Create too: only the server client gets recovery's challenges (lambda/core/sign-in-policy.ts).
    this.createAuthChallenge.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }));
    new Policy(this, 'DefineReadsUsers', {
      roles: [this.defineAuthChallenge.role!],
      statements: [
        new PolicyStatement({
          actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminSetUserMFAPreference'],
          resources: [props.userPool.userPoolArn],
        }),
      ],
    });
    // GetItem and PutItem: the sign-in proof, and the switch-off notices' log (lambda/services/send-caps.ts).
    this.table.grant(this.defineAuthChallenge, 'dynamodb:GetItem', 'dynamodb:PutItem');
    // UpdateItem: a replaced, unanswered code is charged to the failure budget (lambda/services/send-caps.ts).
    this.table.grant(this.createAuthChallenge, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.table.grant(
      this.verifyAuthChallengeResponse,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
    grantSendEmail(this.defineAuthChallenge, props.emailFrom);
    grantSendEmail(this.createAuthChallenge, props.emailFrom);
    grantSendEmail(this.verifyAuthChallengeResponse, props.emailFrom);
  }
}

function validate(code: EmailCodeSettings): void {
  const problems = [
    code.length >= 6 && code.length <= 8 ? undefined : 'length must be 6 to 8 digits',
    code.ttlMinutes >= 1 && code.ttlMinutes <= 10 ? undefined : 'ttlMinutes must be 1 to 10 (codes are short-lived)',
    code.maxFailures >= 3 ? undefined : 'maxFailures must be at least 3 (Cognito allows 3 answers per sign-in)',
    code.sendConcurrency >= 0 ? undefined : 'sendConcurrency must not be negative',
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new Error(`EmailMfa: ${problems.join('; ')}.`);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter, at: number) => `${at > 0 ? '-' : ''}${letter.toLowerCase()}`);
}
