// The host lock: one flock(2) on /run/vrfctl/lock, taken by every command that plans changes
// from a snapshot of the kernel (apply, batch, add/del, rule fixup). Two such runs at once would
// each plan from a state the other is changing, and each one's rollback could undo the other's
// work. The kernel drops the lock when the process dies, so a killed run never leaves it held.
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
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

const CAP_NET_ADMIN = 12;

/** Whether this process may change the network: the effective capability set in /proc. */
function hasNetAdmin(): boolean {
  try {
    const line = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return line !== null && (BigInt(`0x${line[1]}`) & (1n << BigInt(CAP_NET_ADMIN))) !== 0n;
  } catch {
    return true;
  }
}

// Without write access to /run/vrfctl the user could not make the change anyway: say what the
// kernel would say (EPERM, needs CAP_NET_ADMIN) rather than blame the lock file.
function openLock(path: string): number {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    return openSync(path, 'a', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if ((code === 'EACCES' || code === 'EPERM') && !hasNetAdmin()) {
      throw new VrfError('EPERM: Operation not permitted (this change needs CAP_NET_ADMIN: run as root)', Errno.EPERM);
    }
    const errno = (err as NodeJS.ErrnoException).errno;
    throw new VrfError(`cannot open the host lock ${path}: ${(err as Error).message}`, errno === undefined ? Errno.EIO : Math.abs(errno));
  }
}

/** How long a wait for the lock lasts before onWait is told. */
const WAIT_NOTICE_MS = 1000;

/**
 * Takes the lock, waiting up to timeoutMs for another vrfctl to finish (a long batch may hold it
 * for minutes); onWait is told once when the wait passes a second. Refuses after the timeout.
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
  const fd = openLock(path);
  const started = Date.now();
  const deadline = started + timeoutMs;
  let told = false;
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) === 0) break;
    const e = errno();
    if (e !== Errno.EAGAIN /* flock's EWOULDBLOCK */ && e !== Errno.EINTR) {
      closeSync(fd);
      throw new VrfError(`cannot lock ${path}: errno ${e}`, e);
    }
    // Told once a wait lasts long enough to look like a hang; a brief turn of another vrfctl is not news.
    if (!told && Date.now() - started >= WAIT_NOTICE_MS) {
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
