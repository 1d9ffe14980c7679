import { InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { callApi, type ApiAnswer } from '../support/api-client';
import { testApiSettings } from '../support/environment';
import {
  cognitoClient,
  createUser,
  giveEmailMfa,
  giveTotp,
  signIn as cognitoSignIn,
  totpCode,
  type TestUser,
} from '../support/local-users';
import { capturedLogLines, secrets } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { lastEmailedCode, resetSesMock, sentEmails } from '../support/ses-mock';
import { decodeClaims } from '../../local/token-sessions';

/**
 * POST /auth/recover end to end: the real handler and triggers through the Cognito
 * front (SRP, the custom flows, native MFA after the password) on cognito-local,
 * dynalite for the codes, the budget and the ticket. The factor stays on; the
 * recovered tokens are a fresh sign-in that can replace it.
 */
type SignInBody = {
  isSignedIn: boolean;
  nextStep: { signInStep: string };
  session?: string;
  tokens?: { accessToken: string; idToken: string; refreshToken?: string; expiresIn: number };
};
type Preference = { enabled?: string[]; preferred?: string };

let stack: LocalStackWithFront;
let url: string;
let tickets: typeof import('../../lambda/services/recovery-tickets');
let ticketCore: typeof import('../../lambda/core/recovery-ticket');
let secretHash: typeof import('../../lambda/core/secret-hash').secretHash;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  url = stack.api.url;
  tickets = await import('../../lambda/services/recovery-tickets');
  ticketCore = await import('../../lambda/core/recovery-ticket');
  ({ secretHash } = await import('../../lambda/core/secret-hash'));
});

afterAll(async () => {
  await stack?.stop();
});

beforeEach(() => resetSesMock());

const recover = (body: Record<string, string>) => callApi<SignInBody>(url, 'POST', '/auth/recover', { body });

/** Codes issued with a fresh sign-in's token (cognito-local's own, before a factor makes it ask for one). */
async function issueCodes(accessToken: string): Promise<string[]> {
  const answer = await callApi<{ codes: string[] }>(url, 'POST', '/mfa/recovery-codes', { token: accessToken, body: {} });
  expect(answer.status).toBe(200);
  return answer.body.codes;
}

function expectRecovered(answer: ApiAnswer<SignInBody>): NonNullable<SignInBody['tokens']> {
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    isSignedIn: true,
    nextStep: { signInStep: 'DONE' },
    tokens: { accessToken: expect.any(String), idToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 3600 },
  });
  return answer.body.tokens!;
}

const preference = async (accessToken: string) => (await callApi<Preference>(url, 'GET', '/mfa/preference', { token: accessToken })).body;

test('a TOTP user who lost the authenticator recovers, keeps TOTP on, and replaces the authenticator with the new tokens', async () => {
  const user = await createUser(stack.cognito, 'recover.totp@example.com');
  const { accessToken } = await cognitoSignIn(stack.cognito, user);
  const codes = await issueCodes(accessToken);
  await giveTotp(stack.cognito, accessToken);
  resetSesMock();
  const signInBefore = Math.floor(Date.now() / 1000);

  const tokens = expectRecovered(await recover({ username: user.email, password: user.password, recoveryCode: codes[0]! }));
  expect(Number(decodeClaims(tokens.accessToken)!.auth_time)).toBeGreaterThanOrEqual(signInBefore);
  expect(await preference(tokens.accessToken)).toEqual({ enabled: ['TOTP'] });
  expect(sentEmails().map((email) => [email.to, email.subject])).toEqual([[[user.email], expect.any(String)]]);
  expect(sentEmails()[0]!.text).toContain('9');

  // Step-up passes: the recovery is a fresh sign-in.
  const setup = await callApi<{ sharedSecret: string }>(url, 'POST', '/mfa/totp/setup', { token: tokens.accessToken, body: {} });
  expect(setup.status).toBe(200);
  const verified = await callApi(url, 'POST', '/mfa/totp/verify', {
    token: tokens.accessToken,
    body: { code: totpCode(setup.body.sharedSecret) },
  });
  expect(verified.status).toBe(204);
  expect(await preference(tokens.accessToken)).toEqual({ enabled: ['TOTP'] });
});

test('an email-MFA user recovers without an email code, and email MFA stays on', async () => {
  const user = await createUser(stack.cognito, 'recover.email@example.com');
  const codes = await issueCodes((await cognitoSignIn(stack.cognito, user)).accessToken);
  await giveEmailMfa(stack.cognito, user);
  resetSesMock();
  const tokens = expectRecovered(await recover({ username: user.email, password: user.password, recoveryCode: codes[3]!.toLowerCase() }));
  expect((await preference(tokens.accessToken)).enabled).toEqual(['EMAIL']);
  // Only the notice went out: the password check sends no email code.
  expect(lastEmailedCode(user.email)).toBeUndefined();
  expect(sentEmails()).toHaveLength(1);

  // The recovered sign-in is recent enough to enrol the mailbox again (step-up passes).
  resetSesMock();
  expect((await callApi(url, 'POST', '/mfa/email/setup', { token: tokens.accessToken, body: {} })).status).toBe(200);
  const enrolled = await callApi(url, 'POST', '/mfa/email/verify', {
    token: tokens.accessToken,
    body: { code: lastEmailedCode(user.email) ?? '' },
  });
  expect(enrolled.status).toBe(204);
  expect((await preference(tokens.accessToken)).enabled).toEqual(['EMAIL']);
});

