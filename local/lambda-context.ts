import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** The Context Lambda passes a handler, for the tests' in-process invocations (API routes and triggers alike). */
export function lambdaContext(functionName: string, region = 'us-east-1'): Context {
  const unsupported = (): never => {
    throw new Error('This local Lambda Context does not support the deprecated done/fail/succeed callbacks.');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    // A fixed figure, so that Middy arms its early-timeout timer as on Lambda; nothing here enforces a timeout.
    getRemainingTimeInMillis: () => 10_000,
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}
