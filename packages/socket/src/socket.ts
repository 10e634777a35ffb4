import {
  MessageBuilder,
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_LISTEN_ALL_NSID,
  NETLINK_NO_ENOBUFS,
  NETLINK_ROUTE,
  NLMSG_HDRLEN,
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_DUMP_INTR,
  NLM_F_REQUEST,
  SOL_NETLINK,
  align,
  readHeader,
  readU16LE,
  readU32LE,
  type Message,
} from '@vrfctl/netlink';
import * as libc from './libc.js';
import { AbortError, DumpInterrupted, OverrunError, SocketClosedError, SystemError, TimeoutError } from './errors.js';
import { Exchange, type ExchangeMode } from './exchange.js';
import { BatchState } from './batch.js';
import { inNetns, type NetnsTarget } from './netns.js';
import { reactor, type Watch } from './reactor.js';
import { RecvRing, ringSupported } from './ring.js';
import type {
  AsyncNetlink,
  AsyncOptions,
  BatchResult,
  DumpOptions,
  Request,
  SyncNetlink,
  SyncOptions,
} from './types.js';

const EINTR = 4;
const EPERM = 1;
const EAGAIN = 11;
const ENOBUFS = 105;

export interface OpenOptions {
  /** Create the socket in this network namespace: a name under /run/netns, a path, or an fd. */
  netns?: NetnsTarget;
  /** Receive buffer in bytes (SO_RCVBUFFORCE, falling back to SO_RCVBUF when not permitted). */
  rcvbuf?: number;
  /** Send buffer in bytes (SO_SNDBUFFORCE, falling back to SO_SNDBUF). */
  sndbuf?: number;
  /** Multicast groups to join (NETLINK_ADD_MEMBERSHIP), e.g. RTNLGRP_LINK = 1. */
  groups?: readonly number[];
  /** NETLINK_EXT_ACK (default on): error text and offsets from the kernel. */
  extAck?: boolean;
  /** NETLINK_GET_STRICT_CHK (default on): the kernel validates dump requests strictly. */
  strictCheck?: boolean;
  /** NETLINK_CAP_ACK: error replies do not echo the request payload. */
  capAck?: boolean;
  /** NETLINK_NO_ENOBUFS: do not report multicast overruns (they are then silent). */
  noEnobufs?: boolean;
  /** NETLINK_LISTEN_ALL_NSID: receive notifications from all peer namespaces. */
  listenAllNsid?: boolean;
  /** Default timeout of synchronous calls in ms (30 000). */
  timeoutMs?: number;
}

export interface SocketStats {
  /** Datagrams from a non-kernel sender (nl_pid != 0), dropped. */
  foreignDropped: number;
  /** Replies with an unknown or abandoned seq, or not addressed to our port, dropped. */
  staleDropped: number;
  /** Multicast notifications read while no monitor was listening, dropped. */
  multicastDropped: number;
  /** Dumps restarted because of NLM_F_DUMP_INTR. */
  dumpRetries: number;
  /** recvmsg ENOBUFS or oversized datagrams: the kernel dropped data for us. */
  overruns: number;
  datagrams: number;
  /** recvfrom/recvmmsg calls that returned data (one recvmmsg reads many datagrams). */
  recvCalls: number;
  sendCalls: number;
}

export type MonitorEvent = { kind: 'message'; message: Message } | { kind: 'overrun' };

/** A consumer of multicast notifications on this socket (see Monitor). */
export interface EventSink {
  push(ev: MonitorEvent): void;
}

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

// One receive buffer for all sockets: JS is single-threaded and each datagram is copied out
// (or, for batch ACKs, read in place) before the next receive.
const SCRATCH_MIN = 64 * 1024;
let scratch = Buffer.allocUnsafe(SCRATCH_MIN);
const fromAddr = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
const fromLen = Buffer.alloc(4);
// Batches read their ACKs (one datagram each) with recvmmsg into this ring, made on first use.
// Its slots are as large as scratch, so it never truncates what recvfrom would read whole.
let ring: RecvRing | null = null;
// Set while ring slots are being routed: a nested read (none is known) must not overwrite them.
let ringBusy = false;

function messageAt(data: Buffer, at: number, len: number): Message {
  return { header: readHeader(data, at), payload: data.subarray(at + NLMSG_HDRLEN, at + len), offset: at };
}

/** Extended-ACK attributes budgeted per error ACK (message text, offset, policy, missing attr). */
const EXTACK_BUDGET = 256;

