import {
  admitEmailSend,
  admitNumber,
  admitPoolText,
  assertCountryAllowed,
  assertNoSendLimit,
  phoneNumberId,
  sendLimitParameters,
  tryAgainIn,
  type SmsSendLog,
} from '../../../lambda/core/send-caps';
import { InvalidParameterException, LimitExceededException } from '../../../lambda/core/errors';
import { capturedLogLines } from '../../support/log-capture';

const emailCap = { max: 5, windowSeconds: 900 };
const smsPolicy = { numbers: { max: 3, windowSeconds: 86_400 }, texts: { max: 5, windowSeconds: 3600 }, cooldownSeconds: 60 };

describe('email codes: a sliding window', () => {
  test('five in the window, the sixth refused until the oldest leaves it', () => {
    let log = { sends: [] as readonly number[] };
    for (const now of [1000, 1100, 1200, 1300, 1400]) {
      const admission = admitEmailSend(log, now, emailCap);
      if (!admission.admitted) throw new Error(`refused at ${now}`);
      log = admission.log;
    }
    const sixth = admitEmailSend(log, 1500, emailCap);
    expect(sixth).toMatchObject({ admitted: false, retryAfterSeconds: 400 });
    expect(sixth.admitted ? '' : sixth.error.message).toBe('Too many email codes were sent to this account. Try again in 7 minutes.');
    expect(sixth.admitted ? '' : sixth.error.name).toBe('LimitExceededException');
    // Not a fixed window: at 1899 the send of 1000 is still inside it.
    expect(admitEmailSend(log, 1899, emailCap).admitted).toBe(false);
    const after = admitEmailSend(log, 1900, emailCap);
    expect(after).toEqual({ admitted: true, log: { sends: [1100, 1200, 1300, 1400, 1900] } });
  });

  test('a first send needs no log', () => {
    expect(admitEmailSend(undefined, 50, emailCap)).toEqual({ admitted: true, log: { sends: [50] } });
  });
});

describe('SMS: numbers and notices in the API, every text and the cool-down in the sender', () => {
  const admitted = (admission: ReturnType<typeof admitNumber>) => {
    if (!admission.admitted) throw new Error(admission.error.message);
    return admission.log;
  };
  /** POST /mfa/sms/setup, then the code Cognito hands the sender for it. */
  const setUpAndText = (log: SmsSendLog | undefined, number: string, now: number, notices = 0) => {
    const setUp = admitNumber(log, number, now, smsPolicy, notices);
    return setUp.admitted ? admitPoolText(setUp.log, number, now, smsPolicy, true) : setUp;
  };

  test('three numbers a day; a fourth waits until the first leaves the day', () => {
    let log = admitted(setUpAndText(undefined, 'a', 0));
    log = admitted(setUpAndText(log, 'b', 100));
    log = admitted(setUpAndText(log, 'c', 200));
    const fourth = admitNumber(log, 'd', 300, smsPolicy);
    expect(fourth).toMatchObject({ admitted: false, retryAfterSeconds: 86_100 });
    expect(fourth.admitted ? '' : fourth.error.message).toMatch(/phone numbers.*Try again in 24 hours\./);
    // A number of the day is no new number: it needs only the cool-down and a text.
    expect(admitNumber(log, 'a', 300, smsPolicy).admitted).toBe(true);
    expect(admitNumber(log, 'd', 86_400, smsPolicy).admitted).toBe(true);
  });

  test('the API takes the number and its notices, not the code: the sender counts the code', () => {
    const log = admitted(admitNumber(undefined, 'a', 1000, smsPolicy, 1));
    expect(log).toEqual({ texts: [1000], numbers: [{ id: 'a', since: 1000 }] });
    expect(admitted(admitPoolText(log, 'a', 1000, smsPolicy, true))).toEqual({
      texts: [1000, 1000],
      numbers: [{ id: 'a', since: 1000, lastCode: 1000 }],
    });
  });

  test('the same number waits out its cool-down, in the sender and in the API that checks for it', () => {
    const log = admitted(setUpAndText(undefined, 'a', 1000));
    expect(admitPoolText(log, 'a', 1059, smsPolicy, true)).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    expect(admitNumber(log, 'a', 1059, smsPolicy)).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    expect(admitted(admitPoolText(log, 'a', 1060, smsPolicy, true)).numbers).toEqual([{ id: 'a', since: 1000, lastCode: 1060 }]);
  });

  test('a sign-in code has no cool-down, but counts like every text', () => {
    let log = admitted(admitPoolText(undefined, 'a', 1000, smsPolicy, false));
    for (let text = 1; text < 5; text += 1) log = admitted(admitPoolText(log, 'a', 1000 + text, smsPolicy, false));
    expect(log.texts).toHaveLength(5);
    expect(admitPoolText(log, 'a', 1010, smsPolicy, false)).toMatchObject({ admitted: false, retryAfterSeconds: 3590 });
  });

  test("a number Cognito texts without the API is not one of the day's numbers, but holds its cool-down", () => {
    const log = admitted(admitPoolText(undefined, 'old', 1000, smsPolicy, true));
    expect(log.numbers).toEqual([{ id: 'old', lastCode: 1000 }]);
    expect(admitNumber(log, 'old', 1030, smsPolicy)).toMatchObject({ admitted: false, retryAfterSeconds: 30 });
    let later = admitted(admitNumber(log, 'b', 1030, smsPolicy));
    later = admitted(admitNumber(later, 'c', 1030, smsPolicy));
    expect(admitNumber(later, 'd', 1030, smsPolicy).admitted).toBe(true);
    // Past its cool-down the entry is gone from the log.
    expect(admitted(admitNumber(later, 'd', 1100, smsPolicy)).numbers.map((use) => use.id)).toEqual(['b', 'c', 'd']);
  });

  test('five texts an hour, notices included; the API refuses a set-up whose notice and code do not both fit', () => {
    let log = admitted(setUpAndText(undefined, 'a', 0, 1));
    log = admitted(setUpAndText(log, 'b', 100, 1));
    expect(log.texts).toEqual([0, 0, 100, 100]);
    const third = admitNumber(log, 'c', 200, smsPolicy, 1);
    expect(third).toMatchObject({ admitted: false, retryAfterSeconds: 3400 });
    expect(third.admitted ? '' : third.error.message).toBe('Too many SMS texts were sent for this account. Try again in 57 minutes.');
    expect(admitted(setUpAndText(log, 'c', 200)).texts).toEqual([0, 0, 100, 100, 200]);
    expect(admitPoolText(admitted(setUpAndText(log, 'c', 200)), 'c', 300, smsPolicy, false).admitted).toBe(false);
  });
});

