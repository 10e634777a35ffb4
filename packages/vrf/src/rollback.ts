// Undoing the first steps of a multi-step change when a later step fails.
import type { Plan } from '@vrfctl/socket';

/** Runs undo actions last-first; one that fails does not stop the others (the caller rethrows the original error). */
export function* rollback(undo: Array<() => Plan<void>>): Plan<void> {
  for (const action of [...undo].reverse()) {
    try {
      yield* action();
    } catch {
      // Best effort: the error that made us roll back is the one worth reporting.
    }
  }
}
