import {
  AdminCreateUserCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import { getClient, KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { KMS } from '@aws-sdk/client-kms';
import { callApi, type ApiAnswer } from '../support/api-client';
import { testSendCaps } from '../support/environment';
import { startLocalKms } from '../../local/kms';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { cognitoClient, createUser, giveEmailMfa, giveSms, signIn as passwordSignIn, type TestUser } from '../support/local-users';
import { lastEmailedCode, resetSesMock, sentEmails } from '../support/ses-mock';
import { resetSnsMock, sentTexts } from '../support/sns-mock';

/**
 * The caps hold where Cognito sends, not only in the API: the Cognito front
 * and cognito-local hand every SMS and email to the real custom sender
 * triggers, codes encrypted by the real AWS Encryption SDK under the stack's
 * key on the local KMS (local/cognito-local.ts, kms.ts). The calls here
 * are Cognito's own public ones, made as an app or anyone holding an access
 * token (or nothing, for ForgotPassword) can make them, past the API.
 * What the senders send is captured at SNS and SES (sns-mock.ts, ses-mock.ts).
 */
type SignInBody = { isSignedIn: boolean; nextStep: { signInStep: string }; session?: string };

let stack: LocalStackWithFront;
let url: string;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  url = stack.api.url;
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  resetSesMock();
  resetSnsMock();
});

const cognito = () => cognitoClient(stack.front, { maxAttempts: 1 });
const textsTo = (phoneNumber: string) => sentTexts().filter((text) => text.to === phoneNumber);
const poolEmailsTo = (user: TestUser) =>
  sentEmails().filter((email) => email.to.includes(user.email) && /^(Confirm|Verify) your|password reset code$/.test(email.subject));

/** Runs `call` with Date.now moved `seconds` ahead: the caps read the clock, and waiting for real is not an option. */
async function later<T>(seconds: number, call: () => Promise<T>): Promise<T> {
  const now = Date.now();
  const clock = jest.spyOn(Date, 'now').mockReturnValue(now + seconds * 1000);
  try {
    return await call();
  } finally {
    clock.mockRestore();
  }
}

async function askForPhoneCode(accessToken: string): Promise<void> {
  const client = cognito();
  try {
    await client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'phone_number' }));
  } finally {
    client.destroy();
  }
}

describe('GetUserAttributeVerificationCode called directly with an access token', () => {
  test('30 calls at once for phone_number send one text: the cool-down holds', async () => {
    const user = await createUser(stack.cognito, 'direct.burst@example.com');
    const { accessToken } = await passwordSignIn(stack.cognito, user);
    await giveSms(stack.cognito, user, accessToken);
    resetSnsMock();
    await Promise.all(Array.from({ length: 30 }, () => askForPhoneCode(accessToken)));
    expect(textsTo('+14155550100')).toEqual([
      { to: '+14155550100', text: expect.stringMatching(/^Example App verification code: [0-9]{6}$/), smsType: 'Transactional' },
    ]);
  });

  test("30 calls 25 seconds apart send the hour's texts, one per cool-down, and no more; then POST /mfa/sms/setup answers 429 too", async () => {
    const user = await createUser(stack.cognito, 'direct.hour@example.com');
    const { accessToken } = await passwordSignIn(stack.cognito, user);
    await giveSms(stack.cognito, user, accessToken);
    resetSnsMock();
    // 12 minutes in all, so that the set-up below is still within its step-up window (15 minutes).
    for (let call = 0; call < 30; call += 1) await later(call * 25, () => askForPhoneCode(accessToken));
    expect(textsTo('+14155550100')).toHaveLength(testSendCaps.sms.textsPerHour);
    expect(sentTexts()).toHaveLength(testSendCaps.sms.textsPerHour);

    const setUp = await later(30 * 25, () =>
      callApi(url, 'POST', '/mfa/sms/setup', { token: accessToken, body: { phoneNumber: '+447700900123' } }),
    );
    expect(setUp).toMatchObject({
      status: 429,
      body: { name: 'LimitExceededException', message: expect.stringMatching(/SMS texts.*Try again in [0-9]+ minutes?\./) },
    });
    expect(sentTexts()).toHaveLength(testSendCaps.sms.textsPerHour);
  });

  test("30 calls for email send at most the cap of the pool's emails, the sign-up confirmation included", async () => {
    // No phone number: cognito-local picks SMS for every attribute code once a user has one (local/cognito-local.ts).
    const user = await createUser(stack.cognito, 'direct.email@example.com');
    const { accessToken } = await passwordSignIn(stack.cognito, user);
    const client = cognito();
    for (let call = 0; call < 30; call += 1) {
      await client.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }));
    }
    client.destroy();
    // createUser's sign-up confirmation took the first place in the window.
    expect(poolEmailsTo(user).map((email) => email.subject)).toEqual([
      'Confirm your Example App account',
      ...Array<string>(testSendCaps.emailCodes.max - 1).fill('Verify your Example App email address'),
    ]);
  });
});

