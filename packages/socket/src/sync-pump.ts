// The synchronous side: block in poll() until the socket is readable, read, repeat until the
// awaited condition holds or the deadline passes.
import { Errno } from '@vrfctl/netlink';
import * as libc from './libc.js';
import { SystemError, TimeoutError } from './errors.js';

/**
 * Monotonic milliseconds for deadlines. Not performance.now(): the `performance` global loads
 * node's perf_hooks (ten modules) on first touch, a cost at every CLI start.
 */
export function now(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}

/** Blocks in poll() on pfd until readable or the deadline; false on timeout. */
export function waitReadable(pfd: Buffer, deadline: number): boolean {
  for (;;) {
    const ms = Math.ceil(deadline - now());
    if (ms <= 0) return false;
    const r = libc.poll(pfd, 1, ms);
    if (r > 0) return true;
    if (r === 0) return false;
    const e = libc.errno();
    if (e !== Errno.EINTR) throw new SystemError('poll(netlink)', e);
  }
}

/** Reads (readOnce: false when nothing was there) until done() or timeoutMs have passed. */
export function pumpSync(pfd: Buffer, readOnce: () => boolean, done: () => boolean, what: string, timeoutMs: number): void {
  const deadline = now() + timeoutMs;
  while (!done()) {
    if (readOnce()) continue;
    if (!waitReadable(pfd, deadline)) {
      if (done()) return;
      throw new TimeoutError(what, timeoutMs);
    }
  }
}
