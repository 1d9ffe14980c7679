import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as cognito from '@aws-sdk/client-cognito-identity-provider';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parse } from 'yaml';
import * as ownErrors from '../../lambda/core/errors';
import type { ObjectSchema } from '../../lambda/core/request-schema';
import { toErrorResponse } from '../../lambda/http/error-responses';
import { defaultConfig } from '../../lib/config';
import { MfaServiceStack } from '../../lib/mfa-service-stack';
import { apiRoutes, userAdminScope, type ApiRoute } from '../../lib/routes';

/**
 * docs/openapi.yaml against the code: the route table, the request schemas, the
 * authorizer, and every error name the API can answer with. The document is
 * written by hand; this test is what keeps it true.
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
  readonly content?: Readonly<Record<string, MediaType>>;
}

interface Operation {
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[];
  readonly requestBody?: { readonly content?: Readonly<Record<string, MediaType>> };
  readonly responses?: Readonly<Record<string, ResponseObject>>;
}

interface OpenApiDocument {
  readonly openapi: string;
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

/**
 * Every `name` toErrorResponse can produce, found by asking it: once for each
 * exception class the Cognito SDK models, each error class of
 * lambda/core/errors.ts, an unmodelled AWS error and a non-AWS error.
 */
function namesFromErrorResponses(): Set<string> {
  const probes: unknown[] = [
    new Error('a bug'),
    'not an Error',
    Object.assign(new Error('unmodelled'), { name: 'SomeFutureException', $metadata: {} }),
  ];
  for (const value of Object.values(cognito)) {
    if (typeof value === 'function' && value.prototype instanceof cognito.CognitoIdentityProviderServiceException) {
      const Exception = value as new (options: { message: string; $metadata: object }) => Error;
      probes.push(new Exception({ message: 'probe', $metadata: {} }));
    }
  }
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
