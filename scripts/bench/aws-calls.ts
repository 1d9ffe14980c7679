import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { registerHooks } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChallengeNameType, RespondToAuthChallengeCommandOutput } from '@aws-sdk/client-cognito-identity-provider';
import { projectRoot } from '../bundle';

/**
 * The AWS calls of each sign-in and API flow, counted from one run through the
 * local stack of the integration tests (test/support/local-stack.ts): the
 * Cognito front in front of cognito-local with the real Define, Create, Verify
 * and Pre Token Generation triggers, dynalite, and the real API handlers behind
 * the API Gateway stand-in. Each flow is the public client's CUSTOM_AUTH with
 * SRP_A, as Amplify's CUSTOM_WITH_SRP starts it
 * (test/integration/tokens-need-the-email-code.test.ts does the same).
 *
 * Counted: every Cognito request that reaches the front, by operation: the
 * client's own and those the triggers and handlers send through the SDK (the
 * front's own requests to cognito-local, which stand for Cognito's internals,
 * are not); DynamoDB requests by operation, through a counting proxy in front
 * of dynalite; SES SendEmail calls (aws-sdk-client-mock, test/support/ses-mock.ts);
 * the SMS codes Cognito itself sends for SMS MFA (the front records them).
 * Not counted: Lambda invocations of the triggers; SSM GetParameter (mocked by
 * the local stack, read once per container: a warm-up sign-in runs first so that
 * no flow pays it); CloudWatch Logs. The run happens in a child process (this
 * file with `--aws-calls`), which runs the tests' log scan over everything the
 * code logged before it answers.
 */
const awsCallsFlag = '--aws-calls';

export type FlowName = 'no factor' | 'TOTP' | 'SMS' | 'email MFA' | 'GET /mfa/preference';

export interface FlowCalls {
  readonly flow: FlowName;
  /** Cognito operations by name, as the front received them. */
  readonly cognito: Readonly<Record<string, number>>;
  readonly dynamoDb: Readonly<Record<string, number>>;
  readonly sesSendEmail: number;
  readonly cognitoSms: number;
}

/**
 * Default request-rate quotas of the Cognito categories these flows use, per account and Region:
 * "Quotas in Amazon Cognito", https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html
 * (numbers from its source, awsdocs/amazon-cognito-developer-guide doc_source/limits.md). The
 * operations of each category are not listed there; placed by the categories' descriptions.
 */
export const cognitoQuotas = {
  UserAuthentication: {
    requestsPerSecond: 120,
    operations: ['InitiateAuth', 'AdminInitiateAuth', 'RespondToAuthChallenge', 'AdminRespondToAuthChallenge'],
  },
  UserRead: { requestsPerSecond: 120, operations: ['AdminGetUser', 'GetUser'] },
  UserUpdate: { requestsPerSecond: 25, operations: ['AdminSetUserMFAPreference', 'SetUserMFAPreference', 'AdminUpdateUserAttributes'] },
} as const satisfies Record<string, { requestsPerSecond: number; operations: readonly string[] }>;

const challengeAnswers = new Set(['RespondToAuthChallenge', 'AdminRespondToAuthChallenge']);

export interface FlowCeiling {
  /** Flows per second before the first category throttles. */
  readonly perSecond: number;
  /** The categories that give that ceiling, with the flow's calls in each (challenge answers apart). */
  readonly bounds: readonly string[];
  /** Operations in no category above: not set against a quota. */
  readonly unknown: readonly string[];
}

/**
 * Each category allows its quota divided by the flow's calls in it. RespondToAuthChallenge has an
 * allowance of three times the UserAuthentication quota of its own; only calls beyond it count
 * against the category (the quotas page, "Operation special handling").
 */
