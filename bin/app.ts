import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configWarnings, ContextError, readConfig, type MfaServiceConfig } from '../lib/config';
import { MfaServiceStack } from '../lib/mfa-service-stack';

const app = new App();

/** Bad context is the user's typo, not the app's bug: they get the problems, not a stack trace. */
function readConfigOrReport(): MfaServiceConfig | undefined {
  try {
    return readConfig((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext() as object));
  } catch (error) {
    if (!(error instanceof ContextError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return undefined;
  }
}

const config = readConfigOrReport();
if (config) {
  // Printed by the app itself rather than as construct annotations, which the CDK CLI would print a second time.
  for (const warning of configWarnings(config)) console.error(`Warning: ${warning}`);

  new MfaServiceStack(app, config.stackName, {
    config,
    description: 'Cognito MFA service: TOTP and SMS factors with an Amplify-shaped MFA API.',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });

  // Every synth is checked: an unacknowledged AwsSolutions finding stops it.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
}
