import path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { functionEntries, projectRoot } from '../../lib/bundling';
import { MfaFunction } from '../../lib/mfa-function';

/**
 * Every function's bundle as the stack deploys it: one MfaFunction per entry of
 * lib/bundling.ts, synthesized into `outdir`. Returns the path of each asset's
 * directory by function name.
 */
export function deployedBundles(outdir: string): ReadonlyMap<string, string> {
  // As under `cdk synth`, which asks for the asset paths in the template.
  const stack = new Stack(new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } }), 'DeployedBundles');
  const defaults = { logLevel: 'WARN', logRetention: RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY } as const;
  Object.entries(functionEntries).forEach(([name, entry], index) => {
    new MfaFunction(stack, `Function${index}`, { entry: path.join(projectRoot, entry), description: name, defaults });
  });
  const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties: { Description: string }; Metadata: Record<string, string> }
  >;
  return new Map(Object.values(functions).map((fn) => [fn.Properties.Description, path.join(outdir, fn.Metadata['aws:asset:path']!)]));
}
