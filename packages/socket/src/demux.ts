// Demultiplexing: every datagram read is routed by sequence number to the exchange or batch
// that waits for it, or to the monitor's sink when it is a multicast notification.
import { NLMSG_HDRLEN, align, readHeader, readU16LE, readU32LE, type Message } from '@vrfctl/netlink';
import type { BatchState } from './batch.js';
import type { Exchange } from './exchange.js';
import { OverrunError } from './errors.js';
import { growScratch, type DatagramSink } from './receive.js';
import type { SocketStats } from './stats.js';

export type MonitorEvent = { kind: 'message'; message: Message } | { kind: 'overrun' };

/** A consumer of multicast notifications on this socket (see Monitor). */
export interface EventSink {
  push(ev: MonitorEvent): void;
}

function messageAt(data: Buffer, at: number, len: number): Message {
  return { header: readHeader(data, at), payload: data.subarray(at + NLMSG_HDRLEN, at + len), offset: at };
}

export class Demux implements DatagramSink {
  /** Exchanges sent or queued, by seq. */
  readonly pending = new Map<number, Exchange>();
  /** The running batch: its requests own a range of seqs. */
  batch: BatchState | null = null;
  sink: EventSink | null = null;

  constructor(
    private readonly portId: number,
    private readonly stats: SocketStats,
    /** Called after a datagram answered part of the batch. */
    private readonly onBatchProgress: () => void,
    /** A unicast datagram was lost (truncated) and its seq is nobody's: everything is suspect. */
    private readonly onLost: (detail: string) => void,
  ) {}

  datagram(buf: Buffer, base: number, size: number, room: number, pid: number, groups: number): void {
    this.stats.datagrams++;
    if (pid !== 0) {
      this.stats.foreignDropped++;
      return;
    }
    if (size > room) {
      // The rest of this datagram is gone. Grow for next time and fail whoever waited for it
      // rather than hand out partial data.
      growScratch(size);
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
    const batch = this.batch;
    let touchedBatch = false;
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
          touchedBatch = true;
          // Plain ACKs are read in place; only errors and extra replies are copied out.
          if (!batch.onAck(i, buf, p, len, type)) {
            data ??= Buffer.from(buf.subarray(base, base + n));
            batch.onMessage(i, type, messageAt(data, at, len));
          }
          continue;
        }
      }
      const ex = this.pending.get(seq);
      if (!ex) {
        this.stats.staleDropped++;
        continue;
      }
      if (ex.abandoned) this.stats.staleDropped++;
      data ??= Buffer.from(buf.subarray(base, base + n));
      ex.feed(messageAt(data, at, len));
    }
    if (touchedBatch) this.onBatchProgress();
  }

  private truncated(groups: number, seq: number, size: number): void {
    this.stats.overruns++;
    const what = `a ${size}-byte datagram did not fit the receive buffer and was lost`;
    if (groups !== 0) {
      this.sink?.push({ kind: 'overrun' });
      return;
    }
    const ex = this.pending.get(seq);
    if (ex) ex.fail(new OverrunError(what));
    else this.onLost(what);
  }
}
