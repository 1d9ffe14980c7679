import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { callApi } from '../support/api-client';
import { launchChromium } from '../support/browser';
import { changeApiSettings } from '../support/environment';
import { createUser, giveTotp, signIn as cognitoSignIn, totpCode, type TestUser } from '../support/local-users';
import { secrets } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { clientPackageName, installPackedClient, repository, type ConsumerProject } from '../support/packed-client';

/**
 * The packed client in a real browser: a page built by Vite from the installed
 * tarball, served from its own origin, in Debian's Chromium (headless, through
 * playwright-core), against the local API with CORS allowed for that origin only.
 * The page signs in with TOTP, refreshes and signs out; the test computes the
 * TOTP code and checks on the server that the session is revoked.
 */
let stack: LocalStackWithFront;
let project: ConsumerProject;
let pageServer: http.Server;
let pageOrigin: string;
let browser: Browser;
let page: Page;
let restoreSettings: () => void;

const pageScript = `
import * as client from '${clientPackageName}';
// The test drives the page through these; a real app would call them from its UI.
globalThis.client = client;
document.querySelector('#status').textContent = 'ready';
`;

async function buildPage(): Promise<string> {
  const source = join(project.directory, 'page');
  mkdirSync(source, { recursive: true });
  writeFileSync(
    join(source, 'index.html'),
    '<!doctype html><title>client</title><p id="status">loading</p><script type="module" src="./main.js"></script>',
  );
  writeFileSync(join(source, 'main.js'), pageScript);
  const vite = join(repository, 'node_modules', 'vite', 'bin', 'vite.js');
  const outDir = join(project.directory, 'dist-page');
  await promisify(execFile)(process.execPath, [vite, 'build', source, '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: project.directory,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  return outDir;
}

const contentTypes: Readonly<Record<string, string>> = { '.html': 'text/html', '.js': 'text/javascript' };

function serve(directory: string): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://page').pathname)).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = readFileSync(join(directory, path === '/' ? 'index.html' : path));
      response.writeHead(200, { 'Content-Type': contentTypes[extname(path) || '.html'] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  project = installPackedClient('client-browser-');
  pageServer = await serve(await buildPage());
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  restoreSettings = changeApiSettings({ corsAllowedOrigins: [pageOrigin] });
  stack = await startLocalStack({ front: true });
  browser = await launchChromium();
  page = await browser.newPage();
  await page.goto(pageOrigin);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.querySelector('#status')?.textContent === 'ready');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
  restoreSettings?.();
  if (project) rmSync(project.directory, { recursive: true, force: true });
});

/**
 * What the page's own globals hold, for the functions the test runs in it (their source is sent
 * to the browser, so they can name only its globals; this project type-checks without DOM types).
 */
interface PageGlobals {
  readonly client: typeof import('../../client');
  readonly document: { querySelector(selector: string): { textContent: string | null } | null };
}

test('the page signs in with TOTP, refreshes and signs out against the local API, across origins', async () => {
  const user: TestUser = await createUser(stack.cognito, 'browser.totp@example.com');
  const secret = await giveTotp(stack.cognito, (await cognitoSignIn(stack.cognito, user)).accessToken);
  const apiUrl = stack.api.url;

  const step = await page.evaluate(
    async ({ apiUrl, username, password }) => {
      (globalThis as unknown as PageGlobals).client.configure({ apiUrl });
      return (await (globalThis as unknown as PageGlobals).client.signIn({ username, password })).nextStep.signInStep;
    },
    { apiUrl, username: user.email, password: user.password },
  );
  expect(step).toBe('CONFIRM_SIGN_IN_WITH_TOTP_CODE');

  const code = totpCode(secret);
  const signedIn = await page.evaluate(async (challengeResponse) => {
    const { isSignedIn } = await (globalThis as unknown as PageGlobals).client.confirmSignIn({ challengeResponse });
    const preference = await (globalThis as unknown as PageGlobals).client.fetchMFAPreference();
    const first = (await (globalThis as unknown as PageGlobals).client.fetchAuthSession()).tokens?.accessToken.toString();
    const refreshed = (
      await (globalThis as unknown as PageGlobals).client.fetchAuthSession({ forceRefresh: true })
    ).tokens?.accessToken.toString();
    return { isSignedIn, preference, first, refreshed, user: await (globalThis as unknown as PageGlobals).client.getCurrentUser() };
  }, code);
  secrets.add(signedIn.first, 'access token');
  secrets.add(signedIn.refreshed, 'access token');
  expect(signedIn).toMatchObject({
    isSignedIn: true,
    preference: { enabled: ['TOTP'] },
    user: { username: user.sub, userId: user.sub },
  });
  expect(signedIn.refreshed).not.toBe(signedIn.first);

  const after = await page.evaluate(async () => {
    await (globalThis as unknown as PageGlobals).client.signOut();
    return (globalThis as unknown as PageGlobals).client.fetchAuthSession();
  });
  expect(after).toEqual({});
  // Revoked on the server, not only forgotten in the page.
  for (const token of [signedIn.first!, signedIn.refreshed!]) {
    expect((await callApi(apiUrl, 'GET', '/mfa/preference', { token })).status).toBe(401);
  }
});

test('an origin CORS does not allow cannot read the API’s answers', async () => {
  const other = await browser.newPage();
  try {
    await other.goto('about:blank');
    const outcome = await other.evaluate(async (apiUrl) => {
      try {
        await fetch(`${apiUrl}/auth/refresh`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ refreshToken: 'x' }),
        });
        return 'read';
      } catch {
        return 'blocked';
      }
    }, stack.api.url);
    expect(outcome).toBe('blocked');
  } finally {
    await other.close();
  }
});
