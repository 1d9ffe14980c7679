import * as path from 'node:path';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { UserPoolOperation, type UserPool } from 'aws-cdk-lib/aws-cognito';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { sendCapsEnvironment, senderEnvironment, type SendCapSettings } from '../contract/environment';
import { grantSendEmail } from './email-sending';
import { MfaFunction, type FunctionDefaults } from './mfa-function';
import { grantSendSms } from './sms-sending';

const triggerDirectory = path.join(__dirname, '..', 'lambda', 'triggers');

/**
 * The KMS key Cognito encrypts the codes of its messages under, for the custom
 * sender triggers. Made before the pool, which names it (`customSenderKmsKey`).
 *
 * Symmetric, as Cognito requires, with yearly rotation. Its key policy is
 * CDK's default: the account may use it through IAM. That is what the Cognito
 * guide asks of it: "The IAM principal that creates or updates your user pool
 * creates a one-time grant against the KMS key that Amazon Cognito uses to
 * encrypt the code. Grant this principal CreateGrant permissions", and the
 * functions' roles get kms:Decrypt
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html,
 * section "Activating custom sender Lambda triggers"). The guide gives the
 * Cognito service principal no statement of its own in the key policy (it
 * encrypts through that grant), so there is none here, and no aws:SourceArn
 * condition to put on one. CloudFormation deploys with the account's
 * principals, which the default policy lets create the grant.
 */
export function codeKey(scope: Construct, removalPolicy: RemovalPolicy): Key {
  return new Key(scope, 'CodeKey', {
    description: 'Encrypts the codes Cognito hands the custom SMS and email sender triggers.',
    enableKeyRotation: true,
    removalPolicy,
  });
}

export interface PoolSendersProps {
  /** Created with `customSenderKmsKey: key`. */
  readonly userPool: UserPool;
  readonly key: Key;
  readonly appName: string;
  readonly emailFrom: string;
  readonly table: TableV2;
  readonly sendCaps: SendCapSettings;
  readonly functionDefaults: FunctionDefaults;
}

/**
 * The custom SMS sender and custom email sender triggers, always on the pool
 * (with email MFA on or off, the pool texts SMS MFA codes and emails password
 * resets). With them Cognito sends no message itself: each goes to these
 * functions, which apply the per-account caps and send through SNS and SES
 * (lambda/services/pool-texts.ts, pool-emails.ts).
 *
 * Each may do what its code calls and no more: decrypt under this key, read and
 * write the send logs, and send on its own channel (SMS: sns:Publish, which has
 * no narrower resource for a phone number, lib/sms-sending.ts; email: SES from
 * `emailFrom` only).
 */
export class PoolSenders extends Construct {
  readonly smsSender: MfaFunction;
  readonly emailSender: MfaFunction;

  constructor(scope: Construct, id: string, props: PoolSendersProps) {
    super(scope, id);
    const environment = {
      ...senderEnvironment.encode({ appName: props.appName, emailFrom: props.emailFrom, keyArn: props.key.keyArn }),
      ...sendCapsEnvironment.encode(props.sendCaps),
    };
    const sender = (name: string, file: string, description: string) =>
      new MfaFunction(this, name, {
        entry: path.join(triggerDirectory, `${file}.ts`),
        description,
        defaults: props.functionDefaults,
        environment,
        // Cognito waits 5 seconds for a trigger.
        timeout: Duration.seconds(5),
      });
    this.smsSender = sender('CustomSmsSender', 'custom-sms-sender', 'Cognito custom SMS sender: every text of the pool, within the caps');
    this.emailSender = sender(
      'CustomEmailSender',
      'custom-email-sender',
      'Cognito custom email sender: every email of the pool, within the caps',
    );

    props.userPool.addTrigger(UserPoolOperation.CUSTOM_SMS_SENDER, this.smsSender);
    props.userPool.addTrigger(UserPoolOperation.CUSTOM_EMAIL_SENDER, this.emailSender);

    for (const fn of [this.smsSender, this.emailSender]) {
      props.key.grantDecrypt(fn);
      props.table.grant(fn, 'dynamodb:GetItem', 'dynamodb:PutItem');
    }
    grantSendSms(
      this.smsSender,
      'sns:Publish to a phone number has no ARN and no condition key for the number, so "*" is the only resource; the sender texts only the number in Cognito\'s event, within the per-user SMS caps.',
    );
    grantSendEmail(this.emailSender, props.emailFrom);
  }
}
