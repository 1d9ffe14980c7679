import { emailMfaEnabled, parseEmailMfaMark, serializeEmailMfaMark } from '../../../lambda/core/email-mfa-mark';
import { maskEmail, maskPhoneNumber } from '../../../lambda/core/masking';
import { assertRecentSignIn } from '../../../lambda/core/step-up';
import { isLocked } from '../../../lambda/core/failure-budget';

test('the email MFA mark round-trips and anything else is unreadable, which counts as enabled', () => {
  const mark = { state: 'PREFERRED', address: 'a@example.com' } as const;
  expect(parseEmailMfaMark(serializeEmailMfaMark(mark))).toEqual(mark);
  expect(parseEmailMfaMark(undefined)).toBeUndefined();
  expect(parseEmailMfaMark('')).toBeUndefined();
  for (const damaged of [
    '{',
    '{"state":"ON","address":"a@example.com"}',
    '{"state":"ENABLED"}',
    '{"state":"ENABLED","address":"no-at"}',
    '[]',
  ]) {
    expect(parseEmailMfaMark(damaged)).toBe('unreadable');
  }
  expect(emailMfaEnabled('unreadable')).toBe(true);
  expect(emailMfaEnabled({ state: 'ENROLLED', address: 'a@example.com' })).toBe(false);
  expect(emailMfaEnabled(undefined)).toBe(false);
});

test.each([
  ['jane.doe@example.com', 'j***@e***.com'],
  ['a@b.co.uk', 'a***@b***.uk'],
  ['x@localhost', 'x***@l***'],
  ['not-an-email', 'n***@***'],
])('maskEmail(%s) = %s', (address, masked) => {
  expect(maskEmail(address)).toBe(masked);
});

test('maskPhoneNumber shows the last four digits, as Cognito does', () => {
  expect(maskPhoneNumber('+14155550100')).toBe('+*******0100');
});

test('step-up: a sign-in older than the window is refused with a name that says sign in again', () => {
  expect(() => assertRecentSignIn(1000, 1000 + 900, 900)).not.toThrow();
  let refusal: unknown;
  try {
    assertRecentSignIn(1000, 1000 + 901, 900);
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toMatchObject({ name: 'ReauthenticationRequiredException', message: expect.stringContaining('last 15 minutes') });
});

test('a lock holds until its end, not after', () => {
  expect(isLocked(undefined, 100)).toBe(false);
  expect(isLocked({ failures: 0, windowStart: 0, lockedUntil: 101 }, 100)).toBe(true);
  expect(isLocked({ failures: 0, windowStart: 0, lockedUntil: 100 }, 100)).toBe(false);
});
