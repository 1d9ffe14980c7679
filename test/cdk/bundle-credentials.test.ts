import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { apiEnvironment, loggingEnvironment, sendCapsEnvironment, senderEnvironment, triggerEnvironment } from '../../contract/environment';
import { apiRoutes } from '../../contract/routes';
import { emailMfaAttribute } from '../../contract/user-pool';
import { functionEntries } from '../../lib/bundling';
import { serializeEmailMfaMark } from '../../lambda/core/email-mfa-mark';
import { encodeSession } from '../../lambda/core/sign-in-steps';
import { bundleHandler } from '../../scripts/bundle';
import { testApiSettings, testSendCaps, testSenderSettings, testTriggerSettings } from '../support/environment';
import { proxyEvent } from '../../local/proxy-event';
import { deployedBundles } from './deployed-bundles';

/**
 * The bundles leave out the SDK's default credential chain for an
 * environment-only provider (lib/bundling/env-credentials.ts). Every bundle the
 * stack deploys is imported in a Node.js process of its own, with credentials in
 * the environment only (as Lambda sets them) and every AWS endpoint pointed at a
 * local server, and invoked with an event that makes it call AWS: the server
 * must receive requests signed with SigV4 and exactly those credentials.
 */
const credentials = {
  AWS_ACCESS_KEY_ID: 'ASIAENVONLYTEST00001',
  AWS_SECRET_ACCESS_KEY: 'env-only-secret-access-key',
  AWS_SESSION_TOKEN: 'env-only-session-token',
};

const sub = '11111111-2222-3333-4444-555555555555';

/** What API Gateway sends once the authorizer let a request through. */
function tokenRequest(handler: string, body?: unknown) {
  const route = apiRoutes.find((candidate) => candidate.handler === handler)!;
  return proxyEvent({
    method: route.method,
    path: route.path,
    headers: { Authorization: 'Bearer env-only-access-token' },
    body: body === undefined ? null : JSON.stringify(body),
    claims: {
      sub,
      username: sub,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: String(Math.floor(Date.now() / 1000)),
    },
  });
}

function publicRequest(handler: string, body: unknown) {
  const route = apiRoutes.find((candidate) => candidate.handler === handler)!;
  return proxyEvent({ method: route.method, path: route.path, body: JSON.stringify(body) });
}

const trigger = {
  version: '1',
  region: 'us-east-1',
  userPoolId: testApiSettings.userPoolId,
  userName: sub,
  callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'public-client-id' },
};
const emailMfaUser = {
  sub,
  email: 'user@example.com',
  [emailMfaAttribute]: serializeEmailMfaMark({ state: 'PREFERRED', address: 'user@example.com' }),
};

/** A custom sender's first AWS call is the send log's read, before the code is decrypted. */
const senderEvent = (channel: 'SMS' | 'Email') => ({
  ...trigger,
  triggerSource: `Custom${channel}Sender_ForgotPassword`,
  request: {
    type: `custom${channel}SenderRequestV1`,
    code: 'AYADeNotARealCiphertext',
    userAttributes: { sub, email: 'user@example.com', phone_number: '+14155550100' },
  },
  response: {},
});

/**
 * Functions whose only AWS call is token-authorized (Cognito signs nothing there: "you can't use
 * IAM credentials to authorize requests",
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_GlobalSignOut.html):
 * they must reach AWS, and send no credentials at all.
 */
const unsignedOnly = new Set(['global-sign-out']);

/** For each function, an event that gets it as far as an AWS call: every other one signs at least one. */
const invocations: Readonly<Record<string, unknown>> = {
  'set-up-totp': tokenRequest('set-up-totp', {}),
  'verify-totp-setup': tokenRequest('verify-totp-setup', { code: '123456' }),
  'fetch-mfa-preference': tokenRequest('fetch-mfa-preference'),
  'update-mfa-preference': tokenRequest('update-mfa-preference', { totp: 'PREFERRED' }),
  'set-up-sms': tokenRequest('set-up-sms', { phoneNumber: '+14155550100' }),
  'verify-sms': tokenRequest('verify-sms', { code: '123456' }),
  'set-up-email': tokenRequest('set-up-email', {}),
  'verify-email': tokenRequest('verify-email', { code: '123456' }),
  'generate-recovery-codes': tokenRequest('generate-recovery-codes', {}),
  'fetch-recovery-code-status': tokenRequest('fetch-recovery-code-status'),
  'sign-in': publicRequest('sign-in', { username: 'user@example.com', password: 'correct horse battery staple' }),
  'confirm-sign-in': publicRequest('confirm-sign-in', {
    username: 'user@example.com',
    session: encodeSession({ challengeName: 'SOFTWARE_TOKEN_MFA', username: sub, cognitoSession: 'cognito-session' }),
    challengeResponse: '123456',
  }),
  recover: publicRequest('recover', {
    username: 'user@example.com',
    password: 'correct horse battery staple',
    recoveryCode: 'AAAA-BBBB-CCCC-DDDD',
  }),
  refresh: publicRequest('refresh', { refreshToken: 'env.only.refresh.token' }),
  'sign-out': publicRequest('sign-out', { refreshToken: 'env.only.refresh.token' }),
  'global-sign-out': tokenRequest('global-sign-out'),
  'triggers/define-auth-challenge': {
    ...trigger,
    triggerSource: 'DefineAuthChallenge_Authentication',
    request: { userAttributes: emailMfaUser, session: [], userNotFound: false },
    response: {},
  },
  'triggers/create-auth-challenge': {
    ...trigger,
    triggerSource: 'CreateAuthChallenge_Authentication',
    request: { userAttributes: emailMfaUser, challengeName: 'CUSTOM_CHALLENGE', session: [], userNotFound: false },
    response: {},
  },
  'triggers/pre-token-generation': {
    ...trigger,
    triggerSource: 'TokenGeneration_Authentication',
    request: { userAttributes: emailMfaUser, groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null } },
    response: { claimsOverrideDetails: null },
  },
  'triggers/verify-auth-challenge-response': {
    ...trigger,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    request: {
      userAttributes: emailMfaUser,
      privateChallengeParameters: { kind: 'EMAIL_OTP', hash: 'hash', salt: 'salt', expiresAt: String(Math.floor(Date.now() / 1000) + 300) },
      challengeAnswer: '123456',
      userNotFound: false,
    },
    response: {},
  },
  'triggers/custom-sms-sender': senderEvent('SMS'),
  'triggers/custom-email-sender': senderEvent('Email'),
};

