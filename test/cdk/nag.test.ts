import { App, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { readConfig } from '../../lib/config';
import { MfaServiceStack } from '../../lib/mfa-service-stack';
import { synthesize } from '../support/synth';

/** cdk-nag's AwsSolutions pack runs during synthesis and stops it on any finding nobody acknowledged. */
test.each([
  ['defaults', {}],
  [
    'MFA required, CORS, destroy',
    { mfa: 'REQUIRED', corsAllowOrigins: 'https://a.example.com,https://b.example.com', removalPolicy: 'destroy' },
  ],
])('no unacknowledged AwsSolutions finding: %s', (_, context) => {
  expect(() => synthesize(context, { bundle: false })).not.toThrow();
});

test('an unacknowledged finding does stop synthesis (the check is live)', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const config = readConfig((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext() as object));
  const stack = new MfaServiceStack(app, 'Nagged', { config });
  new Role(stack, 'TooBroad', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
    new PolicyStatement({ actions: ['cognito-idp:*'], resources: ['*'] }),
  );
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Action::cognito-idp:\*\]/);
});

test('every acknowledgment says why, in a sentence', () => {
  const { stack } = synthesize({}, { bundle: false });
  const acknowledged = stack.node
    .findAll()
    .flatMap((construct: IConstruct) => construct.node.metadata)
    .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
    .map(([id, reason]) => ({ id, reason }));
  expect(acknowledged.length).toBeGreaterThan(0);
  for (const { id, reason } of acknowledged) {
    expect({ id, long: reason.length >= 40 }).toEqual({ id, long: true });
  }
});
