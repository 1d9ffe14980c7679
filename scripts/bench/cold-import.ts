import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleHandler, bundleTwin, type Bundle, type FunctionEntry } from '../bundle';
import { benchDir, childEnv, median } from './environment';

/** A function's bundle as the stack builds it, and its bare twin's. */
export interface FunctionBundles {
  readonly entry: FunctionEntry;
  readonly handler: Bundle;
  /** The twin, built without the environment-only credential provider: what a plain default-SDK handler weighs. */
  readonly twin: Bundle;
  /** The same handler built with the SDK's default credential chain, as before the alias: size only. */
  readonly defaultChain: Bundle;
}

export interface FunctionResult extends FunctionBundles {
  readonly handlerImportMs: number;
  readonly twinImportMs: number;
  /** Median of handler/twin over runs, each pair timed back to back: steadier than a ratio of medians under load. */
  readonly importRatio: number;
}

/**
 * Every function as the stack bundles it (scripts/bundle.ts, `bundleHandler`),
 * its bare twin (`bundleTwin`: the same options without the alias, so the
 * default credential chain), and, for the size comparison only, the handler
 * itself with the alias removed.
 */
export function bundleFunctions(entries: readonly FunctionEntry[]): Promise<FunctionBundles[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const [handler, twin, defaultChain] = await Promise.all([
        bundleHandler(entry.entry),
        bundleTwin(entry.twin),
        bundleHandler(entry.entry, { alias: {} }),
      ]);
      return { entry, handler, twin, defaultChain };
    }),
  );
}

/**
 * Writes each handler and twin to `.bench/<name>/{handler,twin}/index.mjs` and
 * times their import in fresh processes: one unmeasured import each, then
 * `runs` runs, handler and twin back to back, the order alternating.
 */
export function measureColdImports(bundles: readonly FunctionBundles[], runs: number): FunctionResult[] {
  const files = bundles.map(({ entry, handler, twin }) => ({
    handler: writeBundle(entry.name, 'handler', handler),
    twin: writeBundle(entry.name, 'twin', twin),
  }));
  const samples = files.map(() => ({ handler: [] as number[], twin: [] as number[] }));
  // One unmeasured import each: loads the files into the page cache, and fails
  // fast if a bundle does not load or has no handler.
  files.forEach(({ handler, twin }) => [handler, twin].forEach(timeImport));
  for (let run = 0; run < runs; run++) {
    files.forEach((file, index) => {
      const order = run % 2 === 0 ? (['handler', 'twin'] as const) : (['twin', 'handler'] as const);
      for (const which of order) samples[index]![which].push(timeImport(file[which]));
    });
  }
  return bundles.map((bundle, index) => ({
    ...bundle,
    handlerImportMs: median(samples[index]!.handler),
    twinImportMs: median(samples[index]!.twin),
    importRatio: median(samples[index]!.handler.map((ms, run) => ms / samples[index]!.twin[run]!)),
  }));
}

function writeBundle(name: string, which: 'handler' | 'twin', bundle: Bundle): string {
  const dir = path.join(benchDir, name, which);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.mjs');
  writeFileSync(file, bundle.code);
  return file;
}

/**
 * Milliseconds to import (load, compile, evaluate) one bundle in a fresh Node.js
 * process, as Lambda's init phase does; process start-up is not counted.
 */
const importScript = `
const url = process.argv[1];
const start = process.hrtime.bigint();
const module = await import(url);
const elapsed = process.hrtime.bigint() - start;
if (typeof module.handler !== 'function') throw new Error(url + ' exports no handler');
process.stdout.write(String(Number(elapsed) / 1e6));
`;

function timeImport(file: string): number {
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', importScript, pathToFileURL(file).href], {
    env: childEnv,
    encoding: 'utf8',
  });
  const ms = Number(child.stdout);
  if (child.status !== 0 || !Number.isFinite(ms)) {
    throw new Error(`Importing ${file} failed (exit ${child.status}):\n${child.stderr}`);
  }
  return ms;
}
