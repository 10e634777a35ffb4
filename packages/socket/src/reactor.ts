// Event-loop integration without busy waiting: each watched socket is registered with libuv
// through koffi.node.poll (a uv_poll handle), so readability is reported by the event loop
// itself and drained on the main thread with MSG_DONTWAIT. No thread is parked in poll(), and
// a process with nothing watched can exit.
import type * as KoffiTypes from 'koffi';
import koffi from './koffi.js';

export interface Watch {
  readonly fd: number;
  /** Called on the main thread when fd is readable (or has an error pending). Must not throw. */
  onReadable(): void;
}

class Reactor {
  private readonly handles = new Map<Watch, KoffiTypes.node.PollHandle>();

  add(w: Watch): void {
    if (this.handles.has(w)) return;
    // koffi 2.16 calls back with (status, events), although its typings declare (events).
    const onEvent = (status: number, ev?: KoffiTypes.IKoffiPollEvents): void => {
      if (!this.handles.has(w)) return;
      // An error (status < 0) or hang-up is passed on as readable: the reader then sees the errno.
      if (status < 0 || ev?.readable || ev?.disconnect) w.onReadable();
      // libuv stops a poll handle that reported an error (a netlink ENOBUFS raises POLLERR):
      // start it again once the reader has consumed the error, or the socket would go deaf.
      const handle = this.handles.get(w);
      if (status < 0 && handle) handle.start({ readable: true }, callback);
    };
    const callback = onEvent as unknown as (ev: KoffiTypes.IKoffiPollEvents) => void;
    this.handles.set(w, koffi.node.poll(w.fd, { readable: true }, callback));
  }

  remove(w: Watch): void {
    const handle = this.handles.get(w);
    if (!handle) return;
    this.handles.delete(w);
    // Closed before the fd is: libuv must not poll an fd number that may be reused.
    handle.stop();
    handle.close();
  }
}

/** The process-wide reactor (one per process: JS runs on one thread). */
export const reactor = new Reactor();
