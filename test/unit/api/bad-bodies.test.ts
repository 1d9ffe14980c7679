import * as cognito from '@aws-sdk/client-cognito-identity-provider';
import * as ses from '@aws-sdk/client-ses';
import * as sns from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { apiRoutes, type ApiRoute } from '../../../contract/routes';
import { validateBody } from '../../../lambda/core/request-schema';
import { invokeRoute } from '../../support/invoke-route';

/**
 * Every field of every route's body, broken one at a time in an otherwise valid body:
 * missing (if required), of the wrong type, one character too long. Each is a 400
 * InvalidParameterException that names the field, before any AWS call.
 */
const validBodies: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'set-up-totp': { appName: 'Acme', accountName: 'jane@example.com' },
  'verify-totp-setup': { code: '123456', friendlyDeviceName: 'My phone' },
  'update-mfa-preference': { totp: 'ENABLED' },
  'set-up-sms': { phoneNumber: '+14155550100' },
  'verify-sms': { code: '123456' },
  'set-up-email': {},
  'verify-email': { code: '123456' },
  'generate-recovery-codes': {},
  'sign-in': { username: 'jane@example.com', password: 'a password long enough' },
  'confirm-sign-in': { username: 'jane@example.com', session: 'c2Vzc2lvbg', challengeResponse: '123456' },
  recover: { username: 'jane@example.com', password: 'a password long enough', recoveryCode: 'ABCD-EFGH-JKMN-PQRS' },
  refresh: { refreshToken: 'a.refresh.token' },
  'sign-out': { refreshToken: 'a.refresh.token' },
};

const withBodies = apiRoutes.filter(
  (route): route is ApiRoute & Required<Pick<ApiRoute, 'requestSchema'>> => route.requestSchema !== undefined,
);

const mocks: ReturnType<typeof mockClient>[] = [
  mockClient(cognito.CognitoIdentityProviderClient),
  mockClient(DynamoDBDocumentClient),
  mockClient(ses.SESClient),
  mockClient(sns.SNSClient),
];
beforeEach(() => {
  for (const mock of mocks) {
    mock.reset();
    mock.onAnyCommand().rejects(new Error('no AWS call for a bad body'));
  }
});
afterAll(() => mocks.forEach((mock) => mock.restore()));

test('every route with a body has a valid sample here, and it passes its schema', () => {
  expect(withBodies.map((route) => route.handler).filter((handler) => !(handler in validBodies))).toEqual([]);
  for (const route of withBodies) expect(() => validateBody(route.requestSchema, validBodies[route.handler])).not.toThrow();
});

const cases = withBodies.flatMap((route) =>
  Object.entries(route.requestSchema.properties).flatMap(([field, rule]) => {
    const valid = validBodies[route.handler] ?? {};
    const without = Object.fromEntries(Object.entries(valid).filter(([name]) => name !== field));
    return [
      ...(route.requestSchema.required.includes(field as never)
        ? [['missing', without, `Missing required field "${field}".`] as const]
        : []),
      ['a number', { ...valid, [field]: 123 }, `Field "${field}" must be a string.`] as const,
      ...(rule.maxLength === undefined
        ? []
        : [
            [
              'too long',
              { ...valid, [field]: 'a'.repeat(rule.maxLength + 1) },
              `Field "${field}" must be at most ${rule.maxLength} characters long.`,
            ] as const,
          ]),
    ].map(([how, body, message]) => [`${route.method} ${route.path} ${field} ${how}`, route, body, message] as const);
  }),
);

test.each(cases)('%s: 400 naming the field, no AWS call', async (_, route, body, message) => {
  const { handler } = (await import(`../../../lambda/api/${route.handler}`)) as { handler: Parameters<typeof invokeRoute>[0] };
  const answer = await invokeRoute(handler, { method: route.method, path: route.path, body });
  expect([answer.status, answer.body]).toEqual([400, { name: 'InvalidParameterException', message }]);
  expect(mocks.flatMap((mock) => mock.calls())).toEqual([]);
});
