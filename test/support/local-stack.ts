import { emailMfaAttribute } from '../../lambda/core/email-mfa-mark';
import { mfaTableKeys } from '../../lambda/core/mfa-table';
import { startLocalApi, type LocalApi } from './api-adapter';
import { startLocalCognito, type LocalCognito } from './cognito-local';
import { createTable, startLocalDynamoDb, type LocalDynamoDb } from './dynalite';

/**
 * The deployed stack's moving parts, run locally inside a test: cognito-local
 * with the pool settings of lib/mfa-user-pool.ts that it supports, dynalite with
 * the table of lib/email-mfa.ts, and the real API handlers behind the local API
 * Gateway stand-in. The SDK in the handlers reaches the emulators through the
 * service-specific endpoint variables, exactly as unchanged Lambda code would.
 */
export interface LocalStack {
  readonly cognito: LocalCognito;
  readonly dynamoDb: LocalDynamoDb;
  readonly api: LocalApi;
  stop(): Promise<void>;
}

export async function startLocalStack(): Promise<LocalStack> {
  const [cognito, dynamoDb] = await Promise.all([
    startLocalCognito({
      // Both auto-verified, as in the stack, so phone codes go by SMS.
      autoVerifiedAttributes: ['email', 'phone_number'],
      customAttributes: [emailMfaAttribute.replace('custom:', '')],
    }),
    startLocalDynamoDb(),
  ]);
  const tableName = process.env.TABLE_NAME ?? 'mfa-test';
  await createTable(dynamoDb.endpoint, {
    tableName,
    partitionKey: mfaTableKeys.partitionKey,
    sortKey: mfaTableKeys.sortKey,
    timeToLiveAttribute: mfaTableKeys.timeToLive,
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: cognito.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    USER_POOL_ID: cognito.userPoolId,
  });
  const api = await startLocalApi(`${cognito.endpoint}/${cognito.userPoolId}`);
  return {
    cognito,
    dynamoDb,
    api,
    stop: async () => {
      await api.stop();
      await Promise.all([cognito.stop(), dynamoDb.stop()]);
    },
  };
}
