import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { configWarnings, ContextError, contextKeys, defaultConfig, readConfig, type MfaServiceConfig } from '../../lib/config';

const root = join(__dirname, '../..');
const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { app: string; context: Record<string, unknown> };

/** Reads the context as bin/app.ts does, from an app that holds cdk.json's context as the CLI passes it. */
function read(context: Record<string, unknown>): MfaServiceConfig {
  const app = new App({ context: { ...cdkJson.context, ...context } });
  return readConfig((key) => app.node.tryGetContext(key), Object.keys(app.node.getAllContext() as object));
}

function problemsOf(context: Record<string, unknown>): { problems: readonly string[]; message: string } {
  try {
    read(context);
  } catch (error) {
    if (error instanceof ContextError) return error;
    throw error;
  }
  throw new Error('the context was accepted');
}

describe('reading the context', () => {
  test('cdk.json and the keys the CDK sets itself are not taken for misspelled keys', () => {
    expect(read({ 'aws:cdk:bundling-stacks': [], 'acknowledged-issue-numbers': [32775] })).toEqual(defaultConfig);
  });

  test('a misspelled key is refused with the nearest known key and the list of them', () => {
    const { problems, message } = problemsOf({ appname: 'Acme' });
    expect(problems).toEqual([expect.stringContaining('Unknown context key "appname"; did you mean "appName"')]);
    expect(message).toContain(`Known keys: ${Object.keys(contextKeys).join(', ')}.`);
    expect(message).toContain('-c key=value');
  });

  test('a key near no known key gets no guess', () => {
    expect(problemsOf({ colour: 'blue' }).problems).toEqual(['Unknown context key "colour".']);
  });

  test('every bad key is reported at once', () => {
    const { problems, message } = problemsOf({ mfa: 'ON', emailCodeLength: '9', emailfrom: 'a@b.co' });
    expect(problems).toEqual([
      expect.stringContaining('Unknown context key "emailfrom"; did you mean "emailFrom"'),
      'Context key "mfa" must be one of OFF, OPTIONAL, REQUIRED; got "ON".',
      'Context key "emailCodeLength" must be a whole number from 6 to 8; got "9".',
    ]);
    expect(message.split('\n').slice(0, 4)).toEqual(['Invalid context for this app:', ...problems.map((problem) => `  - ${problem}`)]);
  });

  test('a code throttle looser than the stage throttle is reported with the other problems', () => {
    expect(problemsOf({ codeRateLimit: '60', logLevel: 'LOUD' }).problems).toEqual([
      'Context key "logLevel" must be one of DEBUG, INFO, WARN, ERROR; got "LOUD".',
      'Context key "codeRateLimit" (60) must not exceed "apiRateLimit" (50); code routes are the tighter ones.',
    ]);
    expect(read({ codeRateLimit: '60', apiRateLimit: '60' }).codeThrottle.rateLimit).toBe(60);
  });

  test('an empty value from the command line is not taken for zero', () => {
    expect(problemsOf({ emailSendConcurrency: '' }).problems).toEqual([
      'Context key "emailSendConcurrency" must be a whole number from 0 to 1000; got "".',
    ]);
  });

  test('command-line strings and cdk.json values mean the same', () => {
    const fromCommandLine = read({
      selfSignUp: 'true',
      apiRateLimit: '20',
      corsAllowOrigins: 'https://a.example.com, https://b.example.com',
    });
    const fromCdkJson = read({ selfSignUp: true, apiRateLimit: 20, corsAllowOrigins: ['https://a.example.com', 'https://b.example.com'] });
    expect(fromCommandLine).toEqual(fromCdkJson);
    expect(fromCdkJson).toMatchObject({ selfSignUp: true, apiThrottle: { rateLimit: 20, burstLimit: 100 } });
  });

  test("README.md's table lists every key with its default", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
    const header = readme.indexOf('| key | default | meaning |');
    const end = readme.findIndex((line, index) => index > header && !line.startsWith('|'));
    const rows = readme.slice(header + 2, end).flatMap((line) => {
      const [keys = '', defaults = ''] = line.split(' | ').map((cell) => cell.replace(/^\| /, ''));
      const values = defaults.split(' / ');
      return keys.split(' / ').map((name, index) => [name.replaceAll('`', ''), values[index]?.replaceAll('`', '')]);
    });
    const documented = (value: unknown) => ((Array.isArray(value) && value.length === 0) || value === '' ? 'none' : String(value));
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(contextKeys).map(([name, row]) => [name, documented(row.default)])),
    );
  });
});

