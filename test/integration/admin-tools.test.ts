import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AdminGetUserCommand, AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { mfaTableKeys, recoveryItemKinds, userPartition } from '../../contract/mfa-table';
import { runAdmin, sdkClients, type AdminIo } from '../../scripts/admin/cli';
import { callApi } from '../support/api-client';
import { localDynamoDbClientConfig } from '../../local/dynalite';
import { testApiSettings } from '../support/environment';
import { cognitoClient, createUser, giveEmailMfa, giveSms, giveTotp, signIn as cognitoSignIn, type TestUser } from '../support/local-users';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * The operators' tools (scripts/admin.ts) against the local emulators: the Cognito
 * front on cognito-local for the user's factors and sessions, dynalite for the
 * budgets and codes, and the real API for what the user then can and cannot do.
 * They run through the real argument parsing, in process (runAdmin with argv) and
 * once as a child process through the entry point itself. The stack's outputs are
 * given as options; only the lookup test mocks CloudFormation.
 */
type Tokens = { accessToken: string; idToken: string; refreshToken?: string; expiresIn: number };
type SignInBody = { isSignedIn: boolean; nextStep: { signInStep: string }; tokens?: Tokens };

let stack: LocalStackWithFront;
let url: string;
let table: DynamoDBDocumentClient;
let location: string[];

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  url = stack.api.url;
  table = DynamoDBDocumentClient.from(new DynamoDBClient(localDynamoDbClientConfig(stack.dynamoDb.endpoint)));
  location = ['--user-pool', stack.cognito.userPoolId, '--table', testApiSettings.mfaTableName];
});

afterAll(async () => {
  table?.destroy();
  await stack?.stop();
});

beforeEach(() => resetSesMock());

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly questions: string[];
}

/** runAdmin with argv, its output recorded and also written to the console, where the log scan reads it. */
async function admin(argv: string[], terminal: { interactive: boolean; answer?: string } = { interactive: false }): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const io: AdminIo = {
    print: (line) => {
      out.push(line);
      console.log(line);
    },
    log: (line) => {
      err.push(line);
      console.error(line);
    },
    terminal: {
      interactive: terminal.interactive,
      ask: (question) => {
        questions.push(question);
        return Promise.resolve(terminal.answer ?? '');
      },
    },
  };
  const code = await runAdmin(argv, { io, clients: sdkClients, now: () => Math.floor(Date.now() / 1000) });
  return { code, out, err, questions };
}

const recover = (user: TestUser, recoveryCode: string) =>
  callApi<SignInBody>(url, 'POST', '/auth/recover', { body: { username: user.email, password: user.password, recoveryCode } });

async function issueCodes(accessToken: string): Promise<string[]> {
  const answer = await callApi<{ codes: string[] }>(url, 'POST', '/mfa/recovery-codes', { token: accessToken, body: {} });
  expect(answer.status).toBe(200);
  return answer.body.codes;
}

/** Ten wrong codes: the recovery budget's maxFailures (lambda/core/recovery-codes.ts), so it locks. */
async function lockRecovery(user: TestUser): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt += 1) expect((await recover(user, 'AAAA-BBBB-CCCC-DDDD')).status).toBe(401);
}

async function item(sub: string, kind: string) {
  const { Item } = await table.send(
    new GetCommand({
      TableName: testApiSettings.mfaTableName,
      Key: { [mfaTableKeys.partitionKey]: userPartition(sub), [mfaTableKeys.sortKey]: kind },
      ConsistentRead: true,
    }),
  );
  return Item;
}

/** Every JSON line on stderr is an audit line naming the command and the user's sub, and nothing of the user but that. */
function expectAuditLines(run: Run, user: TestUser, command: string, actions: string[]) {
  const lines = run.err.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(lines.map((line) => line.action)).toEqual(actions);
  for (const line of lines) {
    expect(line).toMatchObject({ service: 'mfa-admin', command, sub: user.sub });
    expect(JSON.stringify(line)).not.toContain(user.email);
  }
}