describe('ForgotPassword, which needs no token', () => {
  test("30 calls send at most the cap, and do not use up the user's email MFA sign-in codes", async () => {
    const user = await createUser(stack.cognito, 'forgot.flood@example.com');
    await giveEmailMfa(stack.cognito, user);
    resetSesMock();
    const client = cognito();
    for (let call = 0; call < 30; call += 1) {
      await client.send(new ForgotPasswordCommand({ ClientId: stack.cognito.clientId, Username: user.email }));
    }
    client.destroy();
    const resets = poolEmailsTo(user);
    expect(resets).toHaveLength(testSendCaps.emailCodes.max - 1);
    for (const email of resets) expect(email.subject).toBe('Example App password reset code');

    const started = await callApi<SignInBody>(url, 'POST', '/auth/sign-in', { body: { username: user.email, password: user.password } });
    expect(started.body.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    expect(lastEmailedCode(user.email)).toMatch(/^[0-9]{6}$/);
  });
});

describe('SMS MFA sign-in codes, which Cognito sends after the password', () => {
  const signIn = (user: TestUser) =>
    callApi<SignInBody>(url, 'POST', '/auth/sign-in', { body: { username: user.email, password: user.password } });
  const confirm = (user: TestUser, started: ApiAnswer<SignInBody>, code: string) =>
    callApi<SignInBody>(url, 'POST', '/auth/confirm-sign-in', {
      body: { username: user.email, session: started.body.session, challengeResponse: code },
    });

  test('come through the SMS sender with no cool-down: two sign-ins in the same second each get theirs and sign in', async () => {
    const user = await createUser(stack.cognito, 'sms.mfa.sender@example.com');
    await giveSms(stack.cognito, user, (await passwordSignIn(stack.cognito, user)).accessToken);
    resetSnsMock();
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const started = await signIn(user);
      expect(started.body.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_SMS_CODE');
      const [text] = textsTo('+14155550100').slice(attempt);
      expect(text?.text).toMatch(/^Example App sign-in code: [0-9]{6}$/);
      const code = text?.text.slice(-6) ?? '';
      expect(stack.front.smsMessages.at(-1)?.code).toBe(code);
      expect((await confirm(user, started, code)).body.isSignedIn).toBe(true);
    }
  });

  test('count towards the texts cap: beyond it the challenge comes, but no code', async () => {
    const user = await createUser(stack.cognito, 'sms.mfa.capped@example.com');
    await giveSms(stack.cognito, user, (await passwordSignIn(stack.cognito, user)).accessToken);
    resetSnsMock();
    for (let attempt = 0; attempt < testSendCaps.sms.textsPerHour + 2; attempt += 1) {
      expect((await signIn(user)).body.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_SMS_CODE');
    }
    // giveSms's own attribute update sent no code (it marks the number verified), so all five are sign-in codes.
    expect(textsTo('+14155550100')).toHaveLength(testSendCaps.sms.textsPerHour);
  });
});

test("an administrator's invitation arrives through the email sender, with the username and the temporary password", async () => {
  const email = 'invited@example.com';
  const temporaryPassword = 'Invitation-Password-7f3k2';
  secrets.add(temporaryPassword, 'temporary password');
  const client = cognitoClient(stack.cognito);
  await client.send(
    new AdminCreateUserCommand({
      UserPoolId: stack.cognito.userPoolId,
      Username: email,
      TemporaryPassword: temporaryPassword,
      DesiredDeliveryMediums: ['EMAIL'],
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    }),
  );
  client.destroy();
  const invitations = sentEmails().filter((sent) => sent.to.includes(email));
  expect(invitations).toEqual([
    {
      to: [email],
      subject: 'Your Example App account',
      text: expect.stringContaining(`Temporary password: ${temporaryPassword}`),
    },
  ]);
  expect(invitations[0]?.text).toMatch(/Username: \S+/);
});

test("a code encrypted under any key but the stack's is not decrypted, and nothing is sent", async () => {
  const otherKeyArn = 'arn:aws:kms:us-east-1:000000000000:key/7d0f3c2e-4a61-4f0e-9b6a-2c5d8e1f0a93';
  const otherKms = await startLocalKms([otherKeyArn]);
  try {
    const { encrypt } = buildEncrypt('REQUIRE_ENCRYPT_ALLOW_DECRYPT' as Parameters<typeof buildEncrypt>[0]);
    const keyring = new KmsKeyringNode({
      generatorKeyId: otherKeyArn,
      clientProvider: getClient(KMS, { endpoint: otherKms.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    });
    const { result } = await encrypt(keyring, Buffer.from('424242', 'utf8'));
    const { handler } = await import('../../lambda/triggers/custom-sms-sender');
    const event = {
      version: '1',
      triggerSource: 'CustomSMSSender_ForgotPassword',
      region: 'us-east-1',
      userPoolId: stack.cognito.userPoolId,
      userName: 'someone',
      callerContext: { awsSdkVersion: 'test', clientId: stack.cognito.clientId },
      request: {
        type: 'customSMSSenderRequestV1',
        code: Buffer.from(result).toString('base64'),
        userAttributes: { sub: 'other-key-user', phone_number: '+14155550199' },
      },
      response: {},
    };
    const decryptsBefore = stack.kms.operationCounts.get('Decrypt') ?? 0;
    await expect(handler(event)).rejects.toThrow();
    // The keyring names only the stack's key, so it never asks KMS to unwrap another key's data key.
    expect(stack.kms.operationCounts.get('Decrypt') ?? 0).toBe(decryptsBefore);
    expect(textsTo('+14155550199')).toEqual([]);
  } finally {
    await otherKms.stop();
  }
});

test('an event of a source the sender does not know, or without a code, sends nothing and returns normally', async () => {
  const { handler } = await import('../../lambda/triggers/custom-sms-sender');
  const base = {
    version: '1',
    region: 'us-east-1',
    userPoolId: stack.cognito.userPoolId,
    userName: 'someone',
    callerContext: { awsSdkVersion: 'test', clientId: stack.cognito.clientId },
    response: {},
  };
  const attributes = { sub: 'odd-event-user', phone_number: '+14155550198' };
  await expect(
    handler({ ...base, triggerSource: 'CustomSMSSender_SomethingNew', request: { code: 'AYAD', userAttributes: attributes } }),
  ).resolves.toBeUndefined();
  await expect(
    handler({ ...base, triggerSource: 'CustomSMSSender_SignUp', request: { userAttributes: attributes } }),
  ).resolves.toBeUndefined();
  expect(textsTo('+14155550198')).toEqual([]);
  expect(capturedLogLines.some((line) => line.includes('"reason":"unknown trigger source"'))).toBe(true);
  expect(capturedLogLines.some((line) => line.includes('"reason":"no code in the event"'))).toBe(true);
});

test('every code went through the real key: Cognito encrypted, the senders decrypted', () => {
  expect(stack.kms.operationCounts.get('GenerateDataKey')).toBeGreaterThan(0);
  expect(stack.kms.operationCounts.get('Decrypt')).toBeGreaterThan(0);
});

test('the senders logged what they refused, by source, and no code, password, number or address (the log scan checks the rest)', () => {
  sentTexts();
  sentEmails();
  const refusals = capturedLogLines.filter((line) => line.includes('"message":"Pool message not sent"'));
  expect(refusals.some((line) => line.includes('"source":"VerifyUserAttribute"') && line.includes('"reason":"send cap"'))).toBe(true);
  expect(refusals.some((line) => line.includes('"source":"ForgotPassword"'))).toBe(true);
  expect(refusals.some((line) => line.includes('"source":"Authentication"'))).toBe(true);
  expect(capturedLogLines.some((line) => /\+1415555|\+4477009|@example\.com/.test(line))).toBe(false);
});
