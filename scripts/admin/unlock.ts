import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditLog } from './audit-log';
import { deleteBudget, type BudgetName } from './mfa-table';
import type { AdminUser } from './users';

/**
 * `unlock <user>`: clears both failure budgets, the email codes' and the recovery
 * codes', as a right answer would: the counts, the locks (also the one only an
 * administrator lifts) and the doubling of the next lock start afresh.
 */
export async function unlock(table: DynamoDBDocumentClient, tableName: string, user: AdminUser, audit: AuditLog): Promise<string[]> {
  const names: readonly BudgetName[] = ['emailCodes', 'recovery'];
  const lines: string[] = [];
  for (const name of names) {
    const existed = await deleteBudget(table, tableName, user.sub, name);
    audit('failure-budget-cleared', { sub: user.sub, budget: name, existed });
    lines.push(`${name === 'emailCodes' ? 'Email-code' : 'Recovery-code'} failure budget ${existed ? 'cleared' : 'was already empty'}.`);
  }
  return lines;
}
