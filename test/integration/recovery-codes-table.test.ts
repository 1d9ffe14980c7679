import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { mfaTableKeys, recoveryItemKinds, userPartition } from '../../contract/mfa-table';
import { issueRecoveryCodes, type IssuedRecoveryCodes } from '../../lambda/core/recovery-codes';
import { createTable, localDynamoDbClientConfig, startLocalDynamoDb, type LocalDynamoDb } from '../../local/dynalite';
import { capturedLogLines, secrets } from '../support/log-capture';

/**
 * Recovery code sets and their redemption against dynalite: the conditional
 * writes decide races, a new set replaces the old whole, and the recovery
 * failure budget refuses a right code once locked. The clock is passed in.
 */
const tableName = 'recovery-codes-test';
let dynamoDb: LocalDynamoDb;
let store: typeof import('../../lambda/services/mfa-table');

beforeAll(async () => {
  dynamoDb = await startLocalDynamoDb();
  await createTable(dynamoDb.endpoint, { tableName, partitionKey: mfaTableKeys.partitionKey, sortKey: mfaTableKeys.sortKey });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamoDb.endpoint;
  store = await import('../../lambda/services/mfa-table');
});

afterAll(async () => {
  await dynamoDb?.stop();
});

/** Issues and stores a set, with every code, salt and hash registered with the log scan. */
async function issue(sub: string, now: number): Promise<IssuedRecoveryCodes> {
  const issued = await issueRecoveryCodes(now);
  for (const code of issued.codes) secrets.add(code, 'recovery code');
  for (const { salt, hash } of issued.set.codes) {
    secrets.add(hash, 'recovery code hash');
    secrets.add(salt, 'recovery code salt');
  }
  await store.saveRecoveryCodes(tableName, sub, issued.set);
  return issued;
}

test('a stored set holds the hashes only, and counts ten', async () => {
  const { codes } = await issue('count', 1000);
  const client = new DynamoDBClient(localDynamoDbClientConfig(dynamoDb.endpoint));
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: { [mfaTableKeys.partitionKey]: { S: userPartition('count') }, [mfaTableKeys.sortKey]: { S: recoveryItemKinds.codeSet } },
    }),
  );
  client.destroy();
  const stored = JSON.stringify(Item);
  for (const code of codes) {
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(code.replace(/-/g, ''));
  }
  const set = await store.loadRecoveryCodes(tableName, 'count');
  expect(set).toMatchObject({ issuedAt: 1000, scheme: 'PBKDF2-HMAC-SHA-256', usedAt: {} });
  expect(set?.codes).toHaveLength(10);
});

test('a code works once: the second use is refused, the others still work', async () => {
  const { codes } = await issue('use', 1000);
  expect(await store.consumeRecoveryCode(tableName, 'use', codes[3]!, 1010)).toEqual({ redeemed: true, remaining: 9 });
  expect(await store.consumeRecoveryCode(tableName, 'use', codes[3]!, 1020)).toMatchObject({
    redeemed: false,
    reason: 'no unused code matches',
  });
  // Typed as Crockford base32 allows: lower case, no hyphens, O for 0 and l for 1.
  const typed = codes[7]!.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
  expect(await store.consumeRecoveryCode(tableName, 'use', typed, 1030)).toEqual({ redeemed: true, remaining: 8 });
  const set = await store.loadRecoveryCodes(tableName, 'use');
  expect(set?.usedAt).toEqual({ 3: 1010, 7: 1030 });
});

test('a wrong code and a user without a set are refused', async () => {
  await issue('wrong', 1000);
  expect(await store.consumeRecoveryCode(tableName, 'wrong', '0000-0000-0000-0000', 1010)).toMatchObject({
    redeemed: false,
    reason: 'no unused code matches',
  });
  expect(await store.consumeRecoveryCode(tableName, 'wrong', 'not a code', 1010)).toMatchObject({ redeemed: false });
  expect(await store.consumeRecoveryCode(tableName, 'nobody', '0000-0000-0000-0000', 1010)).toMatchObject({
    redeemed: false,
    reason: 'no set issued',
  });
});

test('a new set invalidates every code of the old one', async () => {
  const old = await issue('replace', 1000);
  const fresh = await issue('replace', 2000);
  // Ten refusals would lock the default budget; a wider one shows that each old code is refused as not matching.
  const wide = { maxFailures: 100, windowSeconds: 900, lockSeconds: 900 };
  for (const code of old.codes) {
    expect(await store.consumeRecoveryCode(tableName, 'replace', code, 2010, wide)).toMatchObject({
      redeemed: false,
      reason: 'no unused code matches',
    });
  }
  expect(await store.consumeRecoveryCode(tableName, 'replace', fresh.codes[0]!, 2020, wide)).toEqual({ redeemed: true, remaining: 9 });
});

