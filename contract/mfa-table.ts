/**
 * The DynamoDB table's key schema, shared by the stack (lib/email-mfa.ts), the
 * code that reads and writes it (lambda/services/mfa-table.ts) and the tests.
 * One item per user and kind.
 */
export const mfaTableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after. Code also checks expiry itself. */
  timeToLive: 'expiresAt',
} as const;

export const itemKinds = {
  signInCode: 'EMAIL_SIGN_IN_CODE',
  enrolmentCode: 'EMAIL_ENROLMENT_CODE',
  failureBudget: 'EMAIL_FAILURE_BUDGET',
} as const;

/**
 * Recovery codes (lambda/core/recovery-codes.ts): the user's one set, replaced whole
 * by a new one, and the failure budget of redeeming them, apart from the email codes'.
 * They exist with or without email MFA.
 */
export const recoveryItemKinds = {
  codeSet: 'RECOVERY_CODE_SET',
  failureBudget: 'RECOVERY_FAILURE_BUDGET',
} as const;

/** The send logs behind the per-account caps (lambda/core/send-caps.ts); they exist with or without email MFA. */
export const capItemKinds = {
  emailSends: 'EMAIL_SEND_LOG',
  smsSends: 'SMS_SEND_LOG',
  /** Cognito's own emails (password reset, attribute verification, invitations), as the custom email sender sends them. */
  poolEmailSends: 'POOL_EMAIL_SEND_LOG',
  /** The notice Define sends when it switches off a factor turned on around the API. */
  switchOffNotices: 'SWITCH_OFF_NOTICE_LOG',
} as const;

/**
 * Proof that a sign-in answered the email code, written by Define Auth Challenge
 * when it issues tokens and consumed by Pre Token Generation: one item per user
 * and app client (the sort key names the client), short-lived and single use.
 */
export const signInProofKindPrefix = 'EMAIL_SIGN_IN_PROOF#';

export function signInProofKind(clientId: string): string {
  return `${signInProofKindPrefix}${clientId}`;
}

/**
 * The one-time ticket POST /auth/recover mints once the password and a recovery code
 * were right, and the recovery challenge takes (lambda/triggers/recovery.ts): one item
 * per ticket, its sort key this prefix and the ticket's hash.
 */
export const recoveryTicketKind = 'RECOVERY_TICKET';

export function userPartition(sub: string): string {
  return `USER#${sub}`;
}
