import { RespondToAuthChallengeCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import * as OTPAuth from 'otpauth';
import { callApi } from '../support/api-client';
import type { LocalApi } from '../../local/api-adapter';
import type { LocalCognito } from '../../local/cognito-local';
import { resetSesMock, sentEmails } from '../support/ses-mock';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import { capturedLogLines, secrets } from '../support/log-capture';
import { cognitoClient, createUser, signIn, wrongTotpCode, type TestUser } from '../support/local-users';

/**
 * The API end to end: real handlers behind the local API Gateway stand-in, over
 * HTTP, through the real AWS SDK to cognito-local and dynalite. TOTP codes come
 * from the `otpauth` library, never from project code. SES, which has no local
 * emulator, is aws-sdk-client-mock (test/support/cognito-mocks.ts).
 */
let stack: LocalStack;
let cognito: LocalCognito;
let api: LocalApi;

beforeAll(async () => {
  resetSesMock();
  stack = await startLocalStack();
  ({ cognito, api } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

function totpFor(sharedSecret: string, timestamp = Date.now()): string {
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(sharedSecret), digits: 6, period: 30 }).generate({
    timestamp,
  });
  secrets.add(code, 'TOTP code');
  return code;
}

describe('TOTP set-up, preferences and password + TOTP sign-in', () => {
  let user: TestUser;
  let token: string;
  let sharedSecret: string;

  beforeAll(async () => {
    user = await createUser(cognito, 'totp.user@example.com');
    ({ accessToken: token } = await signIn(cognito, user));
  });

  test('POST /mfa/totp/setup returns the secret, an encoded setup URI and a QR code', async () => {
    const answer = await callApi<{ sharedSecret: string; setupUri: string; qrCodeSvg: string }>(api.url, 'POST', '/mfa/totp/setup', {
      token,
      body: {},
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    ({ sharedSecret } = answer.body);
    expect(sharedSecret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(answer.body.setupUri).toBe(`otpauth://totp/Example%20App:totp.user%40example.com?secret=${sharedSecret}&issuer=Example%20App`);
    expect(answer.body.qrCodeSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  test('a wrong code is CodeMismatchException and changes nothing', async () => {
    const before = await callApi(api.url, 'GET', '/mfa/preference', { token });
    const wrongCode = wrongTotpCode(sharedSecret);
    const answer = await callApi(api.url, 'POST', '/mfa/totp/verify', { token, body: { code: wrongCode } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ name: 'CodeMismatchException', message: expect.any(String) });
    expect(JSON.stringify(answer.body)).not.toContain(wrongCode);
    const after = await callApi(api.url, 'GET', '/mfa/preference', { token });
    expect(after.body).toEqual(before.body);
    const enable = await callApi(api.url, 'PUT', '/mfa/preference', { token, body: { totp: 'PREFERRED' } });
    expect(enable.status).toBe(400);
    expect(enable.body.name).toBe('InvalidParameterException');
  });

  test('the right code verifies the authenticator', async () => {
    const answer = await callApi(api.url, 'POST', '/mfa/totp/verify', {
      token,
      body: { code: totpFor(sharedSecret), friendlyDeviceName: 'My phone' },
    });
    expect(answer.status).toBe(204);
    expect(sentEmails().at(-1)).toEqual({
      to: ['totp.user@example.com'],
      subject: 'Example App security notice',
      text: expect.stringContaining('Sign-in with an authenticator app was turned on'),
    });
  });

  test('PUT /mfa/preference makes TOTP preferred and answers with the new state', async () => {
    const answer = await callApi(api.url, 'PUT', '/mfa/preference', { token, body: { totp: 'PREFERRED' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
    const fetched = await callApi(api.url, 'GET', '/mfa/preference', { token });
    expect(fetched.body).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  });

  test('signing in now takes the password and then a TOTP code', async () => {
    const client = cognitoClient(cognito);
    const started = await client.send(
      new InitiateAuthCommand({
        ClientId: cognito.clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      }),
    );
    expect(started.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    expect(started.AuthenticationResult).toBeUndefined();
    const finished = await client.send(
      new RespondToAuthChallengeCommand({
        ClientId: cognito.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: started.Session,
        ChallengeResponses: { USERNAME: user.email, SOFTWARE_TOKEN_MFA_CODE: totpFor(sharedSecret) },
      }),
    );
    client.destroy();
    const newToken = finished.AuthenticationResult?.AccessToken;
    expect(newToken).toEqual(expect.any(String));
    secrets.add(newToken, 'access token');
    const fetched = await callApi(api.url, 'GET', '/mfa/preference', { token: `Bearer ${newToken}` });
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  });

  test('DISABLED turns TOTP off again', async () => {
    const answer = await callApi(api.url, 'PUT', '/mfa/preference', { token, body: { totp: 'DISABLED' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({});
  });
});

describe('SMS: phone number set-up and verification', () => {
  let token: string;
  let user: TestUser;
  const phoneNumber = '+14155550100';

  /**
   * The verification code of the phone update. cognito-local 5.3.0 picks the
   * channel of an AdminUpdateUserAttributes code from the user as it was before
   * the update (so by email here; real Cognito texts the new number), hence:
   * the latest code sent to this user, whatever the channel.
   */
  const phoneVerificationCode = () => cognito.messages.filter((message) => message.username === user.sub).at(-1)?.code;

  beforeAll(async () => {
    user = await createUser(cognito, 'sms.user@example.com');
    ({ accessToken: token } = await signIn(cognito, user));
  });

  test('SMS cannot be enabled before a phone number is verified', async () => {
    const answer = await callApi(api.url, 'PUT', '/mfa/preference', { token, body: { sms: 'ENABLED' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ name: 'InvalidParameterException', message: expect.stringContaining('/mfa/sms/setup') });
    expect((await callApi(api.url, 'GET', '/mfa/preference', { token })).body).toEqual({});
  });

  test('POST /mfa/sms/setup sends a code to the new number', async () => {
    const answer = await callApi(api.url, 'POST', '/mfa/sms/setup', { token, body: { phoneNumber } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      codeDeliveryDetails: { destination: expect.any(String), deliveryMedium: 'SMS', attributeName: 'phone_number' },
    });
    expect(answer.body).toMatchObject({ codeDeliveryDetails: { destination: '+*******0100' } });
    expect(phoneVerificationCode()).toMatch(/^[0-9]{6}$/);
  });

  test('a wrong code is refused and the right one verifies the number', async () => {
    const code = phoneVerificationCode() ?? '';
    secrets.add(code, 'SMS code');
    const wrong = await callApi(api.url, 'POST', '/mfa/sms/verify', {
      token,
      body: { code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.name).toBe('CodeMismatchException');
    const right = await callApi(api.url, 'POST', '/mfa/sms/verify', { token, body: { code } });
    expect(right.status).toBe(204);
  });

  test('then SMS can be enabled', async () => {
    const answer = await callApi(api.url, 'PUT', '/mfa/preference', { token, body: { sms: 'PREFERRED' } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ enabled: ['SMS'], preferred: 'SMS' });
  });
});

describe('bad input gets a 400 that names the field and changes nothing', () => {
  let token: string;
  let messagesBefore: number;

  beforeAll(async () => {
    const user = await createUser(cognito, 'bad.input@example.com');
    ({ accessToken: token } = await signIn(cognito, user));
    messagesBefore = cognito.messages.length;
  });

  const cases: [string, string, string, { body?: unknown; rawBody?: string }, RegExp][] = [
    ['malformed JSON', 'PUT', '/mfa/preference', { rawBody: '{"totp": ' }, /not valid JSON/],
    ['a JSON array', 'PUT', '/mfa/preference', { rawBody: '[]' }, /JSON object/],
    ['a wrong type', 'PUT', '/mfa/preference', { body: { totp: true } }, /"totp" must be a string/],
    ['an unknown value', 'PUT', '/mfa/preference', { body: { totp: 'ON' } }, /"totp" must be one of/],
    ['an extra field', 'PUT', '/mfa/preference', { body: { totp: 'ENABLED', admin: true } }, /Unknown field "admin"/],
    ['two preferred factors', 'PUT', '/mfa/preference', { body: { totp: 'PREFERRED', sms: 'PREFERRED' } }, /Only one factor/],
    ['no field at all', 'PUT', '/mfa/preference', { body: {} }, /at least 1 of/],
    ['email before email MFA is set up', 'PUT', '/mfa/preference', { body: { email: 'ENABLED' } }, /POST \/mfa\/email\/setup/],
    ['a missing code', 'POST', '/mfa/totp/verify', { body: {} }, /Missing required field "code"/],
    ['a missing email code', 'POST', '/mfa/email/verify', { body: {} }, /Missing required field "code"/],
    ['a numeric email code', 'POST', '/mfa/email/verify', { body: { code: 123456 } }, /"code" must be a string/],
    ['a 9-digit email code', 'POST', '/mfa/email/verify', { body: { code: '123456789' } }, /"code" must be the 6 to 8 digit code/],
    ['a field in the email set-up body', 'POST', '/mfa/email/setup', { body: { address: 'x@example.com' } }, /Unknown field "address"/],
    ['a missing phone number', 'POST', '/mfa/sms/setup', { body: {} }, /Missing required field "phoneNumber"/],
    [
      'a phone number over 15 digits',
      'POST',
      '/mfa/sms/setup',
      { body: { phoneNumber: '+1234567890123456' } },
      /"phoneNumber" must be a phone number/,
    ],
    ['a 5-digit code', 'POST', '/mfa/totp/verify', { body: { code: '12345' } }, /"code" must be a 6-digit code/],
    ['a code with letters', 'POST', '/mfa/sms/verify', { body: { code: '12a456' } }, /"code" must be a 6-digit code/],
    ['a numeric code', 'POST', '/mfa/sms/verify', { body: { code: 123456 } }, /"code" must be a string/],
    [
      'a long device name',
      'POST',
      '/mfa/totp/verify',
      { body: { code: '123456', friendlyDeviceName: 'x'.repeat(65) } },
      /"friendlyDeviceName" must be at most 64/,
    ],
    [
      'a phone number without +',
      'POST',
      '/mfa/sms/setup',
      { body: { phoneNumber: '4155550100' } },
      /"phoneNumber" must be a phone number in E.164/,
    ],
    [
      'an issuer with a colon',
      'POST',
      '/mfa/totp/setup',
      { body: { appName: 'Evil:Corp' } },
      /"appName" must be an issuer name without a colon/,
    ],
    ['an oversized body', 'POST', '/mfa/totp/setup', { rawBody: JSON.stringify({ appName: 'x'.repeat(9000) }) }, /at most 8192 bytes/],
  ];

  test.each(cases)('%s', async (_, method, path, request, message) => {
    const before = await callApi(api.url, 'GET', '/mfa/preference', { token });
    const answer = await callApi(api.url, method, path, { token, ...request });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ name: 'InvalidParameterException', message: expect.stringMatching(message) });
    expect((await callApi(api.url, 'GET', '/mfa/preference', { token })).body).toEqual(before.body);
  });

  test('none of them sent a code', () => {
    expect(cognito.messages).toHaveLength(messagesBefore);
  });
});

describe('the authorizer stand-in refuses what API Gateway would', () => {
  let accessToken: string;
  let idToken: string;

  beforeAll(async () => {
    const user = await createUser(cognito, 'auth.user@example.com');
    ({ accessToken, idToken } = await signIn(cognito, user));
  });

  test('with or without "Bearer " the access token works', async () => {
    expect((await callApi(api.url, 'GET', '/mfa/preference', { token: accessToken })).status).toBe(200);
    expect((await callApi(api.url, 'GET', '/mfa/preference', { token: `Bearer ${accessToken}` })).status).toBe(200);
  });

  test.each([
    ['no token', undefined],
    ['an ID token', 'id'],
    ['a token with a forged payload', 'forged'],
  ])('%s: 401 NotAuthorizedException', async (_, kind) => {
    const [header, payload, signature] = accessToken.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' }),
    ).toString('base64url');
    const token = kind === 'id' ? idToken : kind === 'forged' ? `${header}.${forgedPayload}.${signature}` : undefined;
    const answer = await callApi(api.url, 'GET', '/mfa/preference', { token });
    expect(answer.status).toBe(401);
    expect(answer.body.name).toBe('NotAuthorizedException');
  });

  test('an unknown route is 404', async () => {
    expect((await callApi(api.url, 'DELETE', '/mfa/preference', { token: accessToken })).status).toBe(404);
  });
});

test('handlers logged while these tests ran, and the log scan saw every line', () => {
  expect(capturedLogLines.some((line) => line.includes('"message":"request refused"'))).toBe(true);
  expect(capturedLogLines.some((line) => line.includes('"message":"request"'))).toBe(true);
});
