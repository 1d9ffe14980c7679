import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { budgets } from '../../scripts/bundle';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { createUser, type TestUser } from '../support/local-users';
import { callApi } from '../support/api-client';
import { clientPackageName, installPackedClient, repository, run } from '../support/packed-client';

/**
 * The client as an app gets it: `npm pack` in client/ (its prepack builds dist/),
 * the tarball installed into an empty project, then used there by esbuild for a
 * browser, by plain Node.js ESM and by strict TypeScript consumers (bundler and
 * NodeNext resolution) without Node.js types. Nothing may resolve outside the package.
 * Node.js 24 only: this machine has no Node.js 22 offline (package.json's
 * `engines` says >=22, and the code uses nothing newer than Node.js 22 has).
 */
const packageName = clientPackageName;
let project: string;
let packedFiles: readonly string[];
let installed: string;
let stack: LocalStackWithFront;
let user: TestUser;

beforeAll(async () => {
  ({ directory: project, installed, packedFiles } = installPackedClient('client-consumer-'));
  stack = await startLocalStack({ front: true });
  user = await createUser(stack.cognito, 'package.consumer@example.com');
}, 120000);

afterAll(async () => {
  rmSync(project, { recursive: true, force: true });
  await stack?.stop();
});

test('the tarball holds the built package only: no TypeScript source, nothing from outside client/', () => {
  expect(packedFiles).toEqual([
    'LICENSE',
    'README.md',
    'dist/auth-error.d.ts',
    'dist/contract/amplify.d.ts',
    'dist/contract/session.d.ts',
    'dist/contract/totp-uri.d.ts',
    'dist/http.d.ts',
    'dist/index.d.ts',
    'dist/index.js',
    'dist/jwt.d.ts',
    'dist/session.d.ts',
    'dist/token-store.d.ts',
    'package.json',
  ]);
});

