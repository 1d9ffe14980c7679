import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { version as esbuildVersion } from 'esbuild';
import {
  apiEnvironment,
  loggingEnvironment,
  sendCapsEnvironment,
  triggerEnvironment,
  type EmailMfaSettings,
} from '../contract/environment';
import {
  budgets,
  bundleClient,
  bundleHandler,
  bundleTwin,
  clientEntries,
  functionsWithTwins,
  projectRoot,
  sizeDifference,
  type Bundle,
  type FunctionEntry,
} from './bundle';

/**
 * `npm run bench`: bundles every function as the stack does and sets it against
 * its bare twin (scripts/bare-twins/): bundle size, median cold import time,
 * and the warm per-invocation cost of the shared Middy stack. Writes
 * docs/performance.md and prints the table.
 *
 * BENCH_RUNS (default 15) sets the cold imports per bundle, BENCH_ROUNDS
 * (default 9) the warm rounds.
 */
const coldRuns = Number(process.env.BENCH_RUNS ?? 15);
const warmRounds = Number(process.env.BENCH_ROUNDS ?? 9);
const warmInvocations = 20_000;
const warmOverheadFlag = '--warm-overhead';

const benchEmailMfa: EmailMfaSettings = {
  tableName: 'bench',
  codeLength: 6,
  codeTtlSeconds: 300,
  failureBudget: { maxFailures: 10, windowSeconds: 900, lockSeconds: 900 },
};

/**
 * The environment of every measuring child: what a function sees in Lambda
 * (lib/mfa-service-stack.ts, email MFA on), logging at WARN. The API
 * functions and the triggers read theirs at import and refuse to load without it.
 */
const childEnv: NodeJS.ProcessEnv = {
  AWS_REGION: 'us-east-1',
  ...loggingEnvironment.encode({ logLevel: 'WARN', serviceName: 'bench' }),
  ...apiEnvironment.encode({
    appName: 'Bench',
    userPoolId: 'us-east-1_Bench',
    serverClientId: 'bench-server-client',
    emailFrom: 'no-reply@example.com',
    stepUpMaxAgeSeconds: 900,
    corsAllowedOrigins: [],
    emailMfa: benchEmailMfa,
  }),
  ...triggerEnvironment.encode({
    appName: 'Bench',
    emailFrom: 'no-reply@example.com',
    clientsParameter: '/bench/app-clients',
    mfaMode: 'OPTIONAL',
    emailMfa: benchEmailMfa,
  }),
  ...sendCapsEnvironment.encode({
    tableName: benchEmailMfa.tableName,
    emailCodes: { max: 5, windowSeconds: 900 },
    sms: { numbersPerDay: 3, textsPerHour: 5, cooldownSeconds: 60, allowedCountries: ['1'] },
  }),
};

const benchDir = path.join(projectRoot, '.bench');
const docPath = path.join(projectRoot, 'docs', 'performance.md');

interface FunctionResult {
  readonly entry: FunctionEntry;
  readonly handler: Bundle;
  readonly twin: Bundle;
  readonly handlerImportMs: number;
  readonly twinImportMs: number;
  /** Median of handler/twin over runs, each pair timed back to back: steadier than a ratio of medians under load. */
  readonly importRatio: number;
}

interface WarmComparison {
  readonly handlerMicros: number;
  readonly twinMicros: number;
  /** Median over rounds of (handler - twin) in the same round. */
  readonly overheadMicros: number;
  readonly roundOverheads: readonly number[];
}

interface WarmResult {
  /** The real handler against the twin, `send` stubbed: the budgeted number. */
  readonly stub: WarmComparison;
  /** The twin inside a bare `middy()` against the twin, `send` stubbed: Middy's own share. */
  readonly middyCore: WarmComparison;
  /** The real handler against the twin under aws-sdk-client-mock, for reference. */
  readonly awsSdkClientMock: WarmComparison;
}