/** Imports the bundle as Lambda's init does and invokes it once; what the handler answers does not matter here. */
const invokeScript = `
const [url, event] = process.argv.slice(1);
const { handler } = await import(url);
const context = { awsRequestId: 'env-credentials', functionName: 'env-credentials', getRemainingTimeInMillis: () => 5000 };
await handler(JSON.parse(event), context).catch((error) => console.log('handler threw', error.name));
process.exit(0);
`;

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly target?: string;
}

let server: Server;
let received: Received[] = [];
let endpoint: string;
let home: string;
let outdir: string;
let bundles: ReadonlyMap<string, string>;

beforeAll(async () => {
  // Any answer will do: the handlers are only to get as far as signing a request. GetUser (sent
  // unsigned, with the access token) names the caller, as Cognito does, so that a handler whose
  // signed calls come after it gets that far.
  server = createServer((request, response) => {
    const target = request.headers['x-amz-target'] as string | undefined;
    received.push({ headers: request.headers, target });
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1', Connection: 'close' });
      response.end(target?.endsWith('.GetUser') ? JSON.stringify({ Username: sub, UserAttributes: [] }) : '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  home = mkdtempSync(path.join(os.tmpdir(), 'env-credentials-home-'));
  outdir = mkdtempSync(path.join(os.tmpdir(), 'env-credentials-'));
  bundles = deployedBundles(outdir);
  // One bundling pass of every function: seconds alone, longer beside the rest of the suite on 2 cores.
}, 120_000);

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(home, { recursive: true, force: true });
  rmSync(outdir, { recursive: true, force: true });
});

test('every function has an invocation here', () => {
  expect(Object.keys(invocations).sort()).toEqual(Object.keys(functionEntries).sort());
});

test.each(Object.keys(functionEntries).map((name) => [name]))(
  '%s signs its AWS requests with the credentials in the environment',
  async (name) => {
    received = [];
    await promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        invokeScript,
        pathToFileURL(path.join(bundles.get(name)!, 'index.mjs')).href,
        JSON.stringify(invocations[name]),
      ],
      {
        // Only what Lambda would set, and a home without ~/.aws: nothing else could supply credentials.
        env: {
          HOME: home,
          AWS_REGION: 'us-east-1',
          AWS_ENDPOINT_URL: endpoint,
          ...credentials,
          ...loggingEnvironment.encode({ logLevel: 'ERROR', serviceName: name }),
          ...apiEnvironment.encode(testApiSettings),
          ...triggerEnvironment.encode(testTriggerSettings),
          ...sendCapsEnvironment.encode(testSendCaps),
          ...senderEnvironment.encode(testSenderSettings),
        },
        timeout: 20_000,
      },
    );
    const signed = received.filter(({ headers }) => headers.authorization !== undefined);
    if (unsignedOnly.has(name)) {
      expect([received.length > 0, signed]).toEqual([true, []]);
      expect(received.filter(({ headers }) => headers['x-amz-security-token'] !== undefined)).toEqual([]);
    } else {
      expect(signed.length).toBeGreaterThan(0);
    }
    for (const { headers } of signed) {
      expect(headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${credentials.AWS_ACCESS_KEY_ID}/\\d{8}/us-east-1/[a-z-]+/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`,
        ),
      );
      expect(headers['x-amz-security-token']).toBe(credentials.AWS_SESSION_TOKEN);
    }
  },
);

/** Packages of the default chain: its other providers, and the STS, SSO and SSO-OIDC clients they call. */
const defaultChainOnly =
  /node_modules\/(@aws-sdk\/(credential-provider-(?!env\/)[a-z-]+|nested-clients|token-providers|client-sts|client-sso)|@smithy\/credential-provider-imds)\//;

test.each(Object.entries(functionEntries))('%s holds no credential provider but the environment one', async (_name, entry) => {
  // Built as the stack builds it, byte for byte (test/cdk/bundle-size.test.ts), for esbuild's list of inputs.
  const { inputs } = await bundleHandler(entry);
  expect(Object.keys(inputs).filter((file) => defaultChainOnly.test(file))).toEqual([]);
  expect(Object.keys(inputs).some((file) => file.includes('node_modules/@aws-sdk/credential-provider-env/'))).toBe(true);
});