/**
 * Receive-queue bytes (skb truesize) that the ACK of a reqLen-byte request costs. Measured on
 * Linux 6.1 x86-64 via the Rmem column of /proc/net/netlink: 832 bytes per ACK while the ACK
 * fits a 512-byte slab with skb_shared_info (320), then 256 + the power-of-two slab (1280,
 * 2304, 4352, …). An error ACK echoes the request unless NETLINK_CAP_ACK, so large failing
 * requests cost far more than 36-byte success ACKs; the budget assumes every request fails.
 */
export function ackCost(reqLen: number, capAck: boolean, extAck: boolean): number {
  const data = 4 + NLMSG_HDRLEN + (capAck ? NLMSG_HDRLEN : reqLen) + (extAck ? EXTACK_BUDGET : 0);
  let slab = 512;
  while (slab < data + 320) slab *= 2;
  return slab + 320;
}
const CHUNK_BYTES = 256 * 1024;

function setInt(fd: number, level: number, name: number, value: number): number {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value);
  return libc.setsockopt(fd, level, name, v, 4) < 0 ? libc.errno() : 0;
}

function getInt(fd: number, level: number, name: number): number {
  const v = Buffer.alloc(4);
  const l = Buffer.alloc(4);
  l.writeUInt32LE(4);
  if (libc.getsockopt(fd, level, name, v, l) < 0) throw new SystemError(`getsockopt(${name})`, libc.errno());
  return v.readInt32LE(0);
}

function setFlag(fd: number, name: number, label: string, value: boolean | undefined, byDefault: boolean): void {
  const on = value ?? byDefault;
  if (!on && value === undefined) return;
  const err = setInt(fd, SOL_NETLINK, name, on ? 1 : 0);
  // A default the kernel does not know (old kernel, other protocol) is skipped; an explicit request is not.
  if (err && value !== undefined) throw new SystemError(`setsockopt(${label})`, err);
}

function setBuffer(fd: number, force: number, plain: number, label: string, bytes: number): void {
  let err = setInt(fd, libc.SOL_SOCKET, force, bytes);
  if (err === EPERM) err = setInt(fd, libc.SOL_SOCKET, plain, bytes);
  if (err) throw new SystemError(`setsockopt(${label}, ${bytes})`, err);
}

function createSocket(protocol: number): number {
  const fd = libc.socket(libc.AF_NETLINK, libc.SOCK_RAW | libc.SOCK_CLOEXEC | libc.SOCK_NONBLOCK, protocol);
  if (fd < 0) throw new SystemError(`socket(AF_NETLINK, ${protocol})`, libc.errno());
  return fd;
}

function now(): number {
  return performance.now();
}

/**
 * An AF_NETLINK socket: synchronous calls block on poll() with a timeout; asynchronous calls
 * are driven by the event loop through the reactor. Both can be mixed on one socket: every
 * reply is routed by sequence number to whoever waits for it.
 */
export class NetlinkSocket implements SyncNetlink, AsyncNetlink {
  readonly fd: number;
  /** Our netlink port id (nl_pid), assigned by the kernel at bind. */
  readonly portId: number;
  readonly protocol: number;
  readonly stats: SocketStats = {
    foreignDropped: 0,
    staleDropped: 0,
    multicastDropped: 0,
    dumpRetries: 0,
    overruns: 0,
    datagrams: 0,
    recvCalls: 0,
    sendCalls: 0,
  };
  readonly timeoutMs: number;

