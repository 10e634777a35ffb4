// Event-loop integration without busy waiting. koffi 2.12 cannot register an fd with libuv
// (koffi.node.poll only exists from 2.15), so ONE poll() call runs on the libuv thread pool
// for all watched sockets at once, plus an eventfd to wake it when the set changes. When the
// callback fires, the readable sockets are drained on the main thread with MSG_DONTWAIT.
// At most one thread-pool thread is ever used, whatever the number of sockets, and none while
// nothing is waited for (so an idle process can exit).
import * as libc from './libc.js';
import { SystemError } from './errors.js';

export interface Watch {
  readonly fd: number;
  /** Called on the main thread when fd is readable (or has an error pending). Must not throw. */
  onReadable(): void;
}

class Reactor {
  private readonly watches = new Set<Watch>();
  private wakeFd = -1;
  private polling = false;
  private dispatching = false;
  private readonly counter = Buffer.alloc(8);

  add(w: Watch): void {
    this.watches.add(w);
    this.changed();
  }

  remove(w: Watch): void {
    if (this.watches.delete(w)) this.changed();
  }

  private changed(): void {
    if (this.dispatching) return; // re-armed with the new set when dispatch ends
    if (this.polling) {
      // The pool thread sleeps in poll() on the old set: wake it so it comes back.
      this.counter.writeBigUInt64LE(1n);
      libc.write(this.wakeFd, this.counter, 8);
    } else if (this.watches.size > 0) {
      this.arm();
    }
  }

  private arm(): void {
    if (this.wakeFd < 0) {
      this.wakeFd = libc.eventfd(0, libc.EFD_CLOEXEC | libc.EFD_NONBLOCK);
      if (this.wakeFd < 0) throw new SystemError('eventfd', libc.errno());
    }
    const armed = [...this.watches];
    // A fresh array per call: the pool thread writes revents into it while we may re-arm.
    const fds = Buffer.alloc((armed.length + 1) * libc.POLLFD_SIZE);
    fds.writeInt32LE(this.wakeFd, 0);
    fds.writeInt16LE(libc.POLLIN, 4);
    armed.forEach((w, i) => {
      fds.writeInt32LE(w.fd, (i + 1) * libc.POLLFD_SIZE);
      fds.writeInt16LE(libc.POLLIN, (i + 1) * libc.POLLFD_SIZE + 4);
    });
    this.polling = true;
    libc.poll.async(fds, armed.length + 1, -1, (_err: unknown, n: number) => this.onPolled(fds, armed, n));
  }

  private onPolled(fds: Buffer, armed: Watch[], n: number): void {
    this.polling = false;
    this.dispatching = true;
    try {
      if (fds.readInt16LE(6) !== 0) libc.read(this.wakeFd, this.counter, 8);
      if (n > 0) {
        armed.forEach((w, i) => {
          const revents = fds.readInt16LE((i + 1) * libc.POLLFD_SIZE + 6);
          // Closed or removed meanwhile: its fd number may already belong to someone else.
          if (revents !== 0 && this.watches.has(w)) w.onReadable();
        });
      }
    } finally {
      this.dispatching = false;
    }
    if (this.watches.size > 0) this.arm();
  }
}

/** The process-wide reactor (one per process: JS runs on one thread). */
export const reactor = new Reactor();
