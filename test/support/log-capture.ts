import { format } from 'node:util';
import { SecretRegistry } from './log-scan';

/**
 * Runs in every test file: records everything written through `console` (the
 * logger's only outlet) instead of printing it, and after the file's tests
 * fails the file if any line holds a secret a test registered or a value shaped
 * like a secret. Set SHOW_LOGS=1 to print the lines as well.
 */
export const capturedLogLines: string[] = [];
export const secrets = new SecretRegistry();

const show = process.env.SHOW_LOGS === '1';
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const original = console[method].bind(console);
  console[method] = (...args: unknown[]) => {
    capturedLogLines.push(format(...args));
    if (show) original(...args);
  };
}

afterAll(() => {
  const findings = secrets.scan(capturedLogLines);
  if (findings.length > 0) {
    const report = findings.map(({ what, line }) => `  ${what} in: ${line.slice(0, 200)}`).join('\n');
    throw new Error(`Secrets reached the logs:\n${report}`);
  }
});