export function flowCeiling(cognito: Readonly<Record<string, number>>): FlowCeiling {
  const limits: { category: string; perSecond: number; calls: string }[] = [];
  for (const [category, { requestsPerSecond: quota, operations }] of Object.entries(cognitoQuotas)) {
    const sum = (names: (name: string) => boolean) => operations.filter(names).reduce((total, name) => total + (cognito[name] ?? 0), 0);
    const answers = sum((name) => challengeAnswers.has(name));
    const others = sum((name) => !challengeAnswers.has(name));
    if (answers + others === 0) continue;
    // Largest rate r with others·r + max(0, answers·r − 3·quota) ≤ quota.
    const withinAllowance = others === 0 ? Infinity : quota / others;
    const perSecond = answers * withinAllowance <= 3 * quota ? withinAllowance : (4 * quota) / (others + answers);
    const plural = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
    const calls = [others > 0 && plural(others, 'call'), answers > 0 && plural(answers, 'challenge answer')].filter(Boolean).join(' + ');
    limits.push({ category, perSecond, calls });
  }
  const known = new Set<string>(Object.values(cognitoQuotas).flatMap((quota) => quota.operations));
  const perSecond = Math.min(...limits.map((limit) => limit.perSecond));
  return {
    perSecond,
    bounds: limits.filter((limit) => limit.perSecond === perSecond).map((limit) => `${limit.category} (${limit.calls})`),
    unknown: Object.keys(cognito).filter((name) => !known.has(name)),
  };
}

/** Runs the flows in a fresh process and returns their counts. */
export function runAwsCallsChild(): FlowCalls[] {
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, awsCallsFlag], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    timeout: 120_000,
  });
  if (child.status !== 0) throw new Error(`AWS call count failed (exit ${child.status ?? child.signal}):\n${child.stderr}`);
  return JSON.parse(child.stdout) as FlowCalls[];
}

