import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiEnvironment } from '../../contract/environment';
import { apiRoutes, userAdminScope, type ApiRoute } from '../../contract/routes';
import { lambdaContext } from './lambda-context';
import { proxyEvent } from './proxy-event';
import { readBody } from './read-body';

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
 * Not modelled: request-model validation and throttling (the handlers validate
 * bodies themselves; throttling is asserted on the template in test/cdk).
 */
export interface LocalApi {
  readonly url: string;
  stop(): Promise<void>;
}

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export async function startLocalApi(issuer: string): Promise<LocalApi> {
  const keys = await fetchSigningKeys(issuer);
  const server = http.createServer((request, response) => {
    handle(request, keys, issuer)
      .then((result) => {
        response.writeHead(result.statusCode, result.headers as http.OutgoingHttpHeaders);
        response.end(result.body);
      })
      .catch((error: unknown) => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end(`local API adapter failed: ${error instanceof Error ? error.name : 'error'}`);
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function handle(
  request: http.IncomingMessage,
  keys: ReadonlyMap<string, JsonWebKey>,
  issuer: string,
): Promise<APIGatewayProxyResult> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const allowedOrigins = apiEnvironment.decode(process.env).corsAllowedOrigins;
  if (request.method === 'OPTIONS' && allowedOrigins.length > 0 && apiRoutes.some((candidate) => candidate.path === url.pathname)) {
    return preflight(request.headers.origin, allowedOrigins);
  }
  const route = apiRoutes.find((candidate) => candidate.path === url.pathname && candidate.method === request.method);
  if (!route) return gatewayError(404, 'ResourceNotFoundException', 'No route matches this method and path.');

  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
  ) as Record<string, string | undefined>;
  let claims: Record<string, string> | undefined;
  if (route.auth === 'token') {
    claims = verifiedClaims(headers.authorization, keys, issuer);
    if (!claims) return gatewayError(401, 'NotAuthorizedException', 'The access token is missing, invalid or expired. Sign in again.');
  }
  const body = (await readBody(request)).toString('utf8');
  const event = proxyEvent({
    method: route.method,
    path: url.pathname,
    headers,
    body: body.length > 0 ? body : null,
    claims,
    sourceIp: request.socket.remoteAddress,
  });
  return (await handlerOf(route))(event, lambdaContext(route.handler));
}

const handlers = new Map<string, ProxyHandler>();

/** Loaded on first use, after the test has pointed the SDK at the emulator. */
async function handlerOf(route: ApiRoute): Promise<ProxyHandler> {
  let handler = handlers.get(route.handler);
  if (!handler) {
    ({ handler } = (await import(`../../lambda/api/${route.handler}`)) as { handler: ProxyHandler });
    handlers.set(route.handler, handler);
  }
  return handler;
}

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
    if (payload.iss !== issuer || payload.token_use !== 'access' || expired || !scopes.includes(userAdminScope)) {
      return undefined;
    }
    return Object.fromEntries(Object.entries(payload).map(([name, value]) => [name, String(value)]));
  } catch {
    return undefined;
  }
}

/** The stack's gateway responses (lib/mfa-api.ts) for requests API Gateway answers itself. */
function gatewayError(statusCode: number, name: string, message: string): APIGatewayProxyResult {
  const allowedOrigins = apiEnvironment.decode(process.env).corsAllowedOrigins;
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
