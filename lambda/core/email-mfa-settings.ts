import { integerEnv, requiredEnv } from './environment';
import type { FailureBudgetPolicy } from './failure-budget';

/** Email MFA settings shared by the triggers and the enrolment routes; one reader so both use the same names. */
export interface EmailMfaSettings {
  readonly tableName: string;
  readonly codeLength: number;
  readonly codeTtlSeconds: number;
  readonly failureBudget: FailureBudgetPolicy;
}

export function emailMfaSettingsFromEnv(): EmailMfaSettings {
  return {
    tableName: requiredEnv('TABLE_NAME'),
    codeLength: integerEnv('EMAIL_CODE_LENGTH', 6, 8),
    codeTtlSeconds: integerEnv('EMAIL_CODE_TTL_SECONDS', 60, 600),
    failureBudget: {
      maxFailures: integerEnv('EMAIL_MAX_FAILURES', 3, 100),
      windowSeconds: integerEnv('EMAIL_FAILURE_WINDOW_SECONDS', 60, 86_400),
      lockSeconds: integerEnv('EMAIL_LOCK_SECONDS', 60, 86_400),
    },
  };
}
