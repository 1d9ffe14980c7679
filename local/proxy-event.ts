import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * A Lambda proxy event as API Gateway (REST, Cognito user-pool authorizer) sends
 * it: claims are strings, the body is the raw text or null.
 */
export function proxyEvent(request: {
  method: string;
  path: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  claims?: Record<string, string>;
  sourceIp?: string;
}): APIGatewayProxyEvent {
  return {
    resource: request.path,
    path: request.path,
    httpMethod: request.method,
    headers: request.headers ?? {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: request.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'local',
      authorizer: request.claims ? { claims: request.claims } : null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      identity: { sourceIp: request.sourceIp ?? '127.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/v1${request.path}`,
      stage: 'v1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: request.path,
    },
  };
}
