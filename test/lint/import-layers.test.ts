import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layer rules of eslint.config.mjs, tried on snippets placed in each layer:
 * each forbidden import is reported by `no-restricted-imports`, and the imports
 * the layer is meant to use are not (a rule that forbade everything would pass
 * the first half alone). ESLint runs in a child process: its config is ESM,
 * which Jest's CommonJS runtime cannot load.
 */
interface Case {
  readonly file: string;
  readonly from: string;
}

const forbidden: readonly Case[] = [
  { file: 'contract/probe.ts', from: '../lambda/core/errors' },
  { file: 'contract/probe.ts', from: 'aws-cdk-lib' },
  { file: 'client/probe.ts', from: '../lambda/core/totp-uri' },
  { file: 'client/probe.ts', from: '../lib/config' },
  { file: 'client/probe.ts', from: 'node:buffer' },
  { file: 'lib/probe.ts', from: '../lambda/core/errors' },
  { file: 'lib/probe.ts', from: '../lambda/config/api-config' },
  { file: 'lambda/api/probe.ts', from: 'aws-cdk-lib/aws-lambda' },
  { file: 'lambda/api/probe.ts', from: '../../lib/config' },
  { file: 'lambda/http/probe.ts', from: '../api/sign-in' },
  { file: 'lambda/http/probe.ts', from: '../triggers/email-otp' },
  { file: 'lambda/core/probe.ts', from: '@aws-sdk/client-cognito-identity-provider' },
  { file: 'lambda/core/probe.ts', from: 'node:https' },
  { file: 'lambda/core/probe.ts', from: '../services/email' },
  { file: 'lambda/core/probe.ts', from: '../http/api-route' },
  { file: 'lambda/core/probe.ts', from: '../config/api-config' },
  { file: 'lambda/core/probe.ts', from: 'constructs' },
  { file: 'lambda/services/probe.ts', from: '../http/api-route' },
  { file: 'lambda/services/probe.ts', from: '../api/sign-in' },
];

const allowed: readonly Case[] = [
  { file: 'contract/probe.ts', from: './schema' },
  { file: 'client/probe.ts', from: './auth-error' },
  { file: 'client/probe.ts', from: '../contract/amplify' },
  { file: 'lib/probe.ts', from: '../contract/environment' },
  { file: 'lib/probe.ts', from: 'aws-cdk-lib' },
  { file: 'lambda/api/probe.ts', from: '../http/api-route' },
  { file: 'lambda/api/probe.ts', from: '../../contract/routes' },
  { file: 'lambda/http/probe.ts', from: '../core/errors' },
  { file: 'lambda/core/probe.ts', from: './errors' },
  { file: 'lambda/core/probe.ts', from: 'node:crypto' },
  { file: 'lambda/core/probe.ts', from: '../../contract/amplify' },
  { file: 'lambda/services/probe.ts', from: '@aws-sdk/client-ses' },
];

function ruleIdsFor(cases: readonly Case[]): string[][] {
  const snippets = cases.map(({ file, from }) => ({ file, source: `import * as probe from '${from}';\nexport { probe };\n` }));
  const output = execFileSync(process.execPath, [join(__dirname, 'lint-snippets.mjs')], {
    input: JSON.stringify(snippets),
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[][];
}

let findings: { forbidden: string[][]; allowed: string[][] };
beforeAll(() => {
  const all = ruleIdsFor([...forbidden, ...allowed]);
  findings = { forbidden: all.slice(0, forbidden.length), allowed: all.slice(forbidden.length) };
}, 60000);

test.each(forbidden.map((c, index) => [c.file, c.from, index] as const))('%s may not import %s', (_file, _from, index) => {
  expect(findings.forbidden[index]).toEqual(['no-restricted-imports']);
});

test.each(allowed.map((c, index) => [c.file, c.from, index] as const))('%s may import %s', (_file, _from, index) => {
  expect(findings.allowed[index]).toEqual([]);
});
