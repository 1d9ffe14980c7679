import { maxConsecutiveFailures, nextLockSeconds } from '../../lambda/core/failure-budget';
import { mfaTableKeys } from '../../contract/mfa-table';
import { createTable, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynalite';

/**
 * The failure budget's conditional writes against dynalite: exact counting under
 * concurrency, locks that grow, and the lock an administrator must lift.
 */
const policy = { maxFailures: 10, windowSeconds: 900, lockSeconds: 900 };
let dynamoDb: LocalDynamoDb;
let budget: typeof import('../../lambda/services/mfa-table');

beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
  await createTable(dynamoDb.endpoint, {
    tableName: 'budget-test',
    partitionKey: mfaTableKeys.partitionKey,
    sortKey: mfaTableKeys.sortKey,
  });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoDb.endpoint;
  budget = await import('../../lambda/services/mfa-table');
});

afterAll(async () => {
  await dynamoDb?.stop();
});

const charge = (sub: string, now: number) => budget.chargeAttempt('budget-test', sub, now, policy);

async function chargeTimes(sub: string, now: number, times: number) {
  const charges = [];
  for (let i = 0; i < times; i += 1) charges.push(await charge(sub, now));
  return charges;
}

test('ten answers in a window are allowed, the tenth locks for 15 minutes, the eleventh is refused unseen', async () => {
  const charges = await chargeTimes('user-a', 1000, 11);
  expect(charges.slice(0, 9).every((c) => c.allowed && !c.justLocked)).toBe(true);
  expect(charges[9]).toEqual({ allowed: true, justLocked: true, lockSeconds: 900 });
  expect(charges[10]).toEqual({ allowed: false, justLocked: false });
  expect(await budget.emailMfaLocked('budget-test', 'user-a', 1899)).toBe(true);
  expect(await budget.emailMfaLocked('budget-test', 'user-a', 1900)).toBe(false);
});

test('each further lock lasts twice as long: a lock is no reset of the count', async () => {
  let now = 1000;
  const lockLengths: (number | undefined)[] = [];
  for (let lock = 0; lock < 4; lock += 1) {
    const charges = await chargeTimes('user-b', now, 10);
    lockLengths.push(charges[9]?.lockSeconds);
    now += (charges[9]?.lockSeconds ?? 0) + 1;
  }
  expect(lockLengths).toEqual([900, 1800, 3600, 7200]);
});

test(`after ${maxConsecutiveFailures} wrong answers without a right one, email MFA stays locked until an administrator clears it`, async () => {
  let now = 1000;
  let last;
  for (let answer = 1; answer <= maxConsecutiveFailures; answer += 1) {
    last = await charge('user-c', now);
    if (last.justLocked && last.lockSeconds !== undefined) now += last.lockSeconds + 1;
  }
  expect(last).toEqual({ allowed: true, justLocked: true, lockSeconds: undefined });
  const aYearLater = now + 365 * 24 * 60 * 60;
  expect(await charge('user-c', aYearLater)).toEqual({ allowed: false, justLocked: false });
  await budget.clearFailures('budget-test', 'user-c');
  expect(await charge('user-c', aYearLater)).toEqual({ allowed: true, justLocked: false });
});

test('a right answer clears everything: the next lock is a short one again', async () => {
  const first = await chargeTimes('user-d', 1000, 10);
  expect(first[9]?.lockSeconds).toBe(900);
  await budget.clearFailures('budget-test', 'user-d');
  const again = await chargeTimes('user-d', 1001, 10);
  expect(again[9]?.lockSeconds).toBe(900);
});

test('twelve answers at once: exactly ten get through and exactly one locks', async () => {
  const charges = await Promise.all(Array.from({ length: 12 }, () => charge('user-e', 5000)));
  expect(charges.filter((c) => c.allowed)).toHaveLength(10);
  expect(charges.filter((c) => c.justLocked)).toHaveLength(1);
});

test('lock lengths: doubled per lock, at most a day, none once the consecutive limit is reached', () => {
  expect([0, 1, 2, 6, 7, 20].map((locks) => nextLockSeconds(policy, locks, 10))).toEqual([900, 1800, 3600, 57_600, 86_400, 86_400]);
  expect(nextLockSeconds(policy, 3, maxConsecutiveFailures)).toBeUndefined();
});
