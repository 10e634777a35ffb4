import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { NetlinkSocket, type EventSink, type MonitorEvent, type OpenOptions } from './socket.js';

export interface MonitorOptions extends OpenOptions {
  /** Netlink protocol (NETLINK_ROUTE). */
  protocol?: number;
  /**
   * Events buffered in memory before the monitor stops reading (default 4096). Past that the
   * kernel's receive buffer fills and the consumer sees an overrun event: a slow consumer is
   * told it lost events instead of the process growing without bound.
   */
  maxQueued?: number;
}

/**
 * Multicast notifications as an async iterator of events. `{kind:'overrun'}` means the kernel
 * dropped notifications (recvmsg ENOBUFS): the consumer must resynchronise (dump again).
 * close() ends the iteration.
 */
export class Monitor implements AsyncIterableIterator<MonitorEvent>, EventSink {
  readonly socket: NetlinkSocket;
  private readonly queue: MonitorEvent[] = [];
  private head = 0;
  private readonly maxQueued: number;
  private waiter: ((r: IteratorResult<MonitorEvent>) => void) | null = null;
  private reading = false;
  private ended = false;

  constructor(socket: NetlinkSocket, maxQueued = 4096) {
    this.socket = socket;
    this.maxQueued = maxQueued;
    socket.attachSink(this);
  }

  get size(): number {
    return this.queue.length - this.head;
  }

  push(ev: MonitorEvent): void {
    if (this.ended) return;
    // Several overruns in a row tell the consumer nothing more than one.
    if (ev.kind === 'overrun' && this.size > 0 && this.queue[this.queue.length - 1].kind === 'overrun') return;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w({ value: ev, done: false });
      return;
    }
    this.queue.push(ev);
    if (this.size >= this.maxQueued) this.setReading(false);
  }

  private setReading(on: boolean): void {
    if (on === this.reading || (on && this.ended)) return;
    this.reading = on;
    this.socket.setReading(on);
  }

  private take(): MonitorEvent | undefined {
    if (this.head >= this.queue.length) return undefined;
    const ev = this.queue[this.head++];
    if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return ev;
  }

  /**
   * Once iteration has started the socket is read continuously (not only while next() waits)
   * until maxQueued events are buffered, so a burst costs one wake-up, not one per event.
   */
  next(): Promise<IteratorResult<MonitorEvent>> {
    const ev = this.take();
    if (ev) {
      if (this.size < this.maxQueued) this.setReading(true);
      return Promise.resolve({ value: ev, done: false });
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    if (this.waiter) return Promise.reject(new Error('Monitor.next() called while a previous next() is pending'));
    return new Promise((resolve) => {
      this.waiter = resolve;
      this.setReading(true);
    });
  }

  /**
   * The next event without the event loop (for a synchronous CLI): waits up to timeoutMs,
   * undefined when nothing came.
   */
  receiveSync(timeoutMs: number): MonitorEvent | undefined {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const ev = this.take();
      if (ev || this.ended) return ev;
      const left = deadline - performance.now();
      if (left <= 0) return undefined;
      this.socket.pollSync(left);
    }
  }

  return(): Promise<IteratorResult<MonitorEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the iteration and closes the socket. Idempotent. */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.setReading(false);
    this.socket.attachSink(null);
    this.socket.close();
    this.queue.length = 0;
    this.head = 0;
    const w = this.waiter;
    this.waiter = null;
    w?.({ value: undefined, done: true });
  }
}

/** Opens a socket joined to the given multicast groups and returns its event stream. */
export function openMonitor(groups: readonly number[], options: MonitorOptions = {}): Monitor {
  const { protocol = NETLINK_ROUTE, maxQueued, ...open } = options;
  return new Monitor(new NetlinkSocket(protocol, { ...open, groups }), maxQueued);
}
