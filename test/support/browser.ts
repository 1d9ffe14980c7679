import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, headless, driven by playwright-core (which ships no browser of
 * its own). `.ci/run` installs it; elsewhere `sudo apt-get install chromium`, or set
 * CHROMIUM_PATH to another Chromium.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath}: run "sudo apt-get update && sudo apt-get install -y chromium" (as .ci/run does), or set CHROMIUM_PATH.`,
    );
  }
  // Chromium's sandbox needs user namespaces, which containers and root often lack; the pages
  // it loads here are the tests' own, from 127.0.0.1.
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: ['--no-sandbox'] });
}
