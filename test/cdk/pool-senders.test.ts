import type { Template } from 'aws-cdk-lib/assertions';
import { senderEnvironment } from '../../contract/environment';
import { synthesize } from '../support/synth';

/**
 * The custom SMS and email sender triggers and the key Cognito encrypts their
 * codes under (lib/pool-senders.ts): on the pool whatever email MFA is, with
 * the key policy the Cognito guide asks for
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-custom-sender-triggers.html).
 */
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
const resourcesOf = (template: Template, type: string) => template.findResources(type) as Record<string, Resource>;

function functionIdByDescription(template: Template, prefix: string): string {
  const [id] = Object.entries(resourcesOf(template, 'AWS::Lambda::Function')).find(([, fn]) =>
    String(fn.Properties.Description).startsWith(prefix),
  ) ?? [undefined];
  if (!id) throw new Error(`no function described as ${prefix}`);
  return id;
}

describe.each([
  ['email MFA on (default)', {}],
  ['email MFA off', { emailMfa: 'false' }],
])('%s', (_, context) => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthesize(context, { bundle: false }));
  });

  test('the pool hands every SMS and email to the senders (V1_0), under the one key', () => {
    const [pool] = Object.values(resourcesOf(template, 'AWS::Cognito::UserPool'));
    const [keyId] = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));
    const sms = functionIdByDescription(template, 'Cognito custom SMS sender');
    const email = functionIdByDescription(template, 'Cognito custom email sender');
    expect(pool?.Properties.LambdaConfig).toMatchObject({
      KMSKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] },
      CustomSMSSender: { LambdaArn: { 'Fn::GetAtt': [sms, 'Arn'] }, LambdaVersion: 'V1_0' },
      CustomEmailSender: { LambdaArn: { 'Fn::GetAtt': [email, 'Arn'] }, LambdaVersion: 'V1_0' },
    });
    expect(pool?.Properties.LambdaConfig).not.toHaveProperty('CustomMessage');
  });

  test('only this pool may invoke the senders', () => {
    const permissions = Object.values(resourcesOf(template, 'AWS::Lambda::Permission'));
    for (const prefix of ['Cognito custom SMS sender', 'Cognito custom email sender']) {
      const id = functionIdByDescription(template, prefix);
      const invokers = permissions.filter((permission) => JSON.stringify(permission.Properties.FunctionName).includes(id));
      expect(invokers.map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
          Principal: 'cognito-idp.amazonaws.com',
          SourceArn: { 'Fn::GetAtt': [expect.stringMatching(/^UsersUserPool/), 'Arn'] },
        },
      ]);
    }
  });

  test('each sender knows the key by its ARN, the only key its keyring uses', () => {
    const [keyId] = Object.keys(resourcesOf(template, 'AWS::KMS::Key'));
    for (const prefix of ['Cognito custom SMS sender', 'Cognito custom email sender']) {
      const fn = resourcesOf(template, 'AWS::Lambda::Function')[functionIdByDescription(template, prefix)];
      const variables = (fn?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(senderEnvironment.encode({ appName: 'a', emailFrom: 'b', keyArn: 'c' })).every((name) => name in variables)).toBe(
        true,
      );
      expect(variables.CODE_KEY_ARN).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    }
  });
});

test('the key: symmetric, rotated, its policy the account delegation the guide relies on, and removed as the stack says', () => {
  for (const [removalPolicy, deletionPolicy] of [
    ['retain', 'Retain'],
    ['destroy', 'Delete'],
  ] as const) {
    const { template } = synthesize({ removalPolicy }, { bundle: false });
    const keys = Object.values(resourcesOf(template, 'AWS::KMS::Key'));
    expect(keys).toHaveLength(1);
    const [key] = keys;
    expect(key?.DeletionPolicy).toBe(deletionPolicy);
    expect(key?.Properties).toMatchObject({ EnableKeyRotation: true });
    // SYMMETRIC_DEFAULT is CloudFormation's default when KeySpec is absent.
    expect(key?.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    expect(key?.Properties.KeyPolicy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
  }
});