/** A user with TOTP, SMS and recovery codes, and a signed-in session with a refresh token. */
async function userWithEverything(email: string): Promise<{ user: TestUser; codes: string[]; tokens: Tokens }> {
  const user = await createUser(stack.cognito, email);
  const { accessToken } = await cognitoSignIn(stack.cognito, user);
  const codes = await issueCodes(accessToken);
  for (const code of codes) secrets.add(code, 'recovery code');
  await giveTotp(stack.cognito, accessToken);
  await giveSms(stack.cognito, user, accessToken, { preferred: true });
  const recovered = await recover(user, codes[0]!);
  expect(recovered.status).toBe(200);
  const { accessToken: recoveredAccess, idToken, refreshToken } = recovered.body.tokens!;
  for (const [token, what] of [
    [recoveredAccess, 'access token'],
    [idToken, 'ID token'],
    [refreshToken, 'refresh token'],
  ] as const) {
    secrets.add(token, what);
  }
  return { user, codes, tokens: recovered.body.tokens! };
}

test('status shows the factors, a locked budget and the codes left, and nothing secret', async () => {
  const { user, codes } = await userWithEverything('admin.status@example.com');
  await lockRecovery(user);
  const stored = await item(user.sub, recoveryItemKinds.codeSet);
  const storedSecrets = (stored?.codes as { salt: string; hash: string }[]).flatMap(({ salt, hash }) => [salt, hash]);
  for (const value of storedSecrets) secrets.add(value, 'recovery code hash or salt');

  const run = await admin(['status', user.email, ...location]);

  expect(run.code).toBe(0);
  const output = run.out.join('\n');
  expect(output).toContain(`User ${user.email} (sub ${user.sub}): enabled, CONFIRMED`);
  expect(output).toContain('TOTP (authenticator app): ENABLED');
  expect(output).toContain('SMS: PREFERRED, phone number +*******0100');
  expect(output).toContain('Email codes: OFF');
  expect(output).toMatch(
    /Recovery codes: LOCKED until \d{4}-\d\d-\d\dT[\d:.]+Z; 0 failures in the last window, 10 since the last right answer, 1 locks/,
  );
  expect(output).toContain('Email codes: not locked; 0 failures');
  expect(output).toMatch(/Recovery codes: 9 of 10 left, issued \d{4}-/);
  // No secret: not the phone number, no code, hash, salt or set id.
  expect(output).not.toContain('+14155550100');
  for (const value of [...codes, ...storedSecrets, String(stored?.setId)]) expect(output).not.toContain(value);
  expectAuditLines(run, user, 'status', ['status-read']);
});

test('status by sub shows an email-MFA user, with the address codes go to masked', async () => {
  const user = await createUser(stack.cognito, 'admin.email@example.com');
  await giveEmailMfa(stack.cognito, user);
  const run = await admin(['status', user.sub, ...location]);
  expect(run.code).toBe(0);
  expect(run.out).toContain('  Email codes: ENABLED, to a***@e***.com');
  expect(run.out).toContain('Recovery codes: none issued');
});

test('unlock clears a locked budget, and the right recovery code works again', async () => {
  const { user, codes } = await userWithEverything('admin.unlock@example.com');
  await lockRecovery(user);
  expect((await recover(user, codes[1]!)).status).toBe(401);

  const run = await admin(['unlock', user.email, '--yes', ...location]);

  expect(run.code).toBe(0);
  expect(run.out).toEqual(['Email-code failure budget was already empty.', 'Recovery-code failure budget cleared.']);
  expect(await item(user.sub, recoveryItemKinds.failureBudget)).toBeUndefined();
  expectAuditLines(run, user, 'unlock', ['failure-budget-cleared', 'failure-budget-cleared']);
  expect((await recover(user, codes[1]!)).status).toBe(200);
});

