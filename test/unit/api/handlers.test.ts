import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as fetchMfaPreference } from '../../../lambda/api/fetch-mfa-preference';
import { handler as setUpSms } from '../../../lambda/api/set-up-sms';
import { handler as setUpTotp } from '../../../lambda/api/set-up-totp';
import { handler as updateMfaPreference } from '../../../lambda/api/update-mfa-preference';
import { handler as verifySms } from '../../../lambda/api/verify-sms';
import { handler as verifyTotpSetup } from '../../../lambda/api/verify-totp-setup';
import { cognitoException } from '../../support/cognito-exceptions';
import { invokeRoute, testAccessToken } from '../../support/invoke-route';
import { secrets } from '../../support/log-capture';

/**
 * The handlers' own logic with Cognito mocked: which calls they make with which
 * input, and what they answer. End-to-end behaviour against cognito-local is in
 * test/integration.
 */
const cognito = mockClient(CognitoIdentityProviderClient);
const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
secrets.add(secret, 'TOTP secret');

beforeEach(() => cognito.reset());

function userWith(attributes: Record<string, string>, mfa: { list?: string[]; preferred?: string } = {}) {
  return {
    Username: 'user-sub',
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    UserMFASettingList: mfa.list,
    PreferredMfaSetting: mfa.preferred,
  };
}

describe('POST /mfa/totp/setup', () => {
  test('associates a token with the caller\'s access token and names the account by email', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    cognito.on(GetUserCommand).resolves(userWith({ email: 'jane@example.com' }));
    const answer = await invokeRoute(setUpTotp, { method: 'POST', path: '/mfa/totp/setup' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      sharedSecret: secret,
      setupUri: `otpauth://totp/Example%20App:jane%40example.com?secret=${secret}&issuer=Example%20App`,
      qrCodeSvg: expect.stringMatching(/^<svg/),
    });
    expect(cognito.commandCalls(AssociateSoftwareTokenCommand)[0]?.args[0].input).toEqual({ AccessToken: testAccessToken });
    expect(answer.headers).toMatchObject({ 'Cache-Control': 'no-store', 'Content-Type': 'application/json' });
  });

  test('uses the names the client gives and then does not read the user', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    const answer = await invokeRoute(setUpTotp, {
      method: 'POST',
      path: '/mfa/totp/setup',
      body: { appName: 'My App', accountName: 'jane' },
    });
    expect(answer.body.setupUri).toBe(`otpauth://totp/My%20App:jane?secret=${secret}&issuer=My%20App`);
    expect(cognito.commandCalls(GetUserCommand)).toHaveLength(0);
  });

  test('falls back to the username when the user has no email', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    cognito.on(GetUserCommand).resolves(userWith({}));
    const answer = await invokeRoute(setUpTotp, { method: 'POST', path: '/mfa/totp/setup', body: {} });
    expect(answer.body.setupUri).toBe(`otpauth://totp/Example%20App:user-sub?secret=${secret}&issuer=Example%20App`);
  });

  test('accepts "Bearer " before the token and passes the bare token to Cognito', async () => {
    cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: secret });
    await invokeRoute(setUpTotp, {
      method: 'POST',
      path: '/mfa/totp/setup',
      body: { accountName: 'a' },
      headers: { authorization: `Bearer ${testAccessToken}` },
    });
    expect(cognito.commandCalls(AssociateSoftwareTokenCommand)[0]?.args[0].input.AccessToken).toBe(testAccessToken);
  });
});

describe('POST /mfa/totp/verify', () => {
  test('sends code and device name, answers 204', async () => {
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
    const answer = await invokeRoute(verifyTotpSetup, {
      method: 'POST',
      path: '/mfa/totp/verify',
      body: { code: '012345', friendlyDeviceName: 'Phone' },
    });
    expect(answer.status).toBe(204);
    expect(cognito.commandCalls(VerifySoftwareTokenCommand)[0]?.args[0].input).toEqual({
      AccessToken: testAccessToken,
      UserCode: '012345',
      FriendlyDeviceName: 'Phone',
    });
  });

  test('Status ERROR is a CodeMismatchException', async () => {
    cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'ERROR' });
    const answer = await invokeRoute(verifyTotpSetup, { method: 'POST', path: '/mfa/totp/verify', body: { code: '012345' } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'CodeMismatchException' } });
  });
});

describe('GET /mfa/preference', () => {
  test('maps Cognito\'s settings to Amplify\'s', async () => {
    cognito.on(GetUserCommand).resolves(userWith({}, { list: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], preferred: 'SMS_MFA' }));
    const answer = await invokeRoute(fetchMfaPreference, { method: 'GET', path: '/mfa/preference' });
    expect(answer).toMatchObject({ status: 200, body: { enabled: ['SMS', 'TOTP'], preferred: 'SMS' } });
  });

  test('refuses a body', async () => {
    const answer = await invokeRoute(fetchMfaPreference, { method: 'GET', path: '/mfa/preference', rawBody: '{}' });
    expect(answer).toMatchObject({ status: 400, body: { message: 'This route takes no request body.' } });
    expect(cognito.calls()).toHaveLength(0);
  });
});

