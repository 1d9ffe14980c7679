import { decideTokenIssuance, type TokenIssuanceFacts } from '../../../lambda/core/token-issuance-policy';

const emailUser = (overrides: Partial<TokenIssuanceFacts>): TokenIssuanceFacts => ({
  triggerSource: 'TokenGeneration_Authentication',
  emailMfaRequired: true,
  sub: 'sub-1',
  ...overrides,
});

const everySourceButRefresh = [
  'TokenGeneration_Authentication',
  'TokenGeneration_HostedAuth',
  'TokenGeneration_NewPasswordChallenge',
  'TokenGeneration_AuthenticateDevice',
  'TokenGeneration_SomethingNew',
  '',
];

test.each(everySourceButRefresh)('%j: an email-MFA user needs the proof, and gets tokens with it only', (triggerSource) => {
  expect(decideTokenIssuance(emailUser({ triggerSource }))).toEqual({ action: 'CONSUME_PROOF' });
  expect(decideTokenIssuance(emailUser({ triggerSource, proof: 'CONSUMED' })).action).toBe('ALLOW');
  expect(decideTokenIssuance(emailUser({ triggerSource, proof: 'MISSING' }))).toEqual({
    action: 'REFUSE',
    reason: 'no proof of the email code',
  });
});

test('a refresh needs no proof: its refresh token came from a checked sign-in', () => {
  expect(decideTokenIssuance(emailUser({ triggerSource: 'TokenGeneration_RefreshTokens' }))).toEqual({
    action: 'ALLOW',
    reason: 'refresh',
  });
});

test('a user without email MFA gets tokens from any source, without a proof', () => {
  for (const triggerSource of everySourceButRefresh) {
    expect(decideTokenIssuance(emailUser({ triggerSource, emailMfaRequired: false }))).toEqual({ action: 'ALLOW', reason: 'no email MFA' });
  }
});

test('an email-MFA user without a sub is refused: there is nowhere a proof could be', () => {
  expect(decideTokenIssuance(emailUser({ sub: undefined }))).toEqual({ action: 'REFUSE', reason: 'email MFA user without a sub' });
});