async function main(): Promise<void> {
  if (process.argv.includes(warmOverheadFlag)) {
    process.stdout.write(JSON.stringify(await measureWarmOverhead()));
    return;
  }

  const entries = functionsWithTwins();
  console.error(`Bundling ${entries.length} functions and their twins...`);
  const bundles = await Promise.all(
    entries.map(async (entry) => {
      const [handler, twin] = await Promise.all([bundleHandler(entry.entry), bundleTwin(entry.twin)]);
      return { entry, handler, twin };
    }),
  );
  const clients = await Promise.all(clientEntries.map(async (client) => ({ ...client, bundle: await bundleClient(client.entry) })));

  const files = bundles.map(({ entry, handler, twin }) => ({
    handler: writeBundle(entry.name, 'handler', handler),
    twin: writeBundle(entry.name, 'twin', twin),
  }));
  console.error(`Timing cold imports: ${coldRuns} runs per bundle, handler and twin alternating...`);
  const samples = files.map(() => ({ handler: [] as number[], twin: [] as number[] }));
  // One unmeasured import each: loads the files into the page cache, and fails
  // fast if a bundle does not load or has no handler.
  files.forEach(({ handler, twin }) => [handler, twin].forEach(timeImport));
  for (let run = 0; run < coldRuns; run++) {
    files.forEach((file, index) => {
      const order = run % 2 === 0 ? (['handler', 'twin'] as const) : (['twin', 'handler'] as const);
      for (const which of order) samples[index]![which].push(timeImport(file[which]));
    });
  }
  const results: FunctionResult[] = bundles.map((bundle, index) => ({
    ...bundle,
    handlerImportMs: median(samples[index]!.handler),
    twinImportMs: median(samples[index]!.twin),
    importRatio: median(samples[index]!.handler.map((ms, run) => ms / samples[index]!.twin[run]!)),
  }));

  console.error(`Timing warm invocations: ${warmRounds} rounds of ${warmInvocations}...`);
  const warm = runWarmOverheadChild();

  const report = renderReport(results, clients, warm);
  writeFileSync(docPath, report);
  console.log(renderTables(results, clients, warm));
  console.error(`Wrote ${path.relative(projectRoot, docPath)}`);
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

/** Runs the warm measurement in a fresh process, so that LOG_LEVEL=WARN holds when the modules load. */
function runWarmOverheadChild(): WarmResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, warmOverheadFlag], {
    cwd: projectRoot,
    env: { ...childEnv, BENCH_ROUNDS: String(warmRounds), PATH: process.env.PATH },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`Warm overhead run failed (exit ${child.status}):\n${child.stderr}`);
  return JSON.parse(child.stdout) as WarmResult;
}

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * The real fetch-mfa-preference handler against its bare twin (and the twin
 * inside a bare `middy()`, to split Middy's own cost from ours), many
 * invocations per round, the order rotating. Both are the deployed bundles
 * except that the Cognito client package is left external, so that its `send`
 * can be mocked: the SDK's own stack is not run and not counted. They are
 * loaded as ES modules, as in Lambda, and not through tsx, which would
 * transform them.
 *
 * Both send GetUser (the caller's token, so that a revoked one is refused) and
 * AdminGetUser, in parallel. Two mocks: a plain stub of `send` answering both
 * with the same canned user, which is what the budget is held to, and
 * aws-sdk-client-mock for reference. The latter is sinon underneath, which
 * records every call and throws an Error per call to keep its stack: that
 * costs ~20 µs, varies a lot on a shared machine, and costs more the deeper
 * the caller's stack is, so it bills the real handler for the mock's own work.
 */
async function measureWarmOverhead(): Promise<WarmResult> {
  const sdkPackage = '@aws-sdk/client-cognito-identity-provider';
  const dir = path.join(benchDir, 'warm');
  mkdirSync(dir, { recursive: true });
  const load = async (name: string, code: string): Promise<unknown> => {
    const file = path.join(dir, name);
    writeFileSync(file, code);
    return import(pathToFileURL(file).href);
  };
  // Imported from .bench/warm/ as the bundles import it, so that it is the same module instance.
  const { CognitoIdentityProviderClient, AdminGetUserCommand, GetUserCommand, middy } = (await load(
    'deps.mjs',
    `export * from '${sdkPackage}';\nexport { default as middy } from '@middy/core';\n`,
  )) as typeof import('@aws-sdk/client-cognito-identity-provider') & { middy: typeof import('@middy/core').default };
  const { mockClient } = await import('aws-sdk-client-mock');
  const loadHandler = async (name: string, entry: string) => {
    const { code } = await bundleHandler(entry, { external: [sdkPackage] });
    return ((await load(name, code)) as { handler: ProxyHandler }).handler;
  };
  const real = await loadHandler('handler.mjs', 'lambda/api/fetch-mfa-preference.ts');
  const twin = await loadHandler('twin.mjs', 'scripts/bare-twins/fetch-mfa-preference.ts');
  const twinInMiddy = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>().handler(twin) as ProxyHandler;

  const user = {
    $metadata: {},
    Username: 'bench-user',
    UserAttributes: [
      { Name: 'sub', Value: '00000000-0000-0000-0000-000000000000' },
      { Name: 'email', Value: 'bench@example.com' },
    ],
    UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
    PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
  };
  const event = {
    resource: '/mfa/preference',
    path: '/mfa/preference',
    httpMethod: 'GET',
    headers: { Authorization: 'Bearer bench-access-token', Host: 'api.example.com' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: {
      authorizer: { claims: { sub: '00000000-0000-0000-0000-000000000000', username: 'bench-user', auth_time: '1700000000' } },
    },
  } as unknown as APIGatewayProxyEvent;
  // Lambda's context has getRemainingTimeInMillis, which makes Middy arm its early-timeout timer.
  const context = {
    awsRequestId: 'bench-request',
    functionName: 'bench',
    getRemainingTimeInMillis: () => 10_000,
  } as unknown as Context;

  /** Cognito calls each invocation must make: GetUser and AdminGetUser. */
  const callsPerInvocation = 2;

  /** Runs each handler once (they must answer 200) and then in timed rounds; per-invocation µs per round. */
  const measure = async (handlers: readonly ProxyHandler[], callsSince: () => number, resetCalls: () => void): Promise<number[][]> => {
    const timeLoop = async (handler: ProxyHandler, invocations: number): Promise<number> => {
      resetCalls();
      const start = process.hrtime.bigint();
      for (let i = 0; i < invocations; i++) await handler(event, context);
      const micros = Number(process.hrtime.bigint() - start) / 1e3 / invocations;
      // Every invocation must have gone through the mock, or something else was measured.
      if (callsSince() !== invocations * callsPerInvocation) {
        throw new Error(`Expected ${invocations * callsPerInvocation} mocked GetUser and AdminGetUser calls, saw ${callsSince()}`);
      }
      return micros;
    };
    for (const handler of handlers) {
      resetCalls();
      const response = await handler(event, context);
      if (response.statusCode !== 200 || callsSince() !== callsPerInvocation) {
        throw new Error(`A warm bench handler answered ${JSON.stringify(response)} after ${callsSince()} GetUser and AdminGetUser calls`);
      }
      await timeLoop(handler, warmInvocations / 4);
    }
    const samples = handlers.map((): number[] => []);
    for (let round = 0; round < warmRounds; round++) {
      for (let k = 0; k < handlers.length; k++) {
        const index = (round + k) % handlers.length;
        samples[index]!.push(await timeLoop(handlers[index]!, warmInvocations));
      }
    }
    return samples;
  };

  const mock = mockClient(CognitoIdentityProviderClient);
  mock.on(AdminGetUserCommand).resolves(user);
  mock.on(GetUserCommand).resolves(user);
  const [realSinon, twinSinon] = await measure(
    [real, twin],
    () => mock.commandCalls(AdminGetUserCommand).length + mock.commandCalls(GetUserCommand).length,
    () => mock.resetHistory(),
  );
  mock.restore();

  let calls = 0;
  CognitoIdentityProviderClient.prototype.send = function send(command: unknown) {
    if (!(command instanceof AdminGetUserCommand || command instanceof GetUserCommand)) {
      throw new Error('The warm bench stub answers GetUser and AdminGetUser only');
    }
    calls++;
    return Promise.resolve(user);
  } as InstanceType<typeof CognitoIdentityProviderClient>['send'];
  const [realStub, twinStub, middyStub] = await measure(
    [real, twin, twinInMiddy],
    () => calls,
    () => (calls = 0),
  );

  return {
    stub: summarize(realStub!, twinStub!),
    middyCore: summarize(middyStub!, twinStub!),
    awsSdkClientMock: summarize(realSinon!, twinSinon!),
  };
}

function summarize(handler: readonly number[], twin: readonly number[]): WarmComparison {
  const roundOverheads = handler.map((micros, round) => micros - twin[round]!);
  return {
    handlerMicros: median(handler),
    twinMicros: median(twin),
    overheadMicros: median(roundOverheads),
    roundOverheads,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(3)}x`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const micros = (value: number) => `${value.toFixed(2)} µs`;
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

/** The few largest contributors to each function's size difference from its twin. */
function differenceTable(results: readonly FunctionResult[]): string {
  return markdownTable(
    ['Function', 'Difference', 'Largest contributors (minified)'],
    results.map((result) => [
      result.entry.name,
      `+${kb(result.handler.bytes - result.twin.bytes)}`,
      sizeDifference(result.handler, result.twin)
        .slice(0, 6)
        .map(([origin, bytes]) => `${origin.replace(/^lambda\//, '')} ${kb(bytes)}`)
        .join(', '),
    ]),
    [2],
  );
}

function clientTable(clients: readonly { name: string; entry: string; bundle: Bundle }[]): string {
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

function renderTables(
  results: readonly FunctionResult[],
  clients: readonly { name: string; entry: string; bundle: Bundle }[],
  warm: WarmResult,
): string {
  return [functionTable(results), differenceTable(results), warmTable(warm), clientTable(clients)].join('\n\n');
}

function budgetLines(
  results: readonly FunctionResult[],
  clients: readonly { name: string; entry: string; bundle: Bundle }[],
  warm: WarmResult,
): string[] {
  const worst = (value: (result: FunctionResult) => number) => results.reduce((a, b) => (value(b) > value(a) ? b : a));
  const worstSize = worst((result) => result.handler.bytes / result.twin.bytes);
  const sizeRatio = worstSize.handler.bytes / worstSize.twin.bytes;
  const worstImport = worst((result) => result.importRatio);
  const client =
    clients.length === 0
      ? 'no client yet'
      : clients
          .map(({ name, bundle }) => `${name} ${kb(bundle.gzipBytes)}: ${verdict(bundle.gzipBytes < budgets.clientGzipBytes)}`)
          .join('; ');
  return [
    `- **Bundle size** at most ${budgets.sizeRatio}x the bare twin's, minified; asserted by test/cdk/bundle-size.test.ts. ` +
      `Largest: ${worstSize.entry.name}, ${ratio(worstSize.handler.bytes, worstSize.twin.bytes)}: ${verdict(sizeRatio <= budgets.sizeRatio)}.`,
    `- **Cold import time** at most ${budgets.importRatio}x the bare twin's (median of paired per-run ratios); reported only (timings are too noisy for CI). ` +
      `Largest: ${worstImport.entry.name}, ${worstImport.importRatio.toFixed(3)}x: ${verdict(worstImport.importRatio <= budgets.importRatio)}.`,
    `- **Shared stack overhead** at most ${budgets.warmOverheadMicros} µs per warm invocation at LOG_LEVEL=WARN; reported only. ` +
      `Measured ${micros(warm.stub.overheadMicros)} (\`send\` stubbed): ${verdict(warm.stub.overheadMicros <= budgets.warmOverheadMicros)}.`,
    `- **Client** (client/) under ${kb(budgets.clientGzipBytes)} gzipped: ${client}.`,
  ];
}

function renderReport(
  results: readonly FunctionResult[],
  clients: readonly { name: string; entry: string; bundle: Bundle }[],
  warm: WarmResult,
): string {
  const cpus = os.cpus();
  const machine = `${os.availableParallelism()} CPU${os.availableParallelism() === 1 ? '' : 's'}${cpus[0] ? ` (${cpus[0].model.trim()})` : ''}, ${os.platform()} ${os.arch()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`;
  return `# Performance

Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}: do not edit by hand, run it again.

Machine: ${machine}; Node.js ${process.version}, esbuild ${esbuildVersion}. A shared machine: expect a few percent of noise in the times.
Lambda runs Node.js 24 on arm64, so absolute times there differ; the ratios are what the budgets hold.

## How it is measured

- **Bundles.** Every function of the stack (one per route of contract/routes.ts, plus the triggers listed in
  scripts/bundle.ts) is built with esbuild exactly as lib/mfa-function.ts has NodejsFunction build it:
  ESM \`index.mjs\`, platform node, target node24, main fields module,main, minified, tree-shaken, AWS SDK
  bundled, no source maps (scripts/bundle.ts). Each is set against its **bare twin**
  (scripts/bare-twins/): a handler that sends the same AWS SDK commands with the same clients and has no
  Middy, no validation and no logger. The difference is what our own code costs. Gzip is zlib's
  default level.
- **Cold import.** Each bundle is written to \`.bench/\` and imported in a fresh \`node\` process
  (\`import()\` timed with \`process.hrtime\`, process start-up excluded), ${coldRuns} runs per bundle
  after one unmeasured run, handler and twin back to back in alternating order. The table shows the
  median times, and as the import ratio the median of the per-run ratios (each pair shares the
  machine's load at that moment, which a ratio of medians does not). Environment:
  AWS_REGION=us-east-1, LOG_LEVEL=WARN, and the rest of what the stack sets, email MFA on.
- **Warm overhead.** The real fetch-mfa-preference handler against its bare twin, both bundled as above
  but with the Cognito client package left external so that it can be mocked, imported as ES modules, at
  LOG_LEVEL=WARN, with a Lambda-like context (\`getRemainingTimeInMillis\`, so Middy arms its early-timeout
  timer): ${warmRounds} rounds of ${warmInvocations.toLocaleString('en-US')} sequential invocations each, order rotating; the overhead
  is the median of the per-round differences. It covers Middy, our three middlewares and the route's
  own work (token and claims checks, response headers, mapping the user to Amplify's shape). The
  Cognito client (both send GetUser and AdminGetUser) is mocked twice: by a plain stub of \`send\` returning a canned user (the budgeted
  number), and by aws-sdk-client-mock for reference. The latter is sinon, which records every call and
  throws an Error per call to keep its stack: ~20 µs a call, noisy, and dearer the deeper the caller's
  stack, so it bills the real handler for the mock's own work. A third handler, the twin inside a bare
  \`middy()\`, shows Middy's own share.

## Results

${functionTable(results)}

What each function adds to its twin:

${differenceTable(results)}

${warmTable(warm)}

Per-round overheads, µs: \`send\` stubbed ${rounds(warm.stub)}; Middy core ${rounds(warm.middyCore)};
aws-sdk-client-mock ${rounds(warm.awsSdkClientMock)}.

${clientTable(clients)}

## Budgets

${budgetLines(results, clients, warm).join('\n')}
`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
