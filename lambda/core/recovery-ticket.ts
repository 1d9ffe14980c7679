import { createHash, randomBytes } from 'node:crypto';

/**
 * The ticket that carries a finished recovery check (password and recovery code,
 * POST /auth/recover) into the passwordless sign-in that issues the tokens. 256
 * random bits, so a plain SHA-256 is enough to keep it: nothing smaller than the
 * ticket itself can be guessed from its hash, and only the hash is stored. It is
 * bound to the user (kept under their sub), taken once, and lives long enough for
 * the API's next two Cognito calls.
 */
export const recoveryTicketLifetimeSeconds = 60;

export function newRecoveryTicket(): string {
  return randomBytes(32).toString('base64url');
}

export function recoveryTicketHash(ticket: string): string {
  return createHash('sha256').update(ticket, 'utf8').digest('base64url');
}
