// NetlinkSocket: one AF_NETLINK socket for sync and async calls, mixed freely. The jobs are in
// their own files: options.ts (opening), receive.ts (reading), demux.ts (routing answers by
// seq), pacing.ts (sending only what the receive queue can answer), sync-pump.ts (blocking
// waits), waiter.ts (async waits), dump-stream.ts (streamed dumps, sync and async), batch-window.ts
// (batch windowing), batch.ts (batch results).
import { Errno, BusyError, MessageBuilder, NETLINK_ROUTE, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, type Message } from '@vrfctl/netlink';
import * as libc from './libc.js';
import { AbortError, DumpInterrupted, OverrunError, SocketClosedError, SystemError, UnknownOutcomeError } from './errors.js';
import { Exchange, type ExchangeMode } from './exchange.js';
import { BatchWindow, driveAsync, driveSync, type BatchHost, type BatchWait } from './batch-window.js';
import { Demux, type EventSink } from './demux.js';
import { reactor, type Watch } from './reactor.js';
import { readOnce, readRaw } from './receive.js';
import { CHUNK_BYTES, Pacer, REPLY_COST, ackCost, dumpCost, windowOf } from './pacing.js';
import { now, pumpSync, waitReadable } from './sync-pump.js';
import { waitFor } from './waiter.js';
import { eachDumpMessage, streamDump } from './dump-stream.js';
import { dropCount, getInt, openSocket, type OpenOptions } from './options.js';
import { newStats, type SocketStats } from './stats.js';
import { messageTypeName } from './type-names.js';
import type { AsyncNetlink, BatchResult, CallOptions, DumpOptions, Request, SyncNetlink } from './types.js';

export type { OpenOptions } from './options.js';
export type { SocketStats } from './stats.js';
export type { MonitorEvent, EventSink } from './demux.js';

/** A raw datagram with its sender. */
export interface RawDatagram {
  data: Buffer;
  /** Sender port: 0 for the kernel. */
  pid: number;
  /** Multicast group mask it was sent to, 0 for unicast. */
  groups: number;
}

const KERNEL = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
KERNEL.writeUInt16LE(libc.AF_NETLINK, 0);

/**
 * An AF_NETLINK socket: synchronous calls block on poll() with a timeout; asynchronous calls
 * are driven by the event loop through the reactor. Both can be mixed on one socket: every
 * reply is routed by sequence number to whoever waits for it. Any number of requests may be
 * in flight: the socket sends them in order as the receive queue has room for their answers,
 * dumps wait for the dump before them, and every call has a timeout (the socket's, 30 s).
 */
export class NetlinkSocket implements SyncNetlink, AsyncNetlink {
  readonly fd: number;
  /** Our netlink port id (nl_pid), assigned by the kernel at bind. */
  readonly portId: number;
  readonly protocol: number;
  readonly stats: SocketStats = newStats();
  readonly timeoutMs: number;

  private seq: number;
  private readonly demux: Demux;
  private readonly pacer: Pacer;
  private readonly rcvbuf: number;
  private readonly maxBytes: number;
  /** The running batch (one at a time per socket). */
  private window: BatchWindow | null = null;
  private readonly batchHost: BatchHost;
  /** GETs sent or queued, by their bytes (seq aside): see joinQueuedRead. */
  private readonly queuedReads = new Map<string, Exchange>();
  /** The dump in flight (one at a time: the kernel allows one per socket). */
  private dumpActive: Exchange | null = null;
  /** Async waits for a condition, checked after every read. */
  private readonly watchers = new Set<() => void>();
  private readers = 0;
  private closed = false;
  private readonly builder = new MessageBuilder(4096);
  private readonly pfd = Buffer.alloc(libc.POLLFD_SIZE);
  private readonly watch: Watch;
  private readonly capAck: boolean;
  private readonly extAck: boolean;

