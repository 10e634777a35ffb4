// The one scaffold every asynchronous wait uses: something to wait for, an AbortSignal and a
// timeout, and cleanup that always runs.
import { AbortError, TimeoutError } from './errors.js';

export interface WaitOptions {
  /** Names the operation in AbortError/TimeoutError. */
  what: string;
  signal?: AbortSignal | undefined;
  /** Infinity for none. */
  timeoutMs: number;
}

/**
 * Resolves when arm's finish() is called without an error, rejects with its error, or with
 * AbortError/TimeoutError when the signal fires or the time is up (then giveUp runs first, to
 * abandon whatever was waited for). arm returns its undo, called exactly once when the wait ends.
 */
export function waitFor(
  opts: WaitOptions,
  arm: (finish: (err?: Error) => void) => () => void,
  giveUp?: (reason: Error) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const { signal, what } = opts;
    if (signal?.aborted) {
      const err = new AbortError(what, signal.reason);
      giveUp?.(err);
      reject(err);
      return;
    }
    let ended = false;
    let disarm: (() => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    const end = (): boolean => {
      if (ended) return false;
      ended = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      disarm?.();
      return true;
    };
    const finish = (err?: Error): void => {
      if (!end()) return;
      if (err) reject(err);
      else resolve();
    };
    const stop = (err: Error): void => {
      if (!end()) return;
      giveUp?.(err);
      reject(err);
    };
    const onAbort = (): void => stop(new AbortError(what, signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs !== Infinity) timer = setTimeout(() => stop(new TimeoutError(what, opts.timeoutMs)), opts.timeoutMs);
    const undo = arm(finish);
    if (ended) undo();
    else disarm = undo;
  });
}
