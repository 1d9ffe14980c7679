import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { version as esbuildVersion } from 'esbuild';
import { functionBundleOptions } from '../../lib/bundling';
import { budgets, projectRoot, sizeDifference, type Bundle } from '../bundle';
import { cognitoQuotas, flowCeiling, type FlowCalls } from './aws-calls';
import type { FunctionResult } from './cold-import';
import type { SynthResult } from './synth-time';
import { warmInvocations, type WarmComparison, type WarmResult } from './warm-overhead';

export const docPath = path.join(projectRoot, 'docs', 'performance.md');

export interface ClientResult {
  readonly name: string;
  readonly entry: string;
  readonly bundle: Bundle;
}

export interface BenchResults {
  readonly functions: readonly FunctionResult[];
  readonly clients: readonly ClientResult[];
  readonly warm: WarmResult;
  readonly synth: SynthResult;
  /** The AWS calls of each sign-in and API flow, from a run through the local Cognito front. */
  readonly awsCalls: readonly FlowCalls[];
  /** Cold imports per bundle and warm rounds, as run. */
  readonly coldRuns: number;
  readonly warmRounds: number;
}

/**
 * Minified sizes (KB) in the last docs/performance.md before the
 * environment-only credential provider (commit aa94fe1, measured 2026-11-28):
 * each function with the SDK's default credential chain, as NodejsFunction built it.
 */
const previousMinifiedKB: Readonly<Record<string, number>> = {
  'set-up-totp': 339.8,
  'verify-totp-setup': 393.3,
  'fetch-mfa-preference': 330.8,
  'update-mfa-preference': 396.4,
  'set-up-sms': 332.0,
  'verify-sms': 392.4,
  'set-up-email': 446.2,
  'verify-email': 451.2,
  'sign-in': 337.9,
  'confirm-sign-in': 336.3,
  'triggers/define-auth-challenge': 450.6,
  'triggers/create-auth-challenge': 401.7,
  'triggers/verify-auth-challenge-response': 404.9,
};

const credentialAlias = Object.entries(functionBundleOptions.alias)
  .map(([from, to]) => `\`${from}\` → \`${to.replace(/^\.\//, '')}\``)
  .join(', ');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}x`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const micros = (value: number) => `${value.toFixed(2)} µs`;
const seconds = (value: number) => `${value.toFixed(2)} s`;
const percent = (value: number) => `${(value * 100).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? 'within' : '**over**');

const rounds = (comparison: WarmComparison) => comparison.roundOverheads.map((value) => value.toFixed(1)).join(', ');

