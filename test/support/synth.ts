import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from '../../lib/config';
import { MfaServiceStack } from '../../lib/mfa-service-stack';

export interface Synthesized {
  readonly stack: MfaServiceStack;
  readonly template: Template;
}

/**
 * Synthesizes the stack as bin/app.ts does, cdk-nag included (an unacknowledged
 * finding makes synthesis throw). `bundle: false` skips esbuild for tests that
 * only read the template.
 */
export function synthesize(context: Record<string, unknown> = {}, options: { bundle?: boolean } = {}): Synthesized {
  const app = new App({
    context: { ...context, ...(options.bundle === false && { 'aws:cdk:bundling-stacks': [] }) },
  });
  const config = readConfig((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext() as object));
  const stack = new MfaServiceStack(app, config.stackName, { config, env: { region: 'eu-west-1' } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
  return { stack, template: Template.fromStack(stack) };
}