/** A proxy in front of dynalite that counts requests by X-Amz-Target (DynamoDB's JSON protocol). */
async function startCountingProxy(target: string): Promise<{ endpoint: string; counts: Map<string, number>; stop(): Promise<void> }> {
  const counts = new Map<string, number>();
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((request, response) => {
    const operation = String(request.headers['x-amz-target'] ?? 'unknown').replace(/^DynamoDB_\d+\./, '');
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const forwarded = http.request(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers, agent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    request.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

/**
 * Middy 7 exports only an `import` condition, which the CommonJS require of the handlers (tsx
 * compiles them to CommonJS here) does not match: mapped by path, as jest.config.js does.
 */
function resolveMiddyByPath(): void {
  registerHooks({
    resolve: (specifier, context, next) => {
      const middy = /^@middy\/([a-z-]+)$/.exec(specifier);
      return next(middy ? pathToFileURL(path.join(projectRoot, 'node_modules', '@middy', middy[1]!, 'index.js')).href : specifier, context);
    },
  });
}

async function countFlows(): Promise<FlowCalls[]> {
  resolveMiddyByPath();
  // The tests' log capture registers its scan with Jest's afterAll; here it runs before the answer.
  const scans: (() => void)[] = [];
  Object.assign(globalThis, { afterAll: (scan: () => void) => scans.push(scan) });
  await import('../../test/support/environment');
  await import('../../test/support/log-capture');
  const { startLocalStack } = await import('../../test/support/local-stack');
  const { createUser, giveEmailMfa, giveSms, giveTotp, signIn: passwordSignIn, totpCode } = await import('../../test/support/local-users');
  const { lastEmailedCode, resetSesMock, sesMock } = await import('../../test/support/ses-mock');
  const { SendEmailCommand } = await import('@aws-sdk/client-ses');
  const { CognitoIdentityProviderClient, InitiateAuthCommand, RespondToAuthChallengeCommand } =
    await import('@aws-sdk/client-cognito-identity-provider');
  const { passwordClaim, startSrp } = await import('../../lambda/core/srp');
  const { secrets } = await import('../../test/support/log-capture');

  const stack = await startLocalStack({ front: true });
  const dynamoDb = await startCountingProxy(stack.dynamoDb.endpoint);
  // The handlers' DynamoDB clients resolve their endpoint at their first request, which comes after this.
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoDb.endpoint;
  const sdk = new CognitoIdentityProviderClient({
    endpoint: stack.front.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const clientId = stack.clients.publicClientId;

  type Answer = RespondToAuthChallengeCommandOutput;
  const keep = (answer: Answer): Answer => {
    secrets.add(answer.AuthenticationResult?.AccessToken, 'access token');
    secrets.add(answer.AuthenticationResult?.IdToken, 'ID token');
    secrets.add(answer.AuthenticationResult?.RefreshToken, 'refresh token');
    return answer;
  };
  const respond = async (
    session: { ChallengeName?: ChallengeNameType; Session?: string },
    username: string,
    responses: Record<string, string>,
  ) =>
    keep(
      await sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: session.ChallengeName,
          Session: session.Session,
          ChallengeResponses: { USERNAME: username, ...responses },
        }),
      ),
    );

  /** Signs in through the front and answers whatever step comes after the password; returns the access token. */
  async function signIn(user: { email: string; password: string }, answer: (step: Answer) => Record<string, string>): Promise<string> {
    const srp = startSrp();
    const started = await sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: user.email, SRP_A: srp.A, CHALLENGE_NAME: 'SRP_A' },
      }),
    );
    const { SALT = '', SRP_B = '', SECRET_BLOCK = '', USER_ID_FOR_SRP = '' } = started.ChallengeParameters ?? {};
    if (started.ChallengeName !== 'PASSWORD_VERIFIER') throw new Error(`expected PASSWORD_VERIFIER, got ${started.ChallengeName}`);
    let step = await respond(
      started,
      USER_ID_FOR_SRP,
      passwordClaim(srp, { SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP }, stack.cognito.userPoolId, user.password, new Date()),
    );
    if (step.ChallengeName) step = await respond(step, USER_ID_FOR_SRP, answer(step));
    const token = step.AuthenticationResult?.AccessToken;
    if (!token) throw new Error(`sign-in ended without tokens (${step.ChallengeName ?? 'no challenge'})`);
    return token;
  }
  const noAnswer = (step: Answer): never => {
    throw new Error(`unexpected ${step.ChallengeName}`);
  };

  async function measure(flow: FlowName, run: () => Promise<unknown>): Promise<FlowCalls> {
    stack.front.operationCounts.clear();
    dynamoDb.counts.clear();
    resetSesMock();
    const smsBefore = stack.front.smsMessages.length;
    await run();
    return {
      flow,
      cognito: Object.fromEntries(stack.front.operationCounts),
      dynamoDb: Object.fromEntries(dynamoDb.counts),
      sesSendEmail: sesMock.commandCalls(SendEmailCommand).length,
      cognitoSms: stack.front.smsMessages.length - smsBefore,
    };
  }

  try {
    resetSesMock();
    // Warm-up: the triggers' one-off reads per container (SSM) happen here, not in a measured flow.
    await signIn(await createUser(stack.cognito, 'warm-up@example.com'), noAnswer);

    const plain = await createUser(stack.cognito, 'plain@example.com');
    const totp = await createUser(stack.cognito, 'totp@example.com');
    const totpSecret = await giveTotp(stack.cognito, (await passwordSignIn(stack.cognito, totp)).accessToken);
    const sms = await createUser(stack.cognito, 'sms@example.com');
    await giveSms(stack.cognito, sms, (await passwordSignIn(stack.cognito, sms)).accessToken);
    const email = await createUser(stack.cognito, 'email@example.com');
    await giveEmailMfa(stack.cognito, email);
    const reader = await createUser(stack.cognito, 'reader@example.com');
    const readerToken = await signIn(reader, noAnswer);
    secrets.add(readerToken, 'access token');

    const code = (expected: string, value: string | undefined): string => {
      if (!value) throw new Error(`no ${expected} code was sent`);
      secrets.add(value, `${expected} code`);
      return value;
    };
    const flows = [
      await measure('no factor', () => signIn(plain, noAnswer)),
      await measure('TOTP', () => signIn(totp, () => ({ SOFTWARE_TOKEN_MFA_CODE: totpCode(totpSecret) }))),
      await measure('SMS', () => signIn(sms, () => ({ SMS_MFA_CODE: code('SMS', stack.front.smsMessages.at(-1)?.code) }))),
      await measure('email MFA', () => signIn(email, () => ({ ANSWER: code('email', lastEmailedCode(email.email)) }))),
      await measure('GET /mfa/preference', async () => {
        const response = await fetch(`${stack.api.url}/mfa/preference`, { headers: { authorization: `Bearer ${readerToken}` } });
        if (response.status !== 200) throw new Error(`GET /mfa/preference answered ${response.status}: ${await response.text()}`);
      }),
    ];
    if (!flows.some((flow) => Object.keys(flow.dynamoDb).length > 0)) {
      throw new Error('no DynamoDB request reached the counting proxy: the counts would be incomplete');
    }
    return flows;
  } finally {
    sdk.destroy();
    await stack.stop();
    await dynamoDb.stop();
    for (const scan of scans) scan();
  }
}

if (process.argv.includes(awsCallsFlag)) {
  countFlows()
    .then((flows) => process.stdout.write(JSON.stringify(flows)))
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    });
}
