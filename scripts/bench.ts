import path from 'node:path';
import { bundleClient, clientEntries, functionsWithTwins, projectRoot } from './bundle';
import { runAwsCallsChild } from './bench/aws-calls';
import { bundleFunctions, measureColdImports } from './bench/cold-import';
import { docPath, renderTables, writeReport } from './bench/report';
import { measureSynthTime } from './bench/synth-time';
import { runWarmOverheadChild } from './bench/warm-overhead';

/**
 * `npm run bench`: bundles every function as the stack does and sets it against
 * its bare twin (scripts/bare-twins/): bundle size, median cold import time
 * (scripts/bench/cold-import.ts), the warm per-invocation cost of the shared
 * Middy stack (scripts/bench/warm-overhead.ts), and how long `npm run synth`
 * takes (scripts/bench/synth-time.ts), and the AWS calls of each sign-in and API
 * flow through the local Cognito front with the ceiling each gives at the default
 * Cognito quotas (scripts/bench/aws-calls.ts). Writes docs/performance.md
 * (scripts/bench/report.ts) and prints the tables.
 *
 * BENCH_SYNTH_RUNS (default 3) sets the synth runs, BENCH_RUNS (default 15) the
 * cold imports per bundle, BENCH_ROUNDS (default 9) the warm rounds.
 */
const synthRuns = Number(process.env.BENCH_SYNTH_RUNS ?? 3);
const coldRuns = Number(process.env.BENCH_RUNS ?? 15);
const warmRounds = Number(process.env.BENCH_ROUNDS ?? 9);

async function main(): Promise<void> {
  // First, while the machine carries none of the bench's own load.
  console.error(`Timing npm run synth: ${synthRuns} runs, each from a clean cdk.out...`);
  const synth = measureSynthTime(synthRuns);

  const entries = functionsWithTwins();
  console.error(`Bundling ${entries.length} functions and their twins...`);
  const bundles = await bundleFunctions(entries);
  const clients = await Promise.all(clientEntries.map(async (client) => ({ ...client, bundle: await bundleClient(client.entry) })));

  console.error(`Timing cold imports: ${coldRuns} runs per bundle, handler and twin alternating...`);
  const functions = measureColdImports(bundles, coldRuns);

  console.error(`Timing warm invocations: ${warmRounds} rounds...`);
  const warm = runWarmOverheadChild(warmRounds);

  console.error('Counting the AWS calls of each flow through the local Cognito front...');
  const awsCalls = runAwsCallsChild();

  const results = { functions, clients, warm, synth, awsCalls, coldRuns, warmRounds };
  writeReport(results);
  console.log(renderTables(results));
  console.error(`Wrote ${path.relative(projectRoot, docPath)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
