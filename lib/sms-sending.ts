import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { MfaFunction } from './mfa-function';

/**
 * Lets a function text a phone number directly through SNS (the notice to a
 * replaced number, the custom SMS sender's texts). Such a Publish names no topic, and IAM offers neither a
 * resource type nor a condition key for the destination number: the Service
 * Authorization Reference lists only topics as sns:Publish resources
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html),
 * and SNS's own SMS guide grants sns:Publish on "*"
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-sms-access-management.html).
 * What limits the texts is the caps, not IAM. `reason` says, for cdk-nag, what
 * the function texts.
 */
export function grantSendSms(fn: MfaFunction, reason: string): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
  // The role is the function's sibling (lib/mfa-function.ts), where the finding is raised.
  Validations.of(fn.role!).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason });
}
