import { createHmac, randomBytes } from 'node:crypto';
import {
  modPow,
  padHex,
  passwordClaim,
  privateKey,
  scramblingParameter,
  sessionKey,
  srpGroup,
  srpMultiplier,
  srpTimestamp,
  startSrp,
} from '../../../lambda/core/srp';
import { referenceInternals } from '../../support/reference-client';

interface ReferenceBigInteger {
  toString(radix: number): string;
}
interface ReferenceHelper {
  k: ReferenceBigInteger;
  smallAValue: ReferenceBigInteger;
  largeAValue: ReferenceBigInteger;
  padHex(value: ReferenceBigInteger): string;
  getPasswordAuthenticationKey(
    userId: string,
    password: string,
    B: ReferenceBigInteger,
    salt: ReferenceBigInteger,
    callback: (error: unknown, key: Buffer) => void,
  ): void;
}

// The reference: AWS's published Cognito client. Its internals are CommonJS with a jsbn BigInteger.
const AuthenticationHelper = referenceInternals<new (poolName: string) => ReferenceHelper>('lib/AuthenticationHelper');
const BigInteger = referenceInternals<new (hex: string, radix: number) => ReferenceBigInteger>('lib/BigInteger');

const big = (value: bigint) => new BigInteger(value.toString(16), 16);
const poolName = 'AbCdEf123';
const userId = 'c2b8f1b4-0d36-4bbd-9e3b-3a5f7d1f2e10';
const password = 'correct horse battery staple';

/** A server side of the exchange, from the SRP-6a definitions: v = g^x, B = k*v + g^b, S = (A * v^u)^b. */
function serverFor(salt: bigint, b: bigint) {
  const { N, g } = srpGroup;
  const v = modPow(g, privateKey(poolName, userId, password, salt), N);
  const B = (srpMultiplier * v + modPow(g, b, N)) % N;
  return { B, S: (A: bigint) => modPow(A * modPow(v, scramblingParameter(A, B), N), b, N) };
}

test('k and the padding match the reference', () => {
  const reference = new AuthenticationHelper(poolName);
  expect(srpMultiplier.toString(16)).toBe(reference.k.toString(16));
  for (const value of [0x14n, 0xecn, 0x80n, 0x7fn, 0x1234n, srpGroup.N, 2n]) {
    expect(padHex(value)).toBe(reference.padHex(big(value)));
  }
});

test.each(Array.from({ length: 5 }, (_, run) => run))("the session key equals the reference's (run %i)", async () => {
  const session = startSrp();
  const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
  const server = serverFor(salt, BigInt(`0x${randomBytes(32).toString('hex')}`));

  const reference = new AuthenticationHelper(poolName);
  reference.smallAValue = big(session.a);
  reference.largeAValue = new BigInteger(session.A, 16);
  const referenceKey = await new Promise<Buffer>((resolve, reject) =>
    reference.getPasswordAuthenticationKey(userId, password, big(server.B), big(salt), (error, key) =>
      error ? reject(error instanceof Error ? error : new Error('reference failed')) : resolve(key),
    ),
  );

  const A = BigInt(`0x${session.A}`);
  const ours = sessionKey(server.S(A), scramblingParameter(A, server.B));
  expect(ours.toString('hex')).toBe(Buffer.from(referenceKey).toString('hex'));
});

test("the claim is the reference client's signature over pool, user, secret block and time", () => {
  const session = startSrp();
  const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
  const server = serverFor(salt, BigInt(`0x${randomBytes(32).toString('hex')}`));
  const secretBlock = randomBytes(64).toString('base64');
  const now = new Date(Date.UTC(2026, 10, 5, 7, 8, 9));
  const claim = passwordClaim(
    session,
    { SALT: salt.toString(16), SRP_B: server.B.toString(16), SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: userId },
    `us-east-1_${poolName}`,
    password,
    now,
  );
  const A = BigInt(`0x${session.A}`);
  const key = sessionKey(server.S(A), scramblingParameter(A, server.B));
  // CognitoUser.authenticateUserDefaultAuth builds the same message and HMACs it with the key.
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(poolName),
        Buffer.from(userId),
        Buffer.from(secretBlock, 'base64'),
        Buffer.from('Thu Nov 5 07:08:09 UTC 2026'),
      ]),
    )
    .digest('base64');
  expect(claim).toEqual({
    PASSWORD_CLAIM_SIGNATURE: expected,
    PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
    TIMESTAMP: 'Thu Nov 5 07:08:09 UTC 2026',
  });
});

test('a wrong password gives a different key', () => {
  const session = startSrp();
  const salt = 0x1234567890abcdefn;
  const server = serverFor(salt, 0xfedcba9876543210n);
  const A = BigInt(`0x${session.A}`);
  const right = sessionKey(server.S(A), scramblingParameter(A, server.B));
  const { N, g } = srpGroup;
  const x = privateKey(poolName, userId, 'wrong password', salt);
  const u = scramblingParameter(A, server.B);
  const wrong = sessionKey(modPow(server.B - srpMultiplier * modPow(g, x, N), session.a + u * x, N), u);
  expect(wrong.equals(right)).toBe(false);
});

test("modPow agrees with small known values and with the group's order", () => {
  expect(modPow(4n, 13n, 497n)).toBe(445n);
  expect(modPow(2n, 0n, 7n)).toBe(1n);
  expect(modPow(-3n, 3n, 7n)).toBe(1n);
  expect(modPow(srpGroup.g, srpGroup.N - 1n, srpGroup.N)).toBe(1n);
});

test('the timestamp has an unpadded day and padded time, as Cognito expects', () => {
  expect(srpTimestamp(new Date(Date.UTC(2026, 0, 1, 0, 0, 0)))).toBe('Thu Jan 1 00:00:00 UTC 2026');
  expect(srpTimestamp(new Date(Date.UTC(2026, 11, 31, 23, 59, 59)))).toBe('Thu Dec 31 23:59:59 UTC 2026');
});
