import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  AssociateSoftwareTokenCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { handler as fetchMfaPreference } from '../../../lambda/api/fetch-mfa-preference';
import { handler as setUpSms } from '../../../lambda/api/set-up-sms';
import { handler as setUpTotp } from '../../../lambda/api/set-up-totp';
import { handler as updateMfaPreference } from '../../../lambda/api/update-mfa-preference';
import { handler as verifySms } from '../../../lambda/api/verify-sms';
import { handler as verifyTotpSetup } from '../../../lambda/api/verify-totp-setup';
import { cognitoException, exceptionsOf, expectedAnswerFor } from '../../support/cognito-exceptions';
import { cognitoMock as cognito, givenUser, resetMocks } from '../../support/cognito-mocks';
import { capturedLogLines } from '../../support/log-capture';
import { invokeRoute } from '../../support/invoke-route';

/**
 * Every exception each route's Cognito calls can raise, injected with
 * aws-sdk-client-mock (the local emulator cannot be made to raise most of
 * them), and the answer the client gets for it.
 */
function answerEverythingWell(): void {
  resetMocks();
  givenUser({
    attributes: { phone_number: '+14155550199', phone_number_verified: 'true' },
    emailMfa: { state: 'ENROLLED', address: 'jane@example.com' },
  });
  cognito.on(AdminUpdateUserAttributesCommand).resolves({});
  cognito.on(AssociateSoftwareTokenCommand).resolves({ SecretCode: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
  cognito.on(VerifySoftwareTokenCommand).resolves({ Status: 'SUCCESS' });
  cognito.on(SetUserMFAPreferenceCommand).resolves({});
  cognito.on(GetUserAttributeVerificationCodeCommand).resolves({ CodeDeliveryDetails: {} });
  cognito.on(VerifyUserAttributeCommand).resolves({});
}

const commands = {
  AdminGetUser: AdminGetUserCommand,
  AdminUpdateUserAttributes: AdminUpdateUserAttributesCommand,
  GetUser: GetUserCommand,
  AssociateSoftwareToken: AssociateSoftwareTokenCommand,
  VerifySoftwareToken: VerifySoftwareTokenCommand,
  SetUserMFAPreference: SetUserMFAPreferenceCommand,
  GetUserAttributeVerificationCode: GetUserAttributeVerificationCodeCommand,
  VerifyUserAttribute: VerifyUserAttributeCommand,
} as const;

type CommandName = keyof typeof commands;

const routes: [string, Parameters<typeof invokeRoute>[1], CommandName[]][] = [
  ['POST /mfa/totp/setup', { method: 'POST', path: '/mfa/totp/setup', body: {} }, ['GetUser', 'AdminGetUser', 'AssociateSoftwareToken']],
  [
    'POST /mfa/totp/verify',
    { method: 'POST', path: '/mfa/totp/verify', body: { code: '123456' } },
    ['GetUser', 'AdminGetUser', 'VerifySoftwareToken'],
  ],
  ['GET /mfa/preference', { method: 'GET', path: '/mfa/preference' }, ['GetUser', 'AdminGetUser']],
  [
    'PUT /mfa/preference',
    { method: 'PUT', path: '/mfa/preference', body: { sms: 'ENABLED' } },
    ['GetUser', 'AdminGetUser', 'SetUserMFAPreference'],
  ],
  ['PUT /mfa/preference (email)', { method: 'PUT', path: '/mfa/preference', body: { email: 'DISABLED' } }, ['AdminUpdateUserAttributes']],
  [
    'POST /mfa/sms/setup',
    { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550100' } },
    ['GetUser', 'AdminGetUser', 'AdminUpdateUserAttributes'],
  ],
  [
    'POST /mfa/sms/setup (same number)',
    { method: 'POST', path: '/mfa/sms/setup', body: { phoneNumber: '+14155550199' } },
    ['GetUserAttributeVerificationCode'],
  ],
  [
    'POST /mfa/sms/verify',
    { method: 'POST', path: '/mfa/sms/verify', body: { code: '123456' } },
    ['VerifyUserAttribute', 'GetUser', 'AdminGetUser'],
  ],
];

const handlers = {
  'POST /mfa/totp/setup': setUpTotp,
  'POST /mfa/totp/verify': verifyTotpSetup,
  'GET /mfa/preference': fetchMfaPreference,
  'PUT /mfa/preference': updateMfaPreference,
  'PUT /mfa/preference (email)': updateMfaPreference,
  'POST /mfa/sms/setup': setUpSms,
  'POST /mfa/sms/setup (same number)': setUpSms,
  'POST /mfa/sms/verify': verifySms,
} as const;

const cases = routes.flatMap(([route, request, names]) =>
  names.flatMap((command) => exceptionsOf[command].map((exception) => [route, command, exception, request] as const)),
);

test.each(cases)('%s: %s raising %sException', async (route, command, exception, request) => {
  answerEverythingWell();
  // One mock per command class; the union of classes is too wide for mockClient's typing.
  cognito.on(commands[command] as typeof AdminGetUserCommand).rejects(cognitoException(exception));
  const logLinesBefore = capturedLogLines.length;

  const answer = await invokeRoute(handlers[route as keyof typeof handlers], request);

  const [status, name] = expectedAnswerFor(command, `${exception}Exception`) ?? [0, 'unmapped'];
  expect({ status: answer.status, name: answer.body.name }).toEqual({ status, name });
  expect(answer.body.message).toEqual(expect.any(String));
  expect(JSON.stringify(answer.body)).not.toMatch(/424242|validation error|Value '/);
  expect(Object.keys(answer.body).sort()).toEqual(['message', 'name']);
  const logged = capturedLogLines.slice(logLinesBefore).join('\n');
  expect(logged).toMatch(new RegExp(`"(cause|rootCause)":"${exception}Exception"`));
  expect(logged).not.toContain('424242');
});

test("an error that is not Cognito's becomes a 500 without internals", async () => {
  answerEverythingWell();
  cognito.on(AdminGetUserCommand).rejects(new TypeError("Cannot read properties of undefined (reading 'secret')"));
  const answer = await invokeRoute(fetchMfaPreference, { method: 'GET', path: '/mfa/preference' });
  expect(answer).toMatchObject({
    status: 500,
    body: { name: 'InternalErrorException', message: 'Internal error. Try again later.' },
  });
});
