import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { SetUserMFAPreferenceCommand } from '@aws-sdk/client-cognito-identity-provider';
import ts from 'typescript';
import * as client from '../../client';
import { capturedLogLines, secrets } from '../support/log-capture';
import {
  cognitoClient,
  createUser,
  giveSms,
  giveTotp,
  signIn as passwordSignIn,
  totpCode,
  totpWindow,
  type TestUser,
} from '../support/local-users';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { resetSesMock } from '../support/ses-mock';

/**
 * The code examples of Amplify Auth's MFA document (the seed this API mirrors),
 * copied into amplify-examples/ with only the import line changed, run against
 * the local API through the typed client. Each test asserts what its example
 * prints or throws. The examples hard-code codes ("123456", "654321"): where a
 * code comes from a part the test controls (the Cognito front's SMS sender) it is
 * made to match; where it cannot (an authenticator), the example's failure is
 * what the test expects.
 */
const examplesDirectory = path.join(__dirname, 'amplify-examples');
// The constructor of async functions, to run an example's top-level awaits as written.
// eslint-disable-next-line @typescript-eslint/require-await
const AsyncFunction = (async () => undefined).constructor as new (...parameters: string[]) => (...args: unknown[]) => Promise<void>;

interface ExampleRun {
  readonly printed: string[];
  readonly thrown?: unknown;
}

/** Runs one example as written: its top-level code in an async function, its `console` recorded. */
async function runExample(name: string): Promise<ExampleRun> {
  const source = readFileSync(path.join(examplesDirectory, `${name}.example.ts`), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const printed: string[] = [];
  // The examples print secrets on purpose (the TOTP secret); their output is kept apart from the log scan.
  const exampleConsole = { log: (...args: unknown[]) => printed.push(format(...args)) };
  const requireClient = (id: string) => {
    if (id === '../../../client') return client;
    throw new Error(`the example imports ${id}`);
  };
  try {
    await new AsyncFunction('require', 'exports', 'console', outputText)(requireClient, {}, exampleConsole);
    return { printed };
  } catch (thrown) {
    return { printed, thrown };
  }
}

let stack: LocalStackWithFront;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  resetSesMock();
  client.configure({ apiUrl: stack.api.url });
});

afterAll(async () => {
  await stack?.stop();
});

test("the examples type-check against the client, so its types match the document's interfaces", () => {
  const files = ['set-up-totp', 'verify-totp-setup', 'update-mfa-preference', 'fetch-mfa-preference', 'sign-in', 'error-handling'].map(
    (name) => path.join(examplesDirectory, `${name}.example.ts`),
  );
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  });
  const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  expect(problems).toEqual([]);
});

test('Error Handling: without a sign-in, setUpTOTP fails with NotAuthorizedException', async () => {
  expect(await runExample('error-handling')).toEqual({ printed: ['User not signed in'] });
});

describe('the TOTP set-up flow of the document, signed in through the client', () => {
  let user: TestUser;
  let sharedSecret: string;

  beforeAll(async () => {
    user = await createUser(stack.cognito, 'example.setup@example.com');
    expect(await client.signIn({ username: user.email, password: user.password })).toEqual({
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
    });
  });

  test('Set Up TOTP prints the setup URI and the secret', async () => {
    const { printed, thrown } = await runExample('set-up-totp');
    expect(thrown).toBeUndefined();
    sharedSecret = printed[1]?.replace('Or manually enter this secret: ', '') ?? '';
    secrets.add(sharedSecret, 'TOTP secret');
    expect(sharedSecret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(printed).toEqual([
      `Scan this QR code with your authenticator app: otpauth://totp/MyApp:user%40example.com?secret=${sharedSecret}&issuer=MyApp`,
      `Or manually enter this secret: ${sharedSecret}`,
    ]);
  });

  test('Verify TOTP Setup with the document\'s "123456" fails as a wrong code does', async () => {
    // About one run in 300,000 the document's code is in Cognito's window; then the example may pass.
    if (totpWindow(sharedSecret).has('123456')) return;
    const { printed, thrown } = await runExample('verify-totp-setup');
    expect(printed).toEqual([]);
    expect(thrown).toBeInstanceOf(client.AuthError);
    expect(thrown).toMatchObject({ name: 'CodeMismatchException', status: 400 });
  });

  test('Update MFA Preference runs both updates once TOTP and a phone number are verified', async () => {
    await client.verifyTOTPSetup({ code: totpCode(sharedSecret), friendlyDeviceName: 'Test authenticator' });
    await client.setUpSMS({ phoneNumber: '+14155550100' });
    // cognito-local e-mails the code of an admin phone update (see totp-sms-preferences.test.ts).
    const code = stack.cognito.messages.filter((message) => message.username === user.sub).at(-1)?.code ?? '';
    secrets.add(code, 'phone code');
    await client.verifySMSSetup({ code });
    expect(await runExample('update-mfa-preference')).toEqual({ printed: ['MFA preferences updated'] });
  });

  test('Fetch MFA Preference prints what the document shows', async () => {
    expect(await runExample('fetch-mfa-preference')).toEqual({
      printed: ["Enabled MFA methods: [ 'SMS', 'TOTP' ]", 'Preferred MFA method: TOTP'],
    });
  });
});

describe('MFA During Sign In, for user@example.com / MyPassword123! as in the document', () => {
  let user: TestUser;
  let accessToken: string;
  let totpSecret: string;

  beforeAll(async () => {
    user = await createUser(stack.cognito, 'user@example.com', 'MyPassword123!');
    ({ accessToken } = await passwordSignIn(stack.cognito, user));
    await giveSms(stack.cognito, user, accessToken, { preferred: true });
  });

  test('an SMS user: the example prints where the code went and confirms with its "123456"', async () => {
    stack.front.setSmsCodeGenerator(() => '123456');
    const { printed, thrown } = await runExample('sign-in');
    expect(thrown).toBeUndefined();
    expect(printed).toEqual(['SMS code sent to: +*******0100']);
    expect(await client.fetchMFAPreference()).toEqual({ enabled: ['SMS'], preferred: 'SMS' });
  });

  test('SMS and TOTP without a preference: the example lists the methods to choose from', async () => {
    totpSecret = await giveTotp(stack.cognito, accessToken);
    const cognito = cognitoClient(stack.cognito);
    await cognito.send(
      new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SMSMfaSettings: { Enabled: true, PreferredMfa: false } }),
    );
    cognito.destroy();
    expect(await runExample('sign-in')).toEqual({ printed: ["Available MFA methods: [ 'SMS', 'TOTP' ]"] });
  });

  test('a TOTP user: the example asks for the code and its "654321" is refused', async () => {
    const cognito = cognitoClient(stack.cognito);
    await cognito.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SMSMfaSettings: { Enabled: false },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    cognito.destroy();
    // The document's "654321" is refused unless, one run in 300,000, it is in Cognito's window.
    if (totpWindow(totpSecret).has('654321')) return;
    const { printed, thrown } = await runExample('sign-in');
    expect(printed).toEqual(['Enter TOTP code from your authenticator app']);
    expect(thrown).toMatchObject({ name: 'CodeMismatchException' });
  });
});

test('the handlers behind the examples logged through the log scan', () => {
  expect(capturedLogLines.some((line) => line.includes('"resource":"/auth/sign-in"'))).toBe(true);
});
