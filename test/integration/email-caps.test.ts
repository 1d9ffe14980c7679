import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { itemKinds, mfaTableKeys, userPartition } from '../../contract/mfa-table';
import { callApi, type ApiAnswer } from '../support/api-client';
import { localDynamoDbClientConfig } from '../../local/dynalite';
import { testEmailMfa, testSendCaps } from '../support/environment';
import { capturedLogLines } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { createUser, giveEmailMfa, signIn as passwordSignIn, type TestUser } from '../support/local-users';
import { lastEmailedCode, resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * The email cap end to end: POST /auth/sign-in through the Cognito front with
 * the real challenge triggers, cognito-local and dynalite; SES is the mock of
 * test/support/ses-mock.ts. Sign-ins that never answer the code are what an
 * attacker with the password (or a stuck client) sends.
 */
type SignInBody = { isSignedIn: boolean; nextStep: { signInStep: string }; session?: string; name?: string; message?: string };

let stack: LocalStackWithFront;
let url: string;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  url = stack.api.url;
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => resetSesMock());

const signIn = (user: TestUser) =>
  callApi<SignInBody>(url, 'POST', '/auth/sign-in', { body: { username: user.email, password: user.password } });

async function emailMfaUser(email: string): Promise<TestUser> {
  const user = await createUser(stack.cognito, email);
  await giveEmailMfa(stack.cognito, user);
  return user;
}

/** The email MFA codes (sign-in and enrolment) sent to the user; the account's own emails (its sign-up confirmation) have a cap of their own. */
const emailsTo = (user: TestUser) =>
  sentEmails().filter((email) => email.to.includes(user.email) && /^Example App (sign-in|verification) code$/.test(email.subject)).length;

async function storedFailures(user: TestUser): Promise<number | undefined> {
  const table = DynamoDBDocumentClient.from(new DynamoDBClient(localDynamoDbClientConfig(stack.dynamoDb.endpoint)));
  const { Item } = await table.send(
    new GetCommand({
      TableName: testEmailMfa.tableName,
      Key: { [mfaTableKeys.partitionKey]: userPartition(user.sub), [mfaTableKeys.sortKey]: itemKinds.failureBudget },
    }),
  );
  table.destroy();
  return (Item as { failures?: number } | undefined)?.failures;
}

function expectLimited(answer: ApiAnswer<SignInBody>): void {
  expect(answer).toMatchObject({
    status: 429,
    body: { name: 'LimitExceededException', message: expect.stringMatching(/No sign-in code was sent.*Try again in [0-9]+ minutes?\./) },
  });
}

test('30 unanswered sign-ins send 5 emails; the rest answer 429; each replaced unanswered code is charged to the budget', async () => {
  const user = await emailMfaUser('thirty.signins@example.com');
  const answers = [];
  for (let attempt = 0; attempt < 30; attempt += 1) answers.push(await signIn(user));
  expect(emailsTo(user)).toBe(testSendCaps.emailCodes.max);
  const started = answers.slice(0, testSendCaps.emailCodes.max);
  for (const answer of started) expect(answer.body.nextStep?.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
  for (const answer of answers.slice(testSendCaps.emailCodes.max)) expectLimited(answer);
  // Five codes, each but the first replacing an unanswered one: four failures; refused sign-ins replace nothing.
  expect(await storedFailures(user)).toBe(testSendCaps.emailCodes.max - 1);

  // After the window a sign-in gets a code again, and the right code signs in and clears the budget.
  const later = Date.now() + (testSendCaps.emailCodes.windowSeconds + 1) * 1000;
  const clock = jest.spyOn(Date, 'now').mockImplementation(() => later);
  try {
    const again = await signIn(user);
    expect(again.body.nextStep.signInStep).toBe('CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    const confirmed = await callApi<SignInBody>(url, 'POST', '/auth/confirm-sign-in', {
      body: { username: user.email, session: again.body.session, challengeResponse: lastEmailedCode(user.email) ?? '' },
    });
    expect(confirmed).toMatchObject({ status: 200, body: { isSignedIn: true } });
  } finally {
    clock.mockRestore();
  }
  expect(await storedFailures(user)).toBeUndefined();
});

test('twelve sign-ins at once cannot pass the cap: exactly 5 emails, the rest 429', async () => {
  const user = await emailMfaUser('at.once.signins@example.com');
  const answers = await Promise.all(Array.from({ length: 12 }, () => signIn(user)));
  expect(emailsTo(user)).toBe(testSendCaps.emailCodes.max);
  expect(answers.filter((answer) => answer.status === 200)).toHaveLength(testSendCaps.emailCodes.max);
  for (const answer of answers.filter((candidate) => candidate.status !== 200)) expectLimited(answer);
});

test('POST /mfa/email/setup counts against the same cap', async () => {
  const user = await createUser(stack.cognito, 'enrol.cap@example.com');
  const { accessToken: token } = await passwordSignIn(stack.cognito, user);
  const answers = [];
  for (let attempt = 0; attempt < 7; attempt += 1) answers.push(await callApi(url, 'POST', '/mfa/email/setup', { token, body: {} }));
  expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
  expect(answers.at(-1)?.body).toEqual({
    name: 'LimitExceededException',
    message: expect.stringMatching(/Try again in [0-9]+ minutes?\./),
  });
  expect(emailsTo(user)).toBe(testSendCaps.emailCodes.max);
});

test('once wrong answers lock email MFA, sign-in answers 429 until the lock ends and sends nothing', async () => {
  const user = await emailMfaUser('locked.signin@example.com');
  let answer = await signIn(user);
  // Wrong answers (three per sign-in, each charged) until a sign-in is refused; the budget (10) locks well before the cap (5 sign-ins).
  for (let signIns = 1; answer.status === 200 && signIns <= testSendCaps.emailCodes.max; signIns += 1) {
    const wrong = lastEmailedCode(user.email) === '0'.repeat(testEmailMfa.codeLength) ? '1' : '0';
    let session = answer.body.session;
    for (let tries = 0; tries < 3 && session !== undefined; tries += 1) {
      const reply = await callApi<SignInBody>(url, 'POST', '/auth/confirm-sign-in', {
        body: { username: user.email, session, challengeResponse: wrong.repeat(testEmailMfa.codeLength) },
      });
      session = reply.body.session;
    }
    const sentBefore = sentEmails().length;
    answer = await signIn(user);
    if (answer.status !== 200) expect(sentEmails()).toHaveLength(sentBefore);
  }
  expectLimited(answer);
  expect(sentEmails().filter((email) => email.subject.includes('security notice'))).toHaveLength(1);
  expect(emailsTo(user)).toBeLessThan(testSendCaps.emailCodes.max + 1);
});

test('the triggers logged, and the log scan saw every line', () => {
  expect(capturedLogLines.some((line) => line.includes('"message":"email code challenge"'))).toBe(true);
});
