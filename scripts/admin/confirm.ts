import { AdminRefusal } from './errors';

/** Where the tools ask their question: the operator's terminal, or nobody (a pipe, a CI job). */
export interface Terminal {
  /** True only when both stdin and stdout are a TTY: a person is there to answer. */
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
}

export type Confirmation =
  /** y/N: anything but "y" or "yes" declines. */
  | { readonly kind: 'yes-no'; readonly question: string }
  /** The operator types the name back; anything else declines. Case-insensitive: the pool's sign-in names are. */
  | { readonly kind: 'type-name'; readonly what: string; readonly name: string };

/**
 * Asks before a change unless `--yes` was given. Without a terminal there is
 * nobody to ask, so the change is refused rather than assumed wanted.
 */
export async function confirm(terminal: Terminal, confirmation: Confirmation, yes: boolean): Promise<void> {
  if (yes) return;
  if (!terminal.interactive) {
    throw new AdminRefusal('Not confirmed: no terminal to ask on. Pass --yes to run without asking.');
  }
  if (confirmation.kind === 'yes-no') {
    const answer = (await terminal.ask(`${confirmation.question} [y/N] `)).trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') throw new AdminRefusal('Not confirmed: nothing was changed.');
    return;
  }
  const typed = (await terminal.ask(`${confirmation.what}\nType the user's name (${confirmation.name}) to confirm: `)).trim();
  if (typed.toLowerCase() !== confirmation.name.toLowerCase()) {
    throw new AdminRefusal("Not confirmed: the name typed is not the user's. Nothing was changed.");
  }
}
