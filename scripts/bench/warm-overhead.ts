import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { bundleHandler, projectRoot } from '../bundle';
import { benchDir, childEnv, median } from './environment';

/**
 * The warm per-invocation cost of the shared Middy stack. It runs in a child
 * process of its own (this file with `--warm-overhead`), so that LOG_LEVEL=WARN
 * holds when the modules load; BENCH_ROUNDS (default 9) sets the rounds.
 */
export const warmInvocations = 20_000;
const warmOverheadFlag = '--warm-overhead';

export interface WarmComparison {
  readonly handlerMicros: number;
  readonly twinMicros: number;
  /** Median over rounds of (handler - twin) in the same round. */
  readonly overheadMicros: number;
  readonly roundOverheads: readonly number[];
}

export interface WarmResult {
  /** The real handler against the twin, `send` stubbed: the budgeted number. */
  readonly stub: WarmComparison;
  /** The twin inside a bare `middy()` against the twin, `send` stubbed: Middy's own share. */
  readonly middyCore: WarmComparison;
  /** The real handler against the twin under aws-sdk-client-mock, for reference. */
  readonly awsSdkClientMock: WarmComparison;
}

/** Runs the warm measurement in a fresh process, so that LOG_LEVEL=WARN holds when the modules load. */
export function runWarmOverheadChild(rounds: number): WarmResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, warmOverheadFlag], {
    cwd: projectRoot,
    env: { ...childEnv, BENCH_ROUNDS: String(rounds), PATH: process.env.PATH },
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
async function measureWarmOverhead(warmRounds: number): Promise<WarmResult> {
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

// The child: started by runWarmOverheadChild, it prints its result as JSON.
if (process.argv.includes(warmOverheadFlag) && path.resolve(process.argv[1] ?? '') === __filename) {
  measureWarmOverhead(Number(process.env.BENCH_ROUNDS ?? 9))
    .then((result) => process.stdout.write(JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
