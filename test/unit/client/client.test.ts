import * as client from '../../../client';
import { AuthError } from '../../../client';
import { secrets } from '../../support/log-capture';

/**
 * The client against a fake fetch: what it sends for each function, and what it
 * makes of every answer the API can give (docs/openapi.yaml).
 */
type Call = { url: string; method: string; headers: Record<string, string>; body: unknown };
let calls: Call[];
let answers: { status: number; body?: unknown }[];

beforeEach(() => {
  calls = [];
  answers = [];
  global.fetch = jest.fn((url: string, init?: RequestInit) => {
    calls.push({
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
    });
    const next = answers.shift() ?? { status: 204 };
    const text = next.body === undefined ? '' : JSON.stringify(next.body);
    return Promise.resolve(new Response(next.status === 204 ? null : text, { status: next.status }));
  }) as unknown as typeof fetch;
  client.configure({ apiUrl: 'https://api.example.com/v1/' });
});

const answer = (status: number, body?: unknown) => answers.push({ status, body });

async function signInWithTokens(): Promise<void> {
  answer(200, {
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
    tokens: { accessToken: 'access-1', idToken: 'id-1', expiresIn: 3600 },
  });
  await client.signIn({ username: 'jane@example.com', password: 'pw-long-enough-1' });
}

test('signIn posts the credentials, keeps the tokens and sends the access token afterwards', async () => {
  secrets.add('pw-long-enough-1', 'password');
  await signInWithTokens();
  expect(calls[0]).toEqual({
    url: 'https://api.example.com/v1/auth/sign-in',
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: { username: 'jane@example.com', password: 'pw-long-enough-1' },
  });
  answer(200, { enabled: ['TOTP'], preferred: 'TOTP' });
  expect(await client.fetchMFAPreference()).toEqual({ enabled: ['TOTP'], preferred: 'TOTP' });
  expect(calls[1]).toMatchObject({
    url: 'https://api.example.com/v1/mfa/preference',
    method: 'GET',
    headers: { Authorization: 'Bearer access-1' },
  });
});

test('a challenge is answered with confirmSignIn, which sends the session back', async () => {
  answer(200, {
    isSignedIn: false,
    nextStep: {
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'j***@e***.com' },
    },
    session: 'opaque-session',
  });
  const started = await client.signIn({ username: 'jane@example.com', password: 'pw' });
  expect(started).toEqual({
    isSignedIn: false,
    nextStep: {
      signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'j***@e***.com' },
    },
  });
  answer(200, { isSignedIn: true, nextStep: { signInStep: 'DONE' }, tokens: { accessToken: 'a', idToken: 'i', expiresIn: 3600 } });
  expect(await client.confirmSignIn({ challengeResponse: '123456' })).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(calls[1]?.body).toEqual({ username: 'jane@example.com', session: 'opaque-session', challengeResponse: '123456' });
  await expect(client.confirmSignIn({ challengeResponse: '123456' })).rejects.toMatchObject({ name: 'SignInException' });
});

