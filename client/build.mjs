// Builds the packed client (`npm pack` runs it as prepack): dist/index.js, one ESM
// file with the contract inlined, and its declarations, dist/index.d.ts and the
// rest beside it, with the contract's under dist/contract/. tsc writes client/ and
// contract/ side by side (their sources are); the client's declarations move up a
// level and their `../contract/` imports become `./contract/`, so that nothing in
// the package points outside it, not even by `../` (the package test checks).
// Unminified: the app's bundler minifies, and readable code is easier to audit in node_modules.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';

const here = import.meta.dirname;
const dist = join(here, 'dist');
const declarations = join(dist, 'declarations');
const require = createRequire(import.meta.url);
rmSync(dist, { recursive: true, force: true });

await build({
  entryPoints: [join(here, 'index.ts')],
  outfile: join(dist, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  logLevel: 'warning',
});

const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json'), '--outDir', declarations], { stdio: 'inherit' });
for (const file of readdirSync(join(declarations, 'client'))) {
  const text = readFileSync(join(declarations, 'client', file), 'utf8');
  writeFileSync(join(dist, file), text.replaceAll(`'../contract/`, `'./contract/`));
}
renameSync(join(declarations, 'contract'), join(dist, 'contract'));
rmSync(declarations, { recursive: true });
