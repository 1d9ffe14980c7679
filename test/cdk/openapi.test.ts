import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as cognito from '@aws-sdk/client-cognito-identity-provider';
import { passwordVerifierAnswer } from '../support/cognito-answers';
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as ses from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { parse } from 'yaml';
import * as ownErrors from '../../lambda/core/errors';
import type { ObjectSchema } from '../../contract/schema';
import { encodeSession, type SupportedChallenge } from '../../lambda/core/sign-in-steps';
import { toErrorResponse } from '../../lambda/http/error-responses';
import { defaultConfig } from '../../lib/config';
import { MfaServiceStack } from '../../lib/mfa-service-stack';
import { apiRoutes, userAdminScope, type ApiRoute } from '../../contract/routes';
import { invokeRoute } from '../support/invoke-route';
import { secrets } from '../support/log-capture';
import { lambdaContext } from '../../local/lambda-context';
import { proxyEvent } from '../../local/proxy-event';

/**
 * docs/openapi.yaml against the code: the route table, the request schemas, the
 * authorizer, which routes need a recent sign-in (step-up), which need email MFA
 * on, which have the code throttle, what the public sign-in routes answer, and
 * every error name the API can answer with. The document is written by hand;
 * this test is what keeps it true.
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
  readonly items?: SchemaObject;
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

/** Routes behind the Cognito authorizer, and the public ones (sign-in). */
const tokenRoutes = apiRoutes.filter((route) => route.auth === 'token');
const publicRoutes = apiRoutes.filter((route) => route.auth === 'none');
const signInHandlers = ['sign-in', 'confirm-sign-in'];
const signInRoutes = publicRoutes.filter((route) => signInHandlers.includes(route.handler));
const sessionRoutes = publicRoutes.filter((route) => route.handler === 'refresh' || route.handler === 'sign-out');
const cases = (routes: readonly ApiRoute[]) => routes.map((route) => [routeKey(route), route] as const);

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

/**
 * Where a value departs from a documented response schema: a missing required
 * key, a key the schema does not list, a wrong type or a value outside an enum.
 * Enough of JSON Schema for the response schemas this document uses.
 */
