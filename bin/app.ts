import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from '../lib/config';
import { MfaServiceStack } from '../lib/mfa-service-stack';

const app = new App();
const config = readConfig((key) => app.node.tryGetContext(key));

new MfaServiceStack(app, config.stackName, {
  config,
  description: 'Cognito MFA service: TOTP and SMS factors with an Amplify-shaped MFA API.',
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

// Every synth is checked: an unacknowledged AwsSolutions finding stops it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
