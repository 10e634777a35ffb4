// Event-loop integration without busy waiting: each watched socket is registered with libuv
// through koffi.node.poll (a uv_poll handle), so readability is reported by the event loop
// itself and drained on the main thread with MSG_DONTWAIT. No thread is parked in poll(), and
// a process with nothing watched can exit.
import koffi from 'koffi';

export interface Watch {
  readonly fd: number;
  /** Called on the main thread when fd is readable (or has an error pending). Must not throw. */
  onReadable(): void;
}

class Reactor {
  private readonly handles = new Map<Watch, koffi.node.PollHandle>();

  add(w: Watch): void {
    if (this.handles.has(w)) return;
    // koffi 2.16 calls back with (status, events), although its typings declare (events).
    const onEvent = (status: number, ev?: koffi.IKoffiPollEvents): void => {
      // An error (status < 0) or hang-up is passed on as readable: the reader then sees the errno.
      if ((status < 0 || ev?.readable || ev?.disconnect) && this.handles.has(w)) w.onReadable();
    };
    const handle = koffi.node.poll(w.fd, { readable: true }, onEvent as unknown as (ev: koffi.IKoffiPollEvents) => void);
    this.handles.set(w, handle);
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
