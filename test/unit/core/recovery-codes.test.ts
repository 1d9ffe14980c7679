import {
  decideRedemption,
  findUnusedRecoveryCode,
  generateRecoveryCode,
  issueRecoveryCodes,
  normalizeRecoveryCode,
  recoveryCodeAlphabet,
  recoveryCodeEntropyBits,
  remainingRecoveryCodes,
} from '../../../lambda/core/recovery-codes';
import { secrets } from '../../support/log-capture';

const shape = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/;

test("the alphabet is Crockford's base32: 32 symbols, no I, L, O or U", () => {
  expect(new Set(recoveryCodeAlphabet).size).toBe(32);
  expect(recoveryCodeAlphabet).toMatch(/^[0-9A-Z]+$/);
  for (const ambiguous of 'ILOU') expect(recoveryCodeAlphabet).not.toContain(ambiguous);
});

test('a code carries at least 64 bits: 16 characters of a 32-symbol alphabet are 80', () => {
  expect(recoveryCodeEntropyBits()).toBe(80);
  expect(recoveryCodeEntropyBits()).toBeGreaterThanOrEqual(64);
  const code = generateRecoveryCode();
  expect(code.replace(/-/g, '')).toHaveLength(16);
});

test('codes are four groups of four, and every symbol turns up in every place', () => {
  const codes = Array.from({ length: 2000 }, generateRecoveryCode);
  for (const code of codes) expect(code).toMatch(shape);
  expect(new Set(codes).size).toBe(codes.length);
  const bare = codes.map((code) => code.replace(/-/g, ''));
  for (let place = 0; place < 16; place += 1) {
    // 2000 draws of 32 symbols: a symbol missing from a place has probability below 1e-25.
    expect(new Set(bare.map((code) => code[place])).size).toBe(32);
  }
});

test.each([
  ['7k3q-m9xd-2rtb-hc4w', '7K3QM9XD2RTBHC4W'],
  ['7K3Q M9XD 2RTB HC4W', '7K3QM9XD2RTBHC4W'],
  [' 7K3QM9XD2RTBHC4W ', '7K3QM9XD2RTBHC4W'],
  ['OOOO-IIII-LLLL-oooo', '0000111111110000'],
])('%j reads as %s', (input, normalized) => {
  expect(normalizeRecoveryCode(input)).toBe(normalized);
});

test.each(['', '7K3Q-M9XD-2RTB', '7K3Q-M9XD-2RTB-HC4WX', 'UUUU-UUUU-UUUU-UUUU', '7K3Q_M9XD_2RTB_HC4W', '７K3Q-M9XD-2RTB-HC4W'])(
  '%j is not a recovery code',
  (input) => {
    expect(normalizeRecoveryCode(input)).toBeUndefined();
  },
);

describe('a set', () => {
  let issued: Awaited<ReturnType<typeof issueRecoveryCodes>>;

  beforeAll(async () => {
    issued = await issueRecoveryCodes(1000);
    for (const code of issued.codes) secrets.add(code, 'recovery code');
  });

  test('is ten different codes, stored as ten salted hashes that contain none of them', () => {
    expect(issued.codes).toHaveLength(10);
    expect(new Set(issued.codes).size).toBe(10);
    expect(issued.set).toMatchObject({ issuedAt: 1000, scheme: 'PBKDF2-HMAC-SHA-256', iterations: 10_000, usedAt: {} });
    expect(new Set(issued.set.codes.map((code) => code.salt)).size).toBe(10);
    for (const { salt, hash } of issued.set.codes) {
      expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
      expect(Buffer.from(hash, 'base64url')).toHaveLength(32);
    }
    const stored = JSON.stringify(issued.set);
    for (const code of issued.codes) expect(stored).not.toContain(code.replace(/-/g, ''));
  });

  test('matches each code at its own index, as typed in any accepted form', async () => {
    for (const [index, code] of issued.codes.entries()) {
      expect(await findUnusedRecoveryCode(code, issued.set)).toBe(index);
    }
    expect(await findUnusedRecoveryCode(issued.codes[4]!.toLowerCase().replace(/-/g, ''), issued.set)).toBe(4);
  });

  test('does not match a used code, a wrong one or a malformed one', async () => {
    const used = { ...issued.set, usedAt: { 2: 1500 } };
    expect(await findUnusedRecoveryCode(issued.codes[2]!, used)).toBeUndefined();
    expect(await findUnusedRecoveryCode(issued.codes[3]!, used)).toBe(3);
    expect(await findUnusedRecoveryCode('0000-0000-0000-0000', issued.set)).toBeUndefined();
    expect(await findUnusedRecoveryCode('', issued.set)).toBeUndefined();
    expect(remainingRecoveryCodes(used)).toBe(9);
    expect(remainingRecoveryCodes(issued.set)).toBe(10);
    expect(remainingRecoveryCodes(undefined)).toBe(0);
  });
});

describe('decideRedemption', () => {
  test('a locked budget refuses even a right code', () => {
    expect(decideRedemption({ issued: true, budgetAllowed: false, matchingCode: 0 })).toEqual({
      action: 'REFUSE',
      reason: 'budget locked',
    });
  });

  test.each([
    [{ issued: false, budgetAllowed: true, matchingCode: undefined }, 'no set issued'],
    [{ issued: false, budgetAllowed: true, matchingCode: 1 }, 'no set issued'],
    [{ issued: true, budgetAllowed: true, matchingCode: undefined }, 'no unused code matches'],
    [{ issued: true, budgetAllowed: true, matchingCode: 10 }, 'no unused code matches'],
    [{ issued: true, budgetAllowed: true, matchingCode: -1 }, 'no unused code matches'],
    [{ issued: true, budgetAllowed: true, matchingCode: 1.5 }, 'no unused code matches'],
  ])('%j is refused: %s', (facts, reason) => {
    expect(decideRedemption(facts)).toEqual({ action: 'REFUSE', reason });
  });

  test('an issued set, an open budget and a matching unused code consume that code', () => {
    expect(decideRedemption({ issued: true, budgetAllowed: true, matchingCode: 9 })).toEqual({ action: 'CONSUME', code: 9 });
  });
});