test('reset-mfa removes every factor and code, signs the user out everywhere and tells them', async () => {
  const { user, codes, tokens } = await userWithEverything('admin.reset@example.com');
  await giveEmailMfa(stack.cognito, user);
  resetSesMock();

  const run = await admin(['reset-mfa', user.email, '--yes', ...location, '--email-from', 'no-reply@example.com', '--app-name', 'Acme']);

  expect(run.code).toBe(0);
  expect(run.out).toEqual([
    'SMS and TOTP MFA turned off (were: SOFTWARE_TOKEN_MFA, SMS_MFA).',
    'Email MFA removed.',
    'Recovery codes deleted.',
    'Signed out on every device.',
    'Notice sent to the user.',
  ]);
  expectAuditLines(run, user, 'reset-mfa', [
    'native-mfa-off',
    'email-mfa-removed',
    'recovery-codes-deleted',
    'signed-out-everywhere',
    'notice-sent',
  ]);

  const cognito = cognitoClient(stack.front);
  const after = await cognito.send(new AdminGetUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: user.sub }));
  cognito.destroy();
  expect(after.UserMFASettingList ?? []).toEqual([]);
  expect(after.PreferredMfaSetting).toBeUndefined();
  expect(after.UserAttributes?.some((attribute) => attribute.Name === 'custom:email_mfa')).toBe(false);
  expect(await item(user.sub, recoveryItemKinds.codeSet)).toBeUndefined();
  // The session from before: its refresh token and its access token are refused.
  const refreshed = await callApi(url, 'POST', '/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
  expect([refreshed.status, refreshed.body.name]).toEqual([401, 'NotAuthorizedException']);
  expect((await callApi(url, 'GET', '/mfa/preference', { token: tokens.accessToken })).status).toBe(401);
  // The codes are gone: none signs in any more.
  expect((await recover(user, codes[1]!)).status).toBe(401);
  // The notice, to the account's address, from the given sender, without any code in it.
  expect(sentEmails()).toEqual([{ to: [user.email], subject: 'Acme security notice', text: expect.stringContaining('An administrator') }]);
  for (const code of codes) expect(sentEmails()[0]!.text).not.toContain(code);
});

test('the lock only an administrator lifts: status says so, and unlock lifts it', async () => {
  const user = await createUser(stack.cognito, 'admin.hundred@example.com');
  const budget = await import('../../lambda/services/mfa-table');
  const now = Math.floor(Date.now() / 1000);
  // A window wide enough that only the cap on consecutive failures (lambda/core/failure-budget.ts) locks.
  const policy = { maxFailures: 1000, windowSeconds: 3600, lockSeconds: 60 };
  for (let answer = 0; answer < 100; answer += 1) await budget.chargeAttempt(testApiSettings.mfaTableName, user.sub, now, policy);
  expect(await budget.emailMfaLocked(testApiSettings.mfaTableName, user.sub, now + 2 * 24 * 3600)).toBe(true);

  const status = await admin(['status', user.email, ...location]);
  expect(status.out).toContain(
    '  Email codes: LOCKED until cleared (unlock); 0 failures in the last window, 100 since the last right answer, 1 locks',
  );
  expect((await admin(['unlock', user.email, '--yes', ...location])).out[0]).toBe('Email-code failure budget cleared.');
  expect(await budget.emailMfaLocked(testApiSettings.mfaTableName, user.sub, now)).toBe(false);
  expect((await admin(['status', user.email, ...location])).out).toContain(
    '  Email codes: not locked; 0 failures in the last window, 0 since the last right answer, 0 locks',
  );
});

test("AdminUserGlobalSignOut on the front: an unknown user is UserNotFoundException, as Cognito's admin APIs answer", async () => {
  const cognito = cognitoClient(stack.front, { maxAttempts: 1 });
  await expect(
    cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: stack.cognito.userPoolId, Username: 'nobody.at.all@example.com' })),
  ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  cognito.destroy();
});

