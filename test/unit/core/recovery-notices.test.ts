import { securityEventMessage } from '../../../lambda/core/email-messages';
import { generateRecoveryCode } from '../../../lambda/core/recovery-codes';

/** The recovery notices: what happened, what to do if it was not you, and never a code. */
const to = 'user@example.com';
const codeShaped = /[0-9A-HJKMNP-TV-Z]{4}(-?[0-9A-HJKMNP-TV-Z]{4}){3}/;

test('codes issued: the old ones stop working, and what to do if it was not you', () => {
  const message = securityEventMessage('Acme', to, { kind: 'recovery-codes-issued' });
  expect(message).toMatchObject({ to, subject: 'Acme security notice' });
  expect(message.text).toContain('New recovery codes were created for your Acme account. Codes created before them no longer work.');
  expect(message.text).toContain('If this was not you, reset your password now');
  expect(message.text).not.toMatch(codeShaped);
});

test.each([
  [9, 'You have 9 recovery codes left.'],
  [1, 'You have 1 recovery code left.'],
])('a code used with %i left says how many remain', (remaining, phrase) => {
  const { text } = securityEventMessage('Acme', to, { kind: 'recovery-code-used', remaining });
  expect(text).toContain('A recovery code was used to sign in to your Acme account.');
  expect(text).toContain(phrase);
  expect(text).toContain('If this was not you, someone has your password and your recovery codes');
  expect(text).toContain('create new recovery codes (the old ones then stop working)');
  expect(text).not.toMatch(codeShaped);
});

test('the last code used asks for new codes now', () => {
  const { text } = securityEventMessage('Acme', to, { kind: 'recovery-code-used', remaining: 0 });
  expect(text).toContain('That was your last recovery code: create new ones now');
  expect(text).not.toContain('codes left');
  expect(text).toContain('If this was not you');
});

test('the code-shape check above does find a code, so its absence means something', () => {
  expect(`used ${generateRecoveryCode()}`).toMatch(codeShaped);
});

test('a reset by an administrator says what was removed, what to do next, and what to do if it was not asked for', () => {
  const message = securityEventMessage('Acme', to, { kind: 'mfa-reset-by-administrator' });
  expect(message).toMatchObject({ to, subject: 'Acme security notice' });
  expect(message.text).toContain('An administrator turned off every sign-in method of your Acme account');
  expect(message.text).toContain('deleted your recovery codes and signed you out on every device');
  expect(message.text).toContain('Sign in with your password, then set up a sign-in method and new recovery codes.');
  expect(message.text).toContain('If you did not ask for this, contact support and reset your password now.');
  expect(message.text).not.toMatch(codeShaped);
});
