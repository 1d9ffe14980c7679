import { callApi } from '../support/api-client';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import { createUser, giveSms, signIn, type TestUser } from '../support/local-users';
import { resetSesMock } from '../support/ses-mock';
import { resetSnsMock, sentTexts } from '../support/sns-mock';
import { testSendCaps } from '../support/environment';

/**
 * The SMS caps of POST /mfa/sms/setup end to end: the real handler over HTTP,
 * cognito-local asking for the verification codes and handing each to the
 * real custom SMS sender (local/cognito-local.ts), which counts it in
 * the send log and texts it; dynalite holding the send logs. The handler takes
 * the number and its notice, the sender every code (lambda/core/send-caps.ts).
 * SNS, through which both text, is captured (test/support/sns-mock.ts).
 */
let stack: LocalStack;
let url: string;

beforeAll(async () => {
  resetSesMock();
  stack = await startLocalStack();
  url = stack.api.url;
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => {
  resetSnsMock();
});

const messagesBefore = new Map<string, number>();

async function signedIn(email: string): Promise<{ user: TestUser; token: string }> {
  const user = await createUser(stack.cognito, email);
  const { accessToken } = await signIn(stack.cognito, user);
  messagesBefore.set(user.sub, messagesOf(user).length);
  return { user, token: accessToken };
}

const messagesOf = (user: TestUser) => stack.cognito.messages.filter((message) => message.username === user.sub);

/** The codes the custom senders sent this user since the sign-in (only those really sent are listed). */
function textsTo(user: TestUser): number {
  const codes = messagesOf(user).slice(messagesBefore.get(user.sub) ?? 0);
  for (const message of codes) secrets.add(message.code, 'SMS code');
  return codes.length;
}

const setUp = (token: string, phoneNumber: string) => callApi(url, 'POST', '/mfa/sms/setup', { token, body: { phoneNumber } });
const newNumber = (index: number) => `+1415555${String(1000 + index).padStart(4, '0')}`;

test('60 set-ups with new numbers send 3 texts: the numbers cap answers the rest 429, saying when to try again', async () => {
  const { user, token } = await signedIn('sixty.numbers@example.com');
  const answers = [];
  for (let index = 0; index < 60; index += 1) answers.push(await setUp(token, newNumber(index)));
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(testSendCaps.sms.numbersPerDay);
  const refused = answers.filter((answer) => answer.status !== 200);
  expect(refused).toHaveLength(60 - testSendCaps.sms.numbersPerDay);
  for (const answer of refused) {
    expect(answer).toMatchObject({
      status: 429,
      body: { name: 'LimitExceededException', message: expect.stringMatching(/phone numbers.*Try again in [0-9]+ hours?\./) },
    });
  }
  expect(textsTo(user)).toBe(testSendCaps.sms.numbersPerDay);
});

test('the same number again within the cool-down sends nothing', async () => {
  const { user, token } = await signedIn('cool.down@example.com');
  expect((await setUp(token, newNumber(1))).status).toBe(200);
  const again = await setUp(token, newNumber(1));
  expect(again).toMatchObject({
    status: 429,
    body: { name: 'LimitExceededException', message: expect.stringMatching(/just sent to this number\. Try again in [0-9]+ seconds?\./) },
  });
  expect(textsTo(user)).toBe(1);
});

test('twenty set-ups at once cannot pass the cap: exactly 3 numbers get a text', async () => {
  const { user, token } = await signedIn('at.once@example.com');
  const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => setUp(token, newNumber(100 + index))));
  expect(answers.map((answer) => answer.status).sort()).toEqual([
    ...Array<number>(testSendCaps.sms.numbersPerDay).fill(200),
    ...Array<number>(20 - testSendCaps.sms.numbersPerDay).fill(429),
  ]);
  expect(textsTo(user)).toBe(testSendCaps.sms.numbersPerDay);
});

test.each([
  ['France', '+33612345678'],
  ['a Caribbean number outside the list', '+5926001234'],
])('a number of %s is refused with 400 naming the field, and nothing is sent or changed', async (_country, phoneNumber) => {
  const { user, token } = await signedIn(`country.${phoneNumber.slice(1)}@example.com`);
  const answer = await setUp(token, phoneNumber);
  expect(answer).toMatchObject({
    status: 400,
    body: { name: 'InvalidParameterException', message: expect.stringContaining('"phoneNumber"') },
  });
  expect(textsTo(user)).toBe(0);
  expect((await callApi(url, 'GET', '/mfa/preference', { token })).body).toEqual({});
});

test('replacing the number of a user with SMS MFA texts the old number a notice without a code, within the text cap', async () => {
  const { user, token } = await signedIn('replaced.number@example.com');
  await giveSms(stack.cognito, user, token);
  expect((await setUp(token, '+447700900123')).status).toBe(200);
  const noticesTo = () => sentTexts().filter((text) => text.to === '+14155550100');
  expect(noticesTo()).toEqual([
    {
      to: '+14155550100',
      text: 'Example App: a new phone number was set for your sign-in codes. If this was not you, reset your password now.',
      smsType: 'Transactional',
    },
  ]);
  expect(textsTo(user)).toBe(1);
  // The code went by SNS too, from the sender, to the new number only.
  expect(sentTexts().filter((text) => text.to === '+447700900123')).toEqual([
    { to: '+447700900123', text: expect.stringMatching(/^Example App verification code: [0-9]{6}$/), smsType: 'Transactional' },
  ]);

  // Past each cool-down the new number may get another code, until the hour's five texts (the notice is one) are spent.
  const start = Date.now();
  const answers = [];
  for (let minute = 1; minute <= 4; minute += 1) {
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start + minute * 61_000);
    try {
      answers.push(await setUp(token, '+447700900123'));
    } finally {
      clock.mockRestore();
    }
  }
  expect(answers.at(-1)).toMatchObject({
    status: 429,
    body: { name: 'LimitExceededException', message: expect.stringMatching(/SMS texts.*Try again in [0-9]+ minutes?\./) },
  });
  expect(textsTo(user) + noticesTo().length).toBe(testSendCaps.sms.textsPerHour);
  expect(sentTexts()).toHaveLength(testSendCaps.sms.textsPerHour);
});

test('the handler logged its refusals, and the log scan saw every line', () => {
  expect(capturedLogLines.some((line) => line.includes('"message":"request refused"'))).toBe(true);
  expect(capturedLogLines.some((line) => /\+1415555[0-9]{4}|\+4477009001/.test(line))).toBe(false);
});
