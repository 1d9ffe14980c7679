/**
 * Email MFA enrolment lives in one custom user attribute (contract/user-pool.ts)
 * that app clients may read but not write; only the API's role changes it, with
 * AdminUpdateUserAttributes. It holds the state and the address that was
 * verified at enrolment: codes go to that address, not to whatever `email` says
 * later, so changing `email` cannot redirect sign-in codes.
 */

/** ENROLLED: address verified, factor off. ENABLED / PREFERRED: codes asked at sign-in. */
export type EmailMfaState = 'ENROLLED' | 'ENABLED' | 'PREFERRED';

export interface EmailMfaMark {
  readonly state: EmailMfaState;
  readonly address: string;
}

/**
 * `unreadable` is a mark that exists but does not parse: sign-in treats it as
 * enabled with nowhere to send a code, so it fails closed rather than open.
 */
export type ParsedEmailMfaMark = EmailMfaMark | 'unreadable' | undefined;

const states: readonly EmailMfaState[] = ['ENROLLED', 'ENABLED', 'PREFERRED'];

export function parseEmailMfaMark(value: string | undefined): ParsedEmailMfaMark {
  if (value === undefined || value === '') return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<EmailMfaMark>;
    if (states.includes(parsed.state as EmailMfaState) && typeof parsed.address === 'string' && parsed.address.includes('@')) {
      return { state: parsed.state as EmailMfaState, address: parsed.address };
    }
  } catch {
    // falls through to unreadable
  }
  return 'unreadable';
}

export function serializeEmailMfaMark(mark: EmailMfaMark): string {
  return JSON.stringify({ state: mark.state, address: mark.address });
}

export function emailMfaEnabled(mark: ParsedEmailMfaMark): boolean {
  return mark === 'unreadable' || mark?.state === 'ENABLED' || mark?.state === 'PREFERRED';
}
