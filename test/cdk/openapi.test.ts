import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as cognito from '@aws-sdk/client-cognito-identity-provider';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as sesv2 from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import * as ownErrors from '../../lambda/core/errors';
import type { ObjectSchema } from '../../lambda/core/request-schema';
import { toErrorResponse } from '../../lambda/http/error-responses';
import { defaultConfig } from '../../lib/config';
import { MfaServiceStack } from '../../lib/mfa-service-stack';
import { apiRoutes, userAdminScope, type ApiRoute } from '../../lib/routes';
import { invokeRoute } from '../support/invoke-route';

/**
 * docs/openapi.yaml against the code: the route table, the request schemas, the
 * authorizer, which routes need a recent sign-in (step-up), which need email MFA
 * on, which have the code throttle, and every error name the API can answer
 * with. The document is written by hand; this test is what keeps it true.
 */

interface SchemaObject {
  readonly $ref?: string;
  readonly type?: string;
  readonly title?: string;
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: unknown;
  readonly minProperties?: number;
  readonly enum?: readonly string[];
}

interface MediaType {
  readonly schema?: SchemaObject;
}

interface ResponseObject {
  readonly $ref?: string;
  readonly description?: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}

interface Operation {
  readonly description?: string;
  /** Set on routes that exist only when the deployment has that feature on; `ApiRoute.feature`. */
  readonly 'x-feature'?: string;
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, MediaType>> };
  readonly responses?: Readonly<Record<string, ResponseObject>>;
}

interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly description?: string };
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly paths: Readonly<Record<string, Readonly<Record<string, Operation>>>>;
  readonly components: {
    readonly schemas: Readonly<Record<string, SchemaObject>>;
    readonly responses?: Readonly<Record<string, ResponseObject>>;
    readonly securitySchemes: Readonly<Record<string, Readonly<Record<string, string>>>>;
  };
}

const documentPath = path.join(__dirname, '..', '..', 'docs', 'openapi.yaml');
const doc = parse(readFileSync(documentPath, 'utf8')) as OpenApiDocument;

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const securitySchemeName = 'cognitoAccessToken';
const schemaRefPrefix = '#/components/schemas/';

