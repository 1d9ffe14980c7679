/**
 * One JSON line per action on stderr, for the operator's own records next to
 * CloudTrail's (which names the operator's IAM identity for each AWS call). The
 * fields are primitives only, as in lambda/core/logger.ts, and the callers pass
 * ids and counts, never an email address, phone number, code, hash or token.
 */
export type AuditFields = Readonly<Record<string, string | number | boolean | undefined>>;

export type AuditLog = (action: string, fields: AuditFields) => void;

export function auditLogTo(write: (line: string) => void, command: string, now: () => Date = () => new Date()): AuditLog {
  return (action, fields) => write(JSON.stringify({ timestamp: now().toISOString(), service: 'mfa-admin', command, action, ...fields }));
}
