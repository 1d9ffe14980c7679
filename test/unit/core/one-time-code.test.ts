import { codeMatches, generateCode, hashCode } from '../../../lambda/core/one-time-code';

test.each([6, 7, 8])('a %i-digit code is exactly that many digits', (length) => {
  for (let i = 0; i < 200; i += 1) expect(generateCode(length)).toMatch(new RegExp(`^[0-9]{${length}}$`));
});

test.each([5, 9, 6.5])('length %s is refused', (length) => {
  expect(() => generateCode(length)).toThrow(RangeError);
});

/**
 * Every digit in every place, equally often: a chi-square test over 20,000
 * codes. With 9 degrees of freedom a uniform source exceeds 44.81 with
 * probability 1e-6 per place, so an honest generator practically never fails;
 * a biased one (say, digit 0 twice as likely in one place, as `% 10**6` of a
 * small random range gives) exceeds it by far every time.
 */
test('every digit is equally likely in every place', () => {
  const codes = Array.from({ length: 20_000 }, () => generateCode(6));
  const expected = codes.length / 10;
  for (let place = 0; place < 6; place += 1) {
    const counts = new Array<number>(10).fill(0);
    for (const code of codes) counts[Number(code[place])]! += 1;
    const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    expect({ place, chiSquare: chiSquare < 44.81 }).toEqual({ place, chiSquare: true });
  }
  expect(new Set(codes).size).toBeGreaterThan(19_000);
  expect(codes.some((code) => code.startsWith('0'))).toBe(true);
});

test('a hash matches its code only, and two hashes of one code differ (salted)', () => {
  const first = hashCode('123456');
  const second = hashCode('123456');
  expect(first.hash).not.toBe(second.hash);
  expect(first.hash).not.toContain('123456');
  expect(codeMatches('123456', first)).toBe(true);
  expect(codeMatches('123456', second)).toBe(true);
  expect(codeMatches('123457', first)).toBe(false);
  expect(codeMatches('', first)).toBe(false);
  expect(codeMatches('1234560', first)).toBe(false);
});

test('a damaged stored hash never matches', () => {
  expect(codeMatches('123456', { hash: 'short', salt: 'x' })).toBe(false);
  expect(codeMatches('123456', { hash: '', salt: '' })).toBe(false);
});
