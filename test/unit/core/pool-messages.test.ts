import { poolEmailMessage } from '../../../lambda/core/email-messages';
import { poolMessageSources, readPoolMessageEvent, smsCoolDownApplies, type PoolMessageSource } from '../../../lambda/core/pool-messages';
import { poolSmsText } from '../../../lambda/core/sms-messages';
import { capturedLogLines } from '../../support/log-capture';

/** The V1_0 events of the custom sender trigger pages (user-pool-lambda-custom-sms-sender.html, ...-custom-email-sender.html). */
function event(triggerSource: string, overrides: Record<string, unknown> = {}, attributes: Record<string, string> = {}) {
  return {
    version: '1',
    triggerSource,
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool',
    userName: 'user-name',
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: 'client' },
    request: {
      type: 'customSMSSenderRequestV1',
      code: 'AYADeCipherText==',
      userAttributes: { sub: 'sub-1', phone_number: '+14155550100', email: 'user@example.com', ...attributes },
    },
    response: {},
    ...overrides,
  };
}

describe('reading a sender event', () => {
  test.each(poolMessageSources)('%s: by SMS to phone_number, by email to email', (source) => {
    expect(readPoolMessageEvent('SMS', event(`CustomSMSSender_${source}`))).toEqual({
      send: true,
      message: { source, sub: 'sub-1', username: 'user-name', destination: '+14155550100', encryptedCode: 'AYADeCipherText==' },
    });
    expect(readPoolMessageEvent('EMAIL', event(`CustomEmailSender_${source}`))).toMatchObject({
      send: true,
      message: { source, destination: 'user@example.com' },
    });
  });

  test.each([
    ['an unknown source', 'SMS', event('CustomSMSSender_SomethingNew'), 'unknown trigger source', 'unknown'],
    ["the other channel's source", 'SMS', event('CustomEmailSender_ForgotPassword'), 'unknown trigger source', 'unknown'],
    ['no event at all', 'EMAIL', null, 'unknown trigger source', 'unknown'],
    ['no sub', 'SMS', event('CustomSMSSender_ForgotPassword', {}, { sub: '' }), 'no user in the event', 'CustomSMSSender_ForgotPassword'],
    [
      'no user name',
      'SMS',
      event('CustomSMSSender_ForgotPassword', { userName: 7 }),
      'no user in the event',
      'CustomSMSSender_ForgotPassword',
    ],
    [
      'no phone number',
      'SMS',
      event('CustomSMSSender_SignUp', {}, { phone_number: '' }),
      'no destination in the event',
      'CustomSMSSender_SignUp',
    ],
    ['no email', 'EMAIL', event('CustomEmailSender_SignUp', {}, { email: '' }), 'no destination in the event', 'CustomEmailSender_SignUp'],
    [
      'no code',
      'SMS',
      event('CustomSMSSender_Authentication', { request: { userAttributes: { sub: 's', phone_number: '+1' } } }),
      'no code in the event',
      'CustomSMSSender_Authentication',
    ],
  ] as const)('%s: nothing is sent, and the reason names no value', (_, channel, given, reason, source) => {
    expect(readPoolMessageEvent(channel, given)).toEqual({ send: false, reason, source });
  });

  test('the takeover notice is the one message without a code', () => {
    const withoutCode = event('CustomEmailSender_AccountTakeOverNotification', {
      request: { userAttributes: { sub: 's', email: 'user@example.com' } },
    });
    expect(readPoolMessageEvent('EMAIL', withoutCode)).toMatchObject({ send: true, message: { encryptedCode: undefined } });
  });

  test('only sign-in codes skip the cool-down', () => {
    expect(poolMessageSources.filter((source) => !smsCoolDownApplies(source))).toEqual(['Authentication']);
  });
});

describe('the messages the senders write', () => {
  const secretSources = poolMessageSources.filter((source) => source !== 'AccountTakeOverNotification');

  test.each(secretSources)('%s: the text and the email carry the code and the app name', (source: PoolMessageSource) => {
    const text = poolSmsText('Example App', source, '493817', 'user-name');
    expect(text).toContain('493817');
    expect(text).toContain('Example App');
    // One SMS: 160 GSM characters, with the longest app name lib/mfa-user-pool.ts allows.
    expect(poolSmsText('A'.repeat(40), source, 'Temporary-Password-1234', 'u'.repeat(20)).length).toBeLessThanOrEqual(160);
    const email = poolEmailMessage('Example App', 'user@example.com', source, '493817', 'user-name');
    expect(email).toMatchObject({ to: 'user@example.com', text: expect.stringContaining('493817') });
    expect(email.subject).toContain('Example App');
  });

  test('an invitation carries the username and the temporary password (the "code" of AdminCreateUser)', () => {
    expect(poolSmsText('Example App', 'AdminCreateUser', 'Tmp-Pass-1', 'new.user')).toBe(
      'Example App: your username is new.user and your temporary password is Tmp-Pass-1',
    );
    expect(poolEmailMessage('Example App', 'new@example.com', 'AdminCreateUser', 'Tmp-Pass-1', 'new.user').text).toContain(
      'Username: new.user\nTemporary password: Tmp-Pass-1',
    );
  });

  test('the takeover notice has no code in it', () => {
    expect(poolSmsText('Example App', 'AccountTakeOverNotification', '', 'u')).not.toMatch(/[0-9]/);
    expect(poolEmailMessage('Example App', 'a@example.com', 'AccountTakeOverNotification', '', 'u').subject).toBe(
      'Example App security notice',
    );
  });
});

test('the policy logs nothing (checked by the log scan)', () => {
  expect(capturedLogLines).toEqual([]);
});
