import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  type AdminGetUserCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { emailMfaAttribute } from '../../contract/user-pool';
import { resetSesMock } from './ses-mock';

/**
 * Cognito mocked with aws-sdk-client-mock, for unit tests of handlers only:
 * error injection and answers shaped like AdminGetUser's
 * (https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminGetUser.html).
 * Importing this module mocks every Cognito client in the test file, so
 * integration tests, which talk to cognito-local, must not import it.
 */
export const cognitoMock = mockClient(CognitoIdentityProviderClient);

/**
 * The send caps' table, for the handlers that count a text before sending it
 * (lambda/services/send-caps.ts): GetItem answers no log yet and PutItem
 * accepts, as DynamoDB does for a user's first send
 * (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html,
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
 * The caps themselves are tested against dynalite (test/integration/sms-caps.test.ts).
 */
export const sendLogMock = mockClient(DynamoDBDocumentClient);

export interface UserShape {
  attributes?: Record<string, string>;
  nativeMfa?: string[];
  preferred?: string;
  emailMfa?: { state: string; address: string };
}

/** AdminGetUser's answer for a user of that shape. */
export function adminUser(user: UserShape = {}): AdminGetUserCommandOutput {
  const attributes = {
    sub: '11111111-2222-3333-4444-555555555555',
    email: 'jane@example.com',
    email_verified: 'true',
    ...user.attributes,
    ...(user.emailMfa && { [emailMfaAttribute]: JSON.stringify(user.emailMfa) }),
  };
  return {
    $metadata: {},
    Username: '11111111-2222-3333-4444-555555555555',
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    UserMFASettingList: user.nativeMfa,
    PreferredMfaSetting: user.preferred,
  };
}

/** A user with a valid (unrevoked) token: GetUser answers, AdminGetUser describes them. */
export function givenUser(user: UserShape = {}): void {
  const described = adminUser(user);
  cognitoMock.on(AdminGetUserCommand).resolves(described);
  cognitoMock.on(GetUserCommand).resolves({ Username: described.Username, UserAttributes: [] });
}

export function resetMocks(): void {
  cognitoMock.reset();
  sendLogMock.reset();
  sendLogMock.on(GetCommand).resolves({});
  sendLogMock.on(PutCommand).resolves({});
  resetSesMock();
}
