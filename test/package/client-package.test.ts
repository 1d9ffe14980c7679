import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/**
 * The client as an app gets it: `npm pack` in client/ (its prepack builds dist/),
 * the tarball installed into an empty project, then used there by esbuild for a
 * browser, by plain Node.js ESM and by strict TypeScript consumers (bundler and
 * NodeNext resolution) without Node.js types. Nothing may resolve outside the package.
 */
const repository = resolve(__dirname, '../..');
const packageName = '@cognito-mfa-service/client';
let project: string;
let packedFiles: string[];

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'client-consumer-'));
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', project], join(repository, 'client'))) as [
    { filename: string; files: { path: string }[] },
  ];
  packedFiles = packed.files.map((file) => file.path).sort();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(project, packed.filename)], project);
}, 120000);

afterAll(() => rmSync(project, { recursive: true, force: true }));

test('the tarball holds the built package only: no TypeScript source, nothing from outside client/', () => {
  expect(packedFiles).toEqual([
    'dist/client/auth-error.d.ts',
    'dist/client/index.d.ts',
    'dist/contract/amplify.d.ts',
    'dist/contract/totp-uri.d.ts',
    'dist/index.js',
    'package.json',
  ]);
});

test('esbuild bundles it for a browser from the installed package alone', async () => {
  writeFileSync(
    join(project, 'app.js'),
    `import { signIn, setUpTOTP, AuthError } from '${packageName}';\nexport const exported = [typeof signIn, typeof setUpTOTP, typeof AuthError];\n`,
  );
  const result = await build({
    absWorkingDir: project,
    entryPoints: ['app.js'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  expect(result.errors).toEqual([]);
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.every((input) => input === 'app.js' || input.startsWith(`node_modules/${packageName}/dist/`))).toBe(true);
  const bundled = join(project, 'bundled.mjs');
  writeFileSync(bundled, result.outputFiles[0]?.text ?? '');
  expect(
    run(
      process.execPath,
      ['--input-type=module', '-e', `import('${bundled}').then((m) => console.log(m.exported.join()))`],
      project,
    ).trim(),
  ).toBe('function,function,function');
});

test('plain Node.js ESM imports it by name', () => {
  const output = run(
    process.execPath,
    ['--input-type=module', '-e', `import { signIn } from '${packageName}'; console.log(typeof signIn);`],
    project,
  );
  expect(output.trim()).toBe('function');
});

// NodeNext holds declaration files to Node.js's ESM rules: relative imports must name their `.js` file.
test.each([
  ['bundler', 'ESNext'],
  ['NodeNext', 'NodeNext'],
])('a strict browser TypeScript project (moduleResolution %s) type-checks against it without Node.js types', (moduleResolution, module) => {
  writeFileSync(
    join(project, 'app.ts'),
    `import { signIn, type SignInOutput } from '${packageName}';\nexport const start = (username: string, password: string): Promise<SignInOutput> => signIn({ username, password });\n`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        module,
        moduleResolution,
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: [],
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['app.ts'],
    }),
  );
  const tsc = join(repository, 'node_modules/typescript/bin/tsc');
  const check = spawnSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
  expect({ status: check.status, diagnostics: check.stdout }).toEqual({ status: 0, diagnostics: '' });
});
