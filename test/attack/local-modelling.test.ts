import {
  AdminGetUserCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { callApi } from '../support/api-client';
import { secrets } from '../support/log-capture';
import { startLocalStack, type LocalStackWithFront } from '../support/local-stack';
import { cognitoClient, createUser, giveEmailMfa, giveSms, signIn as passwordSignIn } from '../support/local-users';
import { resetSesMock, sentEmails } from '../support/ses-mock';

/**
 * Where the local stack answers differently from the Cognito it stands for, on the paths the
 * senders and Pre Token Generation guard. Each test states what real Cognito documents and fails
 * where the local stack differs; a test suite green through such a path proves less than it seems.
 */
let stack: LocalStackWithFront;
let sdk: CognitoIdentityProviderClient;

beforeAll(async () => {
  stack = await startLocalStack({ front: true });
  sdk = cognitoClient(stack.front, { maxAttempts: 1 });
});

afterAll(async () => {
  sdk?.destroy();
  await stack?.stop();
});

beforeEach(() => resetSesMock());

// Known finding, the front answers an unknown name's ForgotPassword as cognito-local does (UserNotFoundException): stricter than Cognito, so this case is not tested; left open.
test.failing(
  'ForgotPassword for a name without a user on the public client: a simulated delivery, as with PreventUserExistenceErrors',
  async () => {
    // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-managing-errors.html:
    // with PreventUserExistenceErrors ENABLED, ForgotPassword for an unknown user answers as if a code was
    // sent (a simulated CodeDeliveryDetails), and no message is sent.
    const answer = sdk.send(new ForgotPasswordCommand({ ClientId: stack.clients.publicClientId, Username: 'nobody.here@example.com' }));
    await expect(answer).resolves.toMatchObject({ CodeDeliveryDetails: expect.any(Object) });
    expect(sentEmails()).toEqual([]);
  },
);

// Known finding, the front passes clients it does not know (the tests' own set-up client) to cognito-local without Pre Token Generation; real Cognito runs it for every client, and the stack has only its two; left open.
test.failing('an email-MFA user gets tokens without the email code from an app client the front does not know', async () => {
  // Pre Token Generation runs wherever Cognito issues tokens, for every app client of the pool
  // (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html);
  // docs/security.md counts on it for "a new app client". The front forwards requests naming any
  // client but the stack's two to cognito-local unchanged, so no trigger runs there: the test
  // client's USER_PASSWORD_AUTH (what test/support/local-users.ts signIn uses) hands an email-MFA user
  // tokens that the deployment would refuse.
  const user = await createUser(stack.cognito, 'other.client@example.com');
  await giveEmailMfa(stack.cognito, user);
  const signedIn = sdk.send(
    new InitiateAuthCommand({
      ClientId: stack.cognito.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
    }),
  );
  const outcome = await signedIn.then(
    (answer) => {
      secrets.add(answer.AuthenticationResult?.AccessToken, 'access token');
      secrets.add(answer.AuthenticationResult?.IdToken, 'ID token');
      secrets.add(answer.AuthenticationResult?.RefreshToken, 'refresh token');
      return answer.AuthenticationResult ? 'tokens' : 'no tokens';
    },
    (error: Error) => error.name,
  );
  expect(outcome).toBe('UserLambdaValidationException');
});

// Known finding, the local pool is created without keepOriginal (cognito-local honours it only from creation, jagregory/cognito-local#411); which number Cognito's sender event names then is to be checked in a deployment; left open.
test.failing("a new phone number waits for its verification (keepOriginal), so Cognito's messages still name the original", async () => {
  // lib/mfa-user-pool.ts sets keepOriginal for phone and email (AttributesRequireVerificationBeforeUpdate):
  // "Amazon Cognito doesn't immediately update the value of that attribute ... Your user can sign in and
  // receive messages with the original attribute value until they verify the new value"
  // (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminUpdateUserAttributes.html,
  // UserAttributes). The local pool is created without UserAttributeUpdateSettings, so the number changes at once,
  // and the custom SMS sender's assumption (the event's phone_number is the new number) is never put to the test.
  const user = await createUser(stack.cognito, 'keep.original@example.com');
  const { accessToken } = await passwordSignIn(stack.cognito, user);
  await giveSms(stack.cognito, user, accessToken);
  const setUp = await callApi(stack.api.url, 'POST', '/mfa/sms/setup', { token: accessToken, body: { phoneNumber: '+447700900123' } });
  expect(setUp.status).toBe(200);
  const { UserAttributes = [] } = await sdk.send(new AdminGetUserCommand({ UserPoolId: stack.cognito.userPoolId, Username: user.sub }));
  expect(UserAttributes.find((attribute) => attribute.Name === 'phone_number')?.Value).toBe('+14155550100');
});
