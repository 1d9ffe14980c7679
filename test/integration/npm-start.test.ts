import { generateKeyPairSync, sign } from 'node:crypto';
import http from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import * as client from '../../client/index';
import { callApi } from '../support/api-client';
import { capturedLogLines, secrets } from '../support/log-capture';
import { isListening, startService, type StartedService } from '../support/npm-start';

/**
 * `npm start` as a developer runs it: a child process serving the bundles of
 * the synthesized template on the local parts. The real client signs in with
 * TOTP through the Local API, an email enrolment reads its code from the
 * outbox, the authorizer stand-in refuses forged, ID and expired tokens, and
 * stopping leaves nothing behind. The first run synthesizes (.local/cdk.out),
 * so the ready limit here is generous; once synthesized it starts within 10 s.
 */
jest.setTimeout(120_000);

let service: StartedService;

beforeAll(async () => {
  service = await startService(110_000);
  client.configure({ apiUrl: service.apiUrl });
});

afterAll(async () => {
  if (service.child.exitCode === null) await service.stop();
});

const password = 'correct horse battery staple';
secrets.add(password, 'password');

function totpNow(secret: string): string {
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate();
  secrets.add(code, 'TOTP code');
  return code;
}

async function outbox(): Promise<{ channel: string; to: string; subject?: string; text: string; sentAt: string }[]> {
  const answer = await callApi<{ channel: string; to: string; subject?: string; text: string; sentAt: string }[]>(
    service.apiUrl.replace(/\/v1$/, ''),
    'GET',
    '/local/outbox',
  );
  expect(answer.status).toBe(200);
  return answer.body;
}

test('it prints the Local API under the stage path of the deployed ApiUrl, on 127.0.0.1 and PORT', () => {
  expect(service.apiUrl).toBe(`http://127.0.0.1:${service.port}/v1`);
  expect(service.playgroundUrl).toBe(`http://127.0.0.1:${service.port}/playground/`);
});