test('MFA selection lists the choices under both names; TOTP setup offers getSetupUri', async () => {
  answer(200, {
    isSignedIn: false,
    nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION', allowedMFATypes: ['SMS', 'TOTP'] },
    session: 's',
  });
  const selection = await client.signIn({ username: 'jane@example.com', password: 'pw' });
  expect(selection.nextStep).toEqual({
    signInStep: 'CONTINUE_SIGN_IN_WITH_MFA_SELECTION',
    allowedMFATypes: ['SMS', 'TOTP'],
    availableChallenges: ['SMS', 'TOTP'],
  });
  answer(200, {
    isSignedIn: false,
    nextStep: { signInStep: 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP', totpSetupDetails: { sharedSecret: 'ABC', setupUri: 'otpauth://ignored' } },
    session: 's2',
  });
  const setup = await client.confirmSignIn({ challengeResponse: 'TOTP' });
  expect(setup.nextStep.totpSetupDetails?.getSetupUri('My App')).toBe(
    'otpauth://totp/My%20App:jane%40example.com?secret=ABC&issuer=My%20App',
  );
});

test('setUpTOTP: getSetupUri defaults the account to the one the API chose and encodes what it is given', async () => {
  await signInWithTokens();
  answer(200, {
    sharedSecret: 'SECRET',
    setupUri: 'otpauth://totp/Example%20App:jane%40example.com?secret=SECRET&issuer=Example%20App',
    qrCodeSvg: '<svg/>',
  });
  const { sharedSecret, getSetupUri } = await client.setUpTOTP();
  expect(sharedSecret).toBe('SECRET');
  expect(getSetupUri('MyApp')).toBe('otpauth://totp/MyApp:jane%40example.com?secret=SECRET&issuer=MyApp');
  expect(getSetupUri('My App', 'user@example.com')).toBe('otpauth://totp/My%20App:user%40example.com?secret=SECRET&issuer=My%20App');
  expect(() => getSetupUri('Evil:App')).toThrow(AuthError);
});

test.each([
  [
    'verifyTOTPSetup',
    () => client.verifyTOTPSetup({ code: '123456', friendlyDeviceName: 'Phone' }),
    'POST',
    '/mfa/totp/verify',
    { code: '123456', friendlyDeviceName: 'Phone' },
  ],
  [
    'updateMFAPreference',
    () => client.updateMFAPreference({ totp: 'PREFERRED', sms: 'DISABLED' }),
    'PUT',
    '/mfa/preference',
    { totp: 'PREFERRED', sms: 'DISABLED' },
  ],
  ['setUpSMS', () => client.setUpSMS({ phoneNumber: '+14155550100' }), 'POST', '/mfa/sms/setup', { phoneNumber: '+14155550100' }],
  ['verifySMSSetup', () => client.verifySMSSetup({ code: '123456' }), 'POST', '/mfa/sms/verify', { code: '123456' }],
  ['setUpEmail', () => client.setUpEmail(), 'POST', '/mfa/email/setup', {}],
  ['verifyEmailSetup', () => client.verifyEmailSetup({ code: '123456' }), 'POST', '/mfa/email/verify', { code: '123456' }],
] as const)('%s sends %s %s with the token', async (_, run, method, path, body) => {
  await signInWithTokens();
  answer(path.endsWith('setup') && !path.includes('totp') ? 200 : 204, path.endsWith('setup') ? { codeDeliveryDetails: {} } : undefined);
  await run();
  expect(calls[1]).toEqual({
    url: `https://api.example.com/v1${path}`,
    method,
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer access-1' },
    body,
  });
});

test('generateRecoveryCodes posts {} with the token and answers the codes; getRecoveryCodeStatus counts', async () => {
  await signInWithTokens();
  const issued = { codes: ['7K3Q-M9XD-2RTB-HC4W'], issuedAt: '2026-01-31T12:00:00.000Z' };
  secrets.add(issued.codes[0], 'recovery code');
  answer(200, issued);
  expect(await client.generateRecoveryCodes()).toEqual(issued);
  expect(calls[1]).toEqual({
    url: 'https://api.example.com/v1/mfa/recovery-codes',
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer access-1' },
    body: {},
  });
  answer(200, { remaining: 0, issuedAt: null });
  expect(await client.getRecoveryCodeStatus()).toEqual({ remaining: 0, issuedAt: null });
  expect(calls[2]).toEqual({
    url: 'https://api.example.com/v1/mfa/recovery-codes',
    method: 'GET',
    headers: { Authorization: 'Bearer access-1' },
    body: undefined,
  });
});

test('generateRecoveryCodes without a recent sign-in rejects with the API error', async () => {
  await signInWithTokens();
  answer(401, { name: 'ReauthenticationRequiredException', message: 'Sign in again, then retry.' });
  await expect(client.generateRecoveryCodes()).rejects.toMatchObject({ name: 'ReauthenticationRequiredException', status: 401 });
});

test('recover posts password and code, keeps the tokens of the finished sign-in; a refusal is the one AuthError', async () => {
  secrets.add('pw-long-enough-1', 'password');
  secrets.add('7K3Q-M9XD-2RTB-HC4W', 'recovery code');
  answer(200, {
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
    tokens: { accessToken: 'access-2', idToken: 'id-2', expiresIn: 3600 },
  });
  const input = { username: 'jane@example.com', password: 'pw-long-enough-1', recoveryCode: '7K3Q-M9XD-2RTB-HC4W' };
  expect(await client.recover(input)).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
  expect(calls[0]).toEqual({
    url: 'https://api.example.com/v1/auth/recover',
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: input,
  });
  answer(200, { enabled: ['TOTP'] });
  await client.fetchMFAPreference();
  expect(calls[1]).toMatchObject({ headers: { Authorization: 'Bearer access-2' } });

  const refusal = { name: 'NotAuthorizedException', message: 'Incorrect username, password or recovery code.' };
  // The session above has no refresh token, so the new attempt revokes nothing first.
  answer(401, refusal);
  await expect(client.recover(input)).rejects.toMatchObject({ ...refusal, status: 401 });
});

/** Every error the API documents (docs/openapi.yaml, Error schema) with its status. */
test.each([
  [400, 'InvalidParameterException'],
  [400, 'CodeMismatchException'],
  [400, 'ExpiredCodeException'],
  [400, 'SoftwareTokenMFANotFoundException'],
  [400, 'CodeDeliveryFailureException'],
  [400, 'AliasExistsException'],
  [401, 'NotAuthorizedException'],
  [401, 'ReauthenticationRequiredException'],
  [403, 'ForbiddenException'],
  [403, 'PasswordResetRequiredException'],
  [403, 'UserNotConfirmedException'],
  [404, 'ResourceNotFoundException'],
  [409, 'ConcurrentModificationException'],
  [429, 'TooManyRequestsException'],
  [429, 'LimitExceededException'],
  [500, 'InternalErrorException'],
])('a %i %s becomes an AuthError of that name and status', async (status, name) => {
  answer(status, { name, message: `the API says ${name}` });
  const error = (await client.fetchMFAPreference().catch((caught: unknown) => caught)) as AuthError;
  expect(error).toBeInstanceOf(AuthError);
  expect(error).toBeInstanceOf(Error);
  expect({ name: error.name, message: error.message, status: error.status }).toEqual({ name, message: `the API says ${name}`, status });
});

test("an answer that is not the API's error shape still becomes an AuthError", async () => {
  answers.push({ status: 502, body: undefined });
  await expect(client.fetchMFAPreference()).rejects.toMatchObject({ name: 'UnknownError', status: 502, message: 'The API answered 502.' });
});

test('a network failure is an AuthError named NetworkError', async () => {
  global.fetch = jest.fn(() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
  await expect(client.fetchMFAPreference()).rejects.toMatchObject({ name: 'NetworkError', status: undefined });
});

test('signOut forgets the tokens; a replaceable store holds them', async () => {
  const stored: client.StoredTokens[] = [];
  client.configure({
    apiUrl: 'https://api.example.com/v1',
    tokenStore: { get: () => stored.at(-1), set: (t) => stored.push(t), clear: () => (stored.length = 0) },
  });
  await signInWithTokens();
  expect(stored).toHaveLength(1);
  await client.signOut();
  expect(stored).toHaveLength(0);
  answer(401, { name: 'NotAuthorizedException', message: 'no token' });
  await expect(client.fetchMFAPreference()).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  expect(calls.at(-1)?.headers.Authorization).toBeUndefined();
});
