import { mfaTableKeys } from '../../contract/mfa-table';
import { createTable, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynalite';
import { capturedLogLines } from '../support/log-capture';

/**
 * The send logs' conditional writes against dynalite, with the clock given
 * explicitly: racing sends are decided one after the other, and a window that
 * has passed admits again (hours and days that the end-to-end tests cannot wait
 * for, since a moved clock would also expire their tokens).
 */
const tableName = 'send-caps-test';
const smsPolicy = { numbers: { max: 3, windowSeconds: 86_400 }, texts: { max: 5, windowSeconds: 3600 }, cooldownSeconds: 60 };
const emailCap = { max: 5, windowSeconds: 900 };
let dynamoDb: LocalDynamoDb;
let caps: typeof import('../../lambda/services/send-caps');

beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
  await createTable(dynamoDb.endpoint, { tableName, partitionKey: mfaTableKeys.partitionKey, sortKey: mfaTableKeys.sortKey });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoDb.endpoint;
  caps = await import('../../lambda/services/send-caps');
});

afterAll(async () => {
  await dynamoDb?.stop();
});

/** What POST /mfa/sms/setup and then the custom SMS sender take for one code to `number`. */
async function sms(sub: string, number: string, now: number) {
  const setUp = await caps.admitSmsNumber(tableName, sub, number, now, smsPolicy, 0);
  return setUp.admitted ? caps.admitPoolSmsText(tableName, sub, number, now, smsPolicy, true) : setUp;
}

test('thirty email codes at once: exactly five admitted', async () => {
  const admissions = await Promise.all(Array.from({ length: 30 }, () => caps.admitEmailCode(tableName, 'email-racer', 1000, emailCap)));
  expect(admissions.filter((admission) => admission.admitted)).toHaveLength(5);
});

test('the email window slides: the sixth code waits for the first to leave it', async () => {
  for (const now of [1000, 1100, 1200, 1300, 1400])
    expect((await caps.admitEmailCode(tableName, 'email-slide', now, emailCap)).admitted).toBe(true);
  expect(await caps.admitEmailCode(tableName, 'email-slide', 1899, emailCap)).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
  expect((await caps.admitEmailCode(tableName, 'email-slide', 1900, emailCap)).admitted).toBe(true);
});

test('sixty set-ups of sixty numbers at once: exactly three admitted', async () => {
  const admissions = await Promise.all(
    Array.from({ length: 60 }, (_, index) => caps.admitSmsNumber(tableName, 'sms-racer', `number-${index}`, 5000, smsPolicy, 0)),
  );
  expect(admissions.filter((admission) => admission.admitted)).toHaveLength(3);
});

test('ten texts Cognito hands the sender at once for one number: the cool-down admits one', async () => {
  const admissions = await Promise.all(
    Array.from({ length: 10 }, () => caps.admitPoolSmsText(tableName, 'sms-cooldown', 'number', 5000, smsPolicy, true)),
  );
  expect(admissions.filter((admission) => admission.admitted)).toHaveLength(1);
});

test('thirty sign-in texts at once: no cool-down, but exactly the five of the hour', async () => {
  const admissions = await Promise.all(
    Array.from({ length: 30 }, () => caps.admitPoolSmsText(tableName, 'sms-sign-in', 'number', 5000, smsPolicy, false)),
  );
  expect(admissions.filter((admission) => admission.admitted)).toHaveLength(5);
});

test("thirty of Cognito's emails at once: exactly five, in a log apart from the email codes'", async () => {
  const admissions = await Promise.all(Array.from({ length: 30 }, () => caps.admitPoolEmail(tableName, 'pool-email', 1000, emailCap)));
  expect(admissions.filter((admission) => admission.admitted)).toHaveLength(5);
  expect((await caps.admitEmailCode(tableName, 'pool-email', 1000, emailCap)).admitted).toBe(true);
});

test('after the hour the texts are back, and after a day a new number', async () => {
  let now = 10_000;
  for (let text = 0; text < 5; text += 1, now += 61) expect((await sms('sms-hour', 'one', now)).admitted).toBe(true);
  expect(await sms('sms-hour', 'one', now)).toMatchObject({ admitted: false, error: { message: expect.stringMatching(/SMS texts/) } });
  expect((await sms('sms-hour', 'one', 10_000 + 3600)).admitted).toBe(true);

  for (const number of ['two', 'three']) expect((await sms('sms-hour', number, 20_000)).admitted).toBe(true);
  expect(await sms('sms-hour', 'four', 20_100)).toMatchObject({
    admitted: false,
    error: { message: expect.stringMatching(/phone numbers/) },
  });
  expect((await sms('sms-hour', 'four', 10_000 + 86_400)).admitted).toBe(true);
});

test('the send logs log nothing of their own', () => {
  expect(capturedLogLines).toEqual([]);
});
