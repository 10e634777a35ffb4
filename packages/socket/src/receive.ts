// Reading datagrams without blocking: one with recvfrom, or many with recvmmsg while a batch
// or many paced requests are being answered.
import { Errno } from '@vrfctl/netlink';
import * as libc from './libc.js';
import { SystemError } from './errors.js';
import { RecvRing, ringSupported } from './ring.js';
import type { SocketStats } from './stats.js';

/** Whoever routes what was read (the Demux). */
export interface DatagramSink {
  /** One datagram of size bytes at buf[base], read into room bytes (size > room: truncated). */
  datagram(buf: Buffer, base: number, size: number, room: number, pid: number, groups: number): void;
}

/** What one read found. */
export type ReadResult = 'data' | 'empty' | 'enobufs';

// One receive buffer for all sockets: JS is single-threaded and each datagram is copied out
// (or, for batch ACKs, read in place) before the next receive.
const SCRATCH_MIN = 64 * 1024;
let scratch = Buffer.allocUnsafe(SCRATCH_MIN);
const fromAddr = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
const fromLen = Buffer.alloc(4);
// recvmmsg reads into this ring, made on first use. Its slots are as large as scratch, so it
// never truncates what recvfrom would read whole.
let ring: RecvRing | null = null;
// Set while ring slots are being routed: a nested read must not overwrite them.
let ringBusy = false;

/** Makes the next reads fit a datagram of size bytes (one was truncated). */
export function growScratch(size: number): void {
  let grown = scratch.length;
  while (grown < size) grown *= 2;
  if (grown > scratch.length) scratch = Buffer.allocUnsafe(grown);
}

/**
 * Reads once without blocking and hands the datagrams to sink. `many` asks for recvmmsg (when
 * many answers are expected). ENOBUFS (the kernel dropped data for us) is returned, not thrown.
 */
export function readOnce(fd: number, sink: DatagramSink, stats: SocketStats, many: boolean): ReadResult {
  if (many && ringSupported && !ringBusy) return readMany(fd, sink, stats);
  let n: number;
  for (;;) {
    fromLen.writeUInt32LE(libc.SOCKADDR_NL_SIZE);
    n = libc.recvfrom(fd, scratch, scratch.length, libc.MSG_DONTWAIT | libc.MSG_TRUNC, fromAddr, fromLen);
    if (n >= 0) break;
    const e = libc.errno();
    if (e !== Errno.EINTR) return failed(e);
  }
  stats.recvCalls++;
  const buf = scratch;
  sink.datagram(buf, 0, n, buf.length, fromAddr.readUInt32LE(4), fromAddr.readUInt32LE(8));
  return 'data';
}

function readMany(fd: number, sink: DatagramSink, stats: SocketStats): ReadResult {
  if (ring === null || ring.slotSize < scratch.length) ring = new RecvRing(scratch.length);
  const r = ring;
  let n: number;
  for (;;) {
    n = r.receive(fd);
    if (n > 0) break;
    if (n === 0) return 'empty';
    const e = libc.errno();
    if (e !== Errno.EINTR) return failed(e);
  }
  stats.recvCalls++;
  ringBusy = true;
  try {
    for (let i = 0; i < n; i++) {
      // MSG_TRUNC in the call makes msg_len the real size; msg_flags says so too.
      const size = r.truncated(i) ? Math.max(r.length(i), r.slotSize + 1) : r.length(i);
      sink.datagram(r.data, i * r.slotSize, size, r.slotSize, r.pid(i), r.groups(i));
    }
  } finally {
    ringBusy = false;
  }
  return 'data';
}

function failed(e: number): ReadResult {
  if (e === Errno.EAGAIN) return 'empty';
  if (e === Errno.ENOBUFS) return 'enobufs';
  throw new SystemError('recvmsg(netlink)', e);
}

/** One raw datagram with its sender, whole (its size is peeked first), or null when none is queued. */
export function readRaw(fd: number): { data: Buffer; pid: number; groups: number } | 'empty' | 'enobufs' {
  for (;;) {
    fromLen.writeUInt32LE(libc.SOCKADDR_NL_SIZE);
    const size = libc.recvfrom(fd, null, 0, libc.MSG_DONTWAIT | libc.MSG_PEEK | libc.MSG_TRUNC, null, null);
    if (size >= 0) {
      const data = Buffer.allocUnsafe(size);
      const n = libc.recvfrom(fd, data, size, libc.MSG_DONTWAIT, fromAddr, fromLen);
      if (n < 0) throw new SystemError('recvmsg(netlink)', libc.errno());
      return { data: data.subarray(0, n), pid: fromAddr.readUInt32LE(4), groups: fromAddr.readUInt32LE(8) };
    }
    const e = libc.errno();
    if (e === Errno.EINTR) continue;
    const r = failed(e);
    if (r !== 'data') return r;
  }
}
