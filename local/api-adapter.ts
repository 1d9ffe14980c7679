import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiEnvironment } from '../contract/environment';
import { apiRoutes, userAdminScope, type ApiRoute } from '../contract/routes';
import type { ObjectSchema } from '../contract/schema';
import { validateBody } from '../lambda/core/request-schema';
import { lambdaContext } from './lambda-context';
import { proxyEvent } from './proxy-event';
import { BodyTooLarge, readBody } from './read-body';

/**
 * A local stand-in for the deployed API Gateway stage: the real handlers of
 * contract/routes.ts behind an HTTP server that builds Lambda proxy events the way
 * API Gateway does. It plays the Cognito user-pool authorizer too: it checks the
 * access token's RS256 signature against the pool's JWKS, its issuer, expiry,
 * `token_use` and scope, and hands the claims to the handler as strings, as API
 * Gateway does. cognito-local itself never checks signatures or expiry, so this
 * is the only place a forged token is refused.
 *
 * With allowed CORS origins in the API functions' environment it also answers
 * preflights as the stack's API Gateway does (lib/mfa-api.ts
 * `defaultCorsPreflightOptions`: an OPTIONS method on every path answering 204
 * with the allowed methods and headers, and the origin when it is an allowed one),
 * and, with exactly one origin, puts it on the errors it answers itself, as the
 * stack's gateway responses do.
 *
 * By default it serves the routes of contract/routes.ts with the handlers of
 * lambda/api, imported on first use, at the root, on a port the OS picks.
 * npm start (scripts/start.ts) gives it the routes the synthesized template
 * wires instead, each to its deployment bundle, under the stage's path, with
 * its own local routes beside them.
 *
 * Request models are checked where a route carries one (npm start takes them from
 * the template); the tests' default routes carry none, their handlers checking the
 * same schemas. Not modelled: throttling (asserted on the template in test/cdk).
 */
export interface LocalApi {
  readonly url: string;
  stop(): Promise<void>;
}

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** One method of the stage: what the authorizer demands and the function behind it. */
export interface LocalApiRoute {
  readonly method: string;
  readonly path: string;
  /** The function's name for the Lambda context. */
  readonly functionName: string;
  /** The Cognito authorizer's scopes; undefined for a method without authorizer. */
  readonly scopes: readonly string[] | undefined;
  /**
   * The method's request model (the template's draft-4 schema), checked before the function runs,
   * as the stack's request validator does; undefined: no check here (the tests' default routes,
   * whose handlers check the same schemas themselves).
   */
  readonly requestModel?: Readonly<Record<string, unknown>>;
  handler(): Promise<ProxyHandler>;
}

/** Answers a request the stage does not route, or undefined to let it 404 as API Gateway would. */
export type ExtraRequestListener = (request: http.IncomingMessage, url: URL) => Promise<APIGatewayProxyResult | undefined>;

export interface LocalApiOptions {
  /** Default: contract/routes.ts with lambda/api's handlers. */
  routes?: readonly LocalApiRoute[];
  /** The stage's path, e.g. `/v1`. Default '' (routes at the root). */
  stagePath?: string;
  /** Default: the API functions' CORS_ALLOWED_ORIGINS in process.env, read at each request. */
  corsAllowedOrigins?: readonly string[];
  /** Default 0 (a port the OS picks). */
  port?: number;
  /** Default none. */
  extra?: ExtraRequestListener;
}

