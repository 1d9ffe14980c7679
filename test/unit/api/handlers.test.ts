import {
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { SendEmailCommand } from '@aws-sdk/client-ses';
import { handler as fetchMfaPreference } from '../../../lambda/api/fetch-mfa-preference';
import { handler as setUpSms } from '../../../lambda/api/set-up-sms';
import { handler as setUpTotp } from '../../../lambda/api/set-up-totp';
import { handler as updateMfaPreference } from '../../../lambda/api/update-mfa-preference';
import { handler as verifySms } from '../../../lambda/api/verify-sms';
import { handler as verifyTotpSetup } from '../../../lambda/api/verify-totp-setup';
import { cognitoException } from '../../support/cognito-exceptions';
import { cognitoMock, givenUser, resetMocks } from '../../support/cognito-mocks';
import { sentEmails, sesMock } from '../../support/ses-mock';
import { invokeRoute, testAccessToken } from '../../support/invoke-route';
import { capturedLogLines, secrets } from '../../support/log-capture';

/**
 * The handlers' own logic with Cognito and SES mocked: which calls they make with
 * which input, and what they answer. End-to-end behaviour against cognito-local
 * and dynalite is in test/integration.
 */
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
secrets.add(secret, 'TOTP secret');

beforeEach(() => resetMocks());

describe('POST /mfa/totp/setup', () => {
  test("associates a token with the caller's access token and names the account by email", async () => {
    givenUser();
    cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    const answer = await invokeRoute(setUpTotp, { method: 'POST', path: '/mfa/totp/setup' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      sharedSecret: secret,
      setupUri: `otpauth://totp/Example%20App:jane%40example.com?secret=${secret}&issuer=Example%20App`,
      qrCodeSvg: expect.stringMatching(/^<svg/),
    });
    expect(cognitoMock.commandCalls(AssociateSoftwareTokenCommand)[0]?.args[0].input).toEqual({ AccessToken: testAccessToken });
    expect(answer.headers).toMatchObject({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json' });
  });

  test('uses the names the client gives', async () => {
    givenUser();
    cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    const answer = await invokeRoute(setUpTotp, {
      method: 'POST',
      path: '/mfa/totp/setup',
      body: { appName: 'My App', accountName: 'jane' },
    });
    expect(answer.body.setupUri).toBe(`otpauth://totp/My%20App:jane?secret=${secret}&issuer=My%20App`);
  });

  test('is refused while email MFA is on, before any token is associated', async () => {
    givenUser({ emailMfa: { state: 'ENABLED', address: 'jane@example.com' } });
    const answer = await invokeRoute(setUpTotp, { method: 'POST', path: '/mfa/totp/setup', body: {} });
    expect(answer).toMatchObject({
      status: 400,
      body: { name: 'InvalidParameterException', message: expect.stringContaining('cannot be combined') },
    });
    expect(cognitoMock.commandCalls(AssociateSoftwareTokenCommand)).toHaveLength(0);
  });

  test('accepts "Bearer " before the token and passes the bare token to Cognito', async () => {
    givenUser();
    cognitoMock.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    await invokeRoute(setUpTotp, {
      method: 'POST',
      path: '/mfa/totp/setup',
      body: { accountName: 'a' },
      headers: { authorization: `Bearer ${testAccessToken}` },
    });
    expect(cognitoMock.commandCalls(AssociateSoftwareTokenCommand)[0]?.args[0].input.AccessToken).toBe(testAccessToken);
  });
});

describe('POST /mfa/totp/verify', () => {
  test('sends code and device name, answers 204 and tells the user a factor was added', async () => {
    givenUser();
    cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    const answer = await invokeRoute(verifyTotpSetup, {
      method: 'POST',
      path: '/mfa/totp/verify',
      body: { code: '012345', friendlyDeviceName: 'Phone' },
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['Content-Type']).toBeUndefined();
    expect(cognitoMock.commandCalls(VerifySoftwareTokenCommand)[0]?.args[0].input).toEqual({
      AccessToken: testAccessToken,
      UserCode: '012345',
      FriendlyDeviceName: 'Phone',
    });
    expect(sentEmails()).toEqual([
      {
        to: ['jane@example.com'],
        subject: 'Example App security notice',
        text: expect.stringContaining('Sign-in with an authenticator app was turned on'),
      },
    ]);
  });

  test('a second authenticator is reported as a replacement', async () => {
    givenUser({ nativeMfa: ['SOFTWARE_TOKEN_MFA'] });
    cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    await invokeRoute(verifyTotpSetup, { method: 'POST', path: '/mfa/totp/verify', body: { code: '012345' } });
    expect(sentEmails()[0]?.text).toContain('The authenticator app your Example App sign-in codes come from was replaced.');
  });

  test('Status ERROR is a CodeMismatchException and no notice is sent', async () => {
    givenUser();
    cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'ERROR' });
    const answer = await invokeRoute(verifyTotpSetup, { method: 'POST', path: '/mfa/totp/verify', body: { code: '012345' } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'CodeMismatchException' } });
    expect(sentEmails()).toEqual([]);
  });

  test('a notice that SES refuses is logged and the request still succeeds', async () => {
    givenUser();
    cognitoMock.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    sesMock.on(SendEmailCommand).rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const linesBefore = capturedLogLines.length;
    const answer = await invokeRoute(verifyTotpSetup, { method: 'POST', path: '/mfa/totp/verify', body: { code: '012345' } });
    expect(answer.status).toBe(204);
    expect(capturedLogLines.slice(linesBefore).join('\n')).toMatch(/"message":"security notice not sent".*"cause":"MessageRejected"/);
  });
});

describe('step-up: changing factors needs a recent sign-in', () => {
  const oldSignIn = Math.floor(Date.now() / 1000) - 16 * 60;

  test.each([
    ['POST /mfa/totp/setup', setUpTotp, { method: 'POST', path: '/mfa/totp/setup', body: {} }],
    ['POST /mfa/totp/verify', verifyTotpSetup, { method: 'POST', path: '/mfa/totp/verify', body: { code: '123456' } }],
    ['PUT /mfa/preference', updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { totp: 'DISABLED' } }],
    ['POST /mfa/sms/setup', setUpSms, { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } }],
    ['POST /mfa/sms/verify', verifySms, { method: 'POST', path: '/mfa/sms/verify', body: { code: '123456' } }],
  ] as const)('%s with a 16-minute-old sign-in is 401 and calls nothing', async (_, handler, request) => {
    const answer = await invokeRoute(handler, { ...request, authTime: oldSignIn });
    expect(answer).toMatchObject({
      status: 401,
      body: { name: 'ReauthenticationRequiredException', message: expect.stringContaining('Sign in again') },
    });
    expect(cognitoMock.calls()).toHaveLength(0);
  });

  test('reading preferences does not need one', async () => {
    givenUser();
    const answer = await invokeRoute(fetchMfaPreference, { method: 'GET', path: '/mfa/preference', authTime: oldSignIn });
    expect(answer.status).toBe(200);
  });
});

