import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';

/**
 * Lets a function send email through SES from `from` only. SES checks the
 * sender against a verified identity: the address itself or its domain, so
 * both are named; the From-address condition keeps either from being used to
 * send as anyone else.
 */
export function grantSendEmail(grantee: IGrantable, from: string): void {
  const stack = Stack.of(grantee.grantPrincipal as unknown as Parameters<typeof Stack.of>[0]);
  const domain = from.slice(from.lastIndexOf('@') + 1);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [from, domain].map((identity) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity })),
      conditions: { StringEquals: { 'ses:FromAddress': from } },
    }),
  );
}
