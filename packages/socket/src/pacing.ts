// Pacing: the kernel answers a request while it is being sent (rtnetlink runs in the sender's
// context) and drops the answer (ENOBUFS) when our receive queue is over SO_RCVBUF. So the
// socket only sends while the answers it has not read yet fit the queue: every request is
// charged what its answers may cost, and waits in a FIFO while there is no room. Batches are
// cut into chunks the same way.
import { NLMSG_HDRLEN, NLM_F_ACK, NLM_F_REQUEST, type MessageBuilder } from '@vrfctl/netlink';
import type { Exchange } from './exchange.js';
import type { Request } from './types.js';

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

/** A reply besides the ACK (RTM_GETLINK of one link, a route lookup): one 8 KiB slab. */
export const REPLY_COST = 8192 + 512;
/**
 * A dump in flight: the kernel adds a dump skb (≤ 32 KiB of data) when the queue is below half
 * of SO_RCVBUF, so the dump's data may reach rcvbuf/2 plus one skb.
 */
export function dumpCost(rcvbuf: number): number {
  return (rcvbuf >>> 1) + 40 * 1024;
}

/** Bytes per sendto: large writes are split so that the kernel never has to allocate huge skbs. */
export const CHUNK_BYTES = 256 * 1024;

/** Receive-queue bytes answers may take: 1/8 is kept for other traffic (notifications). */
export function windowOf(rcvbuf: number): number {
  return rcvbuf - (rcvbuf >>> 3);
}

/** The FIFO of requests waiting for room, and the bytes charged for answers not read yet. */
export class Pacer {
  /** Charged bytes of answers that are sent for and not read yet. */
  outstanding = 0;
  private readonly queue: Exchange[] = [];
  private head = 0;
  /** Set while an overrun is being sorted out: nothing new is sent until then. */
  held = false;

  constructor(
    readonly window: number,
    private readonly maxBytes: number,
    private readonly send: (buf: Buffer) => void,
    /** A send failed: these exchanges were not sent. */
    private readonly sendFailed: (exs: Exchange[], err: unknown) => void,
  ) {}

  /** Requests waiting for room. */
  get queued(): number {
    return this.queue.length - this.head;
  }

  /** The request queued last (not sent yet), if any. */
  get last(): Exchange | undefined {
    return this.head < this.queue.length ? this.queue[this.queue.length - 1] : undefined;
  }

  /** Whether answers of cost bytes fit now (one request always fits an empty queue). */
  fits(cost: number): boolean {
    return this.outstanding === 0 || this.outstanding + cost <= this.window;
  }

  /** Room left for answers. */
  get room(): number {
    return Math.max(0, this.window - this.outstanding);
  }

  charge(cost: number): void {
    this.outstanding += cost;
  }

  /** The answers of ex were read (or will never come): its room is free again. */
  release(ex: Exchange): void {
    if (!ex.sent || ex.cost === 0) return;
    this.outstanding = Math.max(0, this.outstanding - ex.cost);
    ex.cost = 0;
  }

  releaseBytes(cost: number): void {
    this.outstanding = Math.max(0, this.outstanding - cost);
  }

  /** Queues ex (its bytes set) behind the others, then sends what fits. */
  enqueue(ex: Exchange): void {
    if (this.queued > 0 || this.held || !this.fits(ex.cost)) {
      this.queue.push(ex);
      return;
    }
    this.queue.push(ex);
    this.flush();
  }

  /** Sends queued requests, in order, as long as their answers fit; many per sendto. */
  flush(): void {
    if (this.held) return;
    while (this.head < this.queue.length) {
      const group: Exchange[] = [];
      let bytes = 0;
      while (this.head < this.queue.length) {
        const ex = this.queue[this.head];
        if (ex.done || ex.bytes === undefined) {
          this.head++;
          continue;
        }
        if (!this.fits(ex.cost) || (group.length > 0 && bytes + ex.bytes.length > this.maxBytes)) break;
        this.head++;
        this.outstanding += ex.cost;
        group.push(ex);
        bytes += ex.bytes.length;
      }
      this.compact();
      if (group.length === 0) return;
      const buf = group.length === 1 ? group[0].bytes! : Buffer.concat(group.map((g) => g.bytes!), bytes);
      for (const ex of group) {
        ex.sent = true;
        ex.bytes = undefined;
      }
      try {
        this.send(buf);
      } catch (e) {
        for (const ex of group) {
          this.outstanding = Math.max(0, this.outstanding - ex.cost);
          ex.cost = 0;
          ex.sent = false;
        }
        this.sendFailed(group, e);
        return;
      }
    }
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Forgets every queued request (the socket closed); returns them. */
  drain(): Exchange[] {
    const left = this.queue.slice(this.head);
    this.queue.length = 0;
    this.head = 0;
    return left;
  }
}

/**
 * Encodes one batch chunk into b: requests [from, …) until their ACKs' cost exceeds room or
 * the chunk reaches maxBytes. The first request is taken even without room when nothing is
 * outstanding (an empty queue always takes one answer). Returns the index after the chunk, its
 * byte length and the cost charged. Nothing but `return` follows the loop: code there has no
 * type feedback while the loop runs OSR-compiled (node --trace-deopt).
 */
export function encodeChunk(
  b: MessageBuilder,
  list: readonly Request[],
  from: number,
  firstSeq: number,
  room: number,
  takeFirst: boolean,
  maxBytes: number,
  capAck: boolean,
  extAck: boolean,
  out: { length: number; cost: number },
): number {
  b.reset();
  let i = from;
  let bytes = 0;
  let cost = 0;
  out.length = 0;
  out.cost = 0;
  while (i < list.length) {
    const req = list[i];
    b.begin(req.type, req.flags | NLM_F_REQUEST | NLM_F_ACK, (firstSeq + i) >>> 0, 0);
    req.encode?.(b);
    b.end();
    const len = b.length;
    const c = ackCost(len - bytes, capAck, extAck);
    if ((i > from || !takeFirst) && (len > maxBytes || cost + c > room)) break;
    cost += c;
    bytes = len;
    out.length = len;
    out.cost = cost;
    i++;
  }
  return i;
}
