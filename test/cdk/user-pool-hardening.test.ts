import { App, Duration } from 'aws-cdk-lib';
import type { CfnUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { readConfig } from '../../lib/config';
import { MfaServiceStack } from '../../lib/mfa-service-stack';
import { synthesize } from '../support/synth';

describe("the pool's own emails", () => {
  test("go through SES from emailFrom, not Cognito's capped default sender", () => {
    const { template } = synthesize({ emailFrom: 'security@mail.acme.io', appName: 'Acme' }, { bundle: false });
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      EmailConfiguration: {
        EmailSendingAccount: 'DEVELOPER',
        From: 'Acme <security@mail.acme.io>',
        SourceArn: {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:', { Ref: 'AWS::AccountId' }, ':identity/security@mail.acme.io'],
          ],
        },
      },
    });
  });
});

describe('refresh token rotation', () => {
  /** The stack as bin/app.ts builds it, before synthesis, so a test can add to it. */
  function unsynthesizedStack(): { app: App; stack: MfaServiceStack } {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = readConfig(() => undefined);
    return { app, stack: new MfaServiceStack(app, config.stackName, { config, env: { region: 'eu-west-1' } }) };
  }

  test("is off on the stack's clients", () => {
    const { template } = synthesize({}, { bundle: false });
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(2);
    for (const client of clients) expect(client.Properties).not.toHaveProperty('RefreshTokenRotation');
  });

  // Step-up trusts auth_time, which Cognito is reported to move on refresh when
  // rotation is on (https://github.com/authts/oidc-client-ts/issues/2107).
  test('on any client of the pool, added later, fails synthesis and says why', () => {
    const { app, stack } = unsynthesizedStack();
    stack.users.userPool.addClient('RotatingClient', { refreshTokenRotationGracePeriod: Duration.seconds(10) });
    expect(() => app.synth()).toThrow(/RotatingClient\/Resource enables refresh token rotation; step-up trusts auth_time/);
  });

  test('set on the L1 client fails synthesis too', () => {
    const { app, stack } = unsynthesizedStack();
    const cfnClient = stack.users.publicClient.node.defaultChild as CfnUserPoolClient;
    cfnClient.refreshTokenRotation = { feature: 'ENABLED', retryGracePeriodSeconds: 0 };
    expect(() => app.synth()).toThrow(/PublicClient\/Resource enables refresh token rotation/);
  });

  test('explicitly DISABLED passes', () => {
    const { app, stack } = unsynthesizedStack();
    const cfnClient = stack.users.publicClient.node.defaultChild as CfnUserPoolClient;
    cfnClient.refreshTokenRotation = { feature: 'DISABLED' };
    expect(() => app.synth()).not.toThrow();
  });
});