describe('PUT /mfa/preference', () => {
  test('sends Amplify\'s settings and answers with the state Cognito then reports', async () => {
    cognito.on(SetUserMFAPreferenceCommand).resolves({});
    cognito.on(GetUserCommand).resolves(userWith({}, { list: ['SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA' }));
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { totp: 'PREFERRED' } });
    expect(answer).toMatchObject({ status: 200, body: { enabled: ['TOTP'], preferred: 'TOTP' } });
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)[0]?.args[0].input).toEqual({
      AccessToken: testAccessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    });
  });

  test('SMS needs a verified phone number; nothing is changed without one', async () => {
    cognito.on(GetUserCommand).resolves(userWith({ phone_number: '+14155550100', phone_number_verified: 'false' }));
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { sms: 'ENABLED' } });
    expect(answer).toMatchObject({ status: 400, body: { name: 'InvalidParameterException' } });
    expect(cognito.commandCalls(SetUserMFAPreferenceCommand)).toHaveLength(0);
  });

  test('disabling SMS does not need a phone number', async () => {
    cognito.on(SetUserMFAPreferenceCommand).resolves({});
    cognito.on(GetUserCommand).resolves(userWith({}));
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { sms: 'DISABLED' } });
    expect(answer.status).toBe(200);
    expect(cognito.commandCalls(GetUserCommand)).toHaveLength(1);
  });

  test('TOTP enabled before an authenticator is verified gets a message saying what to do', async () => {
    // Real Cognito answers SetUserMFAPreference so when no software token is verified
    // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SetUserMFAPreference.html).
    cognito.on(SetUserMFAPreferenceCommand).rejects(cognitoException('InvalidParameter'));
    const answer = await invokeRoute(updateMfaPreference, { method: 'PUT', path: '/mfa/preference', body: { totp: 'ENABLED' } });
    expect(answer).toMatchObject({
      status: 400,
      body: { name: 'InvalidParameterException', message: expect.stringContaining('POST /mfa/totp/setup') },
    });
  });
});

describe('POST /mfa/sms/setup', () => {
  test('answers with the delivery Cognito reports and asks for no second code', async () => {
    cognito.on(UpdateUserAttributesCommand).resolves({
      CodeDeliveryDetailsList: [{ Destination: '+*******0100', DeliveryMedium: 'SMS', AttributeName: 'phone_number' }],
    });
    const answer = await invokeRoute(setUpSms, { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } });
    expect(answer).toMatchObject({
      status: 200,
      body: { codeDeliveryDetails: { destination: '+*******0100', deliveryMedium: 'SMS', attributeName: 'phone_number' } },
    });
    expect(cognito.commandCalls(UpdateUserAttributesCommand)[0]?.args[0].input.UserAttributes).toEqual([
      { Name: 'phone_number', Value: '+14155550100' },
    ]);
    expect(cognito.commandCalls(GetUserAttributeVerificationCodeCommand)).toHaveLength(0);
  });

  test('asks for a code when the update sent none (same number again)', async () => {
    cognito.on(UpdateUserAttributesCommand).resolves({});
    cognito.on(GetUserAttributeVerificationCodeCommand).resolves({
      CodeDeliveryDetails: { Destination: '+*******0100', DeliveryMedium: 'SMS', AttributeName: 'phone_number' },
    });
    const answer = await invokeRoute(setUpSms, { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } });
    expect(answer.body).toEqual({
      codeDeliveryDetails: { destination: '+*******0100', deliveryMedium: 'SMS', attributeName: 'phone_number' },
    });
  });
});

describe('POST /mfa/sms/verify', () => {
  test('verifies phone_number with the code', async () => {
    cognito.on(VerifyUserAttributeCommand).resolves({});
    const answer = await invokeRoute(verifySms, { method: 'POST', path: '/mfa/sms/verify', body: { code: '654321' } });
    expect(answer.status).toBe(204);
    expect(cognito.commandCalls(VerifyUserAttributeCommand)[0]?.args[0].input).toEqual({
      AccessToken: testAccessToken,
      AttributeName: 'phone_number',
      Code: '654321',
    });
  });
});

describe('the shared stack', () => {
  test('CORS headers only for allowed origins', async () => {
    cognito.on(GetUserCommand).resolves(userWith({}));
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
    cognito.on(VerifyUserAttributeCommand).resolves({});
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
    expect(cognito.calls()).toHaveLength(0);
  });
});
