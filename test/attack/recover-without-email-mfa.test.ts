import { callApi } from '../support/api-client';
import { changeApiSettings } from '../support/environment';
import { createUser, giveTotp, signIn } from '../support/local-users';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { resetSesMock } from '../support/ses-mock';

/**
 * Attack finding (medium): a deployment with `-c emailMfa=false` (the one docs/security.md
 * recommends to deployments that need more than email) still deploys POST /auth/recover, but
 * its app clients allow only USER_SRP_AUTH and REFRESH_TOKEN_AUTH (lib/app-client-settings.ts)
 * and the pool has no custom-auth triggers. The handler proves the password, consumes the
 * recovery code, and only then starts the CUSTOM_AUTH recovery sign-in, which Cognito refuses
 * for a client without ALLOW_CUSTOM_AUTH ("CUSTOM_AUTH flow not enabled for this client",
 * InvalidParameterException; the flows a client allows are its ExplicitAuthFlows,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UserPoolClientType.html).
 * The user who lost the authenticator gets a 400 and loses a code on every try, with no notice.
 */
let stack: LocalStackWithFront;
let restoreSettings: (() => void) | undefined;

beforeAll(async () => {
  restoreSettings = changeApiSettings({ emailMfa: undefined });
  stack = await startLocalStack({ front: true });
});

afterAll(async () => {
  await stack?.stop();
  restoreSettings?.();
});

test('with email MFA off, a TOTP user recovers with password and one code', async () => {
  const url = stack.api.url;
  const user = await createUser(stack.cognito, 'attack.recover.nomfa@example.com');
  const { accessToken } = await signIn(stack.cognito, user);
  const issued = await callApi<{ codes: string[] }>(url, 'POST', '/mfa/recovery-codes', { token: accessToken, body: {} });
  expect(issued.status).toBe(200);
  await giveTotp(stack.cognito, accessToken);
  resetSesMock();

  const answer = await callApi(url, 'POST', '/auth/recover', {
    body: { username: user.email, password: user.password, recoveryCode: issued.body.codes[0] },
  });
  const status = await callApi<{ remaining: number }>(url, 'GET', '/mfa/recovery-codes', { token: accessToken });
  // What happens today: [400, 'InvalidParameterException'] and remaining 9, the code spent on nothing.
  expect({ status: answer.status, name: answer.body.name, remaining: status.body.remaining }).toEqual({
    status: 200,
    name: undefined,
    remaining: 9,
  });
});