test('no file of dist/ imports anything but its own package: no `../`, no package, no Node.js built-in', () => {
  for (const file of packedFiles.filter((path) => path.startsWith('dist/'))) {
    const text = readFileSync(join(installed, file), 'utf8');
    const specifiers = [...text.matchAll(/(?:from\s*|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((match) => match[1]);
    expect({ file, outside: specifiers.filter((specifier) => !specifier?.startsWith('./')) }).toEqual({ file, outside: [] });
    // Any quoted path that climbs out, whatever names it (a reference directive, a require): comments may say `../`.
    expect({ file, parentPaths: text.match(/['"`]\.\.\//g) }).toEqual({ file, parentPaths: null });
  }
});

test('package.json: installable and Apache-2.0, ESM with an exports map, no runtime dependencies', () => {
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest).toMatchObject({
    name: packageName,
    version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    license: 'Apache-2.0',
    type: 'module',
    sideEffects: false,
    exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' } },
  });
  expect(manifest).not.toHaveProperty('private');
  expect(manifest).not.toHaveProperty('dependencies');
  expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
});

// platform 'browser' resolves no Node.js built-in: an import of one would be an error here.
test(`esbuild bundles all of it for a browser from the installed package alone, under ${budgets.clientGzipBytes} bytes gzipped`, async () => {
  writeFileSync(join(project, 'app.js'), `export * from '${packageName}';\n`);
  const result = await build({
    absWorkingDir: project,
    entryPoints: ['app.js'],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
    metafile: true,
  });
  expect(result.errors).toEqual([]);
  const inputs = Object.keys(result.metafile.inputs);
  expect(inputs.filter((input) => input !== 'app.js' && !input.startsWith(`node_modules/${packageName}/dist/`))).toEqual([]);
  const output = result.outputFiles[0];
  expect(gzipSync(output?.contents ?? new Uint8Array()).byteLength).toBeLessThan(budgets.clientGzipBytes);
  const bundled = join(project, 'bundled.mjs');
  writeFileSync(bundled, output?.text ?? '');
  const probe = `import('${bundled}').then((m) => console.log([m.signIn, m.fetchAuthSession, m.AuthError, m.WebStorageTokenStore].map((f) => typeof f).join()))`;
  expect(run(process.execPath, ['--input-type=module', '-e', probe], project).trim()).toBe('function,function,function,function');
});

test('plain Node.js ESM imports it by name', () => {
  const output = run(
    process.execPath,
    ['--input-type=module', '-e', `import { signIn } from '${packageName}'; console.log(typeof signIn);`],
    project,
  );
  expect(output.trim()).toBe('function');
});

// Async, so that the local API in this process can answer the child.
test('plain Node.js ESM signs in, refreshes, reads the user and signs out through the installed package, against the local API', async () => {
  const script = `
    import { configure, fetchAuthSession, getCurrentUser, signIn, signOut } from '${packageName}';
    const [apiUrl, username, password] = process.argv.slice(1);
    configure({ apiUrl });
    const { isSignedIn } = await signIn({ username, password });
    const before = (await fetchAuthSession()).tokens.accessToken.toString();
    const after = (await fetchAuthSession({ forceRefresh: true })).tokens.accessToken.toString();
    const user = await getCurrentUser();
    await signOut();
    console.log(JSON.stringify({ isSignedIn, refreshed: before !== after, user, after: await fetchAuthSession(), revoked: after }));
  `;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '-e', script, stack.api.url, user.email, user.password],
    {
      cwd: project,
    },
  );
  const result = JSON.parse(stdout) as { revoked: string };
  expect(result).toEqual({
    isSignedIn: true,
    refreshed: true,
    user: { username: user.sub, userId: user.sub },
    after: {},
    revoked: expect.any(String),
  });
  // Signed out on the server too: the refreshed access token, from the revoked session, is refused.
  const refused = await callApi(stack.api.url, 'GET', '/mfa/preference', { token: result.revoked });
  expect(refused.status).toBe(401);
});

/**
 * The TypeScript snippets of client/README.md and of README.md's client guide,
 * as files of the consumer project, with what they leave to the app declared.
 */
function readmeSnippets(): string[] {
  const snippets = ['client/README.md', 'README.md'].flatMap((file) =>
    [...readFileSync(join(repository, file), 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((match) => match[1] ?? '')
      .filter((snippet) => snippet.includes(`from '${packageName}'`)),
  );
  const files = snippets.map((snippet, index) => {
    writeFileSync(join(project, `readme-${index}.ts`), snippet);
    return `readme-${index}.ts`;
  });
  writeFileSync(
    join(project, 'app-helpers.d.ts'),
    [
      'declare const password: string;',
      'declare function askUserForCode(): Promise<string>;',
      'declare function askUserForNewPassword(): Promise<string>;',
      "declare function askUserToChoose(choices: ('SMS' | 'TOTP' | 'EMAIL')[]): Promise<string>;",
      'declare function askUserFor(step: { signInStep: string }): Promise<string>;',
      'declare function showQrCode(uri: string): void;',
      'declare function callMyApi(headers: Record<string, string>): void;',
    ].join('\n'),
  );
  return ['app-helpers.d.ts', ...files];
}

// NodeNext holds declaration files to Node.js's ESM rules: relative imports must name their `.js` file.
test.each([
  ['bundler', 'ESNext'],
  ['NodeNext', 'NodeNext'],
])(
  "a strict browser TypeScript project (moduleResolution %s) type-checks against it, and the READMEs' snippets, without Node.js types",
  (moduleResolution, module) => {
    const snippets = readmeSnippets();
    expect(snippets.length).toBeGreaterThanOrEqual(6);
    writeFileSync(
      join(project, 'app.ts'),
      [
        `import { configure, fetchAuthSession, getCurrentUser, signIn, signOut, WebStorageTokenStore, type AuthUser, type SignInOutput } from '${packageName}';`,
        `configure({ apiUrl: 'https://api.example.com/v1', tokenStore: new WebStorageTokenStore(sessionStorage, 'my-app') });`,
        `export const start = (username: string, password: string): Promise<SignInOutput> => signIn({ username, password });`,
        `export const email = async (): Promise<string | undefined> => {`,
        `  const { tokens } = await fetchAuthSession({ forceRefresh: true });`,
        `  const claim = tokens?.idToken.payload['email'];`,
        `  return typeof claim === 'string' ? claim : tokens?.accessToken.toString();`,
        `};`,
        `export const user: () => Promise<AuthUser> = getCurrentUser;`,
        `export const end = (): Promise<void> => signOut({ global: true });`,
      ].join('\n'),
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
        files: ['app.ts', ...snippets],
      }),
    );
    const tsc = join(repository, 'node_modules/typescript/bin/tsc');
    const check = spawnSync(process.execPath, [tsc, '-p', project], { cwd: project, encoding: 'utf8' });
    expect({ status: check.status, diagnostics: check.stdout }).toEqual({ status: 0, diagnostics: '' });
  },
);