function shapeErrors(value: unknown, schema: SchemaObject, at = '$'): string[] {
  if (schema.$ref) return shapeErrors(value, schemaByRef(schema.$ref), at);
  if (schema.enum && !schema.enum.includes(value as string)) return [`${at}: ${String(value)} is not one of ${schema.enum.join(', ')}`];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const properties = schema.properties ?? {};
      return [
        ...(schema.required ?? []).filter((key) => !(key in value)).map((key) => `${at}.${key}: missing`),
        ...Object.entries(value).flatMap(([key, child]) =>
          key in properties ? shapeErrors(child, properties[key] as SchemaObject, `${at}.${key}`) : [`${at}.${key}: not documented`],
        ),
      ];
    }
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, index) => shapeErrors(item, schema.items ?? {}, `${at}[${index}]`))
        : [`${at}: not an array`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: not an integer`];
    case 'string':
    case 'boolean':
      return typeof value === schema.type ? [] : [`${at}: not a ${schema.type}`];
    default:
      return [`${at}: the schema has no type`];
  }
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
    ...serviceExceptions(ses, ses.SESServiceException),
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

  test('has exactly the routes of contract/routes.ts', () => {
    const documented = Object.entries(doc.paths).flatMap(([route, item]) =>
      Object.keys(item)
        .filter((key) => httpMethods.includes(key))
        .map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(documented.sort()).toEqual(apiRoutes.map(routeKey).sort());
  });

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))('%s: the request body is the route schema', (_, route) => {
    const { requestBody } = operationOf(route);
    if (!route.requestSchema) {
      expect(requestBody).toBeUndefined();
      return;
    }
    expect(Object.keys(requestBody?.content ?? {})).toEqual(['application/json']);
    const ref = requestBody?.content?.['application/json']?.schema?.$ref;
    expect(ref).toBe(`${schemaRefPrefix}${route.requestSchema.title}`);
    expect(fromDocument(schemaByRef(ref))).toEqual(fromTypeScript(route.requestSchema));
  });

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))(
    "%s: the one success answer is the row's status and schema",
    (_, route) => {
      const responses = operationOf(route).responses ?? {};
      expect(Object.keys(responses).filter((status) => status.startsWith('2'))).toEqual([String(route.answer.status)]);
      const success = responses[String(route.answer.status)];
      if (route.answer.status === 204) {
        expect(success?.content).toBeUndefined();
        return;
      }
      expect(success?.content?.['application/json']?.schema?.$ref).toBe(`${schemaRefPrefix}${route.answer.schema}`);
    },
  );

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))('%s: the security requirement matches its auth', (_, route) => {
    const security = operationOf(route).security ?? doc.security ?? [];
    expect(security).toEqual(route.auth === 'token' ? [{ [securitySchemeName]: [] }] : []);
  });

  test('the security scheme is the Authorization header, and names the scope the authorizer requires', () => {
    const scheme = doc.components.securitySchemes[securitySchemeName];
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(scheme?.description).toContain(userAdminScope);
  });

  test.each(apiRoutes.map((route) => [routeKey(route), route] as const))('%s: x-feature is the route feature', (_, route) => {
    expect(operationOf(route)['x-feature']).toBe(route.feature);
  });

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

  describe('step-up (token routes)', () => {
    // Any AWS call is refused: a route that gets past the step-up check must not reach AWS from a test.
    const refusal = new Error('no AWS calls in this test');
    const mocks = [
      mockClient(cognito.CognitoIdentityProviderClient).onAnyCommand().rejects(refusal),
      mockClient(ses.SESClient).onAnyCommand().rejects(refusal),
      mockClient(DynamoDBDocumentClient).onAnyCommand().rejects(refusal),
    ];
    afterAll(() => mocks.forEach((mock) => mock.restore()));

    /** A sign-in one second older than the deployment's default window. */
    const staleAuthTime = () => Math.floor(Date.now() / 1000) - defaultConfig.stepUpMinutes * 60 - 1;

    test.each(cases(tokenRoutes))(
      '%s: the handler asks for a recent sign-in, and the document says so, exactly when its row has stepUp',
      async (_, route) => {
        const { handler } = (await import(`../../lambda/api/${route.handler}`)) as { handler: Parameters<typeof invokeRoute>[0] };
        const answer = await invokeRoute(handler, { method: route.method, path: route.path, authTime: staleAuthTime() });
        const asksForSignIn = answer.status === 401 && answer.body.name === 'ReauthenticationRequiredException';
        const unauthorized = operationOf(route).responses?.['401'];
        expect(unauthorized).toBeDefined();
        const documented = oneLine(responseByRef(unauthorized!).description).includes('`ReauthenticationRequiredException`');
        expect({ route: routeKey(route), asksForSignIn, documented }).toEqual({
          route: routeKey(route),
          asksForSignIn: route.stepUp,
          documented: route.stepUp,
        });
      },
    );

    test('the window, its context key and its default are described', () => {
      const description = oneLine(doc.components.responses?.StepUpUnauthorized?.description);
      expect(description).toContain('`auth_time`');
      expect(description).toContain(`context key \`stepUpMinutes\`, default ${defaultConfig.stepUpMinutes} minutes`);
      expect(oneLine(doc.info.description)).toContain(`\`stepUpMinutes\`, ${defaultConfig.stepUpMinutes} minutes by default`);
    });
  });

  describe('the token and the admin calls (token routes)', () => {
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
      'global-sign-out': undefined,
      'generate-recovery-codes': {},
      'fetch-recovery-code-status': undefined,
    };
    // The caller invokeRoute's authorizer claims name: GetUser answers for the same token's user.
    const user = {
      Username: '11111111-2222-3333-4444-555555555555',
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
      sesMock = mockClient(ses.SESClient);
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

    test('has a request for every token route', () => {
      expect(tokenRoutes.map((route) => route.handler).filter((handler) => !(handler in requestBodies))).toEqual([]);
    });

    test.each(cases(tokenRoutes))('%s: a revoked token is 401 NotAuthorizedException, and documented', async (_, route) => {
      cognitoAnswers(
        () => Promise.reject(new cognito.NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} })),
        () => Promise.resolve(user),
      );
      const answer = await invoke(route);
      expect([routeKey(route), answer.status, answer.body.name]).toEqual([routeKey(route), 401, 'NotAuthorizedException']);
      const unauthorized = operationOf(route).responses?.['401'];
      expect(oneLine(responseByRef(unauthorized!).description)).toContain(
        'revoked (Cognito refuses a revoked token on every route that takes one',
      );
    });

    /** The token routes whose functions call Cognito's admin APIs with their role (the recovery code routes and global sign-out call none). */
    const adminCallers = tokenRoutes.filter((route) =>
      route.permissions.some((permission) => permission === 'readUser' || permission === 'updateUserAttributes'),
    );

    test('every token route but the recovery code ones and global sign-out calls an admin API', () => {
      expect(tokenRoutes.filter((route) => !adminCallers.includes(route)).map((route) => route.handler)).toEqual([
        'generate-recovery-codes',
        'fetch-recovery-code-status',
        'global-sign-out',
      ]);
    });

    test.each(cases(adminCallers))(
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
      cognitoAnswers(
        () => Promise.resolve(user),
        () => Promise.resolve(user),
      );
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

  describe('the public sign-in routes', () => {
    const password = 'probe password, never logged';
    secrets.add(password, 'password');
    const clientSecret = 'probe server client secret';
    secrets.add(clientSecret, 'client secret');

    /** A session of this API for a pending step, as sign-in would have issued it. */
    const sessionFor = (challengeName: SupportedChallenge) =>
      encodeSession({ challengeName, username: 'user-sub', cognitoSession: `cognito-session-${challengeName}` });

    /** A request each public route accepts up to its Cognito calls. */
    const requestBodies: Readonly<Record<string, Readonly<Record<string, string>>>> = {
      'sign-in': { username: 'jane@example.com', password },
      'confirm-sign-in': { username: 'jane@example.com', session: sessionFor('SOFTWARE_TOKEN_MFA'), challengeResponse: '123456' },
      // The session routes read the same secret in the same module, so its refusal is probed here too.
      refresh: { refreshToken: 'probe.refresh.token' },
      'sign-out': { refreshToken: 'probe.refresh.token' },
      recover: { username: 'jane@example.com', password, recoveryCode: 'AAAA-BBBB-CCCC-DDDD' },
    };

    const passwordVerifier = { ...passwordVerifierAnswer, Session: 'cognito-session-password' };
    const signedIn = {
      AuthenticationResult: { AccessToken: 'access-token', IdToken: 'id-token', RefreshToken: 'refresh-token', ExpiresIn: 3600 },
    };

    let cognitoMock: ReturnType<typeof mockClient>;
    beforeAll(() => {
      cognitoMock = mockClient(cognito.CognitoIdentityProviderClient);
    });
    beforeEach(() => {
      cognitoMock.reset();
      // Anything not set up by a test is refused, so that no probe reaches AWS.
      cognitoMock.onAnyCommand().rejects(new Error('no AWS calls in this test'));
      cognitoMock.on(cognito.DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: clientSecret } });
      cognitoMock.on(cognito.InitiateAuthCommand).resolves(passwordVerifier);
    });
    afterAll(() => cognitoMock.restore());

    /** Invokes the handler as API Gateway does for a method without an authorizer: no claims, and here no Authorization header. */
    const invoke = async (route: ApiRoute, body: unknown = requestBodies[route.handler], headers: Record<string, string> = {}) => {
      const { handler } = (await import(`../../lambda/api/${route.handler}`)) as { handler: Parameters<typeof invokeRoute>[0] };
      const result = await handler(
        proxyEvent({ method: route.method, path: route.path, headers, body: JSON.stringify(body) }),
        lambdaContext('openapi-test'),
      );
      return {
        status: result.statusCode,
        headers: result.headers ?? {},
        body: (result.body ? JSON.parse(result.body) : {}) as Record<string, unknown>,
      };
    };

    const signInRoute = signInRoutes.find((route) => route.handler === 'sign-in')!;
    const confirmRoute = signInRoutes.find((route) => route.handler === 'confirm-sign-in')!;
    const descriptionOf = (route: ApiRoute, status: string) => {
      const response = operationOf(route).responses?.[status];
      expect([routeKey(route), status, response]).toEqual([routeKey(route), status, expect.anything()]);
      return oneLine(responseByRef(response!).description);
    };
    const cognitoError = (name: string) => {
      const Exception = (cognito as unknown as Record<string, new (options: { message: string; $metadata: object }) => Error>)[name];
      if (!Exception) throw new Error(`no ${name} in the Cognito SDK`);
      return new Exception({ message: 'probe', $metadata: {} });
    };

    test('are the sign-in routes, each with a probe request', () => {
      expect(publicRoutes.map(routeKey).sort()).toEqual([
        'POST /auth/confirm-sign-in',
        'POST /auth/recover',
        'POST /auth/refresh',
        'POST /auth/sign-in',
        'POST /auth/sign-out',
      ]);
      expect(signInRoutes.map((route) => route.handler).filter((handler) => !(handler in requestBodies))).toEqual([]);
    });

    // First in this block: the secret is cached per container once read, and
    // only a first read can be refused. The call count below says so if not.
    test.each(
      cases(publicRoutes).flatMap(([key, route]) =>
        [
          // What the SDK raises for Cognito's modelled refusal, and for IAM's AccessDeniedException, which Cognito does not model.
          cognitoError('NotAuthorizedException'),
          new cognito.CognitoIdentityProviderServiceException({
            name: 'AccessDeniedException',
            $fault: 'client',
            message: 'probe',
            $metadata: {},
          }),
        ].map((refusal) => [key, refusal.name, route, refusal] as const),
      ),
    )(
      "%s: DescribeUserPoolClient refused for the function's role (%s) is 500 InternalErrorException, and documented",
      async (key, _, route, refusal) => {
        cognitoMock.on(cognito.DescribeUserPoolClientCommand).rejects(refusal);
        const answer = await invoke(route);
        expect(cognitoMock.commandCalls(cognito.DescribeUserPoolClientCommand)).toHaveLength(1);
        expect([key, answer.status, answer.body.name]).toEqual([key, 500, 'InternalErrorException']);
        const internal = descriptionOf(route, '500');
        expect(internal).toMatch(/admin call.*`DescribeUserPoolClient`.*refused with `NotAuthorizedException`/);
      },
    );

    test.each(cases(signInRoutes))(
      '%s: takes no token: without an Authorization header or claims it signs the user in, and documents no token error',
      async (key, route) => {
        cognitoMock.on(cognito.RespondToAuthChallengeCommand).resolves(signedIn);
        const answer = await invoke(route);
        expect([key, answer.status, answer.body.isSignedIn]).toEqual([key, 200, true]);
        expect(operationOf(route).security).toEqual([]);
        const unauthorized = descriptionOf(route, '401');
        expect(unauthorized).not.toContain('access token');
        expect(unauthorized).not.toContain('ReauthenticationRequiredException');
        // A stale or revoked token sent anyway changes nothing: it is not read.
        const withToken = await invoke(route, undefined, { Authorization: 'Bearer not-a-token' });
        expect(withToken.status).toBe(200);
      },
    );

    test.each(cases(signInRoutes))(
      '%s: every Amplify step the handler answers with is documented, in the documented shape',
      async (key, route) => {
        const output = doc.components.schemas.SignInOutput;
        expect(output).toBeDefined();
        const cognitoAnswers: Partial<cognito.RespondToAuthChallengeCommandOutput>[] = [
          signedIn,
          {
            ChallengeName: 'SMS_MFA',
            Session: 'next',
            ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0100' },
          },
          { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'next', ChallengeParameters: {} },
          {
            ChallengeName: 'CUSTOM_CHALLENGE',
            Session: 'next',
            ChallengeParameters: { deliveryMedium: 'EMAIL', destination: 'j***@e***.com' },
          },
          {
            ChallengeName: 'SELECT_MFA_TYPE',
            Session: 'next',
            ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' },
          },
          { ChallengeName: 'MFA_SETUP', Session: 'next', ChallengeParameters: { MFAS_CAN_SETUP: '["SOFTWARE_TOKEN_MFA"]' } },
          {
            ChallengeName: 'NEW_PASSWORD_REQUIRED',
            Session: 'next',
            ChallengeParameters: { userAttributes: '{}', requiredAttributes: '[]' },
          },
        ];
        const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
        secrets.add(totpSecret, 'TOTP secret');
        cognitoMock.on(cognito.AssociateSoftwareTokenCommand).resolves({ SecretCode: totpSecret, Session: 'associated' });
        const steps = new Set<unknown>();
        for (const cognitoAnswer of cognitoAnswers) {
          cognitoMock.on(cognito.RespondToAuthChallengeCommand).resolves(cognitoAnswer);
          const answer = await invoke(route);
          const asked = cognitoAnswer.ChallengeName ?? 'tokens';
          expect([key, asked, answer.status]).toEqual([key, asked, 200]);
          expect([key, asked, shapeErrors(answer.body, output!)]).toEqual([key, asked, []]);
          // A pending step carries the session to answer it with; DONE carries tokens and no session.
          expect([key, answer.body.isSignedIn, 'session' in answer.body, 'tokens' in answer.body]).toEqual(
            answer.body.isSignedIn ? [key, true, false, true] : [key, false, true, false],
          );
          steps.add((answer.body.nextStep as { signInStep?: unknown }).signInStep);
        }
        const documented = (schemaByRef('#/components/schemas/SignInNextStep').properties?.signInStep as SchemaObject).enum;
        expect([...steps].sort()).toEqual([...(documented ?? [])].sort());
      },
    );

    test.each(cases(signInRoutes))(
      '%s: a challenge this API does not carry is 500 InternalErrorException, and documented',
      async (key, route) => {
        // Cognito answers DEVICE_SRP_AUTH when device tracking is on (developer guide, "Working with devices").
        cognitoMock
          .on(cognito.RespondToAuthChallengeCommand)
          .resolves({ ChallengeName: 'DEVICE_SRP_AUTH', Session: 'next', ChallengeParameters: {} });
        const answer = await invoke(route);
        expect([key, answer.status, answer.body.name]).toEqual([key, 500, 'InternalErrorException']);
        expect(descriptionOf(route, '500')).toContain('`DEVICE_SRP_AUTH`');
      },
    );

    describe('no enumeration', () => {
      const accountStates = [
        'NotAuthorizedException',
        'UserNotFoundException',
        'UserNotConfirmedException',
        'PasswordResetRequiredException',
      ];
      /** The two Cognito calls of sign-in, each made to fail with an exception. */
      const failing: Readonly<Record<string, (error: Error) => unknown>> = {
        InitiateAuth: (error) => cognitoMock.on(cognito.InitiateAuthCommand).rejects(error),
        RespondToAuthChallenge: (error) => cognitoMock.on(cognito.RespondToAuthChallengeCommand).rejects(error),
      };

      test('POST /auth/sign-in answers every failure that could tell an account apart like a wrong password, and documents that answer', async () => {
        cognitoMock.on(cognito.RespondToAuthChallengeCommand).rejects(cognitoError('NotAuthorizedException'));
        const wrongPassword = await invoke(signInRoute);
        expect([wrongPassword.status, wrongPassword.body.name]).toEqual([401, 'NotAuthorizedException']);
        for (const [command, fail] of Object.entries(failing)) {
          for (const name of accountStates) {
            cognitoMock.reset();
            cognitoMock.onAnyCommand().rejects(new Error('no AWS calls in this test'));
            cognitoMock.on(cognito.DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: clientSecret } });
            cognitoMock.on(cognito.InitiateAuthCommand).resolves(passwordVerifier);
            fail(cognitoError(name));
            const answer = await invoke(signInRoute);
            expect([command, name, answer]).toEqual([command, name, wrongPassword]);
          }
        }
        const unauthorized = descriptionOf(signInRoute, '401');
        expect(unauthorized).toContain(`\`NotAuthorizedException\` with the message \`${String(wrongPassword.body.message)}\``);
        expect(unauthorized).toMatch(/does not exist, is disabled, is not confirmed or must reset their password/);
        expect(unauthorized).toContain('do not tell whether an account exists');
        // No other answer is documented for those states: not the table's 403s, nor Cognito's names.
        const documented = [
          oneLine(operationOf(signInRoute).description),
          ...Object.keys(operationOf(signInRoute).responses ?? {}).map((status) => descriptionOf(signInRoute, status)),
        ].join(' ');
        for (const name of accountStates.filter((state) => state !== 'NotAuthorizedException')) {
          expect([name, documented.includes(`\`${name}\``)]).toEqual([name, false]);
        }
      });

      test('POST /auth/confirm-sign-in answers a session that can no longer go on one way, and documents it', async () => {
        const answers = [];
        for (const name of accountStates) {
          cognitoMock.on(cognito.RespondToAuthChallengeCommand).rejects(cognitoError(name));
          answers.push(await invoke(confirmRoute));
        }
        expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
        expect([answers[0]!.status, answers[0]!.body.name]).toEqual([401, 'NotAuthorizedException']);
        const unauthorized = descriptionOf(confirmRoute, '401');
        expect(unauthorized).toContain(`\`NotAuthorizedException\` with the message \`${String(answers[0]!.body.message)}\``);
        expect(unauthorized).toContain('Start again with `POST /auth/sign-in`');
      });
    });

    describe('POST /auth/confirm-sign-in', () => {
      test.each([
        [
          'a session this API did not issue',
          { session: 'forged', challengeResponse: '123456' },
          '`session` is not a session this API issued',
        ],
        [
          'a TOTP code of 5 digits',
          { session: sessionFor('SOFTWARE_TOKEN_MFA'), challengeResponse: '12345' },
          'has the wrong shape for the step',
        ],
        [
          'an email code of 9 digits',
          { session: sessionFor('CUSTOM_CHALLENGE'), challengeResponse: '123456789' },
          'has the wrong shape for the step',
        ],
        [
          'a choice of EMAIL',
          { session: sessionFor('SELECT_MFA_TYPE'), challengeResponse: 'EMAIL' },
          'a selection other than `SMS` or `TOTP`',
        ],
      ])('%s is 400 InvalidParameterException without a call to Cognito, and documented', async (_, fields, documented) => {
        const answer = await invoke(confirmRoute, { username: 'jane@example.com', ...fields });
        expect([answer.status, answer.body.name]).toEqual([400, 'InvalidParameterException']);
        expect(cognitoMock.calls()).toHaveLength(0);
        expect(descriptionOf(confirmRoute, '400')).toContain(documented);
      });

      test('a wrong SMS or TOTP code keeps its name (400 CodeMismatchException), and is documented', async () => {
        cognitoMock.on(cognito.RespondToAuthChallengeCommand).rejects(cognitoError('CodeMismatchException'));
        const answer = await invoke(confirmRoute);
        expect([answer.status, answer.body.name]).toEqual([400, 'CodeMismatchException']);
        expect(descriptionOf(confirmRoute, '400')).toContain('`CodeMismatchException` (a wrong SMS, TOTP or TOTP setup code');
      });

      test('a wrong email code is 200 with the same step and a new session, and documented', async () => {
        // With a wrong answer, Define Auth Challenge asks for CUSTOM_CHALLENGE again (lambda/core/sign-in-policy.ts).
        cognitoMock.on(cognito.RespondToAuthChallengeCommand).resolves({
          ChallengeName: 'CUSTOM_CHALLENGE',
          Session: 'cognito-session-after-a-wrong-code',
          ChallengeParameters: { deliveryMedium: 'EMAIL', destination: 'j***@e***.com' },
        });
        const sent = sessionFor('CUSTOM_CHALLENGE');
        const answer = await invoke(confirmRoute, { username: 'jane@example.com', session: sent, challengeResponse: '123456' });
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ isSignedIn: false, nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' } });
        expect(answer.body.session).toEqual(expect.any(String));
        expect(answer.body.session).not.toBe(sent);
        expect(oneLine(operationOf(confirmRoute).description)).toContain(
          'A wrong email code is not an error: the answer is `200` with the same `CONFIRM_SIGN_IN_WITH_EMAIL_CODE` step and a new session.',
        );
      });
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

  describe('the public session routes', () => {
    const clientSecret = 'probe server client secret';
    secrets.add(clientSecret, 'client secret');
    const refreshToken = 'probe.refresh.token';
    secrets.add(refreshToken, 'refresh token');
    let cognitoMock: ReturnType<typeof mockClient>;
    beforeAll(() => {
      cognitoMock = mockClient(cognito.CognitoIdentityProviderClient);
    });
    beforeEach(() => {
      cognitoMock.reset();
      cognitoMock.onAnyCommand().rejects(new Error('no AWS calls in this test'));
      cognitoMock.on(cognito.DescribeUserPoolClientCommand).resolves({ UserPoolClient: { ClientSecret: clientSecret } });
      cognitoMock
        .on(cognito.GetTokensFromRefreshTokenCommand)
        .resolves({ AuthenticationResult: { AccessToken: 'access-token', IdToken: 'id-token', ExpiresIn: 3600 } });
      cognitoMock.on(cognito.RevokeTokenCommand).resolves({});
    });
    afterAll(() => cognitoMock.restore());

    /** The Cognito call each session route makes with the refresh token. */
    const tokenCall: Readonly<Record<string, string>> = { refresh: 'GetTokensFromRefreshToken', 'sign-out': 'RevokeToken' };
    const invoke = async (route: ApiRoute) => {
      const { handler } = (await import(`../../lambda/api/${route.handler}`)) as { handler: Parameters<typeof invokeRoute>[0] };
      const result = await handler(
        proxyEvent({ method: route.method, path: route.path, headers: {}, body: JSON.stringify({ refreshToken }) }),
        lambdaContext('openapi-test'),
      );
      return { status: result.statusCode, body: (result.body ? JSON.parse(result.body) : {}) as Record<string, unknown> };
    };

    test('are refresh and sign-out, each with its Cognito call', () => {
      expect(sessionRoutes.map((route) => route.handler).sort()).toEqual(Object.keys(tokenCall).sort());
    });

    test.each(cases(sessionRoutes))('%s: answers as documented, without a token', async (key, route) => {
      const answer = await invoke(route);
      const documented = route.answer.status === 200 ? operationOf(route).responses?.['200'] : operationOf(route).responses?.['204'];
      expect([key, answer.status, documented]).toEqual([key, route.answer.status, expect.anything()]);
      if (route.answer.status === 200) {
        expect([key, shapeErrors(answer.body, schemaByRef(`#/components/schemas/${route.answer.schema}`))]).toEqual([key, []]);
      }
      expect(operationOf(route).security).toEqual([]);
    });

    test.each(
      cases(sessionRoutes).flatMap(([key, route]) =>
        ['NotAuthorizedException', 'UnauthorizedException', 'UserNotFoundException', 'UnsupportedTokenTypeException'].map(
          (name) => [key, name, route] as const,
        ),
      ),
    )('%s: a token Cognito refuses with %s is the one documented 401', async (key, name, route) => {
      const Exception = (cognito as unknown as Record<string, new (options: { message: string; $metadata: object }) => Error>)[name]!;
      const refusal = new Exception({ message: 'probe', $metadata: {} });
      if (route.handler === 'refresh') cognitoMock.on(cognito.GetTokensFromRefreshTokenCommand).rejects(refusal);
      else cognitoMock.on(cognito.RevokeTokenCommand).rejects(refusal);
      const answer = await invoke(route);
      expect([key, name, answer.status, answer.body.name]).toEqual([key, name, 401, 'NotAuthorizedException']);
      expect(oneLine(responseByRef(operationOf(route).responses!['401']!).description)).toContain(
        `\`NotAuthorizedException\` with the message \`${String(answer.body.message)}\``,
      );
    });
  });

  describe('the Error schema names', () => {
    const documented = new Set((doc.components.schemas.Error?.properties?.name as SchemaObject | undefined)?.enum ?? []);
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
