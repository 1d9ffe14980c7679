/**
 * Builds functions exactly as the stack does, for `npm run bench` and
 * test/cdk/bundle-size.test.ts, and says what is measured against what.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';
import { functionBundleOptions, functionEntries, projectRoot } from '../lib/bundling';

export { projectRoot };

/** One function alone, as the stack's bundling pass builds it (lib/bundling.ts). */
export const lambdaEsbuildOptions: BuildOptions = { ...functionBundleOptions, outfile: 'index.mjs' };

/**
 * The bare twins are plain default-SDK handlers: the stack's options without
 * the environment-only credential provider, so that the bench shows what it saves.
 */
const { alias: _credentialProvider, ...twinEsbuildOptions } = lambdaEsbuildOptions;

/**
 * The browser client (client/): an ES module for a web app's bundler, so what
 * counts is what it adds to the app, minified and gzipped.
 */
export const clientEsbuildOptions: BuildOptions = {
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  outfile: 'client.mjs',
  absWorkingDir: projectRoot,
};

export interface Bundle {
  readonly code: string;
  /** Minified bytes, as deployed. */
  readonly bytes: number;
  /** Bytes after gzip at zlib's default level: roughly what the deployment zip holds. */
  readonly gzipBytes: number;
  /** Minified bytes each input file contributes, by path relative to the project root. */
  readonly inputs: Readonly<Record<string, number>>;
}

/**
 * Bundles one function entry (path relative to the project root, or absolute)
 * as the stack does; `overrides` only for measurements that need a variant.
 */
export function bundleHandler(entry: string, overrides: BuildOptions = {}): Promise<Bundle> {
  return bundle(entry, { ...lambdaEsbuildOptions, ...overrides });
}

export function bundleTwin(entry: string): Promise<Bundle> {
  return bundle(entry, twinEsbuildOptions);
}

export function bundleClient(entry: string): Promise<Bundle> {
  return bundle(entry, clientEsbuildOptions);
}

async function bundle(entry: string, options: BuildOptions): Promise<Bundle> {
  const result = await build({
    ...options,
    entryPoints: [path.resolve(projectRoot, entry)],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output, ...more] = result.outputFiles;
  if (!output || more.length > 0) {
    throw new Error(`Expected one output file for ${entry}, got ${result.outputFiles.length}`);
  }
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  return {
    code: output.text,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents).byteLength,
    inputs: Object.fromEntries(Object.entries(inputs).map(([file, { bytesInOutput }]) => [file, bytesInOutput])),
  };
}

/**
 * What a bundle has that its twin has not: minified bytes by package (for
 * node_modules) or by file (our own code), largest first.
 */
export function sizeDifference(bundle: Bundle, twin: Bundle): [string, number][] {
  const byOrigin = (inputs: Readonly<Record<string, number>>) => {
    const totals = new Map<string, number>();
    for (const [file, bytes] of Object.entries(inputs)) {
      const origin = originOf(file);
      totals.set(origin, (totals.get(origin) ?? 0) + bytes);
    }
    return totals;
  };
  const twinTotals = byOrigin(twin.inputs);
  return [...byOrigin(bundle.inputs)]
    .map(([origin, bytes]): [string, number] => [origin, bytes - (twinTotals.get(origin) ?? 0)])
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1]);
}

function originOf(file: string): string {
  const marker = 'node_modules/';
  const at = file.lastIndexOf(marker);
  if (at < 0) return file;
  const [scope = '', name = ''] = file.slice(at + marker.length).split('/');
  return scope.startsWith('@') ? `${scope}/${name}` : scope;
}

/** A deployed function and its bare twin: the same AWS SDK client and commands, none of our code around them. */
export interface FunctionEntry {
  /** Shown in the table. */
  readonly name: string;
  /** Relative to the project root. */
  readonly entry: string;
  readonly twin: string;
}

/** Every function of the stack (lib/bundling.ts, `functionEntries`), each with its twin at scripts/bare-twins/<name>.ts. */
export function functionsWithTwins(): FunctionEntry[] {
  return Object.entries(functionEntries).map(([name, entry]) => ({ name, entry, twin: `scripts/bare-twins/${name}.ts` }));
}

/** Budgets of docs/performance.md. Only the size budgets are asserted by a test; times are reported. */
export const budgets = {
  /** A function's minified bundle at most this multiple of its bare twin's (test/cdk/bundle-size.test.ts). */
  sizeRatio: 1.15,
  /** A function's median cold import time at most this multiple of its twin's (reported only). */
  importRatio: 1.15,
  /** Warm per-invocation cost of the shared Middy stack at LOG_LEVEL=WARN, in microseconds (reported only). */
  warmOverheadMicros: 10,
  /** The browser client, gzipped. */
  clientGzipBytes: 5 * 1024,
  /** `npm run synth` from a clean cdk.out, in seconds, on 2 cores with the machine otherwise idle (reported only). */
  synthSeconds: 10,
} as const;

/** Browser client entries (relative to the project root), measured against `budgets.clientGzipBytes`. */
export const clientEntries: readonly { readonly name: string; readonly entry: string }[] = [{ name: 'client', entry: 'client/index.ts' }];

export function exists(relativePath: string): boolean {
  return existsSync(path.resolve(projectRoot, relativePath));
}
