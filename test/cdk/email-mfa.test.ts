import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool, UserPoolOperation } from 'aws-cdk-lib/aws-cognito';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { routesFor } from '../../contract/routes';
import { synthesize } from '../support/synth';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

let template: Template;
const resourcesOf = (type: string) => template.findResources(type) as Record<string, Resource>;

beforeAll(() => {
  ({ template } = synthesize({}, { bundle: false }));
});

test('the three challenge triggers and Pre Token Generation (V1_0, every feature plan has it) are on the pool', () => {
  const [pool] = Object.values(resourcesOf('AWS::Cognito::UserPool'));
  // The custom senders and their key are on the pool whatever email MFA is (test/cdk/pool-senders.test.ts).
  const {
    PreTokenGenerationConfig: preToken,
    CustomSMSSender: _sms,
    CustomEmailSender: _email,
    KMSKeyID: _key,
    ...config
  } = pool?.Properties.LambdaConfig as Record<string, { 'Fn::GetAtt': [string, string] }> & {
    PreTokenGenerationConfig?: unknown;
    CustomSMSSender?: unknown;
    CustomEmailSender?: unknown;
    KMSKeyID?: unknown;
  };
  expect(Object.keys(config).sort()).toEqual([
    'CreateAuthChallenge',
    'DefineAuthChallenge',
    'PreTokenGeneration',
    'VerifyAuthChallengeResponse',
  ]);
  // PreTokenGeneration without a PreTokenGenerationConfig is the V1_0 event, the one every feature
  // plan gets (AWS::Cognito::UserPool LambdaConfig, CloudFormation reference); V2_0 would be in the config.
  expect(preToken).toBeUndefined();
  const functions = resourcesOf('AWS::Lambda::Function');
  for (const [trigger, reference] of Object.entries(config)) {
    const fn = functions[reference['Fn::GetAtt'][0]];
    expect(fn?.Properties.Description).toMatch(new RegExp(trigger.replace(/([A-Z])/g, ' $1').trim()));
    expect(fn?.Properties.Timeout).toBe(5);
  }
  // Cognito may invoke each of them.
  const invokers = Object.values(resourcesOf('AWS::Lambda::Permission')).filter(
    (permission) => permission.Properties.Principal === 'cognito-idp.amazonaws.com',
  );
  expect(invokers.map((permission) => (permission.Properties.FunctionName as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0])).toContain(
    config.PreTokenGeneration?.['Fn::GetAtt'][0],
  );
});

test('only the code-sending trigger has reserved concurrency: the cap on SES spend', () => {
  const reserved = Object.values(resourcesOf('AWS::Lambda::Function'))
    .filter((fn) => fn.Properties.ReservedConcurrentExecutions !== undefined)
    .map((fn) => [fn.Properties.Description, fn.Properties.ReservedConcurrentExecutions]);
  expect(reserved).toEqual([['Cognito Create Auth Challenge: sends email sign-in codes', 10]]);
});

test('the table keeps the logical ID it had inside EmailMfa, so an update does not replace it', () => {
  expect(Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))).toEqual(['EmailMfaTableDF0E40D8']);
});

test('the table: on demand, point-in-time recovery, TTL, encrypted, retained', () => {
  template.hasResource('AWS::DynamoDB::GlobalTable', {
    DeletionPolicy: 'Retain',
    Properties: {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        {
          Region: 'eu-west-1',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    },
  });
});

test('the client ids reach the triggers through SSM, not their environment', () => {
  template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/MfaService/app-clients', Type: 'String' });
  const triggers = Object.values(resourcesOf('AWS::Lambda::Function')).filter(
    (fn) => String(fn.Properties.Description).startsWith('Cognito ') && !String(fn.Properties.Description).startsWith('Cognito custom '),
  );
  expect(triggers).toHaveLength(4);
  for (const fn of triggers) {
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.CLIENTS_PARAMETER).toBe('/MfaService/app-clients');
    expect(JSON.stringify(variables)).not.toMatch(/UserPoolClient|UsersPublicClient|UsersServerClient|UsersUserPool/);
  }
});

/**
 * aws-cdk-lib/assertions refuses a template whose resources depend on each other
 * in a circle ("Template is undeployable"), as CloudFormation would; the stack's
 * template was read above, so it has none. The next test shows the check is live.
 */
