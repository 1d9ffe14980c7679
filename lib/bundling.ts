import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled: ESM with module-first main fields (the AWS SDK's
 * ESM build tree-shakes far better than its CommonJS one), minified, the SDK
 * bundled rather than taken from the runtime so the tested version is the one
 * deployed, no source maps (they add size and, with --enable-source-maps, cold
 * start). `npm run bench` measures exactly these options (scripts/bundle.ts).
 */
export const lambdaBundling: Required<
  Pick<BundlingOptions, 'format' | 'target' | 'mainFields' | 'minify' | 'sourceMap' | 'externalModules'>
> = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: false,
  externalModules: [],
};
