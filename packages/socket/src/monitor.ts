import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { NetlinkSocket, type EventSink, type MonitorEvent, type OpenOptions } from './socket.js';
import { TimeoutError } from './errors.js';
import { now } from './sync-pump.js';
import type { CallOptions } from './types.js';

export interface MonitorOptions extends OpenOptions, CallOptions {
  /** Ends the iteration (and closes the socket) when it fires. */
  signal?: AbortSignal;
  /**
   * When given: next() rejects with TimeoutError when no event came within timeoutMs (the
   * monitor stays open; call next() again to keep waiting). Also the socket's default timeout.
   */
  timeoutMs?: number;
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
 * close(), `break` out of a for-await, or the AbortSignal given ends the iteration.
 */
export class Monitor implements AsyncIterableIterator<MonitorEvent>, EventSink {
  readonly socket: NetlinkSocket;
  private readonly queue: MonitorEvent[] = [];
  private head = 0;
  private readonly maxQueued: number;
  private waiter: ((r: IteratorResult<MonitorEvent>) => void) | null = null;
  private reading = false;
  private ended = false;

  private readonly idleTimeoutMs: number | undefined;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort = (): void => this.close();

  constructor(socket: NetlinkSocket, maxQueued = 4096, opts: CallOptions = {}) {
    this.socket = socket;
    this.maxQueued = maxQueued;
    this.idleTimeoutMs = opts.timeoutMs;
    this.signal = opts.signal;
    socket.attachSink(this);
    if (this.signal?.aborted) this.close();
    else this.signal?.addEventListener('abort', this.onAbort, { once: true });
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
    return new Promise((resolve, reject) => {
      const ms = this.idleTimeoutMs;
      const timer = ms === undefined ? undefined : setTimeout(() => {
        this.waiter = null;
        reject(new TimeoutError('monitor', ms));
      }, ms);
      this.waiter = (r) => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(r);
      };
      this.setReading(true);
    });
  }

  /**
   * The next event without the event loop (for a synchronous CLI): waits up to timeoutMs,
   * undefined when nothing came.
   */
  receiveSync(timeoutMs: number): MonitorEvent | undefined {
    const deadline = now() + timeoutMs;
    for (;;) {
      const ev = this.take();
      if (ev || this.ended) return ev;
      const left = deadline - now();
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
    this.signal?.removeEventListener('abort', this.onAbort);
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
  const { protocol = NETLINK_ROUTE, maxQueued, signal, ...open } = options;
  const calls: CallOptions = {};
  if (signal) calls.signal = signal;
  if (options.timeoutMs !== undefined) calls.timeoutMs = options.timeoutMs;
  return new Monitor(new NetlinkSocket(protocol, { ...open, groups }), maxQueued, calls);
}