describe('confirmation', () => {
  let user: TestUser;
  beforeAll(async () => {
    ({ user } = await userWithEverything('admin.confirm@example.com'));
    await lockRecovery(user);
  });

  test('without --yes and without a terminal, nothing is changed', async () => {
    for (const command of ['unlock', 'reset-mfa']) {
      const run = await admin([command, user.email, ...location, '--email-from', 'no-reply@example.com', '--app-name', 'Acme']);
      expect([run.code, run.err]).toEqual([1, ['Not confirmed: no terminal to ask on. Pass --yes to run without asking.']]);
    }
    expect(await item(user.sub, recoveryItemKinds.failureBudget)).toMatchObject({ lockedUntil: expect.any(Number) });
    expect(await item(user.sub, recoveryItemKinds.codeSet)).toBeDefined();
  });

  test('on a terminal, another name typed or no "y" changes nothing', async () => {
    const reset = await admin(['reset-mfa', user.email, ...location, '--email-from', 'no-reply@example.com', '--app-name', 'Acme'], {
      interactive: true,
      answer: 'admin.other@example.com',
    });
    expect(reset.questions).toEqual([expect.stringContaining(`Type the user's name (${user.email}) to confirm: `)]);
    expect([reset.code, reset.err]).toEqual([1, ["Not confirmed: the name typed is not the user's. Nothing was changed."]]);
    const unlock = await admin(['unlock', user.email, ...location], { interactive: true, answer: '' });
    expect(unlock.questions).toEqual([`Clear the failure budgets of ${user.email} (sub ${user.sub})? [y/N] `]);
    expect(unlock.code).toBe(1);
    expect(await item(user.sub, recoveryItemKinds.codeSet)).toBeDefined();
    expect(await item(user.sub, recoveryItemKinds.failureBudget)).toMatchObject({ lockedUntil: expect.any(Number) });
    expect(sentEmails()).toEqual([]);
  });

  test('on a terminal, "y" and the right name go ahead', async () => {
    expect((await admin(['unlock', user.email, ...location], { interactive: true, answer: 'y' })).code).toBe(0);
    expect(await item(user.sub, recoveryItemKinds.failureBudget)).toBeUndefined();
    const reset = await admin(['reset-mfa', user.sub, ...location, '--email-from', 'no-reply@example.com', '--app-name', 'Acme'], {
      interactive: true,
      answer: user.email.toUpperCase(),
    });
    expect(reset.code).toBe(0);
    expect(await item(user.sub, recoveryItemKinds.codeSet)).toBeUndefined();
  });
});

test('bad input: an unknown user, command or option is a message and a non-zero exit', async () => {
  const unknownUser = await admin(['status', 'nobody.here@example.com', ...location]);
  expect([unknownUser.code, unknownUser.out, unknownUser.err]).toEqual([
    1,
    [],
    [`No user "nobody.here@example.com" in user pool ${stack.cognito.userPoolId}: give a user name, email address or sub.`],
  ]);
  const unknownCommand = await admin(['delete-everyone', 'x@example.com', ...location]);
  expect([unknownCommand.code, unknownCommand.err[0]]).toEqual([
    2,
    expect.stringMatching(/^Unknown command "delete-everyone"\.\n\nUsage: /),
  ]);
  const unknownOption = await admin(['status', 'x@example.com', '--force']);
  expect([unknownOption.code, unknownOption.err[0]]).toEqual([2, expect.stringContaining("Unknown option '--force'")]);
  const noUser = await admin(['unlock']);
  expect([noUser.code, noUser.err[0]]).toEqual([2, expect.stringMatching(/^unlock needs a <user>/)]);
});