const routeKey = (route: Pick<ApiRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** A YAML block's text with its line breaks and indentation folded, so that phrases can be searched. */
const oneLine = (text: string | undefined) => (text ?? '').replace(/\s+/g, ' ');

function operationOf(route: ApiRoute): Operation {
  const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
  if (!operation) throw new Error(`docs/openapi.yaml has no ${routeKey(route)}`);
  return operation;
}

function schemaByRef(ref: string | undefined): SchemaObject {
  if (!ref?.startsWith(schemaRefPrefix)) throw new Error(`expected a ${schemaRefPrefix}... $ref, got ${ref}`);
  const schema = doc.components.schemas[ref.slice(schemaRefPrefix.length)];
  if (!schema) throw new Error(`${ref} does not resolve`);
  return schema;
}

function responseByRef(response: ResponseObject): ResponseObject {
  if (!response.$ref) return response;
  const resolved = doc.components.responses?.[response.$ref.replace('#/components/responses/', '')];
  if (!resolved) throw new Error(`${response.$ref} does not resolve`);
  return resolved;
}

/** The schema fields the document must repeat exactly, read from a TypeScript schema object. */
function fromTypeScript(schema: ObjectSchema) {
  return {
    type: schema.type,
    title: schema.title,
    // Through JSON: readonly arrays become plain ones, and no key is left undefined.
    properties: JSON.parse(JSON.stringify(schema.properties)) as unknown,
    required: [...schema.required],
    additionalProperties: schema.additionalProperties,
    minProperties: schema.minProperties,
  };
}

/** The same fields from the document; OpenAPI 3.0 forbids `required: []`, so absent means none. */
function fromDocument(schema: SchemaObject) {
  return {
    type: schema.type,
    title: schema.title,
    properties: schema.properties,
    required: schema.required ?? [],
    additionalProperties: schema.additionalProperties,
    minProperties: schema.minProperties,
  };
}

/** One instance of each exception class an AWS SDK client package models. */
function serviceExceptions(sdkPackage: Readonly<Record<string, unknown>>, base: abstract new (...args: never[]) => Error): Error[] {
  const found = Object.values(sdkPackage).flatMap((value) => {
    if (typeof value !== 'function' || !(value.prototype instanceof base)) return [];
    const Exception = value as new (options: { message: string; $metadata: object }) => Error;
    return [new Exception({ message: 'probe', $metadata: {} })];
  });
  if (found.length === 0) throw new Error(`no exception classes found under ${base.name}`);
  return found;
}

/**
 * Every `name` toErrorResponse can produce, found by asking it: once for each
 * exception class modelled by the SDK clients the API functions use (Cognito;
 * SES and DynamoDB for the email routes and notices), each error class of
 * lambda/core/errors.ts, an unmodelled AWS error and a non-AWS error.
 */
function namesFromErrorResponses(): Set<string> {
  const probes: unknown[] = [
    new Error('a bug'),
    'not an Error',
    Object.assign(new Error('unmodelled'), { name: 'SomeFutureException', $metadata: {} }),
    ...serviceExceptions(cognito, cognito.CognitoIdentityProviderServiceException),
    ...serviceExceptions(sesv2, sesv2.SESv2ServiceException),
    ...serviceExceptions(dynamodb, dynamodb.DynamoDBServiceException),
  ];
  for (const value of Object.values(ownErrors)) {
    if (typeof value === 'function' && value.prototype instanceof ownErrors.MfaServiceError) {
      probes.push(new (value as new (message: string) => Error)('probe'));
    }
  }
  return new Set(probes.map((probe) => toErrorResponse(probe).name));
}

/** The names of the error responses API Gateway gives itself, from the synthesized stack. */
function namesFromGatewayResponses(): Set<string> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new MfaServiceStack(app, 'OpenApiTest', { config: defaultConfig, env: { region: 'eu-west-1' } });
  const responses = Template.fromStack(stack).findResources('AWS::ApiGateway::GatewayResponse') as Record<
    string,
    { Properties: { ResponseTemplates: Record<string, string> } }
  >;
  const names = Object.values(responses).map(({ Properties }) => {
    // Not parsed as JSON: the default 4XX template substitutes an API Gateway variable.
    const name = /"name":"([A-Za-z]+)"/.exec(Properties.ResponseTemplates['application/json'] ?? '')?.[1];
    if (!name) throw new Error(`a gateway response without a name: ${JSON.stringify(Properties)}`);
    return name;
  });
  if (names.length === 0) throw new Error('the stack has no gateway responses');
  return new Set(names);
}

