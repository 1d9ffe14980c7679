/**
 * What the operators' tools refuse, as classes with a `name` (as lambda/core/errors.ts):
 * the CLI prints the message and exits non-zero, never with a stack trace.
 */

/** The command line itself is wrong: an unknown command or option, a missing argument. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The command cannot or may not run: no such user or stack, not confirmed. Exit code 1. */
export class AdminRefusal extends Error {
  override readonly name = 'AdminRefusal';
}