test('every way to fail gets one answer: wrong password, unknown user, wrong code, used code', async () => {
  const user = await createUser(stack.cognito, 'recover.enumeration@example.com');
  const { accessToken } = await cognitoSignIn(stack.cognito, user);
  const codes = await issueCodes(accessToken);
  await giveTotp(stack.cognito, accessToken);
  expectRecovered(await recover({ username: user.email, password: user.password, recoveryCode: codes[0]! }));

  const answers = [
    await recover({ username: user.email, password: 'not the password at all', recoveryCode: codes[1]! }),
    await recover({ username: 'nobody.here@example.com', password: user.password, recoveryCode: codes[1]! }),
    await recover({ username: user.email, password: user.password, recoveryCode: 'AAAA-BBBB-CCCC-DDDD' }),
    await recover({ username: user.email, password: user.password, recoveryCode: codes[0]! }),
  ];
  for (const answer of answers) {
    expect([answer.status, answer.body]).toEqual([
      401,
      { name: 'NotAuthorizedException', message: 'Incorrect username, password or recovery code.' },
    ]);
  }
  // None of them used a code: the next one still works.
  expectRecovered(await recover({ username: user.email, password: user.password, recoveryCode: codes[1]! }));
});

test('a locked recovery budget refuses even a right code', async () => {
  const user = await createUser(stack.cognito, 'recover.locked@example.com');
  const { accessToken } = await cognitoSignIn(stack.cognito, user);
  const codes = await issueCodes(accessToken);
  await giveTotp(stack.cognito, accessToken);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    expect((await recover({ username: user.email, password: user.password, recoveryCode: 'AAAA-BBBB-CCCC-DDDD' })).status).toBe(401);
  }
  const locked = await recover({ username: user.email, password: user.password, recoveryCode: codes[0]! });
  expect([locked.status, (locked.body as unknown as { name: string }).name]).toEqual([401, 'NotAuthorizedException']);
});

test('a malformed body is a 400 before anything is checked', async () => {
  const answer = await callApi(url, 'POST', '/auth/recover', { body: { username: 'x@example.com', password: 'p', recoveryCode: 'short' } });
  expect([answer.status, answer.body.name]).toEqual([400, 'InvalidParameterException']);
});

describe('the ticket', () => {
  let user: TestUser;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    user = await createUser(stack.cognito, 'recover.ticket@example.com');
  });

  async function mint(lifetimeSeconds = 60): Promise<string> {
    const ticket = ticketCore.newRecoveryTicket();
    secrets.add(ticket, 'recovery ticket');
    await tickets.saveRecoveryTicket(
      testApiSettings.mfaTableName,
      user.sub,
      ticketCore.recoveryTicketHash(ticket),
      now() + lifetimeSeconds,
    );
    return ticket;
  }

  /** The passwordless flow POST /auth/recover runs, on any client, with the secret when it has one. */
  async function redeem(clientId: string, ticket: string, clientSecret?: string) {
    const sdk = cognitoClient(stack.front, { maxAttempts: 1 });
    const hash: Record<string, string> = clientSecret ? { SECRET_HASH: secretHash(user.sub, clientId, clientSecret) } : {};
    try {
      const started = await sdk.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: user.sub, ...hash } }),
      );
      const answer = await sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: started.Session,
          ChallengeResponses: { USERNAME: user.sub, ANSWER: ticket, ...hash },
        }),
      );
      for (const value of [
        answer.AuthenticationResult?.AccessToken,
        answer.AuthenticationResult?.IdToken,
        answer.AuthenticationResult?.RefreshToken,
      ]) {
        secrets.add(value, 'token');
      }
      return answer.AuthenticationResult?.AccessToken;
    } finally {
      sdk.destroy();
    }
  }

  test('works once on the server client, and never twice', async () => {
    const { serverClientId, serverClientSecret } = stack.clients;
    const ticket = await mint();
    expect(await redeem(serverClientId, ticket, serverClientSecret)).toEqual(expect.any(String));
    await expect(redeem(serverClientId, ticket, serverClientSecret)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  test('cannot be redeemed on the public client', async () => {
    const ticket = await mint();
    await expect(redeem(stack.clients.publicClientId, ticket)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // Still there for the server client: the public client's attempt never reached Verify.
    expect(await redeem(stack.clients.serverClientId, ticket, stack.clients.serverClientSecret)).toEqual(expect.any(String));
  });

  test('an expired ticket, or another user’s, is refused', async () => {
    const { serverClientId, serverClientSecret } = stack.clients;
    const expired = await mint(-1);
    await expect(redeem(serverClientId, expired, serverClientSecret)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(redeem(serverClientId, 'a-ticket-nobody-minted', serverClientSecret)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
  });
});

test('no recovery code, ticket or token in any log line, and the route logged its refusals', () => {
  expect(capturedLogLines.some((line) => line.includes('recovery refused'))).toBe(true);
});