describe('the stack lookup', () => {
  // DescribeStacks has no local emulator. The mock stands for its documented answers
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html):
  // the stack with its Outputs (OutputKey, OutputValue), or a ValidationError when the stack doesn't exist.
  const cloudFormation = mockClient(CloudFormationClient);
  afterAll(() => cloudFormation.restore());
  beforeEach(() => cloudFormation.reset());

  test("finds the pool and the table in the named stack's outputs", async () => {
    const user = await createUser(stack.cognito, 'admin.lookup@example.com');
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Acme-Mfa' }).resolves({
      Stacks: [
        {
          StackName: 'Acme-Mfa',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [
            { OutputKey: 'UserPoolId', OutputValue: stack.cognito.userPoolId },
            { OutputKey: 'MfaTableName', OutputValue: testApiSettings.mfaTableName },
          ],
        },
      ],
    });
    const run = await admin(['status', user.email, '--stack', 'Acme-Mfa']);
    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(`User ${user.email} (sub ${user.sub}): enabled, CONFIRMED`);
    expect(cloudFormation.commandCalls(DescribeStacksCommand).map((call) => call.args[0].input)).toEqual([{ StackName: 'Acme-Mfa' }]);
  });

  test('a missing stack, or one without an output, is a message naming it', async () => {
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id MfaService does not exist'), { name: 'ValidationError' }));
    const missing = await admin(['status', 'x@example.com']);
    expect([missing.code, missing.err]).toEqual([
      1,
      [
        'No stack MfaService in this account and region (Stack with id MfaService does not exist): pass --stack <name>, and --region or AWS_REGION for its region.',
      ],
    ]);
    cloudFormation.reset();
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'Old',
          StackStatus: 'UPDATE_COMPLETE',
          CreationTime: new Date(),
          Outputs: [{ OutputKey: 'UserPoolId', OutputValue: 'x' }],
        },
      ],
    });
    const old = await admin(['status', 'x@example.com', '--stack', 'Old']);
    expect([old.code, old.err]).toEqual([
      1,
      ['Stack Old has no output MfaTableName: deploy the current version of the stack, or pass --table.'],
    ]);
  });
});

describe('the entry point, as `npm run admin` runs it', () => {
  const projectRoot = join(__dirname, '..', '..');
  const run = (args: string[], changes: Record<string, string | undefined> = {}) =>
    promisify(execFile)(process.execPath, [join(projectRoot, 'node_modules/tsx/dist/cli.mjs'), 'scripts/admin.ts', ...args], {
      cwd: projectRoot,
      // The SDK's default chain, as on an operator's machine: region, credentials and (here) the emulators' endpoints from the environment.
      env: Object.fromEntries(
        Object.entries({
          PATH: process.env.PATH,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: stack.front.endpoint,
          AWS_ENDPOINT_URL_DYNAMODB: stack.dynamoDb.endpoint,
          // No profile of this machine's user: only what the test gives.
          AWS_CONFIG_FILE: join(projectRoot, 'no-such-aws-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(projectRoot, 'no-such-aws-credentials'),
          ...changes,
        }).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ),
    })
      .then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      )
      .then((result) => {
        // What the spawned tool printed goes through the file's log scan too.
        capturedLogLines.push(...`${result.stdout}${result.stderr}`.split('\n'));
        return result;
      });

  test('status prints the user and exits 0; an unknown user exits 1 with a message and no stack trace', async () => {
    const user = await createUser(stack.cognito, 'admin.spawn@example.com');
    const status = await run(['status', user.email, ...location]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`User ${user.email} (sub ${user.sub}): enabled, CONFIRMED`);
    expect(JSON.parse(status.stderr.trim())).toMatchObject({ command: 'status', action: 'status-read', sub: user.sub });

    const noRegion = await run(['status', user.email, ...location], { AWS_REGION: undefined });
    expect(noRegion).toEqual({
      code: 1,
      stdout: '',
      stderr: 'No AWS region: pass --region <region>, or set AWS_REGION or a region in your AWS profile.\n',
    });

    const unknown = await run(['unlock', 'nobody.spawned@example.com', '--yes', ...location]);
    expect(unknown).toEqual({
      code: 1,
      stdout: '',
      stderr: `No user "nobody.spawned@example.com" in user pool ${stack.cognito.userPoolId}: give a user name, email address or sub.\n`,
    });
  }, 60000);
});
