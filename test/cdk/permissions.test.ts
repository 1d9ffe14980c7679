import type { Template } from 'aws-cdk-lib/assertions';
import { apiRoutes, type RoutePermission } from '../../contract/routes';
import { synthesize } from '../support/synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let template: Template;
const resourcesOf = (type: string) => template.findResources(type) as Record<string, Resource>;

beforeAll(() => {
  ({ template } = synthesize({}, { bundle: false }));
});

/** Every statement of every policy on the function's role, by function description. */
function statementsByFunction(): Map<string, Statement[]> {
  const policies = Object.values(resourcesOf('AWS::IAM::Policy'));
  const roles = resourcesOf('AWS::IAM::Role');
  const result = new Map<string, Statement[]>();
  for (const fn of Object.values(resourcesOf('AWS::Lambda::Function'))) {
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(roles[roleId]?.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = policies
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    result.set(String(fn.Properties.Description), statements);
  }
  return result;
}

const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat()).sort();

/** What each permission of contract/routes.ts must turn into, and nothing more. */
const actionsFor: Record<RoutePermission, string[]> = {
  readUser: ['cognito-idp:AdminGetUser'],
  updateUserAttributes: ['cognito-idp:AdminUpdateUserAttributes'],
  mfaTableSaveCode: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  mfaTable: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  sendEmail: ['ses:SendEmail'],
  readServerClientSecret: ['cognito-idp:DescribeUserPoolClient'],
  sendCaps: ['dynamodb:GetItem', 'dynamodb:PutItem'],
  sendSms: ['sns:Publish'],
  recoveryCodesWrite: ['dynamodb:PutItem'],
  recoveryCodesRead: ['dynamodb:GetItem'],
};
const logActions = ['logs:CreateLogStream', 'logs:PutLogEvents'];

/**
 * The actions each handler's code calls, written out from reading it: the
 * route's permissions must grant exactly these, so a grant broader than the
 * code needs fails here rather than passing as "what the route lists".
 */
const actionsCalled: Record<string, string[]> = {
  'set-up-totp': ['cognito-idp:AdminGetUser'],
  'verify-totp-setup': ['cognito-idp:AdminGetUser', 'ses:SendEmail'],
  'fetch-mfa-preference': ['cognito-idp:AdminGetUser'],
  'update-mfa-preference': ['cognito-idp:AdminGetUser', 'cognito-idp:AdminUpdateUserAttributes', 'ses:SendEmail'],
  'set-up-sms': [
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminUpdateUserAttributes',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'sns:Publish',
  ],
  'verify-sms': ['cognito-idp:AdminGetUser', 'ses:SendEmail'],
  'set-up-email': ['cognito-idp:AdminGetUser', 'dynamodb:GetItem', 'dynamodb:PutItem', 'ses:SendEmail'],
  'verify-email': [
    'cognito-idp:AdminGetUser',
    'cognito-idp:AdminUpdateUserAttributes',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'ses:SendEmail',
  ],
  // GetUser with the caller's token needs no grant; the set is replaced by one PutItem.
  'generate-recovery-codes': ['dynamodb:PutItem', 'ses:SendEmail'],
  'fetch-recovery-code-status': ['dynamodb:GetItem'],
  'sign-in': ['cognito-idp:DescribeUserPoolClient'],
  'confirm-sign-in': ['cognito-idp:DescribeUserPoolClient'],
  refresh: ['cognito-idp:DescribeUserPoolClient'],
  'sign-out': ['cognito-idp:DescribeUserPoolClient'],
  recover: [
    'cognito-idp:DescribeUserPoolClient',
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'ses:SendEmail',
  ],
  // GlobalSignOut is authorized by the caller's access token, not by IAM.
  'global-sign-out': [],
};

test.each(apiRoutes.map((route) => [route.handler, route] as const))('%s is granted exactly what its code calls', (handler, route) => {
  const granted = route.permissions.flatMap((permission) => actionsFor[permission]).sort();
  expect(granted).toEqual([...(actionsCalled[handler] ?? ['missing from actionsCalled'])].sort());
});

test.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
  '%s may do exactly what its route lists',
  (description, route) => {
    const statements = statementsByFunction().get(description) ?? [];
    const expected = [...logActions, ...route.permissions.flatMap((permission) => actionsFor[permission])].sort();
    expect(actionsOf(statements)).toEqual(expected);
  },
);

