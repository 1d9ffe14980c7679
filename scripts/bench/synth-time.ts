import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../bundle';
import { median } from './environment';

/** What a developer waits for: `npm run synth` (`cdk synth --quiet`), bundling included. */
export interface SynthResult {
  readonly runs: number;
  /** Seconds of each run, in order. */
  readonly seconds: readonly number[];
  readonly medianSeconds: number;
  /** os.loadavg() (1, 5, 15 minutes) when the first run started. */
  readonly loadAtStart: readonly [number, number, number];
  readonly cpus: number;
  /** Lines printed by any run, once each, by who printed them. npm's own `> ...` header is left out. */
  readonly output: {
    /** CDK's own lines, such as its feature-flag notice. */
    readonly cdk: readonly string[];
    /** The app's own warnings about its settings (bin/app.ts, lib/config.ts), on stderr. */
    readonly app: readonly string[];
    /** Lines from esbuild (its `▲ [WARNING]` / `✘ [ERROR]` blocks and what follows them). */
    readonly esbuild: readonly string[];
    /** Anything else. */
    readonly other: readonly string[];
  };
}

const cdkLine = /feature flags are not configured|^Successfully synthesized|^Supply a stack id|^NOTICES|cdk acknowledge/;
const appLine = /^Warning: /;
const esbuildLine = /^\s*[▲✘] \[(WARNING|ERROR)\]|esbuild/i;

/**
 * Runs `npm run synth` `runs` times, each as a fresh child process from a
 * clean cdk.out (deleted before each run, so that the one bundling pass of
 * lib/bundling.ts is included every time), and times each run from spawn to exit.
 */
export function measureSynthTime(runs: number): SynthResult {
  const loadAtStart = os.loadavg() as [number, number, number];
  const seconds: number[] = [];
  const lines = new Set<string>();
  for (let run = 0; run < runs; run++) {
    rmSync(path.join(projectRoot, 'cdk.out'), { recursive: true, force: true });
    const start = process.hrtime.bigint();
    const child = spawnSync('npm', ['run', 'synth'], {
      cwd: projectRoot,
      env: process.env,
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    });
    const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    if (child.error) throw child.error;
    if (child.status !== 0) {
      throw new Error(`npm run synth failed (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
    }
    seconds.push(elapsed);
    for (const line of `${child.stdout}\n${child.stderr}`.split('\n')) {
      const trimmed = line.trimEnd();
      // npm's own header: the script's name and its command.
      if (trimmed === '' || trimmed.startsWith('> ')) continue;
      lines.add(trimmed);
    }
  }
  const all = [...lines];
  const esbuild = all.filter((line) => esbuildLine.test(line));
  const cdk = all.filter((line) => !esbuild.includes(line) && cdkLine.test(line));
  const app = all.filter((line) => !esbuild.includes(line) && !cdk.includes(line) && appLine.test(line));
  const other = all.filter((line) => !esbuild.includes(line) && !cdk.includes(line) && !app.includes(line));
  return {
    runs,
    seconds,
    medianSeconds: median(seconds),
    loadAtStart,
    cpus: os.availableParallelism(),
    output: { cdk, app, esbuild, other },
  };
}