describe('GET /mfa/preference', () => {
  test("maps Cognito's settings and the email mark to Amplify's shape", async () => {
    givenUser({ nativeMfa: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], preferred: 'SMS_MFA' });
    const answer = await invokeRoute(fetchMfaPreference, { method: 'GET', path: '/mfa/preference' });
    expect(answer).toMatchObject({ status: 200, body: { enabled: ['SMS', 'TOTP'], preferred: 'SMS' } });
  });

  test('refuses a body', async () => {
    const answer = await invokeRoute(fetchMfaPreference, { method: 'GET', path: '/mfa/preference', rawBody: '{}' });
    expect(answer).toMatchObject({ status: 400, body: { message: 'This route takes no request body.' } });
    expect(cognitoMock.calls()).toHaveLength(0);
  });
});

describe('PUT /mfa/preference', () => {
  test("sends Amplify's settings, answers with the new state and tells the user", async () => {
    cognitoMock.on(SetUserMFAPreferenceCommand).resolves({});
    givenUser();
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { totp: 'PREFERRED' } });
    expect(answer.status).toBe(200);
    expect(cognitoMock.commandCalls(SetUserMFAPreferenceCommand)[0]?.args[0].input).toEqual({
      AccessToken: testAccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    expect(sentEmails().map((mail) => mail.text)).toEqual([expect.stringContaining('Sign-in with an authenticator app was turned on')]);
  });

  test('SMS needs a verified phone number; nothing is changed without one', async () => {
    givenUser({ attributes: { phone_number: '+14155550100', phone_number_verified: 'false' } });
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { sms: 'ENABLED' } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'InvalidParameterException' } });
    expect(cognitoMock.commandCalls(SetUserMFAPreferenceCommand)).toHaveLength(0);
  });

  test('TOTP enabled before an authenticator is verified gets a message saying what to do', async () => {
    // Real Cognito answers SetUserMFAPreference so when no software token is verified
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html).
    givenUser();
    cognitoMock.on(SetUserMFAPreferenceCommand).rejects(cognitoException('InvalidParameter'));
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { totp: 'ENABLED' } });
    expect(answer).toMatchObject({
      status: 400,
      body: { name: 'InvalidParameterException', message: expect.stringContaining('POST /mfa/totp/setup') },
    });
  });

  test('switching from TOTP to EMAIL turns TOTP off before EMAIL on, and tells the user both', async () => {
    givenUser({ nativeMfa: ['SOFTWARE_TOKEN_MFA'], emailMfa: { state: 'ENROLLED', address: 'mfa@example.com' } });
    const order: string[] = [];
    cognitoMock.on(SetUserMFAPreferenceCommand).callsFake(() => Promise.resolve(order.push('native') && {}));
    cognitoMock.on(AdminUpdateUserAttributesCommand).callsFake(() => Promise.resolve(order.push('email') && {}));
    const answer = await invokeRoute(updateMfaPreference, {
      method: 'PUT',
      path: '/mfa/preference',
      body: { totp: 'DISABLED', email: 'PREFERRED' },
    });
    expect(answer.status).toBe(200);
    expect(order).toEqual(['native', 'email']);
    expect(cognitoMock.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_TestPool',
      Username: '11111111-2222-3333-4444-555555555555',
      UserAttributes: [{ Name: 'custom:email_mfa', Value: '{"state":"PREFERRED","address":"mfa@example.com"}' }],
    });
    expect(
      sentEmails()
        .map((mail) => mail.text)
        .sort(),
    ).toEqual([
      expect.stringContaining('Sign-in with an authenticator app was turned off'),
      expect.stringContaining('Sign-in with email codes was turned on'),
    ]);
  });

  test('EMAIL with TOTP is refused with the reason and changes nothing', async () => {
    givenUser({ nativeMfa: ['SOFTWARE_TOKEN_MFA'], emailMfa: { state: 'ENROLLED', address: 'mfa@example.com' } });
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { email: 'ENABLED' } });
    expect(answer).toMatchObject({
      status: 400,
      body: { name: 'InvalidParameterException', message: expect.stringContaining('cannot be combined with SMS or TOTP') },
    });
    expect(cognitoMock.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(sentEmails()).toEqual([]);
  });
});