test('the triggers may do exactly what their step needs', () => {
  const statements = statementsByFunction();
  expect(actionsOf(statements.get('Cognito Define Auth Challenge: the sign-in policy') ?? [])).toEqual(
    [
      ...logActions,
      'cognito-idp:AdminGetUser',
      'cognito-idp:AdminSetUserMFAPreference',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'ses:SendEmail',
      'ssm:GetParameter',
    ].sort(),
  );
  expect(actionsOf(statements.get('Cognito Pre Token Generation: no tokens without the email code') ?? [])).toEqual(
    [...logActions, 'dynamodb:DeleteItem'].sort(),
  );
  expect(actionsOf(statements.get('Cognito Create Auth Challenge: sends email sign-in codes') ?? [])).toEqual(
    [...logActions, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'ses:SendEmail', 'ssm:GetParameter'].sort(),
  );
  expect(actionsOf(statements.get('Cognito Verify Auth Challenge Response') ?? [])).toEqual(
    [...logActions, 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'ses:SendEmail'].sort(),
  );
});

const smsSender = 'Cognito custom SMS sender: every text of the pool, within the caps';
const emailSender = 'Cognito custom email sender: every email of the pool, within the caps';

test('the custom senders may decrypt under the code key, keep the send logs and send on their own channel, nothing more', () => {
  const statements = statementsByFunction();
  expect(actionsOf(statements.get(smsSender) ?? [])).toEqual(
    [...logActions, 'dynamodb:GetItem', 'dynamodb:PutItem', 'kms:Decrypt', 'sns:Publish'].sort(),
  );
  expect(actionsOf(statements.get(emailSender) ?? [])).toEqual(
    [...logActions, 'dynamodb:GetItem', 'dynamodb:PutItem', 'kms:Decrypt', 'ses:SendEmail'].sort(),
  );
  const [keyId] = Object.keys(resourcesOf('AWS::KMS::Key'));
  for (const [description, fnStatements] of statements) {
    const decrypts = fnStatements.filter((statement) => actionsOf([statement]).includes('kms:Decrypt'));
    if (description === smsSender || description === emailSender) {
      expect(decrypts).toEqual([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [keyId, 'Arn'] } }]);
    } else {
      expect({ description, decrypts }).toEqual({ description, decrypts: [] });
    }
  }
});

test("logs go only to the function's own log group", () => {
  for (const fn of Object.values(resourcesOf('AWS::Lambda::Function'))) {
    const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const statements = statementsByFunction().get(String(fn.Properties.Description)) ?? [];
    expect(statements.filter((statement) => actionsOf([statement]).some((action) => action.startsWith('logs:')))).toEqual([
      { Effect: 'Allow', Action: logActions, Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
    ]);
  }
});

test('SES sends only from the configured address, through its address or domain identity', () => {
  const sesStatements = [...statementsByFunction().values()].flat().filter((statement) => statement.Action === 'ses:SendEmail');
  expect(sesStatements.length).toBeGreaterThan(0);
  for (const statement of sesStatements) {
    expect(statement.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'no-reply@example.com' } });
    expect(JSON.stringify(statement.Resource)).toMatch(/identity\/no-reply@example\.com.*identity\/example\.com/);
  }
});

test('Cognito and table grants name this pool and this table, never "*"', () => {
  for (const statement of [...statementsByFunction().values()].flat()) {
    const actions = actionsOf([statement]);
    if (actions.some((action) => action.startsWith('cognito-idp:'))) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^UsersUserPool/), 'Arn'] });
    }
    if (actions.some((action) => action.startsWith('dynamodb:'))) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EmailMfaTable/), 'Arn'] });
    }
  }
});

test('SNS may only text phone numbers directly, from the route that sends the old-number notice and the custom SMS sender', () => {
  const publishers = [...statementsByFunction()].filter(([, statements]) => actionsOf(statements).includes('sns:Publish'));
  expect(publishers.map(([description]) => description).sort()).toEqual(['POST /mfa/sms/setup', smsSender].sort());
  for (const [, statements] of publishers) {
    // A Publish to a phone number has no ARN to name (lib/sms-sending.ts).
    expect(statements.filter((statement) => statement.Action === 'sns:Publish')).toEqual([
      { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
    ]);
  }
});
