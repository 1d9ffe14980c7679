import path from 'node:path';
import {
  apiEnvironment,
  loggingEnvironment,
  sendCapsEnvironment,
  senderEnvironment,
  triggerEnvironment,
  type EmailMfaSettings,
} from '../../contract/environment';
import { projectRoot } from '../bundle';

/** Where the bench writes the bundles it imports (git-ignored). */
export const benchDir = path.join(projectRoot, '.bench');

const benchEmailMfa: EmailMfaSettings = {
  tableName: 'bench',
  codeLength: 6,
  codeTtlSeconds: 300,
  failureBudget: { maxFailures: 10, windowSeconds: 900, lockSeconds: 900 },
};

/**
 * The environment of every measuring child: what a function sees in Lambda
 * (lib/mfa-service-stack.ts, email MFA on), logging at WARN. The API
 * functions and the triggers read theirs at import and refuse to load without it.
 */
export const childEnv: NodeJS.ProcessEnv = {
  AWS_REGION: 'us-east-1',
  ...loggingEnvironment.encode({ logLevel: 'WARN', serviceName: 'bench' }),
  ...apiEnvironment.encode({
    appName: 'Bench',
    userPoolId: 'us-east-1_Bench',
    serverClientId: 'bench-server-client',
    emailFrom: 'no-reply@example.com',
    stepUpMaxAgeSeconds: 900,
    corsAllowedOrigins: [],
    mfaTableName: benchEmailMfa.tableName,
    emailMfa: benchEmailMfa,
  }),
  ...triggerEnvironment.encode({
    appName: 'Bench',
    emailFrom: 'no-reply@example.com',
    clientsParameter: '/bench/app-clients',
    mfaMode: 'OPTIONAL',
    emailMfaDeployed: true,
    emailMfa: benchEmailMfa,
  }),
  ...sendCapsEnvironment.encode({
    tableName: benchEmailMfa.tableName,
    emailCodes: { max: 5, windowSeconds: 900 },
    sms: { numbersPerDay: 3, textsPerHour: 5, cooldownSeconds: 60, allowedCountries: ['1'] },
  }),
  ...senderEnvironment.encode({
    appName: 'Bench',
    emailFrom: 'no-reply@example.com',
    keyArn: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-4000-8000-00000000bench',
  }),
};

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
