import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { MfaFunction } from '../../lib/mfa-function';
import { apiRoutes } from '../../contract/routes';
import { deployedBundles } from './deployed-bundles';
import {
  budgets,
  bundleClient,
  bundleHandler,
  bundleTwin,
  clientEntries,
  exists,
  functionsWithTwins,
  projectRoot,
  type Bundle,
} from '../../scripts/bundle';

/**
 * The size budget of docs/performance.md: every function's bundle, built as the
 * stack builds it, is at most 1.15x its bare twin's (scripts/bare-twins/), the
 * same Cognito calls with none of our code. Times are measured by `npm run bench`
 * and not asserted: they are too noisy for a test.
 */
const entries = functionsWithTwins();

/** Every function bundled once more (twice against the twins): ~20 s alone, more beside the rest of the suite on 2 cores. */
const bundlingTimeout = 180_000;

test('every route has a function entry and a bare twin', () => {
  const names = entries.map((entry) => entry.name);
  for (const route of apiRoutes) expect(names).toContain(route.handler);
  const missing = entries.flatMap((entry) => [entry.entry, entry.twin]).filter((file) => !exists(file));
  expect(missing).toEqual([]);
});

test(
  'scripts/bundle.ts builds byte for byte what the stack deploys',
  async () => {
    // The stack's own build, by its one bundling pass, of every function.
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'bundle-size-'));
    try {
      const bundles = deployedBundles(outdir);
      for (const entry of entries) {
        const directory = bundles.get(entry.name)!;
        expect(readdirSync(directory)).toEqual(['index.mjs']);
        const deployed = readFileSync(path.join(directory, 'index.mjs'), 'utf8');
        expect([entry.name, firstDifference(deployed, (await bundleHandler(entry.entry)).code)]).toEqual([entry.name, undefined]);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  },
  bundlingTimeout,
);

test('a function whose entry the bundling pass does not know fails, naming where to add it', () => {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'UnknownEntry');
  expect(
    () =>
      new MfaFunction(stack, 'Function', {
        entry: path.join(projectRoot, 'lambda/api/not-a-route.ts'),
        description: 'unknown entry',
        defaults: { logLevel: 'WARN', logRetention: RetentionDays.ONE_DAY, removalPolicy: RemovalPolicy.DESTROY },
      }),
  ).toThrow('lambda/api/not-a-route.ts is not in functionEntries of lib/bundling.ts');
});

/** Where two bundles part, with a little context, rather than a diff of 300 KB. */
function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `lengths ${a.length} and ${b.length}, first difference at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 60), i + 60))} vs ${JSON.stringify(b.slice(Math.max(0, i - 60), i + 60))}`;
}

describe('bundle size against the bare twin', () => {
  let bundles: ReadonlyMap<string, { handler: Bundle; twin: Bundle }>;

  beforeAll(async () => {
    const built = await Promise.all(
      entries.map(async (entry) => {
        const [handler, twin] = await Promise.all([bundleHandler(entry.entry), bundleTwin(entry.twin)]);
        return [entry.name, { handler, twin }] as const;
      }),
    );
    bundles = new Map(built);
  }, bundlingTimeout);

  test.each(entries.map((entry) => [entry.name]))(`%s is at most ${budgets.sizeRatio}x its twin, minified`, (name) => {
    const { handler, twin } = bundles.get(name)!;
    expect(handler.bytes).toBeLessThanOrEqual(budgets.sizeRatio * twin.bytes);
  });
});

test.each(clientEntries.map((client) => [client.name, client.entry]))(
  `the browser %s is under ${budgets.clientGzipBytes} bytes gzipped`,
  async (_name, entry) => {
    const { gzipBytes } = await bundleClient(entry);
    expect(gzipBytes).toBeLessThan(budgets.clientGzipBytes);
  },
);
