import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startService, type StartedService } from '../support/npm-start';

/**
 * The playground page of `npm start`, in headless Chromium, used as a person
 * would: create a user, sign in, set up TOTP from the secret the page shows
 * (next to the API's QR code), sign out, sign in with a TOTP code, then switch
 * to email MFA with the code from the outbox. The screenshots are the README's.
 */
jest.setTimeout(150_000);

/**
 * The README's screenshots are rewritten only when asked (`UPDATE_SCREENSHOTS=1 npx jest
 * test/browser/playground.test.ts`); other runs take them into a temp folder, so that
 * `npm test` leaves the tree as it found it.
 */
const screenshots =
  process.env.UPDATE_SCREENSHOTS === '1' ? join(__dirname, '../../docs/images') : mkdtempSync(join(tmpdir(), 'playground-'));
const email = 'playground@example.com';
const password = 'correct horse battery staple';
secrets.add(password, 'password');

/** What the page function uses of the browser's globals (the test compiles without the DOM library). */
interface PageGlobals {
  document: { querySelectorAll(selector: string): { length: number } };
}

let service: StartedService;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [service, browser] = await Promise.all([startService(110_000), launchChromium()]);
  page = await browser.newPage({ viewport: { width: 1200, height: 1100 } });
  page.on('console', (message) => capturedLogLines.push(`browser: ${message.text()}`));
  mkdirSync(screenshots, { recursive: true });
  await page.goto(service.playgroundUrl);
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

const statusIs = (text: string) => page.locator('#status').filter({ hasText: text }).waitFor();

function totpCode(secret: string, offsetMs = 0): string {
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetMs });
  secrets.add(code, 'TOTP code');
  return code;
}

test('create a user, set up TOTP, sign out, sign in with TOTP, switch to email MFA with the outbox code', async () => {
  await page.fill('#new-email', email);
  await page.fill('#new-password', password);
  await page.click('#create-user');
  await statusIs('Created playground@example.com');

  await page.click('#sign-in');
  await page
    .locator('#session-state')
    .filter({ hasText: `signed in as ${email}` })
    .waitFor();

  await page.click('#totp-setup');
  await page.locator('#totp-qr svg').waitFor();
  const secret = (await page.textContent('#totp-secret')) ?? '';
  secrets.add(secret, 'TOTP secret');
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.screenshot({ path: join(screenshots, 'playground-totp-setup.png') });
  await page.fill('#totp-code', totpCode(secret));
  await page.click('#totp-verify');
  await statusIs('TOTP is set up.');

  await page.click('#sign-out');
  await page.locator('#session-state').filter({ hasText: 'signed out' }).waitFor();
  await page.click('#sign-in');
  await page.locator('#step-name').filter({ hasText: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'playground-sign-in-totp.png') });
  // The next step's code: the current one went to the setup, and Cognito accepts one step of drift.
  await page.fill('#step-code', totpCode(secret, 30_000));
  await page.click('#step-submit');
  await page
    .locator('#session-state')
    .filter({ hasText: `signed in as ${email}` })
    .waitFor();

  // Email MFA does not combine with TOTP: TOTP off first, then the email enrolment.
  await page.selectOption('#pref-totp', 'DISABLED');
  await page.click('#preference-save');
  await statusIs('Preferences saved.');
  await page.click('#email-setup');
  await statusIs('Email code sent');
  const outbox = (await (await fetch(new URL('/local/outbox', service.apiUrl))).json()) as { channel: string; to: string; text: string }[];
  const code = outbox.findLast((message) => message.channel === 'EMAIL' && message.to === email)?.text.match(/\b[0-9]{6}\b/)?.[0] ?? '';
  secrets.add(code, 'email code');
  expect(code).toMatch(/^[0-9]{6}$/);
  await page.fill('#email-code', code);
  await page.click('#email-verify');
  await statusIs('Email MFA is set up.');
  await page.click('#preference-fetch');
  await page.locator('#mfa-enabled').filter({ hasText: 'EMAIL' }).waitFor();
  // The outbox panel refreshes itself, until it shows every message, the one the code came in among them.
  const sent = ((await (await fetch(new URL('/local/outbox', service.apiUrl))).json()) as unknown[]).length;
  await page.waitForFunction(
    (count) => (globalThis as unknown as PageGlobals).document.querySelectorAll('#outbox tr').length === count,
    sent,
  );
  expect(await page.locator('#outbox tr').filter({ hasText: code }).count()).toBe(1);
  await page.screenshot({ path: join(screenshots, 'playground-email-outbox.png'), fullPage: true });
});