describe('warnings', () => {
  const withCountries = { ...defaultConfig, sendCaps: { ...defaultConfig.sendCaps, smsAllowedCountries: ['1'] } };
  const withEmail = (emailFrom: string, rest: Partial<MfaServiceConfig> = {}) => ({ ...withCountries, emailFrom, ...rest });

  test('the example emailFrom warns that email-MFA users cannot sign in, and says what to set', () => {
    expect(configWarnings(withCountries)).toEqual([
      expect.stringMatching(
        /^emailFrom is no-reply@example\.com, .*the deployment fails.*email-MFA users will never receive a code.*set -c emailFrom=</,
      ),
    ]);
    expect(configWarnings(withEmail('mfa@mail.example.org'))).toHaveLength(1);
    expect(configWarnings(withEmail('no-reply@acme.com'))).toEqual([]);
    expect(configWarnings(withEmail('no-reply@example.com.acme.com'))).toEqual([]);
  });

  test('without email MFA the example emailFrom still loses the security notices', () => {
    expect(configWarnings(withEmail('no-reply@example.net', { emailMfa: false }))).toEqual([
      expect.stringMatching(/no security notice about a changed factor reaches anyone; set -c emailFrom=</),
    ]);
  });

  test('no SMS countries (the default) warns that nobody can enrol SMS MFA, and says what to set', () => {
    expect(configWarnings(defaultConfig)).toEqual([
      expect.stringMatching(/^emailFrom is /),
      expect.stringMatching(
        /^smsAllowedCountries is empty: POST \/mfa\/sms\/setup refuses every phone number.*set -c smsAllowedCountries=</,
      ),
    ]);
  });

  test('mfa=REQUIRED with email MFA warns that users without a factor cannot sign in', () => {
    expect(configWarnings(withEmail('no-reply@acme.com', { mfa: 'REQUIRED' }))).toEqual([
      expect.stringMatching(/^mfa=REQUIRED with email MFA on: users who have no factor yet are refused at sign-in/),
    ]);
    expect(configWarnings(withEmail('no-reply@acme.com', { mfa: 'REQUIRED', emailMfa: false }))).toEqual([]);
  });
});

/** bin/app.ts run the way the CDK CLI runs it: cdk.json's command, context in CDK_CONTEXT_JSON. */
function runApp(context: Record<string, unknown>, outdir: string) {
  const [command = '', ...args] = cdkJson.app.split(' ');
  const result = spawnSync(command === 'node' ? process.execPath : command, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context }) },
  });
  return { status: result.status, stderr: result.stderr };
}

describe('the app as the CDK CLI runs it', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = mkdtempSync(join(tmpdir(), 'mfa-config-'));
  });
  afterEach(() => rmSync(outdir, { recursive: true, force: true }));

  test('bad context exits 1 with every problem and no stack trace', () => {
    const { status, stderr } = runApp({ appname: 'Acme', mfa: 'ON' }, outdir);
    expect(status).toBe(1);
    expect(stderr).toMatch(/^Invalid context for this app:\n {2}- Unknown context key "appname"; did you mean "appName"/);
    expect(stderr).toContain('  - Context key "mfa" must be one of OFF, OPTIONAL, REQUIRED; got "ON".');
    expect(stderr).not.toMatch(/^ {4}at /m);
    expect(stderr).not.toContain('ContextError');
  });

  test('the example emailFrom warns on stderr and synthesis goes on', () => {
    const { status, stderr } = runApp({ 'aws:cdk:bundling-stacks': [] }, outdir);
    expect(stderr).toMatch(/^Warning: emailFrom is no-reply@example\.com, /m);
    expect(status).toBe(0);
    expect(readFileSync(join(outdir, `${defaultConfig.stackName}.template.json`), 'utf8')).toContain('AWS::Cognito::UserPool');
  }, 60_000);
});
