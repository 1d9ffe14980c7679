import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { apiConfig } from '../config/api-config';
import { epochSeconds } from '../core/clock';
import { InvalidParameterException, NotAuthorizedException } from '../core/errors';
import { logger } from '../core/logger';
import type { PublicRoute, TokenRoute } from '../../contract/routes';
import type { BodyOf, ObjectSchema } from '../../contract/schema';
import type { AccessTokenClaims } from '../core/access-token-claims';
import { validateBody } from '../core/request-schema';
import { assertRecentSignIn } from '../core/step-up';
import { logErrorResponse, toErrorResponse, type ErrorOverrides } from './error-responses';

/**
 * The one Middy stack every API handler shares: request logging without
 * bodies, JSON body parsing and validation, the access token, error responses
 * in Amplify's `{ name, message }` shape, and security and CORS headers.
 */
export interface RouteRequest<TBody> {
  readonly body: TBody;
  readonly accessToken: string;
  readonly claims: AccessTokenClaims;
}

export interface RouteResponse {
  readonly statusCode: number;
  readonly body?: unknown;
}

type Handler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** The body a route's row says it takes; undefined for routes without a schema. */
type BodyFor<R extends TokenRoute> = R extends { readonly requestSchema: infer S extends ObjectSchema } ? BodyOf<S> : undefined;

export interface PublicRouteOptions {
  /** Cognito exceptions this route answers in its own way (see error-responses.ts). */
  readonly errorOverrides?: ErrorOverrides;
}

/** A route without the authorizer (sign-in), built from its row of contract/routes.ts. Only the body is read. */
export function publicRoute<R extends PublicRoute>(
  route: R,
  options: PublicRouteOptions,
  run: (request: { readonly body: BodyOf<R['requestSchema']> }) => Promise<RouteResponse>,
): Handler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(requestLog())
    .use(responseHeaders(apiConfig.corsAllowedOrigins))
    .use(errorResponses(options.errorOverrides))
    .handler(async (event) =>
      toProxyResult(await run({ body: parseBody(event.body, event.isBase64Encoded, route.requestSchema) as BodyOf<R['requestSchema']> })),
    );
}

/**
 * A route behind the Cognito user-pool authorizer, built from its row of
 * contract/routes.ts: the row's schema checks the body and its `stepUp` asks for
 * a recent sign-in; the handler gets the caller's access token.
 */
export function authenticatedRoute<R extends TokenRoute>(
  route: R,
  run: (request: RouteRequest<BodyFor<R>>) => Promise<RouteResponse>,
): Handler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(requestLog())
    .use(responseHeaders(apiConfig.corsAllowedOrigins))
    .use(errorResponses())
    .handler(async (event) => {
      const accessToken = accessTokenOf(event);
      const claims = claimsOf(event);
      if (route.stepUp) {
        assertRecentSignIn(claims.authTime, epochSeconds(), apiConfig.stepUpMaxAgeSeconds);
      }
      const body = parseBody(event.body, event.isBase64Encoded, route.requestSchema) as BodyFor<R>;
      return toProxyResult(await run({ accessToken, claims, body }));
    });
}

function parseBody(raw: string | null, isBase64Encoded: boolean, schema: ObjectSchema | undefined): unknown {
  if (!schema) {
    if (raw) throw new InvalidParameterException('This route takes no request body.');
    return undefined;
  }
  const text = raw && isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : (raw ?? '');
  if (Buffer.byteLength(text, 'utf8') > apiConfig.maxBodyBytes) {
    throw new InvalidParameterException(`Request body must be at most ${apiConfig.maxBodyBytes} bytes.`);
  }
  if (text.trim() === '') return validateBody(schema, {});
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidParameterException('Request body is not valid JSON.');
  }
  return validateBody(schema, parsed);
}

/** API Gateway passes the Authorization header through; clients may or may not prefix it with "Bearer ". */
function accessTokenOf(event: APIGatewayProxyEvent): string {
  const header = headerValue(event.headers, 'authorization');
  const token = header?.replace(/^Bearer\s+/i, '').trim();
  if (!token) throw new NotAuthorizedException('The access token is missing. Send it in the Authorization header.');
  return token;
}

function claimsOf(event: APIGatewayProxyEvent): AccessTokenClaims {
  const claims = (event.requestContext.authorizer?.claims ?? {}) as Record<string, unknown>;
  const sub = claims.sub;
  const username = claims.username ?? claims['cognito:username'];
  const authTime = Number(claims.auth_time);
  if (typeof sub !== 'string' || typeof username !== 'string' || !Number.isFinite(authTime)) {
    throw new NotAuthorizedException('The access token is missing, invalid, expired or revoked. Sign in again.');
  }
  return { sub, username, authTime };
}

function headerValue(headers: APIGatewayProxyEvent['headers'], lowerCaseName: string): string | undefined {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === lowerCaseName) return value ?? undefined;
  }
  return undefined;
}

function toProxyResult(response: RouteResponse): APIGatewayProxyResult {
  return {
    statusCode: response.statusCode,
    body: response.body === undefined ? '' : JSON.stringify(response.body),
  };
}

type Request = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

function requestLog(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    before: (request: Request) => {
      logger.setRequestId(request.context.awsRequestId);
      logger.debug('request', { method: request.event.httpMethod, resource: request.event.resource });
    },
    after: (request: Request) => {
      logger.debug('response', { status: request.response?.statusCode });
    },
  };
}

function errorResponses(overrides?: ErrorOverrides): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  return {
    onError: (request: Request) => {
      const response = toErrorResponse(request.error, overrides);
      logErrorResponse(request.error, response);
      request.response = {
        statusCode: response.status,
        body: JSON.stringify({ name: response.name, message: response.message }),
      };
    },
  };
}

/** Responses carry secrets (TOTP seeds, QR codes, tokens): never cache them. */
const securityHeaders: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
};

function responseHeaders(allowedOrigins: readonly string[]): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context> {
  const addHeaders = (request: Request) => {
    const { response } = request;
    if (!response) return;
    const headers: Record<string, string | number | boolean> = { ...securityHeaders, ...response.headers };
    if (response.body) headers['Content-Type'] = 'application/json';
    const origin = headerValue(request.event.headers, 'origin');
    if (origin && allowedOrigins.includes(origin)) {
      headers['Access-Control-Allow-Origin'] = origin;
      headers.Vary = 'Origin';
    }
    response.headers = headers;
  };
  return { after: addHeaders, onError: addHeaders };
}
