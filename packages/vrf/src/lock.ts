// The host lock: one flock(2) on /run/vrfctl/lock, taken by every command that plans changes
// from a snapshot of the kernel (apply, batch, add/del, rule fixup). Two such runs at once would
// each plan from a state the other is changing, and each one's rollback could undo the other's
// work. The kernel drops the lock when the process dies, so a killed run never leaves it held.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { Errno } from '@vrfctl/netlink';
import { LOCK_EX, LOCK_NB, LOCK_UN, errno, flock } from './libc.js';
import { VrfError } from './names.js';

export const RUN_DIR = '/run/vrfctl';
export const HOST_LOCK = `${RUN_DIR}/lock`;

export interface HostLock {
  release(): void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Holds of this process: a batch running `add` takes the lock again, which must not wait for itself. */
let holds = 0;

/**
 * Takes the lock, waiting up to timeoutMs for another vrfctl to finish (a long batch may hold it
 * for minutes); onWait is told once when the lock is busy. Refuses after the timeout.
 */
export function takeHostLock(path = HOST_LOCK, timeoutMs = 600_000, onWait: (path: string) => void = () => {}): HostLock {
  if (holds > 0) {
    holds++;
    let held = true;
    return {
      release() {
        if (held) holds--;
        held = false;
      },
    };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
  const fd = openSync(path, 'a', 0o600);
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) === 0) break;
    const e = errno();
    if (e !== Errno.EWOULDBLOCK && e !== Errno.EINTR) {
      closeSync(fd);
      throw new VrfError(`cannot lock ${path}: errno ${e}`, e);
    }
    if (!told) {
      told = true;
      onWait(path);
    }
    if (Date.now() >= deadline) {
      closeSync(fd);
      throw new VrfError(`another vrfctl is changing this host (${path} held for ${Math.round(timeoutMs / 1000)} s): try again later`, 11);
    }
    Atomics.wait(sleeper, 0, 0, 50);
  }
  holds = 1;
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      holds--;
      flock(fd, LOCK_UN);
      closeSync(fd);
    },
  };
}