describe('POST /mfa/sms/setup', () => {
  test("sets the number with the API's role (no app client may) and says where the code went", async () => {
    givenUser();
    cognitoMock.on(AdminUpdateUserAttributesCommand).resolves({});
    const answer = await invokeRoute(setUpSms, { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } });
    expect(answer).toMatchObject({
      status: 200,
      body: { codeDeliveryDetails: { destination: '+*******0100', deliveryMedium: 'SMS', attributeName: 'phone_number' } },
    });
    expect(cognitoMock.commandCalls(AdminUpdateUserAttributesCommand)[0]?.args[0].input).toEqual({
      UserPoolId: 'us-east-1_TestPool',
      Username: '11111111-2222-3333-4444-555555555555',
      UserAttributes: [{ Name: 'phone_number', Value: '+14155550100' }],
    });
    expect(cognitoMock.commandCalls(GetUserAttributeVerificationCodeCommand)).toHaveLength(0);
  });

  test('the same number again asks Cognito for a fresh code instead', async () => {
    givenUser({ attributes: { phone_number: '+14155550100', phone_number_verified: 'false' } });
    cognitoMock.on(GetUserAttributeVerificationCodeCommand).resolves({
      CodeDeliveryDetails: { Destination: '+*******0100', DeliveryMedium: 'SMS', AttributeName: 'phone_number' },
    });
    const answer = await invokeRoute(setUpSms, { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } });
    expect(answer.body).toEqual({
      codeDeliveryDetails: { destination: '+*******0100', deliveryMedium: 'SMS', attributeName: 'phone_number' },
    });
    expect(cognitoMock.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });
});

