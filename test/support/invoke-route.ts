import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { secrets } from './log-capture';
import { lambdaContext } from '../../local/lambda-context';
import { proxyEvent } from '../../local/proxy-event';

type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export const testAccessToken = 'eyJhbGciOiJSUzI1NiJ9.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.unit-test-signature';
secrets.add(testAccessToken, 'access token');

export interface RouteAnswer {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: Record<string, unknown>;
}

/** Invokes a handler as API Gateway would after the authorizer let the request through. */
export async function invokeRoute(
  handler: ProxyHandler,
  request: {
    method: string;
    path: string;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    base64?: boolean;
    authTime?: number;
  },
): Promise<RouteAnswer> {
  const event = proxyEvent({
    method: request.method,
    path: request.path,
    headers: { Authorization: testAccessToken, ...request.headers },
    body: request.rawBody ?? (request.body === undefined ? null : JSON.stringify(request.body)),
    claims: {
      sub: '11111111-2222-3333-4444-555555555555',
      username: '11111111-2222-3333-4444-555555555555',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: String(request.authTime ?? Math.floor(Date.now() / 1000)),
    },
  });
  event.isBase64Encoded = request.base64 ?? false;
  const result = await handler(event, lambdaContext('unit'));
  return {
    status: result.statusCode,
    headers: result.headers ?? {},
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
  };
}
