import { AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as OTPAuth from 'otpauth';
import { callApi } from '../support/api-client';
import { cognitoClient, createUser, signIn } from '../support/local-users';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import { lastEmailedCode, resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * Email MFA enrolment and preferences over HTTP: the real handlers, cognito-local
 * (users, tokens, the email MFA mark as a custom attribute) and dynalite
 * (pending codes, failure budget). SES is the aws-sdk-client-mock of
 * test/support/ses-mock.ts.
 */
let stack: LocalStack;
let url: string;

beforeAll(async () => {
  stack = await startLocalStack();
  url = stack.api.url;
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => resetSesMock());

async function signedInUser(email: string): Promise<{ token: string; sub: string }> {
  const user = await createUser(stack.cognito, email);
  const { accessToken } = await signIn(stack.cognito, user);
  return { token: accessToken, sub: user.sub };
}

async function storedMark(sub: string): Promise<string | undefined> {
  const client = cognitoClient(stack.cognito);
  const user = await client.send(new AdminGetUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: sub }));
  client.destroy();
  return user.UserAttributes?.find((attribute) => attribute.Name === 'custom:email_mfa')?.Value;
}

describe('enrolling email MFA', () => {
  let token: string;
  let sub: string;
  let usedCode: string | undefined;
  const email = 'enrol@example.com';

  beforeAll(async () => {
    ({ token, sub } = await signedInUser(email));
  });

  test('POST /mfa/email/setup emails a code to the verified address', async () => {
    const answer = await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    expect(answer).toMatchObject({
      status: 200,
      body: { codeDeliveryDetails: { destination: 'e***@e***.com', deliveryMedium: 'EMAIL', attributeName: 'email' } },
    });
    expect(sentEmails()).toEqual([
      {
        to: [email],
        subject: 'Example App verification code',
        text: expect.stringMatching(/code to turn on email sign-in codes is [0-9]{6}\./),
      },
    ]);
  });

  test('a code of the wrong length is refused without using up an attempt', async () => {
    const answer = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code: '1234567' } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'InvalidParameterException', message: 'Field "code" must be 6 digits.' } });
  });

  test('a wrong code is CodeMismatchException and enrols nothing', async () => {
    await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    const code = lastEmailedCode(email) ?? '';
    const answer = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code: code === '000000' ? '111111' : '000000' } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'CodeMismatchException' } });
    expect(JSON.stringify(answer.body)).not.toContain(code);
    expect(await storedMark(sub)).toBeUndefined();
    expect((await callApi(url, 'GET', '/mfa/preference', { token })).body).toEqual({});
  });

  test('the right code enrols the address with email MFA on, and the user is told', async () => {
    await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    usedCode = lastEmailedCode(email);
    const answer = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code: usedCode } });
    expect(answer.status).toBe(204);
    expect(JSON.parse((await storedMark(sub)) ?? '{}')).toEqual({ state: 'ENABLED', address: email });
    expect(sentEmails().at(-1)).toMatchObject({ to: [email], text: expect.stringContaining('Sign-in with email codes was turned on') });
    expect((await callApi(url, 'GET', '/mfa/preference', { token })).body).toEqual({ enabled: ['EMAIL'] });
  });

  test('the same code cannot be used twice', async () => {
    const answer = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code: usedCode } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'ExpiredCodeException' } });
  });

  test('while email MFA is on, TOTP and SMS are refused with the reason', async () => {
    const totpSetup = await callApi(url, 'POST', '/mfa/totp/setup', { token, body: {} });
    expect(totpSetup).toMatchObject({ status: 400, body: { message: expect.stringContaining('cannot be combined with SMS or TOTP') } });
    const enable = await callApi(url, 'PUT', '/mfa/preference', { token, body: { sms: 'ENABLED' } });
    expect(enable).toMatchObject({ status: 400, body: { name: 'InvalidParameterException' } });
  });

  test('PUT /mfa/preference prefers, then disables, email MFA; the enrolment stays', async () => {
    const preferred = await callApi(url, 'PUT', '/mfa/preference', { token, body: { email: 'PREFERRED' } });
    expect(preferred).toMatchObject({ status: 200, body: { enabled: ['EMAIL'], preferred: 'EMAIL' } });
    const disabled = await callApi(url, 'PUT', '/mfa/preference', { token, body: { email: 'DISABLED' } });
    expect(disabled).toMatchObject({ status: 200, body: {} });
    expect(JSON.parse((await storedMark(sub)) ?? '{}')).toEqual({ state: 'ENROLLED', address: email });
    expect(sentEmails().at(-1)?.text).toContain('Sign-in with email codes was turned off');
    const again = await callApi(url, 'PUT', '/mfa/preference', { token, body: { email: 'ENABLED' } });
    expect(again.body).toEqual({ enabled: ['EMAIL'] });
  });
});

describe('a TOTP user', () => {
  test('cannot set up email MFA until TOTP is off, then can switch in one request', async () => {
    const { token } = await signedInUser('switch@example.com');
    const { body } = await callApi<{ sharedSecret: string }>(url, 'POST', '/mfa/totp/setup', { token, body: {} });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(body.sharedSecret) }).generate();
    secrets.add(totp, 'TOTP code');
    expect((await callApi(url, 'POST', '/mfa/totp/verify', { token, body: { code: totp } })).status).toBe(204);
    expect((await callApi(url, 'PUT', '/mfa/preference', { token, body: { totp: 'PREFERRED' } })).status).toBe(200);

    const refused = await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    expect(refused).toMatchObject({ status: 400, body: { message: expect.stringContaining('cannot be combined') } });
    expect(sentEmails().filter((sent) => sent.subject.includes('verification code'))).toEqual([]);

    // Switching needs the email enrolled first, with TOTP off meanwhile.
    expect((await callApi(url, 'PUT', '/mfa/preference', { token, body: { totp: 'DISABLED' } })).body).toEqual({});
    await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    const verified = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code: lastEmailedCode('switch@example.com') } });
    expect(verified.status).toBe(204);
    expect((await callApi(url, 'GET', '/mfa/preference', { token })).body).toEqual({ enabled: ['EMAIL'] });
  });
});

describe('the failure budget also guards enrolment', () => {
  test('the 10th wrong code locks (429 and a notice); then even the right code is refused', async () => {
    const email = 'guesser@example.com';
    const { token } = await signedInUser(email);
    await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    const code = lastEmailedCode(email) ?? '';
    const wrong = code === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let guess = 0; guess < 10; guess += 1) {
      statuses.push((await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code: wrong } })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400, 400, 429]);
    expect(sentEmails().at(-1)?.text).toContain('paused for 15 minutes');
    const right = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code } });
    expect(right).toMatchObject({ status: 429, body: { name: 'LimitExceededException' } });
    const setup = await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
    expect(setup.status).toBe(429);
  });
});

test('an expired enrolment code is refused', async () => {
  const email = 'late@example.com';
  const { token } = await signedInUser(email);
  await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} });
  const code = lastEmailedCode(email);
  const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 301_000);
  try {
    const answer = await callApi(url, 'POST', '/mfa/email/verify', { token, body: { code } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'ExpiredCodeException' } });
  } finally {
    clock.mockRestore();
  }
});

test('the email routes logged, and the log scan saw no code', () => {
  expect(capturedLogLines.some((line) => line.includes('"resource":"/mfa/email/verify"'))).toBe(true);
});