  private seq: number;
  private readonly pending = new Map<number, Exchange>();
  private batchState: BatchState | null = null;
  private batchWake: (() => void) | null = null;
  private sink: EventSink | null = null;
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
    const fd = opts.netns !== undefined ? inNetns(opts.netns, () => createSocket(protocol)) : createSocket(protocol);
    try {
      if (opts.rcvbuf !== undefined) setBuffer(fd, libc.SO_RCVBUFFORCE, libc.SO_RCVBUF, 'SO_RCVBUF', opts.rcvbuf);
      if (opts.sndbuf !== undefined) setBuffer(fd, libc.SO_SNDBUFFORCE, libc.SO_SNDBUF, 'SO_SNDBUF', opts.sndbuf);
      setFlag(fd, NETLINK_EXT_ACK, 'NETLINK_EXT_ACK', opts.extAck, true);
      setFlag(fd, NETLINK_GET_STRICT_CHK, 'NETLINK_GET_STRICT_CHK', opts.strictCheck, true);
      setFlag(fd, NETLINK_CAP_ACK, 'NETLINK_CAP_ACK', opts.capAck, false);
      setFlag(fd, NETLINK_NO_ENOBUFS, 'NETLINK_NO_ENOBUFS', opts.noEnobufs, false);
      setFlag(fd, NETLINK_LISTEN_ALL_NSID, 'NETLINK_LISTEN_ALL_NSID', opts.listenAllNsid, false);
      const addr = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
      addr.writeUInt16LE(libc.AF_NETLINK, 0);
      if (libc.bind(fd, addr, addr.length) < 0) throw new SystemError('bind(AF_NETLINK)', libc.errno());
      const len = Buffer.alloc(4);
      len.writeUInt32LE(addr.length);
      if (libc.getsockname(fd, addr, len) < 0) throw new SystemError('getsockname', libc.errno());
      for (const g of opts.groups ?? []) {
        const err = setInt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g);
        if (err) throw new SystemError(`setsockopt(NETLINK_ADD_MEMBERSHIP, ${g})`, err);
      }
      this.fd = fd;
      this.portId = addr.readUInt32LE(4);
    } catch (e) {
      libc.close(fd);
      throw e;
    }
    this.capAck = opts.capAck ?? false;
    this.extAck = opts.extAck ?? true;
    this.seq = (Math.floor(Math.random() * 0xffffffff) >>> 0) || 1;
    this.pfd.writeInt32LE(this.fd, 0);
    this.pfd.writeInt16LE(libc.POLLIN, 4);
    this.watch = { fd: this.fd, onReadable: () => this.onReadable() };
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

  /** Idempotent. Requests still waiting fail with SocketClosedError. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.readers > 0) reactor.remove(this.watch);
    this.readers = 0;
    libc.close(this.fd);
    const err = new SocketClosedError();
    for (const ex of this.pending.values()) ex.fail(err);
    this.pending.clear();
    this.batchWake?.();
  }

  // ---- sequence numbers and sending ----

  /** Reserves n consecutive sequence numbers. 0 is skipped for single requests (notifications use it). */
  private allocSeq(n: number): number {
    if (this.seq === 0) this.seq = 1;
    const first = this.seq;
    this.seq = (this.seq + n) >>> 0;
    return first;
  }

  private assertOpen(): void {
    if (this.closed) throw new SocketClosedError();
  }

  private encode(req: Request, extraFlags: number, seq: number): void {
    this.builder.begin(req.type, req.flags | NLM_F_REQUEST | extraFlags, seq, 0);
    req.encode?.(this.builder);
    this.builder.end();
  }

  private sendBytes(buf: Buffer): void {
    for (;;) {
      const n = libc.sendto(this.fd, buf, buf.length, 0, KERNEL, KERNEL.length);
      if (n >= 0) {
        this.stats.sendCalls++;
        if (n !== buf.length) throw new SystemError(`sendto(netlink): sent ${n} of ${buf.length} bytes`, 5);
        return;
      }
      const e = libc.errno();
      if (e !== EINTR) throw new SystemError(`sendto(netlink, ${buf.length} bytes)`, e);
    }
  }

  /** Sends one request and registers its exchange; the caller then waits for it. */
  private start(req: Request, extraFlags: number, mode: ExchangeMode): Exchange {
    this.assertOpen();
    const seq = this.allocSeq(1);
    this.builder.reset();
    this.encode(req, extraFlags, seq);
    const ex = new Exchange(seq, mode);
    this.pending.set(seq, ex);
    try {
      this.sendBytes(this.builder.bytes);
    } catch (e) {
      this.pending.delete(seq);
      throw e;
    }
    return ex;
  }

  /** Sends bytes as they are (nlmsghdr included), e.g. a recorded request. */
  sendRaw(buf: Buffer): void {
    this.assertOpen();
    this.sendBytes(buf);
  }

  // ---- receiving ----

  /**
   * Reads without blocking and routes the messages: one datagram, or during a batch up to a
   * ring's worth with one recvmmsg. Returns false when there is nothing to read.
   */
  private receiveOnce(): boolean {
    if (this.batchState !== null && ringSupported && !ringBusy) return this.receiveMany();
    let n: number;
    for (;;) {
      fromLen.writeUInt32LE(libc.SOCKADDR_NL_SIZE);
      n = libc.recvfrom(this.fd, scratch, scratch.length, libc.MSG_DONTWAIT | libc.MSG_TRUNC, fromAddr, fromLen);
      if (n >= 0) break;
      const e = libc.errno();
      if (e !== EINTR) return this.receiveFailed(e);
    }
    this.stats.recvCalls++;
    const buf = scratch;
    this.routeDatagram(buf, 0, n, buf.length, fromAddr.readUInt32LE(4), fromAddr.readUInt32LE(8));
    return true;
  }

  private receiveMany(): boolean {
    if (ring === null || ring.slotSize < scratch.length) ring = new RecvRing(scratch.length);
    const r = ring;
    let n: number;
    for (;;) {
      n = r.receive(this.fd);
      if (n > 0) break;
      if (n === 0) return false;
      const e = libc.errno();
      if (e !== EINTR) return this.receiveFailed(e);
    }
    this.stats.recvCalls++;
    ringBusy = true;
    try {
      for (let i = 0; i < n; i++) {
        // MSG_TRUNC in the call makes msg_len the real size; msg_flags says so too.
        const size = r.truncated(i) ? Math.max(r.length(i), r.slotSize + 1) : r.length(i);
        this.routeDatagram(r.data, i * r.slotSize, size, r.slotSize, r.pid(i), r.groups(i));
      }
    } finally {
      ringBusy = false;
    }
    return true;
  }

  /** errno of a failed receive: false for EAGAIN (nothing to read), true once ENOBUFS is reported. */
  private receiveFailed(e: number): boolean {
    if (e === EAGAIN) return false;
    if (e === ENOBUFS) {
      this.overrun('the kernel dropped messages for this socket (ENOBUFS); answers may be lost');
      return true;
    }
    throw new SystemError('recvmsg(netlink)', e);
  }

  /** One datagram of size bytes at buf[base], read into room bytes (size > room: truncated). */
  private routeDatagram(buf: Buffer, base: number, size: number, room: number, pid: number, groups: number): void {
    this.stats.datagrams++;
    if (pid !== 0) {
      this.stats.foreignDropped++;
      return;
    }
    if (size > room) {
      // The rest of this datagram is gone. Grow for next time and fail whoever waited for it
      // rather than hand out partial data.
      let grown = scratch.length;
      while (grown < size) grown *= 2;
      if (grown > scratch.length) scratch = Buffer.allocUnsafe(grown);
      this.truncated(groups, buf.readUInt32LE(base + 8), size);
      return;
    }
    if (groups !== 0) this.deliverMulticast(buf, base, size);
    else this.deliverUnicast(buf, base, size);
  }

  private deliverMulticast(buf: Buffer, base: number, n: number): void {
    const sink = this.sink;
    if (!sink) {
      this.stats.multicastDropped++;
      return;
    }
    const data = Buffer.from(buf.subarray(base, base + n));
    let off = 0;
    while (off + NLMSG_HDRLEN <= n) {
      const header = readHeader(data, off);
      if (header.length < NLMSG_HDRLEN || off + header.length > n) break;
      sink.push({ kind: 'message', message: { header, payload: data.subarray(off + NLMSG_HDRLEN, off + header.length), offset: off } });
      off += align(header.length);
    }
  }

  private deliverUnicast(buf: Buffer, base: number, n: number): void {
    let data: Buffer | null = null; // the datagram copied out, made on first need
    const batch = this.batchState;
    let off = 0;
    while (off + NLMSG_HDRLEN <= n) {
      const p = base + off;
      const len = readU32LE(buf, p);
      if (len < NLMSG_HDRLEN || off + len > n) break; // the kernel never sends this
      const type = readU16LE(buf, p + 4);
      const seq = readU32LE(buf, p + 8);
      const pid = readU32LE(buf, p + 12);
      const at = off;
      off += (len + 3) & ~3; // len ≤ n, far below 2^31
      if (pid !== this.portId) {
        this.stats.staleDropped++;
        continue;
      }
      if (batch) {
        const i = batch.indexOf(seq);
        if (i >= 0) {
          // Plain ACKs are read in place; only errors and extra replies are copied out.
          if (!batch.onAck(i, buf, p, len, type)) {
            data ??= Buffer.from(buf.subarray(base, base + n));
            batch.onMessage(i, type, messageAt(data, at, len));
          }
          continue;
        }
      }
      const ex = this.pending.get(seq);
      if (!ex || ex.abandoned) {
        this.stats.staleDropped++;
        if (ex) {
          data ??= Buffer.from(buf.subarray(base, base + n));
          if (ex.feed(messageAt(data, at, len))) this.pending.delete(seq);
        }
        continue;
      }
      data ??= Buffer.from(buf.subarray(base, base + n));
      if (ex.feed(messageAt(data, at, len))) this.pending.delete(seq);
    }
    if (batch && this.batchWake) this.batchWake();
  }

  private truncated(groups: number, seq: number, size: number): void {
    this.stats.overruns++;
    const what = `a ${size}-byte datagram did not fit the receive buffer and was lost`;
    if (groups !== 0) {
      this.sink?.push({ kind: 'overrun' });
      return;
    }
    const ex = this.pending.get(seq);
    if (ex) {
      this.pending.delete(seq);
      ex.fail(new OverrunError(what));
    } else {
      this.overrun(what);
    }
  }

  /** Data for us was dropped: nothing waiting can be trusted to complete correctly. */
  private overrun(what: string): void {
    this.stats.overruns++;
    this.sink?.push({ kind: 'overrun' });
    const err = new OverrunError(what);
    for (const [seq, ex] of this.pending) {
      this.pending.delete(seq);
      ex.fail(err);
    }
    if (this.batchState) {
      this.batchError = err;
      this.batchWake?.();
    }
  }
  private batchError: Error | null = null;

  /** Blocks in poll() until readable or the deadline; false on timeout. */
  private waitReadable(deadline: number): boolean {
    for (;;) {
      const ms = Math.ceil(deadline - now());
      if (ms <= 0) return false;
      const r = libc.poll(this.pfd, 1, ms);
      if (r > 0) return true;
      if (r === 0) return false;
      const e = libc.errno();
      if (e !== EINTR) throw new SystemError('poll(netlink)', e);
    }
  }

  /** Receives until done() or the deadline. */
  private pumpSync(done: () => boolean, deadline: number, what: string, timeoutMs: number): void {
    while (!done()) {
      if (this.receiveOnce()) continue;
      if (!this.waitReadable(deadline)) {
        if (done()) return;
        throw new TimeoutError(what, timeoutMs);
      }
    }
  }

  private waitSync(ex: Exchange, what: string, opts?: SyncOptions): void {
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    try {
      this.pumpSync(() => ex.done, now() + timeoutMs, what, timeoutMs);
    } catch (e) {
      this.abandon(ex);
      throw e;
    }
    if (ex.error) throw ex.error;
  }

  /**
   * The caller no longer waits. A dump keeps running in the kernel until read to the end (and
   * blocks new dumps with EBUSY meanwhile), so its exchange stays registered and its remaining
   * replies are read and dropped as stale; other exchanges are forgotten.
   */
  private abandon(ex: Exchange): void {
    if (ex.done) return;
    if (ex.mode === 'dump') {
      ex.abandoned = true;
      ex.onMessage = undefined;
      ex.replies.length = 0;
      if (!this.closed) {
        this.addReader();
        ex.onSettle = () => this.removeReader();
      }
    } else {
      this.pending.delete(ex.seq);
    }
  }

  /** Reads and drops the rest of abandoned dumps, so that the next dump does not get EBUSY. */
  private finishAbandonedSync(): void {
    for (const ex of [...this.pending.values()]) {
      if (!ex.abandoned) continue;
      try {
        this.pumpSync(() => ex.done, now() + this.timeoutMs, 'draining an abandoned dump', this.timeoutMs);
      } catch {
        // Best effort: if it cannot be drained the next dump reports the kernel's EBUSY.
      }
    }
  }

  // ---- synchronous API ----

  ack(req: Request, opts?: SyncOptions): void {
    const ex = this.start(req, NLM_F_ACK, 'ack');
    this.waitSync(ex, `request type ${req.type}`, opts);
  }

  request(req: Request, opts?: SyncOptions): Message[] {
    const ex = this.start(req, NLM_F_ACK, 'request');
    this.waitSync(ex, `request type ${req.type}`, opts);
    return ex.replies;
  }

  dump(req: Request, opts?: DumpOptions & SyncOptions): Message[] {
    const retries = opts?.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      this.finishAbandonedSync();
      const ex = this.start(req, NLM_F_DUMP, 'dump');
      this.waitSync(ex, `dump type ${req.type}`, opts);
      if (!ex.interrupted) return ex.replies;
      if (attempt >= retries) throw new DumpInterrupted(attempt + 1);
      this.stats.dumpRetries++;
    }
  }

  /**
   * A dump handed to onMessage message by message as datagrams arrive, so nothing but the
   * current datagram is held. Unlike dump() it cannot restart on NLM_F_DUMP_INTR (messages
   * were already handed out): the first message carrying the flag is not delivered and
   * DumpInterrupted is thrown; a caller that must not show a torn dump buffers what it made of
   * the messages and, on DumpInterrupted, drops that and falls back to dump() and its retries.
   * The rest of an interrupted or failed dump is drained, as for any abandoned dump.
   */
  dumpEach(req: Request, onMessage: (m: Message) => void, opts?: SyncOptions): void {
    this.finishAbandonedSync();
    const ex = this.start(req, NLM_F_DUMP, 'dump');
    let failure: unknown;
    ex.onMessage = (m) => {
      if (failure !== undefined) return;
      if (m.header.flags & NLM_F_DUMP_INTR) {
        failure = new DumpInterrupted(1);
        return;
      }
      try {
        onMessage(m);
      } catch (e) {
        failure = e;
      }
    };
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    try {
      // Stop reading at the first failure: the rest is left to abandon() and drained later.
      this.pumpSync(() => ex.done || failure !== undefined, now() + timeoutMs, `dump type ${req.type}`, timeoutMs);
    } catch (e) {
      this.abandon(ex);
      throw e;
    }
    if (failure !== undefined) {
      this.abandon(ex);
      throw failure;
    }
    if (ex.error) throw ex.error;
    // The flag may come only on NLMSG_DONE.
    if (ex.interrupted) throw new DumpInterrupted(1);
  }

  /**
   * Receive-queue bytes a chunk's ACKs may take: the kernel answers a whole chunk during
   * sendmsg and drops ACKs (ENOBUFS) past the receive buffer. 1/8 is kept for other traffic.
   */
  private batchWindow(): number {
    const rcvbuf = this.rcvbufBytes;
    return rcvbuf - (rcvbuf >>> 3);
  }

  /**
   * Encodes requests [from, …) into the builder until their ACKs' cost exceeds the window
   * bytes or the chunk byte limit is reached (at least one request per chunk: the kernel always
   * queues one skb on an empty buffer). Returns the index after the last request of the chunk;
   * the chunk's byte length is left in chunkLength (a request that overflowed stays in the
   * builder but is not sent: it starts the next chunk). Nothing but `return i` follows the
   * loop: code there has no type feedback while the loop runs OSR-compiled, and deoptimized
   * it at the end of every chunk (node --trace-deopt).
   */
  private encodeChunk(list: readonly Request[], from: number, window: number, maxBytes: number, firstSeq: number): number {
    this.builder.reset();
    let i = from;
    let bytes = 0;
    let cost = 0;
    this.chunkLength = 0;
    while (i < list.length) {
      this.encode(list[i], NLM_F_ACK, (firstSeq + i) >>> 0);
      const len = this.builder.length;
      cost += ackCost(len - bytes, this.capAck, this.extAck);
      // i > from first: as the last operand it had no type feedback until the first chunk
      // filled, and the OSR-compiled loop deoptimized there.
      if (i > from && (len > maxBytes || cost > window)) break;
      bytes = len;
      this.chunkLength = len;
      i++;
    }
    return i;
  }
  private chunkLength = 0;

  private chunkBytes(): number {
    return Math.max(4096, Math.min(CHUNK_BYTES, this.sndbufBytes - 64));
  }

  batch(reqs: Iterable<Request>, opts?: SyncOptions): BatchResult[] {
    this.assertOpen();
    const list = Array.isArray(reqs) ? (reqs as Request[]) : [...reqs];
    const state = new BatchState(this.allocSeq(list.length), list.length);
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    const window = this.batchWindow();
    const maxBytes = this.chunkBytes();
    this.batchState = state;
    this.batchError = null;
    try {
      let next = 0;
      while (next < list.length) {
        const end = this.encodeChunk(list, next, window, maxBytes, state.firstSeq);
        this.sendBytes(this.builder.bytes.subarray(0, this.chunkLength));
        next = end;
        this.pumpSync(() => state.answered >= next || this.batchError !== null, now() + timeoutMs, `batch of ${list.length}`, timeoutMs);
        if (this.batchError) throw this.batchError;
      }
    } finally {
      this.batchState = null;
    }
    return state.results as BatchResult[];
  }

  // ---- asynchronous API ----

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
      while (this.readers > 0 && !this.closed && budget-- > 0 && this.receiveOnce()) {
        /* routed by receiveOnce */
      }
    } catch (e) {
      this.failAll(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private failAll(err: Error): void {
    for (const [seq, ex] of this.pending) {
      this.pending.delete(seq);
      ex.fail(err);
    }
    if (this.batchState) {
      this.batchError = err;
      this.batchWake?.();
    }
  }

  /** Resolves when ex settles; timeout and abort reject and abandon it. */
  private waitAsync(ex: Exchange, what: string, opts?: AsyncOptions): Promise<Exchange> {
    return new Promise<Exchange>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const signal = opts?.signal;
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.removeReader();
      };
      const giveUp = (err: Error): void => {
        if (ex.done) return;
        ex.onSettle = undefined;
        cleanup();
        this.abandon(ex);
        reject(err);
      };
      const onAbort = (): void => giveUp(new AbortError(what, signal?.reason));
      if (signal?.aborted) {
        this.abandon(ex);
        reject(new AbortError(what, signal.reason));
        return;
      }
      ex.onSettle = () => {
        cleanup();
        if (ex.error) reject(ex.error);
        else resolve(ex);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (opts?.timeoutMs !== undefined) timer = setTimeout(() => giveUp(new TimeoutError(what, opts.timeoutMs ?? 0)), opts.timeoutMs);
      this.addReader();
    });
  }

  async ackAsync(req: Request, opts?: AsyncOptions): Promise<void> {
    await this.waitAsync(this.start(req, NLM_F_ACK, 'ack'), `request type ${req.type}`, opts);
  }

  async requestAsync(req: Request, opts?: AsyncOptions): Promise<Message[]> {
    return (await this.waitAsync(this.start(req, NLM_F_ACK, 'request'), `request type ${req.type}`, opts)).replies;
  }

  private async finishAbandonedAsync(): Promise<void> {
    for (const ex of [...this.pending.values()]) {
      if (!ex.abandoned || ex.done) continue;
      await new Promise<void>((resolve) => {
        const prev = ex.onSettle;
        ex.onSettle = () => {
          prev?.();
          resolve();
        };
      });
    }
  }

  async dumpAsync(req: Request, opts?: AsyncOptions & DumpOptions): Promise<Message[]> {
    const retries = opts?.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      await this.finishAbandonedAsync();
      const ex = await this.waitAsync(this.start(req, NLM_F_DUMP, 'dump'), `dump type ${req.type}`, opts);
      if (!ex.interrupted) return ex.replies;
      if (attempt >= retries) throw new DumpInterrupted(attempt + 1);
      this.stats.dumpRetries++;
    }
  }

  /**
   * Streams a dump. Memory stays bounded: the socket is read only while the consumer waits.
   * A dump marked NLM_F_DUMP_INTR cannot be restarted transparently (messages were already
   * handed out), so the iterator ends by throwing DumpInterrupted.
   */
  async *dumpIterator(req: Request, opts?: AsyncOptions): AsyncIterableIterator<Message> {
    await this.finishAbandonedAsync();
    const what = `dump type ${req.type}`;
    const ex = this.start(req, NLM_F_DUMP, 'dump');
    const queue: Message[] = [];
    let head = 0;
    let wake: (() => void) | null = null;
    ex.onMessage = (m) => {
      queue.push(m);
      wake?.();
    };
    const deadline = opts?.timeoutMs !== undefined ? now() + opts.timeoutMs : Infinity;
    try {
      for (;;) {
        while (head < queue.length) {
          const m = queue[head];
          queue[head++] = undefined as unknown as Message;
          if (head > 1024) {
            queue.splice(0, head);
            head = 0;
          }
          yield m;
        }
        if (ex.done) {
          if (ex.error) throw ex.error;
          if (ex.interrupted) throw new DumpInterrupted(1);
          return;
        }
        opts?.signal?.throwIfAborted();
        await new Promise<void>((resolve, reject) => {
          let timer: NodeJS.Timeout | undefined;
          const signal = opts?.signal;
          const done = (err?: Error): void => {
            wake = null;
            ex.onSettle = undefined;
            if (timer) clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            this.removeReader();
            if (err) reject(err);
            else resolve();
          };
          const onAbort = (): void => done(new AbortError(what, signal?.reason));
          wake = () => done();
          ex.onSettle = () => done();
          signal?.addEventListener('abort', onAbort, { once: true });
          if (deadline !== Infinity) {
            const left = Math.max(0, deadline - now());
            timer = setTimeout(() => done(new TimeoutError(what, opts?.timeoutMs ?? 0)), left);
          }
          this.addReader();
        });
      }
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError' && !(e instanceof AbortError)) throw new AbortError(what, e);
      throw e;
    } finally {
      if (!ex.done) this.abandon(ex);
    }
  }

  async batchAsync(reqs: Iterable<Request>, opts?: AsyncOptions): Promise<BatchResult[]> {
    this.assertOpen();
    if (this.batchState) throw new Error('a batch is already running on this socket');
    const list = Array.isArray(reqs) ? (reqs as Request[]) : [...reqs];
    const state = new BatchState(this.allocSeq(list.length), list.length);
    const window = this.batchWindow();
    const maxBytes = this.chunkBytes();
    const what = `batch of ${list.length}`;
    const signal = opts?.signal;
    const deadline = opts?.timeoutMs !== undefined ? now() + opts.timeoutMs : Infinity;
    this.batchState = state;
    this.batchError = null;
    try {
      let next = 0;
      while (next < list.length) {
        signal?.throwIfAborted();
        const end = this.encodeChunk(list, next, window, maxBytes, state.firstSeq);
        this.sendBytes(this.builder.bytes.subarray(0, this.chunkLength));
        next = end;
        const target = next;
        if (state.answered < target && !this.batchError) {
          // One promise per chunk, resolved when all of its ACKs have been read.
          await new Promise<void>((resolve, reject) => {
            let timer: NodeJS.Timeout | undefined;
            const finish = (err?: Error): void => {
              this.batchWake = null;
              if (timer) clearTimeout(timer);
              signal?.removeEventListener('abort', onAbort);
              this.removeReader();
              if (err) reject(err);
              else resolve();
            };
            const onAbort = (): void => finish(new AbortError(what, signal?.reason));
            this.batchWake = () => {
              if (this.closed) finish(new SocketClosedError());
              else if (this.batchError) finish(this.batchError);
              else if (state.answered >= target) finish();
            };
            signal?.addEventListener('abort', onAbort, { once: true });
            if (deadline !== Infinity) timer = setTimeout(() => finish(new TimeoutError(what, opts?.timeoutMs ?? 0)), Math.max(0, deadline - now()));
            this.addReader();
          });
        }
        if (this.batchError) throw this.batchError;
      }
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError' && !(e instanceof AbortError)) throw new AbortError(what, e);
      throw e;
    } finally {
      this.batchState = null;
      this.batchWake = null;
    }
    return state.results as BatchResult[];
  }

  // ---- monitors and raw access ----

  /** Routes multicast notifications to sink (one at a time); null detaches. */
  attachSink(sink: EventSink | null): void {
    this.sink = sink;
  }

  /** The monitor asks for (or stops asking for) reads. */
  setReading(on: boolean): void {
    if (on) this.addReader();
    else this.removeReader();
  }

  /** Reads and routes whatever is queued, without blocking; for Monitor.receiveSync. */
  pollSync(timeoutMs: number): boolean {
    this.assertOpen();
    if (this.receiveOnce()) return true;
    if (!this.waitReadable(now() + timeoutMs)) return false;
    return this.receiveOnce();
  }

  /** One raw datagram (bypassing request matching), or null when none came within timeoutMs. */
  receiveRaw(timeoutMs = this.timeoutMs): RawDatagram | null {
    this.assertOpen();
    const deadline = now() + timeoutMs;
    for (;;) {
      fromLen.writeUInt32LE(libc.SOCKADDR_NL_SIZE);
      // Peek the real size first so that nothing is truncated.
      const size = libc.recvfrom(this.fd, null, 0, libc.MSG_DONTWAIT | libc.MSG_PEEK | libc.MSG_TRUNC, null, null);
      if (size >= 0) {
        const data = Buffer.allocUnsafe(size);
        const n = libc.recvfrom(this.fd, data, size, libc.MSG_DONTWAIT, fromAddr, fromLen);
        if (n < 0) throw new SystemError('recvmsg(netlink)', libc.errno());
        return { data: data.subarray(0, n), pid: fromAddr.readUInt32LE(4), groups: fromAddr.readUInt32LE(8) };
      }
      const e = libc.errno();
      if (e === EINTR) continue;
      if (e === ENOBUFS) throw new OverrunError('the kernel dropped messages for this socket (ENOBUFS)');
      if (e !== EAGAIN) throw new SystemError('recvmsg(netlink)', e);
      if (!this.waitReadable(deadline)) return null;
    }
  }
}

export function openNetlink(protocol = NETLINK_ROUTE, options: OpenOptions = {}): NetlinkSocket {
  return new NetlinkSocket(protocol, options);
}