/** First column left-aligned, the rest right-aligned unless listed in `textColumns`. */
function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], textColumns: readonly number[] = []): string {
  const align = header.map((_, index) => (index === 0 || textColumns.includes(index) ? ':--' : '--:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

function functionTable(results: readonly FunctionResult[]): string {
  return markdownTable(
    ['Function', 'Minified', 'Twin', 'Size ratio', 'Gzip', 'Twin gzip', 'Cold import', 'Twin import', 'Import ratio'],
    results.map((result) => [
      result.entry.name,
      kb(result.handler.bytes),
      kb(result.twin.bytes),
      ratio(result.handler.bytes, result.twin.bytes),
      kb(result.handler.gzipBytes),
      kb(result.twin.gzipBytes),
      ms(result.handlerImportMs),
      ms(result.twinImportMs),
      `${result.importRatio.toFixed(3)}x`,
    ]),
  );
}

/**
 * What our own code costs, like for like: each function with the default
 * credential chain (the alias removed) against its twin, which has it too.
 */
function differenceTable(results: readonly FunctionResult[]): string {
  return markdownTable(
    ['Function', 'Default chain', 'Twin', 'Ratio', 'Difference', 'Largest contributors (minified)'],
    results.map((result) => [
      result.entry.name,
      kb(result.defaultChain.bytes),
      kb(result.twin.bytes),
      ratio(result.defaultChain.bytes, result.twin.bytes),
      `+${kb(result.defaultChain.bytes - result.twin.bytes)}`,
      sizeDifference(result.defaultChain, result.twin)
        .slice(0, 6)
        .map(([origin, bytes]) => `${origin.replace(/^lambda\//, '')} ${kb(bytes)}`)
        .join(', '),
    ]),
    [5],
  );
}

/** The credential-provider change: the previous doc's sizes, and today's with and without the alias. */
function beforeAfterTable(results: readonly FunctionResult[]): string {
  return markdownTable(
    ['Function', 'Previous doc', 'Default chain now', 'Deployed now', 'Saving', 'Twin (default SDK)', 'Size ratio'],
    results.map((result) => {
      const previous = previousMinifiedKB[result.entry.name];
      return [
        result.entry.name,
        previous === undefined ? '–' : `${previous.toFixed(1)} KB`,
        kb(result.defaultChain.bytes),
        kb(result.handler.bytes),
        `−${kb(result.defaultChain.bytes - result.handler.bytes)} (${percent(1 - result.handler.bytes / result.defaultChain.bytes)})`,
        kb(result.twin.bytes),
        ratio(result.handler.bytes, result.twin.bytes),
      ];
    }),
  );
}

function clientTable(clients: readonly ClientResult[]): string {
  if (clients.length === 0) return `No client entry yet (scripts/bundle.ts, \`clientEntries\`).`;
  return markdownTable(
    ['Client', 'Minified', 'Gzip', 'Budget'],
    clients.map(({ name, bundle }) => [
      name,
      kb(bundle.bytes),
      kb(bundle.gzipBytes),
      `${verdict(bundle.gzipBytes < budgets.clientGzipBytes)} ${kb(budgets.clientGzipBytes)}`,
    ]),
  );
}

function warmTable(warm: WarmResult): string {
  const { stub, middyCore, awsSdkClientMock: sinon } = warm;
  return markdownTable(
    ['Warm invocation, fetch-mfa-preference, LOG_LEVEL=WARN', '`send` stubbed', 'aws-sdk-client-mock'],
    [
      ['Real handler (shared Middy stack)', micros(stub.handlerMicros), micros(sinon.handlerMicros)],
      ['Bare twin', micros(stub.twinMicros), micros(sinon.twinMicros)],
      ['**Overhead**: real − twin, median of per-round differences', `**${micros(stub.overheadMicros)}**`, micros(sinon.overheadMicros)],
      ['of which Middy core: twin in a bare `middy()` − twin', micros(middyCore.overheadMicros), '–'],
    ],
  );
}

const load = (synth: SynthResult) => synth.loadAtStart.map((value) => value.toFixed(2)).join(', ');

function synthVerdict(synth: SynthResult): string {
  const within = synth.medianSeconds < budgets.synthSeconds;
  const idle = synth.loadAtStart[0] < 0.5;
  return (
    `${within ? 'Within' : '**Over**'} the budget of ${budgets.synthSeconds} s: median ${seconds(synth.medianSeconds)}, ` +
    `on ${synth.cpus} CPU${synth.cpus === 1 ? '' : 's'} with a load average of ${synth.loadAtStart[0].toFixed(2)} at the start ` +
    `(${idle ? 'otherwise idle, as the budget assumes' : 'not idle, so the time is higher than the budget assumes'})` +
    (synth.cpus === 2 ? '' : `; the budget is for 2 cores, this machine has ${synth.cpus}`) +
    '.'
  );
}

function synthOutput(synth: SynthResult): string {
  const quote = (lines: readonly string[]) => lines.map((line) => `  > ${line}`).join('\n');
  const { cdk, app, esbuild, other } = synth.output;
  const parts = [
    esbuild.length === 0
      ? '- Nothing from esbuild.'
      : `- **${esbuild.length} line${esbuild.length === 1 ? '' : 's'} from esbuild**, which should print nothing:\n${quote(esbuild)}`,
    cdk.length === 0 ? "- No line of CDK's own." : `- CDK's own:\n${quote(cdk)}`,
    app.length === 0
      ? "- No warning of the app's."
      : `- The app's warnings about its settings (bin/app.ts; the bench synthesizes the defaults, whose emailFrom is an example):\n${quote(app)}`,
  ];
  if (other.length > 0) parts.push(`- **Anything else**:\n${quote(other)}`);
  return parts.join('\n');
}

const counted = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([operation, count]) => `${operation} ${count}`)
    .join(', ') || 'none';

function awsCallsTable(flows: readonly FlowCalls[]): string {
  const rows = flows.map((flow) => {
    const ceiling = flowCeiling(flow.cognito);
    return [
      flow.flow,
      counted(flow.cognito),
      counted(flow.dynamoDb),
      String(flow.sesSendEmail),
      String(flow.cognitoSms),
      ceiling.bounds.join(' and '),
      ceiling.perSecond.toFixed(0),
      ceiling.unknown.length === 0 ? '–' : `**no category checked for** ${ceiling.unknown.join(', ')}`,
    ];
  });
  rows.push(['recovery', 'not built yet', '–', '–', '–', '–', '–', '–']);
  return markdownTable(
    ['Flow', 'Cognito operations', 'DynamoDB', 'SES SendEmail', 'SMS sent by Cognito', 'Bound by', 'Ceiling (flows/s)', 'Notes'],
    rows,
    [1, 2, 5, 7],
  );
}

function quotaTable(): string {
  return markdownTable(
    ['Category', 'Default quota (RPS)', 'Operations placed in it here'],
    Object.entries(cognitoQuotas).map(([category, quota]) => [category, String(quota.requestsPerSecond), quota.operations.join(', ')]),
    [2],
  );
}

/** The tables, for the terminal. */
export function renderTables(results: BenchResults): string {
  const synth = results.synth;
  return [
    functionTable(results.functions),
    differenceTable(results.functions),
    warmTable(results.warm),
    clientTable(results.clients),
    awsCallsTable(results.awsCalls),
    `Synth: ${synth.seconds.map(seconds).join(', ')}; median ${seconds(synth.medianSeconds)}; load at start ${load(synth)}; ` +
      `esbuild lines ${synth.output.esbuild.length}, other lines ${synth.output.other.length}`,
  ].join('\n\n');
}

function budgetLines({ functions, clients, warm, synth }: BenchResults): string[] {
  const worst = (value: (result: FunctionResult) => number) => functions.reduce((a, b) => (value(b) > value(a) ? b : a));
  const worstSize = worst((result) => result.handler.bytes / result.twin.bytes);
  const sizeRatio = worstSize.handler.bytes / worstSize.twin.bytes;
  const worstOwn = worst((result) => result.defaultChain.bytes / result.twin.bytes);
  const worstImport = worst((result) => result.importRatio);
  const client =
    clients.length === 0
      ? 'no client yet'
      : clients
          .map(({ name, bundle }) => `${name} ${kb(bundle.gzipBytes)}: ${verdict(bundle.gzipBytes < budgets.clientGzipBytes)}`)
          .join('; ');
  return [
    `- **Bundle size** at most ${budgets.sizeRatio}x the bare twin's, minified; asserted by test/cdk/bundle-size.test.ts. ` +
      `Largest: ${worstSize.entry.name}, ${ratio(worstSize.handler.bytes, worstSize.twin.bytes)}: ${verdict(sizeRatio <= budgets.sizeRatio)}. ` +
      `That ratio now includes what the credential alias saves; like for like (default chain on both sides) the largest is ` +
      `${worstOwn.entry.name}, ${ratio(worstOwn.defaultChain.bytes, worstOwn.twin.bytes)}: ` +
      `${verdict(worstOwn.defaultChain.bytes <= budgets.sizeRatio * worstOwn.twin.bytes)} (reported only).`,
    `- **Cold import time** at most ${budgets.importRatio}x the bare twin's (median of paired per-run ratios); reported only (timings are too noisy for CI). ` +
      `Largest: ${worstImport.entry.name}, ${worstImport.importRatio.toFixed(3)}x: ${verdict(worstImport.importRatio <= budgets.importRatio)}.`,
    `- **Shared stack overhead** at most ${budgets.warmOverheadMicros} µs per warm invocation at LOG_LEVEL=WARN; reported only. ` +
      `Measured ${micros(warm.stub.overheadMicros)} (\`send\` stubbed): ${verdict(warm.stub.overheadMicros <= budgets.warmOverheadMicros)}.`,
    `- **Client** (client/) under ${kb(budgets.clientGzipBytes)} gzipped: ${client}.`,
    `- **Synth time** (\`npm run synth\` from a clean cdk.out) under ${budgets.synthSeconds} s on 2 cores, the machine otherwise idle; reported only. ` +
      `Median ${seconds(synth.medianSeconds)} on ${synth.cpus} CPUs at load ${synth.loadAtStart[0].toFixed(2)}: ` +
      `${verdict(synth.medianSeconds < budgets.synthSeconds)}.`,
  ];
}

function renderReport(results: BenchResults): string {
  const { functions, clients, warm, synth, awsCalls, coldRuns, warmRounds } = results;
  const cpus = os.cpus();
  const machine = `${os.availableParallelism()} CPU${os.availableParallelism() === 1 ? '' : 's'}${cpus[0] ? ` (${cpus[0].model.trim()})` : ''}, ${os.platform()} ${os.arch()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  const totals = functions.reduce(
    (sum, result) => ({
      previous: sum.previous + (previousMinifiedKB[result.entry.name] ?? 0),
      defaultChain: sum.defaultChain + result.defaultChain.bytes,
      handler: sum.handler + result.handler.bytes,
    }),
    { previous: 0, defaultChain: 0, handler: 0 },
  );
  const totop = functions.find((result) => result.entry.name === 'set-up-totp');
  return `# Performance

Generated by \`npm run bench\` (scripts/bench.ts and scripts/bench/) on ${new Date().toISOString().slice(0, 10)}: do not edit by hand, run it again.

Machine: ${machine}; Node.js ${process.version}, esbuild ${esbuildVersion}. A shared machine: expect a few percent of noise in the times.
Lambda runs Node.js 24 on arm64${process.arch === 'arm64' ? '' : `, this is ${process.arch}`}, so absolute times there differ; the ratios are what the budgets hold.

## How it is measured

- **Bundles.** The stack does not use NodejsFunction's per-function esbuild runs: lib/bundling.ts bundles
  every function (one per route of contract/routes.ts, plus the triggers it lists) in one esbuild pass,
  with the options \`functionBundleOptions\`: ESM \`index.mjs\`, platform node, target node24, main fields
  module,main, minified, tree-shaken, AWS SDK bundled, no source maps, and an esbuild alias,
  ${credentialAlias}, that replaces the SDK's default credential chain by the environment variables
  Lambda sets (that file says what is left out). scripts/bundle.ts builds each function alone with the
  same options, which gives the same bytes (test/cdk/bundle-size.test.ts checks it against the stack's
  own pass). Each is set against its **bare twin** (scripts/bare-twins/): a handler that sends the same
  AWS SDK commands with the same clients and has no Middy, no validation and no logger, bundled with the
  same options **without** the alias, as a plain default-SDK handler would be: the size ratio shows our
  code's cost net of what the alias saves. For our code's cost alone, each function is also built with
  the alias removed ("default chain"), size only. Gzip is zlib's default level.
- **Cold import.** Each bundle is written to \`.bench/\` and imported in a fresh \`node\` process
  (\`import()\` timed with \`process.hrtime\`, process start-up excluded), ${coldRuns} runs per bundle
  after one unmeasured run, handler and twin back to back in alternating order. The table shows the
  median times, and as the import ratio the median of the per-run ratios (each pair shares the
  machine's load at that moment, which a ratio of medians does not). Environment:
  AWS_REGION=us-east-1, LOG_LEVEL=WARN, and the rest of what the stack sets, email MFA on.
- **Warm overhead.** The real fetch-mfa-preference handler against its bare twin, both bundled as above
  but with the Cognito client package left external so that it can be mocked, imported as ES modules, at
  LOG_LEVEL=WARN, with a Lambda-like context (\`getRemainingTimeInMillis\`, so Middy arms its early-timeout
  timer), in a child process of its own: ${warmRounds} rounds of ${warmInvocations.toLocaleString('en-US')} sequential invocations each, order rotating; the overhead
  is the median of the per-round differences. It covers Middy, our three middlewares and the route's
  own work (token and claims checks, response headers, mapping the user to Amplify's shape). The
  Cognito client (both send GetUser and AdminGetUser) is mocked twice: by a plain stub of \`send\` returning a canned user (the budgeted
  number), and by aws-sdk-client-mock for reference. The latter is sinon, which records every call and
  throws an Error per call to keep its stack: ~20 µs a call, noisy, and dearer the deeper the caller's
  stack, so it bills the real handler for the mock's own work. A third handler, the twin inside a bare
  \`middy()\`, shows Middy's own share. The credential alias plays no part here: \`send\` is mocked.
- **Synth time.** \`npm run synth\` (\`cdk synth --quiet\`, the app's default settings) as a fresh child
  process, ${synth.runs} runs, cdk.out deleted before each so that the bundling pass is included, timed from
  spawn to exit (npm and Node.js start-up included). What it printed is sorted below by who printed it.

## Results

${functionTable(functions)}

What our own code adds, like for like: each function built with the default credential chain (the alias
removed) against its twin:

${differenceTable(functions)}

${warmTable(warm)}

Per-round overheads, µs: \`send\` stubbed ${rounds(warm.stub)}; Middy core ${rounds(warm.middyCore)};
aws-sdk-client-mock ${rounds(warm.awsSdkClientMock)}.

${clientTable(clients)}

## AWS calls per flow

Counted by scripts/bench/aws-calls.ts from one run of each flow through the local stack of the
integration tests (test/support/local-stack.ts): the Cognito front (local/cognito-front.ts) in
front of cognito-local, with the real Define, Create, Verify and Pre Token Generation triggers, dynalite
for the table, and the real API handlers behind the API Gateway stand-in (local/api-adapter.ts).
Each sign-in is the public client's \`CUSTOM_AUTH\` with \`SRP_A\`, as Amplify's \`CUSTOM_WITH_SRP\` starts
it: \`InitiateAuth\` (answered \`PASSWORD_VERIFIER\`), \`RespondToAuthChallenge\` with the password, and for
TOTP, SMS and email MFA one more \`RespondToAuthChallenge\` with the right code. \`GET /mfa/preference\` is
one request with the access token of a signed-in user. Each flow uses a user of its own, set up before the
count starts, after one unmeasured warm-up sign-in.

- **Counted**: every Cognito request the front receives, by operation: the client's own calls and those
  the triggers and handlers send through the SDK (their endpoint is the front's). DynamoDB requests by
  operation, through a counting proxy in front of dynalite. SES \`SendEmail\` calls (aws-sdk-client-mock,
  test/support/ses-mock.ts). The SMS codes Cognito itself sends for SMS MFA (the front records them).
- **Not counted**: what the front asks cognito-local to do the work (it stands for Cognito's
  internals); Lambda invocations of the triggers; SSM \`GetParameter\` (mocked, read once per trigger
  container, so paid by the warm-up); CloudWatch Logs; SNS (none of these flows publishes: Cognito sends
  the SMS MFA code). Wrong codes, retries and throttled calls are not run. An email-MFA user with a factor
  turned on outside the API also pays one \`AdminSetUserMFAPreference\` (UserUpdate, 25/s) at that sign-in,
  and one more SES email (the notice); that case is not in the table.

${awsCallsTable(awsCalls)}

**Ceilings** are the flows per second one AWS account and Region can run before Cognito throttles, at the
default quotas, with nothing else calling Cognito: for each category, its quota divided by the flow's calls
in it, the smallest bounding. Cognito counts \`RespondToAuthChallenge\` against a separate allowance of three
times the UserAuthentication quota and only the excess against the category, so with at most three answers
per \`InitiateAuth\` the \`InitiateAuth\` calls alone bound a flow there. DynamoDB (on-demand) and SES have their own account quotas, not set against here.
The default quotas are from "Quotas in Amazon Cognito"
(https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html), as its source in
https://github.com/awsdocs/amazon-cognito-developer-guide (doc_source/limits.md, the last published copy)
gives the table: the operations of each category are not listed in that copy, so the mapping below is from
the categories' descriptions ("retrieve a user", "manage users and user attributes") and the page's own
examples (\`InitiateAuth\`, \`RespondToAuthChallenge\` in UserAuthentication); the live page could not be
read here to check that the numbers are unchanged. Check your account's quotas in the Service Quotas
console. That page also sets per-user quotas of 10 read and 10 write requests per second per user, which
these flows stay far below.

${quotaTable()}

## Before/after: the environment-only credential provider

The previous version of this document (commit aa94fe1, measured 2026-11-28, before lib/bundling/env-credentials.ts)
bundled every function with the SDK's default credential chain${totop ? `: set-up-totp was ${(previousMinifiedKB['set-up-totp'] ?? 0).toFixed(1)} KB minified, and is ${kb(totop.handler.bytes)} now` : ''}.
The twin column above now **is** that default-SDK size: the twins are still built without the alias, so a
size ratio under 1 is the saving, net of our code. "Default chain now" is today's code with the alias
removed, which differs from the previous document by whatever else changed in between; "Saving" is
what the alias takes off it. All ${functions.length} functions: ${totals.previous.toFixed(1)} KB in the previous document,
${kb(totals.defaultChain)} with the default chain now, ${kb(totals.handler)} deployed
(−${percent(1 - totals.handler / totals.defaultChain)}). Cold imports shrink with the bundles: compare the two import columns.

${beforeAfterTable(functions)}

## Synth time

${synthVerdict(synth)}

Runs, each from a clean cdk.out: ${synth.seconds.map(seconds).join(', ')}. Load average at the start (1, 5, 15 minutes): ${load(synth)}.

What \`npm run synth\` printed besides npm's own \`> cognito-mfa-service synth\` header, across the runs:

${synthOutput(synth)}

## Budgets

${budgetLines(results).join('\n')}
`;
}

/** Writes docs/performance.md. */
export function writeReport(results: BenchResults): void {
  writeFileSync(docPath, renderReport(results));
}