test('"try again" rounds up, so trying at the time said works', () => {
  expect([1, 59, 119, 120, 121, 3600, 7199, 7200, 7201, 86_100].map(tryAgainIn)).toEqual([
    'Try again in 1 second.',
    'Try again in 59 seconds.',
    'Try again in 119 seconds.',
    'Try again in 2 minutes.',
    'Try again in 3 minutes.',
    'Try again in 60 minutes.',
    'Try again in 120 minutes.',
    'Try again in 2 hours.',
    'Try again in 3 hours.',
    'Try again in 24 hours.',
  ]);
});

describe('countries', () => {
  test('a number is allowed when its digits start with a listed calling code or prefix', () => {
    expect(() => assertCountryAllowed('+447700900123', ['1', '44'])).not.toThrow();
    expect(() => assertCountryAllowed('+14165550100', ['1416'])).not.toThrow();
    expect(() => assertCountryAllowed('+18765550100', ['1416'])).toThrow(/"phoneNumber"/);
  });

  test('others are refused with 400 naming the field; an empty list refuses every number', () => {
    const refusal = () => assertCountryAllowed('+33612345678', ['1', '44']);
    expect(refusal).toThrow(InvalidParameterException);
    expect(refusal).toThrow(/"phoneNumber"/);
    expect(() => assertCountryAllowed('+14155550100', [])).toThrow(/SMS is not enabled for any country/);
  });
});

test('a number is counted by a hash salted with the user: the same for the same user, another for another', () => {
  expect(phoneNumberId('user-a', '+14155550100')).toBe(phoneNumberId('user-a', '+14155550100'));
  expect(phoneNumberId('user-a', '+14155550100')).not.toBe(phoneNumberId('user-b', '+14155550100'));
  expect(phoneNumberId('user-a', '+14155550100')).not.toContain('4155550100');
});

describe('a sign-in refused by the cap', () => {
  test('says so in its public challenge parameters, and the API turns them into the 429', () => {
    const parameters = sendLimitParameters({ limit: { retryAfterSeconds: 720 } });
    expect(parameters).toEqual({ limitExceeded: 'true', retryAfterSeconds: '720' });
    const answer = () => assertNoSendLimit({ deliveryMedium: 'EMAIL', ...parameters });
    expect(answer).toThrow(LimitExceededException);
    expect(answer).toThrow(/Try again in 12 minutes\.$/);
    expect(() => assertNoSendLimit(sendLimitParameters({ limit: { retryAfterSeconds: undefined } }))).toThrow(/Try again later\.$/);
  });

  test('a code that was sent adds nothing', () => {
    expect(sendLimitParameters({ hash: 'h', salt: 's', expiresAt: 1 })).toEqual({});
    expect(() => assertNoSendLimit({ deliveryMedium: 'EMAIL', destination: 'j***@e***.com' })).not.toThrow();
  });
});

test('the policy logs nothing (checked by the log scan)', () => {
  expect(capturedLogLines.filter((line) => line.includes('send'))).toEqual([]);
});