describe('docs/openapi.yaml', () => {
  test('is OpenAPI 3.0.3', () => {
    expect(doc.openapi).toBe('3.0.3');
  });

  test('has exactly the routes of lib/routes.ts', () => {
    const documented = Object.entries(doc.paths).flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => httpMethods.includes(key))
        .map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(documented.sort()).toEqual(apiRoutes.map(routeKey).sort());
  });

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
    '%s: the request body is the route schema',
    (_, route) => {
      const { requestBody } = operationOf(route);
      if (!route.requestSchema) {
        expect(requestBody).toBeUndefined();
        return;
      }
      expect(Object.keys(requestBody?.content ?? {})).toEqual(['application/json']);
      const ref = requestBody?.content?.['application/json']?.schema?.$ref;
      expect(ref).toBe(`${schemaRefPrefix}${route.requestSchema.title}`);
      expect(fromDocument(schemaByRef(ref))).toEqual(fromTypeScript(route.requestSchema));
    },
  );

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
    '%s: the security requirement matches its auth',
    (_, route) => {
      const security = operationOf(route).security ?? doc.security ?? [];
      expect(security).toEqual(route.auth === 'token' ? [{ [securitySchemeName]: [] }] : []);
    },
  );

  test('the security scheme is the Authorization header, and names the scope the authorizer requires', () => {
    const scheme = doc.components.securitySchemes[securitySchemeName];
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(scheme?.description).toContain(userAdminScope);
  });

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
    '%s: x-feature is the route feature',
    (_, route) => {
      expect(operationOf(route)['x-feature']).toBe(route.feature);
    },
  );

  test('the feature, its context key and its default are described', () => {
    const info = oneLine(doc.info.description);
    expect(info).toContain('context key `emailMfa`');
    expect(info).toContain(`default \`${defaultConfig.emailMfa}\``);
    for (const route of apiRoutes.filter((candidate) => candidate.feature === 'emailMfa')) {
      expect(info).toContain(`\`${routeKey(route)}\``);
      expect(oneLine(operationOf(route).description)).toContain('context key `emailMfa`');
    }
  });

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
    '%s: the code throttle is described exactly when the route has it',
    (_, route) => {
      const tighter = oneLine(operationOf(route).description).includes('the tighter throttle for code routes');
      const codeRoutes = /Routes that check or send a one-time code \(([^)]*)\) have the tighter per-method throttle/.exec(
        oneLine(doc.info.description),
      )?.[1];
      expect(codeRoutes).toBeDefined();
      const listed = codeRoutes!.includes(`\`${routeKey(route)}\``);
      expect([tighter, listed]).toEqual([route.throttle === 'code', route.throttle === 'code']);
    },
  );

  describe('step-up', () => {
    // Any AWS call is refused: a route that gets past the step-up check must not reach AWS from a test.
    const refusal = new Error('no AWS calls in this test');
    const mocks = [
      mockClient(cognito.CognitoIdentityProviderClient).onAnyCommand().rejects(refusal),
      mockClient(sesv2.SESv2Client).onAnyCommand().rejects(refusal),
      mockClient(DynamoDBDocumentClient).onAnyCommand().rejects(refusal),
    ];
    afterAll(() => mocks.forEach((mock) => mock.restore()));

    /** A sign-in one second older than the deployment's default window. */
    const staleAuthTime = () => Math.floor(Date.now() / 1000) - defaultConfig.stepUpMinutes * 60 - 1;

    test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
      '%s: documents ReauthenticationRequiredException exactly when the handler asks for a recent sign-in',
      async (_, route) => {
        const { handler } = (await import(`../../lambda/api/${route.handler}`)) as { handler: Parameters<typeof invokeRoute>[0] };
        const answer = await invokeRoute(handler, { method: route.method, path: route.path, authTime: staleAuthTime() });
        const asksForSignIn = answer.status === 401 && answer.body.name === 'ReauthenticationRequiredException';
        const unauthorized = operationOf(route).responses?.['401'];
        expect(unauthorized).toBeDefined();
        const documented = oneLine(responseByRef(unauthorized!).description).includes('`ReauthenticationRequiredException`');
        expect([routeKey(route), documented]).toEqual([routeKey(route), asksForSignIn]);
      },
    );

    test('the window, its context key and its default are described', () => {
      const description = oneLine(doc.components.responses?.StepUpUnauthorized?.description);
      expect(description).toContain('`auth_time`');
      expect(description).toContain(`context key \`stepUpMinutes\`, default ${defaultConfig.stepUpMinutes} minutes`);
      expect(oneLine(doc.info.description)).toContain(`\`stepUpMinutes\`, ${defaultConfig.stepUpMinutes} minutes by default`);
    });
  });

  describe('the token and the admin calls', () => {
    /** A request each route accepts up to its first AWS call. */
    const requestBodies: Readonly<Record<string, unknown>> = {
      'set-up-totp': {},
      'verify-totp-setup': { code: '123456' },
      'fetch-mfa-preference': undefined,
      'update-mfa-preference': { totp: 'DISABLED' },
      'set-up-sms': { phoneNumber: '+14155550100' },
      'verify-sms': { code: '123456' },
      'set-up-email': {},
      'verify-email': { code: '123456' },
    };
    const user = {
      Username: 'probe',
      UserAttributes: [
        { Name: 'email', Value: 'probe@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    };
    let cognitoMock: ReturnType<typeof mockClient>;
    let tableMock: ReturnType<typeof mockClient>;
    let sesMock: ReturnType<typeof mockClient>;
    beforeAll(() => {
      cognitoMock = mockClient(cognito.CognitoIdentityProviderClient);
      tableMock = mockClient(DynamoDBDocumentClient);
      sesMock = mockClient(sesv2.SESv2Client);
    });
    beforeEach(() => {
      [cognitoMock, tableMock, sesMock].forEach((mock) => mock.reset());
      tableMock.onAnyCommand().resolves({});
      sesMock.onAnyCommand().resolves({});
    });
    afterAll(() => [cognitoMock, tableMock, sesMock].forEach((mock) => mock.restore()));

    /** Cognito answers calls made with the caller's token (user APIs) one way and the role's (admin APIs) another. */
    const cognitoAnswers = (byToken: () => Promise<unknown>, byRole: () => Promise<unknown>) =>
      cognitoMock.onAnyCommand().callsFake((input: { AccessToken?: string }) => (input.AccessToken ? byToken() : byRole()));

    const invoke = async (route: ApiRoute, body = requestBodies[route.handler]) => {
      const { handler } = (await import(`../../lambda/api/${route.handler}`)) as { handler: Parameters<typeof invokeRoute>[0] };
      return invokeRoute(handler, { method: route.method, path: route.path, body });
    };

    test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
      '%s: a revoked token is 401 NotAuthorizedException, and documented',
      async (_, route) => {
        cognitoAnswers(
          () => Promise.reject(new cognito.NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} })),
          () => Promise.resolve(user),
        );
        const answer = await invoke(route);
        expect([routeKey(route), answer.status, answer.body.name]).toEqual([routeKey(route), 401, 'NotAuthorizedException']);
        const unauthorized = operationOf(route).responses?.['401'];
        expect(oneLine(responseByRef(unauthorized!).description)).toContain('revoked (Cognito refuses a revoked token on every route');
      },
    );

    test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
      "%s: an admin call refused for the function's role is 500 InternalErrorException, and documented",
      async (_, route) => {
        cognitoAnswers(
          () => Promise.resolve(user),
          () => Promise.reject(new cognito.NotAuthorizedException({ message: 'not authorized to perform', $metadata: {} })),
        );
        const answer = await invoke(route);
        expect([routeKey(route), answer.status, answer.body.name]).toEqual([routeKey(route), 500, 'InternalErrorException']);
        const internal = operationOf(route).responses?.['500'];
        expect(internal).toBeDefined();
        expect(oneLine(responseByRef(internal!).description)).toMatch(/admin call.*refused with `NotAuthorizedException`/);
      },
    );

    test('POST /mfa/email/verify: a code of the wrong length is 400 without a call to AWS, and documented', async () => {
      cognitoAnswers(() => Promise.resolve(user), () => Promise.resolve(user));
      const route = apiRoutes.find((candidate) => candidate.handler === 'verify-email')!;
      const answer = await invoke(route, { code: '1234567' });
      expect([answer.status, answer.body.name]).toEqual([400, 'InvalidParameterException']);
      expect(tableMock.calls()).toHaveLength(0);
      expect(cognitoMock.calls()).toHaveLength(0);
      const operation = operationOf(route);
      expect(oneLine(operation.description)).toContain('is refused with `400 InvalidParameterException` without being charged');
      expect(oneLine(responseByRef(operation.responses!['400']!).description)).toContain('which is not charged against the budget');
    });
  });

  test('every error response has the Error schema', () => {
    for (const route of apiRoutes) {
      for (const [status, response] of Object.entries(operationOf(route).responses ?? {})) {
        if (status.startsWith('2')) continue;
        const content = responseByRef(response).content;
        expect([routeKey(route), status, Object.keys(content ?? {})]).toEqual([routeKey(route), status, ['application/json']]);
        expect([routeKey(route), status, content?.['application/json']?.schema?.$ref]).toEqual([
          routeKey(route),
          status,
          `${schemaRefPrefix}Error`,
        ]);
      }
    }
  });

  describe('the Error schema names', () => {
    const documented = new Set(
      (doc.components.schemas.Error?.properties?.name as SchemaObject | undefined)?.enum ?? [],
    );
    const fromHandlers = namesFromErrorResponses();
    let fromGateway: Set<string>;

    beforeAll(() => {
      fromGateway = namesFromGatewayResponses();
    });

    test('every name lambda/http/error-responses.ts can emit', () => {
      expect([...fromHandlers].filter((name) => !documented.has(name))).toEqual([]);
    });

    test("every name of API Gateway's own error responses", () => {
      expect([...fromGateway].filter((name) => !documented.has(name))).toEqual([]);
    });

    test('no name that neither can emit', () => {
      expect([...documented].filter((name) => !fromHandlers.has(name) && !fromGateway.has(name))).toEqual([]);
    });
  });
});