  constructor(protocol = NETLINK_ROUTE, opts: OpenOptions = {}) {
    this.protocol = protocol;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    const { fd, portId } = openSocket(protocol, opts);
    this.fd = fd;
    this.portId = portId;
    this.capAck = opts.capAck ?? false;
    this.extAck = opts.extAck ?? true;
    this.seq = (Math.floor(Math.random() * 0xffffffff) >>> 0) || 1;
    this.pfd.writeInt32LE(this.fd, 0);
    this.pfd.writeInt16LE(libc.POLLIN, 4);
    this.watch = { fd: this.fd, onReadable: () => this.onReadable() };
    this.rcvbuf = this.rcvbufBytes;
    this.maxBytes = Math.max(4096, Math.min(CHUNK_BYTES, this.sndbufBytes - 64));
    this.pacer = new Pacer(windowOf(this.rcvbuf), this.maxBytes, (buf) => this.sendBytes(buf), (exs, err) => {
      const e = err instanceof Error ? err : new Error(String(err));
      for (const ex of exs) ex.fail(e);
    });
    this.demux = new Demux(this.portId, this.stats, () => this.window?.onProgress(), (detail) => this.lost(detail));
    this.batchHost = {
      pacer: this.pacer,
      builder: this.builder,
      maxBytes: this.maxBytes,
      capAck: this.capAck,
      extAck: this.extAck,
      send: (bytes) => this.sendBytes(bytes),
      describe: (req, i, count) => req.what ?? `${messageTypeName(this.protocol, req.type)} request ${i + 1} of ${count}`,
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The kernel's idea of our buffers (it doubles what was set, for bookkeeping overhead). */
  get rcvbufBytes(): number {
    return getInt(this.fd, libc.SOL_SOCKET, libc.SO_RCVBUF);
  }
  get sndbufBytes(): number {
    return getInt(this.fd, libc.SOL_SOCKET, libc.SO_SNDBUF);
  }
  /** Messages the kernel dropped for this socket since it was opened (a wrapping u32): overruns it may not have reported. */
  get kernelDrops(): number {
    return dropCount(this.fd);
  }

  /** Idempotent. Requests still waiting (sent or queued) fail with SocketClosedError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.readers > 0) reactor.remove(this.watch);
    this.readers = 0;
    libc.close(this.fd);
    this.pacer.drain();
    for (const ex of [...this.demux.pending.values()]) ex.fail(new SocketClosedError());
    this.demux.pending.clear();
    this.poke();
  }

  // ---- sending ----

  /** Reserves n consecutive sequence numbers. 0 is skipped for single requests (notifications use it). */
  private allocSeq(n: number): number {
    if (this.seq === 0) this.seq = 1;
    const first = this.seq;
    this.seq = (this.seq + n) >>> 0;
    return first;
  }

  private assertOpen(what?: string): void {
    if (this.closed) throw new SocketClosedError(what);
  }

  private checkSignal(what: string, opts: CallOptions | undefined): void {
    if (opts?.signal?.aborted) throw new AbortError(what, opts.signal.reason);
  }

  /** What an error names: the request's own words, else its message type. */
  private describe(req: Request, mode: ExchangeMode): string {
    return req.what ?? `${messageTypeName(this.protocol, req.type)} ${mode === 'dump' ? 'dump' : 'request'}`;
  }

  private sendBytes(buf: Buffer): void {
    for (;;) {
      const n = libc.sendto(this.fd, buf, buf.length, 0, KERNEL, KERNEL.length);
      if (n >= 0) {
        this.stats.sendCalls++;
        if (n !== buf.length) throw new SystemError(`sendto(netlink): sent ${n} of ${buf.length} bytes`, Errno.EIO);
        return;
      }
      const e = libc.errno();
      if (e !== Errno.EINTR) throw new SystemError(`sendto(netlink, ${buf.length} bytes)`, e);
    }
  }

  /**
   * Registers one request and hands it to the pacer, which sends it now or once the answers
   * before it were read. A send that fails fails the exchange.
   */
  private submit(req: Request, extraFlags: number, mode: ExchangeMode): Exchange {
    const what = this.describe(req, mode);
    this.assertOpen(what);
    const seq = this.allocSeq(1);
    const b = this.builder;
    b.reset();
    b.begin(req.type, req.flags | NLM_F_REQUEST | extraFlags, seq, 0);
    req.encode?.(b);
    b.end();
    const ex = new Exchange(seq, mode, what);
    ex.bytes = Buffer.from(b.bytes.subarray(0, b.length));
    ex.cost =
      mode === 'dump'
        ? Math.min(dumpCost(this.rcvbuf), this.pacer.window)
        : mode === 'request'
          ? Math.max(REPLY_COST, ackCost(b.length, this.capAck, this.extAck)) // the reply or an error, never both
          : ackCost(b.length, this.capAck, this.extAck);
    ex.onDone = (done) => this.exchangeDone(done);
    if (mode === 'request' && this.joinQueuedRead(ex, req)) return ex;
    this.demux.pending.set(seq, ex);
    if (mode === 'dump') this.dumpActive = ex;
    if (this.pacer.queued > 0 || !this.pacer.fits(ex.cost)) this.stats.paced++;
    this.pacer.enqueue(ex);
    return ex;
  }

  /**
   * A GET identical to the one queued last (nothing queued after it, so no change of ours can
   * come between them) shares that one's answer instead of being sent: the answer is made when
   * it is sent, after both were asked. Thousands of concurrent add()s that look the same device
   * up then cost one lookup, not one round trip each. True when ex joined (it is not queued).
   */
  private joinQueuedRead(ex: Exchange, req: Request): boolean {
    const bytes = ex.bytes!;
    // The key: what it names and its bytes but the seq (nlmsghdr bytes 8..11).
    const key = `${req.what ?? ''}\0${bytes.toString('latin1', 0, 8)}${bytes.toString('latin1', 12)}`;
    const leader = this.queuedReads.get(key);
    if (leader && !leader.sent && !leader.done && this.pacer.last === leader) {
      (leader.followers ??= []).push(ex);
      ex.bytes = undefined;
      ex.cost = 0;
      this.stats.sharedRequests++;
      return true;
    }
    this.queuedReads.set(key, ex);
    ex.readKey = key;
    return false;
  }

  /** Bookkeeping when an exchange ends, however it ends. */
  private exchangeDone(ex: Exchange): void {
    if (ex.readKey !== undefined && this.queuedReads.get(ex.readKey) === ex) this.queuedReads.delete(ex.readKey);
    if (this.demux.pending.get(ex.seq) === ex) this.demux.pending.delete(ex.seq);
    this.pacer.release(ex);
    if (this.dumpActive === ex) this.dumpActive = null;
  }

  /** Sends bytes as they are (nlmsghdr included), e.g. a recorded request. */
  sendRaw(buf: Buffer): void {
    this.assertOpen();
    this.sendBytes(buf);
  }

  // ---- receiving ----

  /** Reads once without blocking and routes what came; false when nothing was there. */
  private read(): boolean {
    const many = this.demux.batch !== null || this.demux.pending.size > 8;
    const r = readOnce(this.fd, this.demux, this.stats, many);
    if (r === 'enobufs') this.sortOutOverrun();
    this.poke();
    return r !== 'empty';
  }

  /** After a read or a state change: send what now fits, wake async waits. */
  private poke(): void {
    if (!this.closed) this.pacer.flush();
    if (this.watchers.size > 0) for (const w of [...this.watchers]) w();
  }

  /**
   * recvmsg said ENOBUFS: the kernel dropped something queued for us. It answers a request
   * while the request is being sent, so every answer to what was sent is in the queue by now
   * or lost. Read the queue (sending nothing meanwhile); whatever is still unanswered then
   * lost its answer: it fails with UnknownOutcomeError naming it. Dumps are not affected (the
   * kernel waits for room to continue them); monitors get an overrun event.
   */
  private sortOutOverrun(): void {
    this.stats.overruns++;
    this.demux.sink?.push({ kind: 'overrun' });
    const suspects = [...this.demux.pending.values()].filter((ex) => ex.sent && !ex.done && ex.mode !== 'dump');
    const unanswered = (): boolean => suspects.some((ex) => !ex.done) || this.window?.waiting === true;
    this.pacer.held = true;
    try {
      while (unanswered()) {
        const r = readOnce(this.fd, this.demux, this.stats, true);
        if (r === 'empty') break;
        if (r === 'enobufs') this.stats.overruns++;
      }
    } finally {
      this.pacer.held = false;
    }
    for (const ex of suspects) {
      if (ex.done) continue;
      this.stats.unknownOutcomes++;
      ex.fail(new UnknownOutcomeError(ex.what));
    }
    if (this.window) this.stats.unknownOutcomes += this.window.settleLost();
  }

  /** A unicast datagram nobody can be matched to was truncated: fail everything sent. */
  private lost(detail: string): void {
    this.demux.sink?.push({ kind: 'overrun' });
    const err = new OverrunError(detail);
    for (const ex of [...this.demux.pending.values()]) if (ex.sent) ex.fail(err);
    if (this.window) this.window.error = err;
  }

  // ---- waiting ----

  /**
   * The caller no longer waits. A request not sent yet is taken out of the queue. A dump keeps
   * running in the kernel until read to the end, so its exchange stays registered and read (its
   * replies dropped as stale) until its end frees the dump slot. Other sent requests stay
   * registered so their late answers are recognised, but their room in the queue is given back.
   */
  private abandon(ex: Exchange, reason: Error): void {
    if (ex.done) return;
    ex.onSettle = undefined;
    // Others wait for its answer: it goes on for them (the caller's wait has ended already).
    if (ex.hasFollowers) return;
    if (!ex.sent) {
      ex.fail(reason);
    } else {
      ex.abandoned = true;
      ex.onMessage = undefined;
      ex.replies.length = 0;
      if (ex.mode === 'dump' && !this.closed) {
        this.addReader();
        ex.onSettle = () => this.removeReader();
      } else {
        this.pacer.release(ex);
      }
    }
    this.poke();
  }

  private timeoutOf(opts: CallOptions | undefined): number {
    return opts?.timeoutMs ?? this.timeoutMs;
  }

  /** Reads until ex is done, the time is up (TimeoutError) or the socket fails. */
  private waitSync(ex: Exchange, opts: CallOptions | undefined): void {
    this.pumpFor(ex, () => ex.done, opts);
    if (ex.error) throw ex.error;
  }

  /** Reads until stop() holds; on a timeout or a socket failure ex is abandoned and that is thrown. */
  private pumpFor(ex: Exchange, stop: () => boolean, opts: CallOptions | undefined): void {
    try {
      pumpSync(this.pfd, () => this.read(), stop, ex.what, this.timeoutOf(opts));
    } catch (e) {
      this.abandon(ex, e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  }

  private untilSync(cond: () => boolean, what: string, opts: CallOptions | undefined): void {
    pumpSync(this.pfd, () => this.read(), () => cond() || this.closed, what, this.timeoutOf(opts));
    this.assertOpen(what);
  }

  /**
   * The one asynchronous wait: the socket is read while it lasts, the call's signal and timeout
   * bound it (giveUp runs on either), and arm's undo always runs.
   */
  private readingWait(
    what: string,
    opts: CallOptions | undefined,
    arm: (finish: (err?: Error) => void) => () => void,
    giveUp?: (reason: Error) => void,
  ): Promise<void> {
    return waitFor(
      { what, signal: opts?.signal, timeoutMs: this.timeoutOf(opts) },
      (finish) => {
        let finished = false;
        const undo = arm((err) => {
          finished = true;
          finish(err);
        });
        // Settled while arming: nothing to read for.
        if (finished) return undo;
        this.addReader();
        return () => {
          undo();
          this.removeReader();
        };
      },
      giveUp,
    );
  }

  private waitAsync(ex: Exchange, opts: CallOptions | undefined): Promise<void> {
    return this.readingWait(
      ex.what,
      opts,
      (finish) => {
        if (ex.done) {
          finish(ex.error);
          return () => {};
        }
        ex.onSettle = () => finish(ex.error);
        return () => {
          ex.onSettle = undefined;
        };
      },
      (reason) => this.abandon(ex, reason),
    );
  }

  /** Waits (reading meanwhile) until cond() holds; SocketClosedError if the socket closes. */
  private untilAsync(cond: () => boolean, what: string, opts: CallOptions | undefined): Promise<void> {
    if (cond()) return Promise.resolve();
    return this.readingWait(what, opts, (finish) => {
      const check = (): void => {
        if (this.closed) finish(new SocketClosedError(what));
        else if (cond()) finish();
      };
      this.watchers.add(check);
      check();
      return () => {
        this.watchers.delete(check);
      };
    });
  }

  private addReader(): void {
    if (this.closed) return;
    if (this.readers++ === 0) reactor.add(this.watch);
  }

  private removeReader(): void {
    if (this.readers === 0) return;
    if (--this.readers === 0 && !this.closed) reactor.remove(this.watch);
  }

  private onReadable(): void {
    // Read what is there, but stop as soon as nobody wants more: a streaming dump then
    // keeps the rest in the kernel (bounded memory), and a full monitor lets the kernel overrun.
    let budget = 256;
    try {
      while (this.readers > 0 && !this.closed && budget-- > 0 && this.read()) {
        /* routed by read */
      }
    } catch (e) {
      this.failAll(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private failAll(err: Error): void {
    for (const ex of [...this.demux.pending.values()]) ex.fail(err);
    if (this.window) this.window.error = err;
    this.poke();
  }

  // ---- synchronous API ----

  ack(req: Request, opts?: CallOptions): void {
    this.checkSignal(this.describe(req, 'ack'), opts);
    this.waitSync(this.submit(req, NLM_F_ACK, 'ack'), opts);
  }

  request(req: Request, opts?: CallOptions): Message[] {
    this.checkSignal(this.describe(req, 'request'), opts);
    const ex = this.submit(req, 0, 'request');
    this.waitSync(ex, opts);
    return ex.replies;
  }

  /** Waits (reading it to its end) for the dump before this one. */
  private dumpSlotSync(what: string, opts: CallOptions | undefined): void {
    if (this.dumpActive !== null) this.untilSync(() => this.dumpActive === null, `${what} (waiting for the dump before it)`, opts);
  }

  dump(req: Request, opts?: DumpOptions & CallOptions): Message[] {
    const retries = opts?.retries ?? 3;
    const what = this.describe(req, 'dump');
    for (let attempt = 0; ; attempt++) {
      this.checkSignal(what, opts);
      this.dumpSlotSync(what, opts);
      const ex = this.submit(req, NLM_F_DUMP, 'dump');
      this.waitSync(ex, opts);
      if (!ex.interrupted) return ex.replies;
      if (attempt >= retries) throw new DumpInterrupted(attempt + 1, what);
      this.stats.dumpRetries++;
    }
  }

  /**
   * A dump handed to onMessage message by message as datagrams arrive (see eachDumpMessage in
   * dump-stream.ts): nothing but the current datagram is held, and NLM_F_DUMP_INTR throws
   * DumpInterrupted instead of restarting.
   */
  dumpEach(req: Request, onMessage: (m: Message) => void, opts?: CallOptions): void {
    const what = this.describe(req, 'dump');
    this.checkSignal(what, opts);
    this.dumpSlotSync(what, opts);
    const ex = this.submit(req, NLM_F_DUMP, 'dump');
    eachDumpMessage(ex, onMessage, (stop) => this.pumpFor(ex, stop, opts), (reason) => this.abandon(ex, reason));
  }

  /** Starts a batch and yields what to wait for; ends it however it ends. */
  private *runBatch(list: readonly Request[]): Generator<BatchWait, BatchResult[], void> {
    const w = new BatchWindow(this.batchHost, list, this.allocSeq(list.length));
    this.window = w;
    this.demux.batch = w.state;
    try {
      return yield* w.steps();
    } finally {
      w.end();
      this.window = null;
      this.demux.batch = null;
      this.poke();
    }
  }

  batch(reqs: Iterable<Request>, opts?: CallOptions): BatchResult[] {
    const list = Array.isArray(reqs) ? (reqs as Request[]) : [...reqs];
    const what = `batch of ${list.length}`;
    this.assertOpen(what);
    this.checkSignal(what, opts);
    // A sync batch cannot wait for the one running (that one waits on the event loop).
    if (this.window) {
      throw new BusyError(Errno.EBUSY, {}, 0, { operation: what, detail: 'a batch is already running on this socket', fromKernel: false });
    }
    return driveSync(this.runBatch(list), (cond) => this.untilSync(cond, what, opts));
  }

  // ---- asynchronous API ----

  async ackAsync(req: Request, opts?: CallOptions): Promise<void> {
    await this.waitAsync(this.submit(req, NLM_F_ACK, 'ack'), opts);
  }

  async requestAsync(req: Request, opts?: CallOptions): Promise<Message[]> {
    const ex = this.submit(req, 0, 'request');
    await this.waitAsync(ex, opts);
    return ex.replies;
  }

  private async dumpSlotAsync(what: string, opts: CallOptions | undefined): Promise<void> {
    while (this.dumpActive !== null) {
      await this.untilAsync(() => this.dumpActive === null, `${what} (waiting for the dump before it)`, opts);
    }
  }

  async dumpAsync(req: Request, opts?: CallOptions & DumpOptions): Promise<Message[]> {
    const retries = opts?.retries ?? 3;
    const what = this.describe(req, 'dump');
    for (let attempt = 0; ; attempt++) {
      await this.dumpSlotAsync(what, opts);
      const ex = this.submit(req, NLM_F_DUMP, 'dump');
      await this.waitAsync(ex, opts);
      if (!ex.interrupted) return ex.replies;
      if (attempt >= retries) throw new DumpInterrupted(attempt + 1, what);
      this.stats.dumpRetries++;
    }
  }

  /**
   * Streams a dump. Memory stays bounded: the socket is read only while the consumer waits.
   * A dump marked NLM_F_DUMP_INTR cannot be restarted transparently (messages were already
   * handed out), so the iterator ends by throwing DumpInterrupted. The timeout bounds each
   * wait for the kernel, not the consumer's time.
   */
  async *dumpIterator(req: Request, opts?: CallOptions): AsyncIterableIterator<Message> {
    const what = this.describe(req, 'dump');
    await this.dumpSlotAsync(what, opts);
    const ex = this.submit(req, NLM_F_DUMP, 'dump');
    yield* streamDump(ex, {
      wait: (arm) => this.readingWait(what, opts, arm),
      abandon: (reason) => this.abandon(ex, reason),
    });
  }

  async batchAsync(reqs: Iterable<Request>, opts?: CallOptions): Promise<BatchResult[]> {
    const list = Array.isArray(reqs) ? (reqs as Request[]) : [...reqs];
    const what = `batch of ${list.length}`;
    this.assertOpen(what);
    // Batches queue behind each other.
    while (this.window) await this.untilAsync(() => this.window === null, `${what} (waiting for the batch before it)`, opts);
    return driveAsync(this.runBatch(list), (cond) => this.untilAsync(cond, what, opts));
  }

  // ---- monitors and raw access ----

  /** Routes multicast notifications to sink (one at a time); null detaches. */
  attachSink(sink: EventSink | null): void {
    this.demux.sink = sink;
  }

  /** The monitor asks for (or stops asking for) reads. */
  setReading(on: boolean): void {
    if (on) this.addReader();
    else this.removeReader();
  }

  /** Reads and routes whatever is queued, waiting up to timeoutMs for something; for Monitor.receiveSync. */
  pollSync(timeoutMs: number): boolean {
    this.assertOpen();
    if (this.read()) return true;
    if (!waitReadable(this.pfd, now() + timeoutMs)) return false;
    return this.read();
  }

  /** One raw datagram (bypassing request matching), or null when none came within timeoutMs. */
  receiveRaw(timeoutMs = this.timeoutMs): RawDatagram | null {
    this.assertOpen();
    const deadline = now() + timeoutMs;
    for (;;) {
      const r = readRaw(this.fd);
      if (r === 'enobufs') throw new OverrunError('the kernel dropped messages for this socket (ENOBUFS)');
      if (r !== 'empty') return r;
      if (!waitReadable(this.pfd, deadline)) return null;
    }
  }
}

export function openNetlink(protocol = NETLINK_ROUTE, options: OpenOptions = {}): NetlinkSocket {
  return new NetlinkSocket(protocol, options);
}