test('a use matched against a replaced set fails its condition', async () => {
  await issue('race-replace', 1000);
  const oldSet = (await store.loadRecoveryCodes(tableName, 'race-replace'))!;
  await issue('race-replace', 2000);
  expect(await store.markRecoveryCodeUsed(tableName, 'race-replace', oldSet, 0, 2010)).toBeUndefined();
  expect((await store.loadRecoveryCodes(tableName, 'race-replace'))?.usedAt).toEqual({});
});

test('fifty redemptions of one code at once: exactly one succeeds', async () => {
  const { codes } = await issue('race', 1000);
  // A budget wide enough that every attempt reaches the conditional write.
  const wide = { maxFailures: 100, windowSeconds: 900, lockSeconds: 900 };
  const results = await Promise.all(Array.from({ length: 50 }, () => store.consumeRecoveryCode(tableName, 'race', codes[0]!, 1010, wide)));
  expect(results.filter((result) => result.redeemed)).toEqual([{ redeemed: true, remaining: 9 }]);
  expect(results.filter((result) => !result.redeemed && result.reason === 'used by a concurrent request').length).toBeGreaterThan(0);
});

test('fifty redemptions of one code at once under the default budget: still exactly one', async () => {
  const { codes } = await issue('race-default', 1000);
  const results = await Promise.all(
    Array.from({ length: 50 }, () => store.consumeRecoveryCode(tableName, 'race-default', codes[0]!, 1010)),
  );
  expect(results.filter((result) => result.redeemed)).toHaveLength(1);
});

test('fifty writes for one code of one set at once: exactly one marks it', async () => {
  await issue('race-write', 1000);
  const set = (await store.loadRecoveryCodes(tableName, 'race-write'))!;
  const writes = await Promise.all(Array.from({ length: 50 }, () => store.markRecoveryCodeUsed(tableName, 'race-write', set, 5, 1010)));
  expect(writes.filter((write) => write !== undefined)).toHaveLength(1);
});

test('a locked budget refuses even a right code, and a right code before the lock clears the count', async () => {
  const { codes } = await issue('locked', 1000);
  const policy = { maxFailures: 3, windowSeconds: 900, lockSeconds: 900 };
  expect(await store.consumeRecoveryCode(tableName, 'locked', '0000-0000-0000-0000', 1001, policy)).toMatchObject({ redeemed: false });
  expect(await store.consumeRecoveryCode(tableName, 'locked', codes[0]!, 1002, policy)).toMatchObject({ redeemed: true });
  // Cleared: three more wrong codes are needed to lock, and the third one locks.
  expect(await store.consumeRecoveryCode(tableName, 'locked', '0000-0000-0000-0000', 1003, policy)).toMatchObject({ justLocked: false });
  expect(await store.consumeRecoveryCode(tableName, 'locked', '0000-0000-0000-0000', 1004, policy)).toMatchObject({ justLocked: false });
  expect(await store.consumeRecoveryCode(tableName, 'locked', '0000-0000-0000-0000', 1005, policy)).toMatchObject({
    redeemed: false,
    justLocked: true,
    lockSeconds: 900,
  });
  expect(await store.consumeRecoveryCode(tableName, 'locked', codes[1]!, 1006, policy)).toEqual({
    redeemed: false,
    reason: 'budget locked',
    justLocked: false,
  });
  expect((await store.loadRecoveryCodes(tableName, 'locked'))?.usedAt).toEqual({ 0: 1002 });
  // After the lock the right code works again.
  expect(await store.consumeRecoveryCode(tableName, 'locked', codes[1]!, 1005 + 900, policy)).toMatchObject({ redeemed: true });
});

test("the recovery budget is its own: locking it leaves the email codes' budget untouched", async () => {
  const policy = { maxFailures: 3, windowSeconds: 900, lockSeconds: 900 };
  await issue('separate', 1000);
  for (const now of [1001, 1002, 1003]) await store.consumeRecoveryCode(tableName, 'separate', '0000-0000-0000-0000', now, policy);
  expect(await store.consumeRecoveryCode(tableName, 'separate', '0000-0000-0000-0000', 1004, policy)).toMatchObject({
    reason: 'budget locked',
  });
  expect(await store.emailMfaLocked(tableName, 'separate', 1004)).toBe(false);
});

test('redemptions log nothing but contention warnings, and no code or hash', () => {
  expect(capturedLogLines.every((line) => line.includes('refused under contention'))).toBe(true);
});