test('a trigger with a client id in its environment would make the cycle the stack avoids', () => {
  const stack = new Stack(new App(), 'Cyclic');
  const pool = new UserPool(stack, 'Pool');
  const client = pool.addClient('Client');
  const trigger = new LambdaFunction(stack, 'Define', {
    runtime: Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: Code.fromInline('export const handler = async (event) => event;'),
    environment: { CLIENT_ID: client.userPoolClientId },
  });
  pool.addTrigger(UserPoolOperation.DEFINE_AUTH_CHALLENGE, trigger);
  expect(() => Template.fromStack(stack)).toThrow(/dependency cycle: Pool\w+ -> Define\w+ -> PoolClient\w+ -> Pool/);
});

describe('with emailMfa=false', () => {
  let plain: Template;

  beforeAll(() => {
    ({ template: plain } = synthesize({ emailMfa: 'false' }, { bundle: false }));
  });

  test('the challenge triggers stay for recovery, without Pre Token Generation or email routes; the public client signs in with SRP', () => {
    const [pool] = Object.values(plain.findResources('AWS::Cognito::UserPool')) as Resource[];
    // The custom senders and their key, which every deployment has, and recovery's challenge triggers.
    expect(Object.keys(pool?.Properties.LambdaConfig as object).sort()).toEqual([
      'CreateAuthChallenge',
      'CustomEmailSender',
      'CustomSMSSender',
      'DefineAuthChallenge',
      'KMSKeyID',
      'VerifyAuthChallengeResponse',
    ]);
    // The table stays: the SMS routes keep their caps' send logs in it.
    plain.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    // The app client ids, for Define and Create.
    plain.resourceCountIs('AWS::SSM::Parameter', 1);
    plain.resourceCountIs('AWS::Lambda::Function', routesFor({ emailMfa: false }).length + 2 + 3);
    const paths = Object.values(plain.findResources('AWS::ApiGateway::Resource')).map(
      (resource) => (resource as Resource).Properties.PathPart,
    );
    expect(paths).not.toContain('email');
    plain.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    // The server client: SRP for sign-in, CUSTOM_AUTH for recovery's passwordless flow, which Define opens nowhere else.
    plain.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const triggers = (Object.values(plain.findResources('AWS::Lambda::Function')) as Resource[]).filter((fn) =>
      /^Cognito (Define|Create|Verify) Auth Challenge/.test(String(fn.Properties.Description)),
    );
    expect(triggers).toHaveLength(3);
    for (const fn of triggers) {
      expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.EMAIL_MFA).toBe('off');
    }
  });

  test('the recovery code routes stay, with the table under its old logical ID', () => {
    expect(Object.keys(plain.findResources('AWS::DynamoDB::GlobalTable'))).toEqual(['EmailMfaTableDF0E40D8']);
    const functions = Object.values(plain.findResources('AWS::Lambda::Function')) as Resource[];
    for (const description of ['POST /mfa/recovery-codes', 'GET /mfa/recovery-codes']) {
      const fn = functions.find((candidate) => candidate.Properties.Description === description);
      expect((fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables.MFA_TABLE_NAME).toEqual({
        Ref: 'EmailMfaTableDF0E40D8',
      });
    }
    const paths = Object.values(plain.findResources('AWS::ApiGateway::Resource')).map(
      (resource) => (resource as Resource).Properties.PathPart,
    );
    expect(paths).toContain('recovery-codes');
  });
});

test('a longer email code gets a sign-in session as long, so the session never dies first', () => {
  const { template: longer } = synthesize({ emailCodeTtlMinutes: '8' }, { bundle: false });
  for (const client of Object.values(longer.findResources('AWS::Cognito::UserPoolClient')) as Resource[]) {
    expect(client.Properties.AuthSessionValidity).toBe(8);
  }
});

test('bad email settings are refused with the key named', () => {
  expect(() => synthesize({ emailCodeTtlMinutes: '11' }, { bundle: false })).toThrow(
    'Context key "emailCodeTtlMinutes" must be a whole number from 1 to 10; got "11".',
  );
  expect(() => synthesize({ emailFrom: 'Acme <no-reply@acme.com>' }, { bundle: false })).toThrow(
    'Context key "emailFrom" must be an email address',
  );
});

test('trigger entries exist where the construct looks for them', () => {
  const entries = ['define-auth-challenge', 'create-auth-challenge', 'verify-auth-challenge-response', 'pre-token-generation'];
  for (const entry of entries) {
    expect(() => require.resolve(path.join(__dirname, '..', '..', 'lambda', 'triggers', entry))).not.toThrow();
  }
});
