import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AssetHashType, DockerImage, Stack } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync, type BuildOptions } from 'esbuild';
import type { Construct } from 'constructs';
import { apiRoutes } from '../contract/routes';

export const projectRoot = path.resolve(__dirname, '..');

/**
 * Cognito triggers, by file name under lambda/triggers/ without extension; each
 * needs its twin at scripts/bare-twins/triggers/<name>.ts for the bench.
 */
export const triggerHandlers: readonly string[] = [
  'define-auth-challenge',
  'create-auth-challenge',
  'verify-auth-challenge-response',
  'pre-token-generation',
  'custom-sms-sender',
  'custom-email-sender',
];

/**
 * Every function's entry file, relative to the project root, by the name of its
 * bundle: one per handler of contract/routes.ts, then the triggers. The bundling
 * pass builds all of them at once, so it must know them before the first
 * function is constructed. Paths, not imports: lib/ never imports lambda/.
 */
export const functionEntries: Readonly<Record<string, string>> = Object.fromEntries([
  ...[...new Set(apiRoutes.map((route) => route.handler))].map((handler): [string, string] => [handler, `lambda/api/${handler}.ts`]),
  ...triggerHandlers.map((trigger): [string, string] => [`triggers/${trigger}`, `lambda/triggers/${trigger}.ts`]),
]);

/**
 * How every function is bundled: ESM with module-first main fields (the AWS SDK's
 * ESM build tree-shakes far better than its CommonJS one), for the runtime's
 * Node.js 24, minified, the SDK bundled rather than taken from the runtime so the
 * tested version is the one deployed, no source maps (they add size and, with
 * --enable-source-maps, cold start). These are the options aws-cdk-lib's
 * NodejsFunction used to hand esbuild for this project, plus one: the SDK's
 * default credential chain gives way to the environment variables Lambda sets
 * (lib/bundling/env-credentials.ts says what that leaves out), which takes about
 * 40% off each bundle. `npm run bench` measures exactly these (scripts/bundle.ts).
 *
 * The banner gives the bundle a `require`: the AWS Encryption SDK of the custom
 * senders pulls in CommonJS modules (bn.js, asn1.js) that require Node.js
 * built-ins at run time, which an ESM bundle otherwise refuses ("Dynamic
 * require of "buffer" is not supported", at import: the function would never
 * start). esbuild's own shim uses a `require` in scope when there is one
 * (https://esbuild.github.io/api/#banner; evanw/esbuild#1921).
 */
export const functionBundleOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: false,
  external: [],
  alias: { '@aws-sdk/credential-provider-node': './lib/bundling/env-credentials.ts' },
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  absWorkingDir: projectRoot,
} satisfies BuildOptions;

/**
 * The function's code: its `index.mjs` from the bundling pass. A stack
 * synthesized without bundling (`aws:cdk:bundling-stacks`, as `cdk destroy` and
 * the template-only tests ask) gets what NodejsFunction gave it: CDK's stand-in
 * for a skipped bundle, which builds and copies nothing. Its bundling options
 * are never run: they tell CDK that the asset would be bundled, and the command
 * names the function so that each stand-in is an asset of its own.
 */
export function functionCode(scope: Construct, entry: string): Code {
  const name = entryName(entry);
  if (!Stack.of(scope).bundlingRequired) {
    return Code.fromAsset(projectRoot, {
      assetHashType: AssetHashType.OUTPUT,
      bundling: { image: DockerImage.fromRegistry('skipped'), command: [name] },
    });
  }
  bundleDirectories ??= bundleEveryFunction();
  return Code.fromAsset(bundleDirectories[name]!);
}

function entryName(entry: string): string {
  const wanted = path.resolve(projectRoot, entry);
  const found = Object.entries(functionEntries).find(([, file]) => path.resolve(projectRoot, file) === wanted);
  if (!found) {
    throw new Error(`${path.relative(projectRoot, wanted)} is not in functionEntries of lib/bundling.ts, which the bundling pass builds.`);
  }
  return found[0];
}

/** Once per process: the stack tests synthesize many stacks from the same sources. */
let bundleDirectories: Readonly<Record<string, string>> | undefined;

/**
 * One esbuild run for all functions (one `npx esbuild` per function cost most
 * of a synth). Each output is standalone (no code splitting), byte for byte what
 * a build of its entry alone gives. Quiet unless esbuild warns; on errors esbuild
 * prints them and synthesis fails. The bundles go to a directory named for their
 * content next to the default cloud assembly, so that a stale one is never
 * taken for a fresh one.
 */
function bundleEveryFunction(): Record<string, string> {
  const outdir = 'function-bundles';
  const { outputFiles } = buildSync({
    ...functionBundleOptions,
    entryPoints: Object.fromEntries(Object.entries(functionEntries).map(([name, file]) => [`${name}/index`, file])),
    outdir,
    outExtension: { '.js': '.mjs' },
    write: false,
    logLevel: 'warning',
  });
  const outputs = outputFiles.map((file) => ({
    relative: path.relative(path.join(projectRoot, outdir), file.path),
    contents: file.contents,
  }));
  const hash = createHash('sha256');
  for (const { relative, contents } of outputs) hash.update(relative).update(contents);
  const directory = path.join(projectRoot, 'cdk.out', outdir, hash.digest('hex').slice(0, 16));
  for (const { relative, contents } of outputs) writeOnce(path.join(directory, relative), contents);
  return Object.fromEntries(Object.keys(functionEntries).map((name) => [name, path.join(directory, name)]));
}

/** Renamed into place, so that a process reading it never sees half a file while another writes it. */
function writeOnce(file: string, contents: Uint8Array): void {
  if (existsSync(file)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  writeFileSync(partial, contents);
  renameSync(partial, file);
}