describe('the local helper routes', () => {
  const origin = () => service.apiUrl.replace(/\/v1$/, '');

  test('POST /local/users refuses what Cognito would refuse, and changes nothing', async () => {
    expect((await callApi(origin(), 'POST', '/local/users', { body: { email: 'not-an-email', password } })).status).toBe(400);
    const oversized = await callApi(origin(), 'POST', '/local/users', {
      body: { email: 'big@example.com', password, padding: 'x'.repeat(17 * 1024) },
    });
    expect(oversized).toMatchObject({ status: 413, body: { name: 'RequestTooLong' } });
    const long = `${'a'.repeat(117)}@example.com`;
    expect(await callApi(origin(), 'POST', '/local/users', { body: { email: long, password } })).toMatchObject({
      status: 400,
      body: { message: 'email must have at most 128 characters.' },
    });
    expect((await callApi(origin(), 'POST', '/local/users', { body: { email: long.slice(1), password } })).status).toBe(201);
    const short = await callApi(origin(), 'POST', '/local/users', { body: { email: 'short@example.com', password: 'Sh0rt!' } });
    expect(short).toMatchObject({ status: 400, body: { message: expect.stringContaining('at least 15') } });
    const phone = await callApi(origin(), 'POST', '/local/users', { body: { email: 'p@example.com', password, phoneNumber: '07700' } });
    expect(phone.status).toBe(400);
    expect(
      (await callApi(origin(), 'POST', '/local/users', { rawBody: '{', headers: { 'Content-Type': 'application/json' } })).status,
    ).toBe(400);
    await expect(client.signIn({ username: 'short@example.com', password: 'Sh0rt!' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });

  test('POST /local/users makes a confirmed user who can sign in; a second time it is a conflict', async () => {
    const created = await callApi(origin(), 'POST', '/local/users', { body: { email: 'ada@example.com', password } });
    expect(created).toMatchObject({ status: 201, body: { email: 'ada@example.com' } });
    expect((await callApi(origin(), 'POST', '/local/users', { body: { email: 'ada@example.com', password } })).status).toBe(409);
    const output = await client.signIn({ username: 'ada@example.com', password });
    expect(output).toMatchObject({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  });

  test('with a phone number the phone is verified; SMS enrolment texts it, into the outbox', async () => {
    const created = await callApi(origin(), 'POST', '/local/users', {
      body: { email: 'grace@example.com', password, phoneNumber: '+447700900123' },
    });
    expect(created.status).toBe(201);
    await client.signIn({ username: 'grace@example.com', password });
    // SMS MFA can be switched on only over a verified number.
    await expect(client.updateMFAPreference({ sms: 'ENABLED' })).resolves.toBeUndefined();
    expect(await client.fetchMFAPreference()).toEqual({ enabled: ['SMS'] });
    await client.setUpSMS({ phoneNumber: '+447700900123' });
    const text = (await outbox()).findLast((message) => message.channel === 'SMS');
    expect(text).toMatchObject({ to: '+447700900123', text: expect.stringMatching(/[0-9]{6}/) });
    secrets.add(text?.text.match(/[0-9]{6}/)?.[0], 'SMS code');
    await client.signOut();
  });

  test('a page on another name (DNS rebinding) or another origin (a cross-site POST) gets 403, and nothing is made', async () => {
    const rebound = await new Promise<number | undefined>((done, fail) => {
      const request = http.get({
        host: '127.0.0.1',
        port: service.port,
        path: '/local/outbox',
        headers: { Host: `attacker.example:${service.port}` },
      });
      request.once('response', (response) => {
        response.resume();
        done(response.statusCode);
      });
      request.once('error', fail);
    });
    expect(rebound).toBe(403);
    const crossSite = await callApi(origin(), 'POST', '/local/users', {
      body: { email: 'csrf@example.com', password },
      headers: { Origin: 'http://attacker.example' },
    });
    expect(crossSite).toMatchObject({ status: 403, body: { name: 'ForbiddenException' } });
    await expect(client.signIn({ username: 'csrf@example.com', password })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const sameOrigin = await callApi(origin(), 'POST', '/local/users', {
      body: { email: 'same-origin@example.com', password },
      headers: { Origin: origin() },
    });
    expect(sameOrigin.status).toBe(201);
  });

  test("a body over API Gateway's 10 MB payload limit gets 413 before any function runs", async () => {
    const huge = `{"username":"${'a'.repeat(10 * 1024 * 1024)}"}`;
    const answer = await callApi(service.apiUrl, 'POST', '/auth/sign-in', {
      rawBody: huge,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(answer).toMatchObject({ status: 413, body: { name: 'RequestTooLong' } });
  });

  test("a body that breaks the route's request model gets the gateway's 400 before any function runs", async () => {
    const gatewayRefusal = {
      name: 'InvalidParameterException',
      message: 'The request body does not match the schema of this route; see docs/openapi.yaml.',
    };
    for (const body of ['{"username":"jane@example.com"}', '{"username":"a","password":"b","extra":"c"}', 'not json']) {
      const answer = await callApi(service.apiUrl, 'POST', '/auth/sign-in', {
        rawBody: body,
        headers: { 'Content-Type': 'application/json' },
      });
      expect([body, answer.status, answer.body]).toEqual([body, 400, gatewayRefusal]);
    }
    // A body the model takes reaches the function, which answers for itself.
    const wrong = await callApi(service.apiUrl, 'POST', '/auth/sign-in', {
      body: { username: 'nobody@example.com', password: 'not the password' },
    });
    expect([wrong.status, wrong.body.message]).toEqual([401, 'Incorrect username or password.']);
  });

  test('unknown local paths are 404, as API Gateway answers', async () => {
    expect((await callApi(origin(), 'GET', '/local/nothing')).status).toBe(404);
  });
});

describe('the real client through the Local API', () => {
  test('TOTP: set up, sign out, sign in with a code', async () => {
    await client.signIn({ username: 'ada@example.com', password });
    const { sharedSecret } = await client.setUpTOTP();
    secrets.add(sharedSecret, 'TOTP secret');
    await client.verifyTOTPSetup({ code: totpNow(sharedSecret) });
    await client.updateMFAPreference({ totp: 'PREFERRED' });
    await client.signOut();

    const started = await client.signIn({ username: 'ada@example.com', password });
    expect(started).toMatchObject({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_TOTP_CODE' } });
    // The next step's code: the one before was spent on the setup, and Cognito accepts one step of drift.
    const next = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(sharedSecret) }).generate({ timestamp: Date.now() + 30_000 });
    secrets.add(next, 'TOTP code');
    const done = await client.confirmSignIn({ challengeResponse: next });
    expect(done.isSignedIn).toBe(true);
    expect(await client.fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  });

  test('email enrolment with the code read from the outbox', async () => {
    await callApi(service.apiUrl.replace(/\/v1$/, ''), 'POST', '/local/users', { body: { email: 'mail@example.com', password } });
    await client.signIn({ username: 'mail@example.com', password });
    const before = (await outbox()).length;
    const { codeDeliveryDetails } = await client.setUpEmail();
    expect(codeDeliveryDetails.deliveryMedium).toBe('EMAIL');
    const sent = (await outbox()).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'EMAIL', to: 'mail@example.com', subject: expect.any(String) });
    const code = sent[0]?.text.match(/\b[0-9]{6}\b/)?.[0] ?? '';
    secrets.add(code, 'email code');
    await client.verifyEmailSetup({ code });
    expect((await client.fetchMFAPreference()).enabled).toContain('EMAIL');
  });
});

describe('the authorizer stand-in', () => {
  const cognitoLocalKey = JSON.parse(
    readFileSync(join(__dirname, '../../node_modules/cognito-local/lib/keys/cognitoLocal.private.json'), 'utf8'),
  ) as { jwk: import('node:crypto').JsonWebKey };

  function jwt(payload: Record<string, unknown>, key: Parameters<typeof sign>[2]): string {
    const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', kid: 'CognitoLocal' })}.${encode(payload)}`;
    const token = `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), key).toString('base64url')}`;
    secrets.add(token, 'token');
    return token;
  }

  async function claimsOfSession(): Promise<Record<string, unknown>> {
    const { tokens } = await client.fetchAuthSession();
    return tokens?.accessToken.payload ?? {};
  }

  test('the access token passes; another key, an ID token, an expired token, a token without the scope or from another issuer get 401', async () => {
    await callApi(service.apiUrl.replace(/\/v1$/, ''), 'POST', '/local/users', { body: { email: 'token@example.com', password } });
    expect((await client.signIn({ username: 'token@example.com', password })).isSignedIn).toBe(true);
    const { tokens } = await client.fetchAuthSession();
    const accessToken = tokens?.accessToken.toString() ?? '';
    expect((await callApi(service.apiUrl, 'GET', '/mfa/preference', { token: `Bearer ${accessToken}` })).status).toBe(200);

    const claims = await claimsOfSession();
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = jwt(claims, otherKey);
    const idToken = tokens?.idToken.toString() ?? '';
    const expired = jwt(
      { ...claims, iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 },
      {
        key: cognitoLocalKey.jwk,
        format: 'jwk',
      },
    );
    // Signed by cognito-local's own key and unexpired: the authorizer lets it through, so the refusal above is the expiry.
    const fresh = jwt(claims, { key: cognitoLocalKey.jwk, format: 'jwk' });
    expect((await callApi(service.apiUrl, 'GET', '/mfa/preference', { token: `Bearer ${fresh}` })).status).toBe(200);
    // Signed by the pool's key, unexpired, but without the method's scope, or from another issuer.
    const withoutScope = jwt({ ...claims, scope: 'openid profile' }, { key: cognitoLocalKey.jwk, format: 'jwk' });
    const otherIssuer = jwt({ ...claims, iss: 'http://127.0.0.1:1/us-east-1_other' }, { key: cognitoLocalKey.jwk, format: 'jwk' });
    for (const token of [forged, idToken, expired, withoutScope, otherIssuer, 'not-a-token']) {
      const refused = await callApi(service.apiUrl, 'GET', '/mfa/preference', { token: `Bearer ${token}` });
      expect(refused).toMatchObject({ status: 401, body: { name: 'NotAuthorizedException' } });
    }
    expect((await callApi(service.apiUrl, 'GET', '/mfa/preference')).status).toBe(401);
  });
});

test('SIGTERM stops everything: the process exits cleanly and its port is closed', async () => {
  const { pid } = service.child;
  expect(await service.stop()).toBe(0);
  expect(() => process.kill(pid ?? 0, 0)).toThrow();
  expect(await isListening(service.port)).toBe(false);
});

test('users outlive a restart on the same state directory; --reset starts empty', async () => {
  const stateDirectory = mkdtempSync(join(tmpdir(), 'npm-start-state-'));
  try {
    const first = await startService(30_000, { stateDirectory });
    const origin = first.apiUrl.replace(/\/v1$/, '');
    expect((await callApi(origin, 'POST', '/local/users', { body: { email: 'kept@example.com', password } })).status).toBe(201);
    expect(await first.stop()).toBe(0);

    const again = await startService(30_000, { stateDirectory });
    client.configure({ apiUrl: again.apiUrl });
    expect(await client.signIn({ username: 'kept@example.com', password })).toMatchObject({ isSignedIn: true });
    await client.signOut();
    expect(await again.stop()).toBe(0);

    const reset = await startService(30_000, { stateDirectory, args: ['--reset'] });
    client.configure({ apiUrl: reset.apiUrl });
    await expect(client.signIn({ username: 'kept@example.com', password })).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await reset.stop()).toBe(0);
  } finally {
    rmSync(stateDirectory, { recursive: true, force: true });
  }
});

test('--reset refuses a state directory that holds anything but npm start state, and deletes nothing', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'npm-start-not-state-'));
  try {
    writeFileSync(join(directory, 'notes.txt'), 'not npm start state');
    await expect(startService(30_000, { stateDirectory: directory, args: ['--reset'] })).rejects.toThrow('npm start exited with 1');
    expect(capturedLogLines).toContain(
      `npm start failed: --reset refused: ${directory} holds more than npm start's state (notes.txt); check LOCAL_STATE_DIR`,
    );
    expect(existsSync(join(directory, 'notes.txt'))).toBe(true);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
});

test("the bundles' own JSON log lines reached the log scan", () => {
  const bundleLines = capturedLogLines.filter((line) => /^\{"timestamp":"[^"]+","level":"[A-Z]+","service":"[A-Za-z]+"/.test(line));
  expect(bundleLines.map((line) => (JSON.parse(line) as { service: string }).service)).toEqual(
    expect.arrayContaining(['DefineAuthChallenge', 'PreTokenGeneration']),
  );
});