describe('POST /mfa/sms/verify', () => {
  test('a verified number is silent while SMS MFA is off: nothing changed yet', async () => {
    cognitoMock.on(VerifyUserAttributeCommand).resolves({});
    givenUser();
    expect((await invokeRoute(verifySms, { method: 'POST', path: '/mfa/sms/verify', body: { code: '654321' } })).status).toBe(204);
    expect(sentEmails()).toEqual([]);
  });

  test('verifies phone_number with the code and, with SMS MFA on, tells the user', async () => {
    cognitoMock.on(VerifyUserAttributeCommand).resolves({});
    givenUser({ nativeMfa: ['SMS_MFA'] });
    const answer = await invokeRoute(verifySms, { method: 'POST', path: '/mfa/sms/verify', body: { code: '654321' } });
    expect(answer.status).toBe(204);
    expect(cognitoMock.commandCalls(VerifyUserAttributeCommand)[0]?.args[0].input).toEqual({
      AccessToken: testAccessToken,
      AttributeName: 'phone_number',
      Code: '654321',
    });
    expect(sentEmails()[0]?.text).toContain('The phone number your Example App sign-in codes come from was replaced.');
  });
});

describe('the shared stack', () => {
  test('CORS headers only for allowed origins', async () => {
    givenUser();
    const allowed = await invokeRoute(fetchMfaPreference, {
      method: 'GET',
      path: '/mfa/preference',
      headers: { origin: 'https://app.example.com' },
    });
    expect(allowed.headers).toMatchObject({ 'Access-Control-Allow-Origin': 'https://app.example.com', Vary: 'Origin' });
    const other = await invokeRoute(fetchMfaPreference, {
      method: 'GET',
      path: '/mfa/preference',
      headers: { origin: 'https://evil.example.com' },
    });
    expect(other.headers['Access-Control-Allow-Origin']).toBeUndefined();
  });

  test('a base64-encoded body is decoded before parsing', async () => {
    cognitoMock.on(VerifyUserAttributeCommand).resolves({});
    givenUser();
    const answer = await invokeRoute(verifySms, {
      method: 'POST',
      path: '/mfa/sms/verify',
      rawBody: Buffer.from('{"code":"111222"}').toString('base64'),
      base64: true,
    });
    expect(answer.status).toBe(204);
  });

  test('a missing Authorization header is 401 even if the authorizer was bypassed', async () => {
    const answer = await invokeRoute(fetchMfaPreference, {
      method: 'GET',
      path: '/mfa/preference',
      headers: { Authorization: '' },
    });
    expect(answer).toMatchObject({ status: 401, body: { name: 'NotAuthorizedException' } });
    expect(cognitoMock.calls()).toHaveLength(0);
  });

  test("a token whose GetUser user is not the authorizer's is 401 and changes nothing", async () => {
    givenUser();
    cognitoMock.on(GetUserCommand).resolves({ Username: '99999999-8888-7777-6666-555555555555', UserAttributes: [] });
    const answer = await invokeRoute(setUpSms, { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } });
    expect(answer).toMatchObject({
      status: 401,
      body: { name: 'NotAuthorizedException', message: expect.stringContaining('Sign in again') },
    });
    expect(cognitoMock.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(cognitoMock.commandCalls(GetUserAttributeVerificationCodeCommand)).toHaveLength(0);
  });
});
