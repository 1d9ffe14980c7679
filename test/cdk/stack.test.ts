import { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { apiEnvironment, loggingEnvironment, sendCapsEnvironment } from '../../contract/environment';
import { apiRoutes } from '../../contract/routes';
import { defaultConfig, readConfig } from '../../lib/config';
import { synthesize } from '../support/synth';

let template: Template;

beforeAll(() => {
  ({ template } = synthesize());
});

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

function resourcesOf(type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

/**
 * The environment of each API function (described by its route), with
 * CloudFormation references standing in as their JSON, as Lambda would see
 * the resolved strings.
 */
function apiFunctionEnvironments(from: Template): Record<string, string>[] {
  return Object.values(from.findResources('AWS::Lambda::Function') as Record<string, Resource>)
    .filter((fn) => /^(GET|POST|PUT) /.test(String(fn.Properties.Description)))
    .map((fn) => (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables)
    .map((variables) =>
      Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
      ),
    );
}

describe('user pool', () => {
  test('optional SMS and TOTP MFA on the free Lite plan, retained and deletion-protected', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'LITE',
        DeletionProtection: 'ACTIVE',
        UsernameAttributes: ['email'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        SmsAuthenticationMessage: 'MFA Service sign-in code: {####}',
        AutoVerifiedAttributes: ['email', 'phone_number'],
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email', 'phone_number'] },
        // A password may be the only factor while MFA is optional: NIST SP 800-63B-4 asks 15.
        Policies: { PasswordPolicy: Match.objectLike({ MinimumLength: 15, RequireSymbols: false }) },
      }),
    });
  });

  test('SMS goes through a role only Cognito can assume, with an external ID', () => {
    const [pool] = Object.values(resourcesOf('AWS::Cognito::UserPool'));
    const sms = pool?.Properties.SmsConfiguration as { SnsCallerArn: { 'Fn::GetAtt': [string] }; ExternalId: string };
    expect(sms.ExternalId).toEqual(expect.any(String));
    const role = resourcesOf('AWS::IAM::Role')[sms.SnsCallerArn['Fn::GetAtt'][0]];
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: { Service: 'cognito-idp.amazonaws.com' },
          Condition: { StringEquals: { 'sts:ExternalId': sms.ExternalId } },
        },
      ],
    });
    expect(JSON.stringify(role?.Properties.Policies)).toContain('"Action":"sns:Publish"');
  });

  test('both clients hide whether a user exists and keep sign-in sessions short', () => {
    const clients = Object.values(resourcesOf('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(2);
    for (const client of clients) {
      expect(client.Properties.PreventUserExistenceErrors).toBe('ENABLED');
      // Long enough for the email code (5 minutes by default) to be answered, at most 10.
      expect(client.Properties.AuthSessionValidity).toBe(5);
      expect(client.Properties.EnableTokenRevocation).toBe(true);
      expect(client.Properties.AllowedOAuthFlowsUserPoolClient).toBe(false);
    }
  });

  test('with email MFA on (the default) both clients sign in through CUSTOM_AUTH only: no way around the triggers', () => {
    const clients = Object.values(resourcesOf('AWS::Cognito::UserPoolClient'));
    expect(clients.map((client) => client.Properties.GenerateSecret).sort()).toEqual([false, true]);
    for (const client of clients) {
      expect(client.Properties.ExplicitAuthFlows).toEqual(['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    }
  });

  test('clients may read but not write the email MFA mark, nor write where codes, resets and notices go', () => {
    for (const client of Object.values(resourcesOf('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.ReadAttributes).toContain('custom:email_mfa');
      expect(client.Properties.WriteAttributes).not.toContain('custom:email_mfa');
      expect(client.Properties.WriteAttributes).toEqual(['name']);
      expect(client.Properties.WriteAttributes).not.toContain('phone_number_verified');
    }
  });
});

describe('API', () => {
  test('every token route requires a Cognito access token with the user-admin scope', () => {
    const [authorizerId] = Object.keys(resourcesOf('AWS::ApiGateway::Authorizer'));
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'COGNITO_USER_POOLS',
      IdentitySource: 'method.request.header.Authorization',
    });
    const methods = Object.values(resourcesOf('AWS::ApiGateway::Method')).filter((method) => method.Properties.HttpMethod !== 'OPTIONS');
    expect(methods).toHaveLength(apiRoutes.length);
    const withAuthorizer = methods.filter((method) => method.Properties.AuthorizationType === 'COGNITO_USER_POOLS');
    expect(withAuthorizer).toHaveLength(apiRoutes.filter((route) => route.auth === 'token').length);
    for (const method of withAuthorizer) {
      expect(method.Properties).toMatchObject({
        AuthorizerId: { Ref: authorizerId },
        AuthorizationScopes: ['aws.cognito.signin.user.admin'],
      });
    }
  });

  test('only the sign-in, recovery, refresh and sign-out routes go without the authorizer', () => {
    const open = Object.values(resourcesOf('AWS::ApiGateway::Method')).filter(
      (method) => method.Properties.HttpMethod !== 'OPTIONS' && method.Properties.AuthorizationType === 'NONE',
    );
    expect(open).toHaveLength(5);
    expect(apiRoutes.filter((route) => route.auth === 'none').map((route) => route.path)).toEqual([
      '/auth/sign-in',
      '/auth/confirm-sign-in',
      '/auth/recover',
      '/auth/refresh',
      '/auth/sign-out',
    ]);
  });

  test('bodies are validated against the route models, whatever the content type', () => {
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    const withBody = apiRoutes.filter((route) => route.requestSchema);
    const models = Object.values(resourcesOf('AWS::ApiGateway::Model'));
    // One model per schema: refresh and sign-out share theirs.
    const titles = [...new Set(withBody.map((route) => route.requestSchema?.title))];
    expect(models.map((model) => model.Properties.Name).sort()).toEqual(titles.sort());
    const methodsWithModels = Object.values(resourcesOf('AWS::ApiGateway::Method')).filter((method) => method.Properties.RequestModels);
    expect(methodsWithModels).toHaveLength(withBody.length);
    for (const method of methodsWithModels) {
      expect(Object.keys(method.Properties.RequestModels as object)).toEqual(['$default']);
    }
  });

  test('the stage throttles, tighter on every route that checks or sends a code', () => {
    const [stage] = Object.values(resourcesOf('AWS::ApiGateway::Stage'));
    const settings = stage?.Properties.MethodSettings as Record<string, unknown>[];
    expect(settings).toContainEqual(
      expect.objectContaining({ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
    );
    const codeRoutes = apiRoutes.filter((route) => route.throttle === 'code');
    expect(codeRoutes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/mfa/totp/verify', '/mfa/sms/verify', '/mfa/sms/setup']),
    );
    for (const route of codeRoutes) {
      expect(settings).toContainEqual(
        expect.objectContaining({
          ResourcePath: `/${route.path.replaceAll('/', '~1')}`,
          HttpMethod: route.method,
          ThrottlingRateLimit: 5,
          ThrottlingBurstLimit: 10,
        }),
      );
    }
  });

  test('access logs name the request but never carry bodies or headers', () => {
    const [stage] = Object.values(resourcesOf('AWS::ApiGateway::Stage'));
    const { Format: format } = stage?.Properties.AccessLogSetting as { Format: string };
    expect(Object.keys(JSON.parse(format) as object)).toEqual(expect.arrayContaining(['requestId', 'ip', 'method', 'resource', 'status']));
    expect(format).not.toMatch(/\$input|body|header|authorization/i);
    expect(stage?.Properties.MethodSettings).toContainEqual(expect.objectContaining({ DataTraceEnabled: false }));
  });

  test("API Gateway's own errors use the { name, message } shape", () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseTemplates: {
        'application/json': '{"name":"NotAuthorizedException","message":"The access token is missing, invalid or expired. Sign in again."}',
      },
    });
    const templates = Object.values(resourcesOf('AWS::ApiGateway::GatewayResponse')).map(
      (response) => (response.Properties.ResponseTemplates as Record<string, string>)['application/json'] ?? '',
    );
    for (const body of templates) {
      expect(JSON.parse(body.replace('$context.error.messageString', '"gateway message"'))).toEqual({
        name: expect.any(String),
        message: expect.any(String),
      });
    }
  });
});

describe('functions', () => {
  test('Node.js 24 on arm64, each with its own log group kept for 30 days', () => {
    const functions = Object.values(resourcesOf('AWS::Lambda::Function'));
    // The routes', the four challenge triggers and the two custom senders.
    expect(functions).toHaveLength(apiRoutes.length + 6);
    const logGroups = resourcesOf('AWS::Logs::LogGroup');
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroups[logGroupId]?.Properties.RetentionInDays).toBe(30);
    }
  });

  test("API functions get 10 seconds, well inside API Gateway's 29", () => {
    const apiFunctions = Object.values(resourcesOf('AWS::Lambda::Function')).filter((fn) =>
      String(fn.Properties.Description).match(/^(GET|POST|PUT) /),
    );
    expect(apiFunctions).toHaveLength(apiRoutes.length);
    for (const fn of apiFunctions) expect(fn.Properties.Timeout).toBe(10);
  });

  test("the environment decodes, with the API codec, to the deployment's settings, and holds nothing else", () => {
    const environments = apiFunctionEnvironments(template);
    expect(environments).toHaveLength(apiRoutes.length);
    for (const environment of environments) {
      const logging = loggingEnvironment.decode(environment);
      const settings = apiEnvironment.decode(environment);
      const caps = sendCapsEnvironment.decode(environment);
      expect(logging.logLevel).toBe('INFO');
      expect(caps).toEqual({
        tableName: expect.stringMatching(/^\{"Ref":"EmailMfaTable/),
        emailCodes: { max: 5, windowSeconds: 900 },
        sms: { numbersPerDay: 3, textsPerHour: 5, cooldownSeconds: 60, allowedCountries: [] },
      });
      expect(settings).toEqual({
        appName: 'MFA Service',
        userPoolId: expect.stringMatching(/^\{"Ref":"UsersUserPool/),
        serverClientId: expect.stringMatching(/^\{"Ref":"UsersServerClient/),
        emailFrom: 'no-reply@example.com',
        stepUpMaxAgeSeconds: defaultConfig.stepUpMinutes * 60,
        corsAllowedOrigins: [],
        mfaTableName: expect.stringMatching(/^\{"Ref":"EmailMfaTable/),
        emailMfa: {
          tableName: expect.stringMatching(/^\{"Ref":"EmailMfaTable/),
          codeLength: defaultConfig.emailCode.length,
          codeTtlSeconds: defaultConfig.emailCode.ttlMinutes * 60,
          failureBudget: {
            maxFailures: defaultConfig.emailCode.maxFailures,
            windowSeconds: defaultConfig.emailCode.windowMinutes * 60,
            lockSeconds: defaultConfig.emailCode.lockMinutes * 60,
          },
        },
      });
      expect(Object.keys(environment).sort()).toEqual(
        Object.keys({
          ...loggingEnvironment.encode(logging),
          ...apiEnvironment.encode(settings),
          ...sendCapsEnvironment.encode(caps),
        }).sort(),
      );
    }
  });
});

test("outputs: region, pool, both clients, API URL, and what the operators' tools need", () => {
  expect(Object.keys(template.toJSON().Outputs as object).sort()).toEqual(
    ['ApiUrl', 'AppName', 'EmailFrom', 'MfaTableName', 'PublicClientId', 'Region', 'ServerClientId', 'UserPoolId'].sort(),
  );
  const tables = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  template.hasOutput('MfaTableName', { Value: { Ref: tables[0] } });
  template.hasOutput('EmailFrom', { Value: defaultConfig.emailFrom });
  template.hasOutput('AppName', { Value: defaultConfig.appName });
});

describe('context', () => {
  test('mfa=REQUIRED, removalPolicy=destroy, selfSignUp and CORS origins', () => {
    const { template: variant } = synthesize(
      {
        mfa: 'REQUIRED',
        removalPolicy: 'destroy',
        selfSignUp: 'true',
        corsAllowOrigins: 'https://app.example.com',
        logRetentionDays: '7',
      },
      { bundle: false },
    );
    variant.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        MfaConfiguration: 'ON',
        DeletionProtection: 'INACTIVE',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      }),
    });
    variant.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'OPTIONS' });
    variant.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'https://app.example.com'" },
    });
    variant.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
    const origins = apiFunctionEnvironments(variant).map((environment) => apiEnvironment.decode(environment).corsAllowedOrigins);
    expect(origins.length).toBeGreaterThan(0);
    for (const allowed of origins) expect(allowed).toEqual(['https://app.example.com']);
  });

  test.each([
    ['mfa', 'ON', 'Context key "mfa" must be one of OFF, OPTIONAL, REQUIRED; got "ON".'],
    ['selfSignUp', 'yes', 'Context key "selfSignUp" must be true or false; got "yes".'],
    ['corsAllowOrigins', '*', 'Context key "corsAllowOrigins" must be a list of origins'],
    ['codeRateLimit', '-1', 'Context key "codeRateLimit" must be a positive number; got "-1".'],
    ['logRetentionDays', '10', 'Context key "logRetentionDays" must be one of CloudWatch Logs\' retention periods'],
    ['appName', 'A:B', 'Context key "appName" must be a name of 1 to 40 characters without ":"'],
    ['emailSendsPerWindow', '0', 'Context key "emailSendsPerWindow" must be a whole number from 1 to 100; got "0".'],
    ['emailSendWindowMinutes', '1441', 'Context key "emailSendWindowMinutes" must be a whole number from 1 to 1440; got "1441".'],
    ['smsNumbersPerDay', 'three', 'Context key "smsNumbersPerDay" must be a whole number from 1 to 20; got "three".'],
    ['smsTextsPerHour', '1', 'Context key "smsTextsPerHour" must be a whole number from 2 to 100; got "1".'],
    ['smsCodeCooldownSeconds', '-5', 'Context key "smsCodeCooldownSeconds" must be a whole number from 0 to 3600; got "-5".'],
    ['smsAllowedCountries', '+44', 'Context key "smsAllowedCountries" must be a list of calling codes'],
    ['smsAllowedCountries', 'UK', 'Context key "smsAllowedCountries" must be a list of calling codes'],
    ['smsAllowedCountries', '1234567', 'Context key "smsAllowedCountries" must be a list of calling codes'],
    ['smsSpendAlarmUsd', '0', 'Context key "smsSpendAlarmUsd" must be a positive number; got "0".'],
  ])('a bad %s is refused with a message naming the key', (key, value, message) => {
    const app = new App({ context: { [key]: value } });
    expect(() => readConfig((name) => app.node.tryGetContext(name))).toThrow(message);
  });

  test('a code throttle looser than the stage throttle is refused', () => {
    expect(() => synthesize({ codeRateLimit: '100' }, { bundle: false })).toThrow(
      'Context key "codeRateLimit" (100) must not exceed "apiRateLimit" (50)',
    );
  });
});