export async function startLocalApi(issuer: string, options: LocalApiOptions = {}): Promise<LocalApi> {
  const keys = await fetchSigningKeys(issuer);
  const routes = options.routes ?? contractRoutes;
  const stagePath = options.stagePath ?? '';
  const allowedOrigins = () => options.corsAllowedOrigins ?? apiEnvironment.decode(process.env).corsAllowedOrigins;
  const server = http.createServer((request, response) => {
    handle(request, { keys, issuer, routes, stagePath, allowedOrigins: allowedOrigins(), extra: options.extra })
      .then((result) => {
        response.writeHead(result.statusCode, result.headers as http.OutgoingHttpHeaders);
        response.end(result.body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end(`local API adapter failed: ${error instanceof Error ? error.name : 'error'}`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${stagePath}`,
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Stage {
  readonly keys: ReadonlyMap<string, JsonWebKey>;
  readonly issuer: string;
  readonly routes: readonly LocalApiRoute[];
  readonly stagePath: string;
  readonly allowedOrigins: readonly string[];
  readonly extra: ExtraRequestListener | undefined;
}

async function handle(request: http.IncomingMessage, stage: Stage): Promise<APIGatewayProxyResult> {
  const { keys, issuer, routes, stagePath, allowedOrigins } = stage;
  const url = new URL(request.url ?? '/', 'http://localhost');
  const inStage = url.pathname.startsWith(`${stagePath}/`);
  const path = inStage ? url.pathname.slice(stagePath.length) : undefined;
  if (request.method === 'OPTIONS' && allowedOrigins.length > 0 && routes.some((candidate) => candidate.path === path)) {
    return preflight(request.headers.origin, allowedOrigins);
  }
  const route = routes.find((candidate) => candidate.path === path && candidate.method === request.method);
  if (!route) {
    const answer = await stage.extra?.(request, url);
    return answer ?? gatewayError(404, 'ResourceNotFoundException', 'No route matches this method and path.', allowedOrigins);
  }

  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
  ) as Record<string, string | undefined>;
  let claims: Record<string, string> | undefined;
  if (route.scopes) {
    claims = verifiedClaims(headers.authorization, keys, issuer, route.scopes);
    if (!claims) {
      return gatewayError(401, 'NotAuthorizedException', 'The access token is missing, invalid or expired. Sign in again.', allowedOrigins);
    }
  }
  let body: string;
  try {
    body = (await readBody(request, maxPayloadBytes)).toString('utf8');
  } catch (error) {
    if (error instanceof BodyTooLarge) return gatewayError(413, 'RequestTooLong', 'The request body is over 10 MB.', allowedOrigins);
    throw error;
  }
  if (route.requestModel && !matchesModel(route.requestModel, body)) {
    // The stack's BAD_REQUEST_BODY gateway response (lib/mfa-api.ts).
    return gatewayError(
      400,
      'InvalidParameterException',
      'The request body does not match the schema of this route; see docs/openapi.yaml.',
      allowedOrigins,
    );
  }
  const event = proxyEvent({
    method: route.method,
    path: route.path,
    headers,
    body: body.length > 0 ? body : null,
    claims,
    sourceIp: request.socket.remoteAddress,
  });
  return (await route.handler())(event, lambdaContext(route.functionName));
}

/**
 * The template's models are lib/mfa-api.ts's translation of contract/request-bodies.ts (objects of
 * string fields: type, lengths, pattern, enum, required, no other fields, minProperties), so the
 * contract's own validator reads them; a schema using more than that would be checked less
 * strictly here than by API Gateway, and the handlers check their schema again either way.
 */
function matchesModel(model: Readonly<Record<string, unknown>>, body: string): boolean {
  try {
    const schema = { ...model, required: (model.required as string[] | undefined) ?? [] } as unknown as ObjectSchema;
    validateBody(schema, JSON.parse(body));
    return true;
  } catch {
    return false;
  }
}

/** API Gateway's REST API payload limit, 10 MB (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
const maxPayloadBytes = 10 * 1024 * 1024;

const handlers = new Map<string, ProxyHandler>();

/** Loaded on first use, after the test has pointed the SDK at the emulator. */
async function handlerOf(route: ApiRoute): Promise<ProxyHandler> {
  let handler = handlers.get(route.handler);
  if (!handler) {
    ({ handler } = (await import(`../lambda/api/${route.handler}`)) as { handler: ProxyHandler });
    handlers.set(route.handler, handler);
  }
  return handler;
}

const contractRoutes: readonly LocalApiRoute[] = apiRoutes.map((route) => ({
  method: route.method,
  path: route.path,
  functionName: route.handler,
  scopes: route.auth === 'token' ? [userAdminScope] : undefined,
  handler: () => handlerOf(route),
}));

async function fetchSigningKeys(issuer: string): Promise<ReadonlyMap<string, JsonWebKey>> {
  const response = await fetch(`${issuer}/.well-known/jwks.json`);
  const { keys } = (await response.json()) as { keys: (JsonWebKey & { kid: string })[] };
  return new Map(keys.map((key) => [key.kid, key]));
}

/** What the Cognito authorizer checks before it lets a request through, with the claims it passes on. */
function verifiedClaims(
  authorization: string | undefined,
  keys: ReadonlyMap<string, JsonWebKey>,
  issuer: string,
  requiredScopes: readonly string[],
): Record<string, string> | undefined {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const [encodedHeader, encodedPayload, signature] = token?.split('.') ?? [];
  if (!encodedHeader || !encodedPayload || !signature) return undefined;
  try {
    const header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString()) as { alg?: string; kid?: string };
    const key = header.kid === undefined ? undefined : keys.get(header.kid);
    if (header.alg !== 'RS256' || !key) return undefined;
    const signed = Buffer.from(`${encodedHeader}.${encodedPayload}`);
    const publicKey = createPublicKey({ key, format: 'jwk' });
    if (!verify('RSA-SHA256', signed, publicKey, Buffer.from(signature, 'base64url'))) return undefined;
    const payload = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString()) as Record<string, unknown>;
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    const expired = typeof payload.exp !== 'number' || payload.exp * 1000 <= Date.now();
    // With method scopes the authorizer wants an access token holding any one of them
    // (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-enable-cognito-user-pool.html);
    // a method with none would take ID tokens, which no method of this stack is, so none here admits nothing.
    if (payload.iss !== issuer || payload.token_use !== 'access' || expired || !requiredScopes.some((scope) => scopes.includes(scope))) {
      return undefined;
    }
    return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, String(value)]));
  } catch {
    return undefined;
  }
}

/** The stack's gateway responses (lib/mfa-api.ts) for requests API Gateway answers itself. */
function gatewayError(statusCode: number, name: string, message: string, allowedOrigins: readonly string[]): APIGatewayProxyResult {
  const onlyOrigin = allowedOrigins.length === 1 ? allowedOrigins[0] : undefined;
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...(onlyOrigin && { 'Access-Control-Allow-Origin': onlyOrigin }) },
    body: JSON.stringify({ name, message }),
  };
}

/** CDK's preflight method: the origin echoed only when allowed, so a browser refuses any other. */
function preflight(origin: string | undefined, allowedOrigins: readonly string[]): APIGatewayProxyResult {
  const allowed = origin !== undefined && allowedOrigins.includes(origin);
  return {
    statusCode: 204,
    headers: {
      'Access-Control-Allow-Headers': 'Content-Type,Authorization',
      'Access-Control-Allow-Methods': 'GET,POST,PUT',
      'Access-Control-Max-Age': '3600',
      ...(allowed && { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' }),
    },
    body: '',
  };
}
