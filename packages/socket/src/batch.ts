import {
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_NOOP,
  errorFromReply,
  parseErrorReply,
  type Message,
  type NetlinkError,
} from '@vrfctl/netlink';
import type { BatchResult } from './types.js';
import { doneError } from './exchange.js';

/**
 * The requests of one batch own a contiguous range of sequence numbers, so an ACK is matched
 * by subtraction. No object is made per request until its answer arrives.
 */
export class BatchState {
  readonly results: Array<BatchResult | undefined>;
  /** Replies other than the ACK (e.g. NLM_F_ECHO), by request index. */
  private readonly extra = new Map<number, Message[]>();
  answered = 0;

  constructor(
    readonly firstSeq: number,
    readonly count: number,
  ) {
    this.results = new Array<BatchResult | undefined>(count);
  }

  /** The request index for seq, or -1 if seq is not ours. Wraps around 2^32 correctly. */
  indexOf(seq: number): number {
    const i = (seq - this.firstSeq) >>> 0;
    return i < this.count ? i : -1;
  }

  /**
   * The common case, read in place from buf[off] (header already read): an answer to a
   * request already settled, a plain ACK, or a NOOP. Returns false when the message has to be
   * copied out and passed to onMessage().
   */
  onAck(index: number, buf: Buffer, off: number, len: number, type: number): boolean {
    if (this.results[index] !== undefined || type === NLMSG_NOOP) return true;
    // The error field is zero when all four of its bytes are.
    const e = off + NLMSG_HDRLEN;
    if (type === NLMSG_ERROR && len >= NLMSG_HDRLEN + 4 && (buf[e] | buf[e + 1] | buf[e + 2] | buf[e + 3]) === 0) {
      this.settle(index, { ok: true, replies: this.takeExtra(index) });
      return true;
    }
    return false;
  }

  /** Everything onAck() did not take: errors, NLMSG_DONE and extra replies. */
  onMessage(index: number, type: number, message: Message): void {
    if (type === NLMSG_ERROR) {
      const err = errorFromReply(parseErrorReply(message));
      this.settle(index, err ? { ok: false, error: err } : { ok: true, replies: this.takeExtra(index) });
      return;
    }
    if (type === NLMSG_DONE) {
      const err = doneError(message);
      this.settle(index, err ? { ok: false, error: err } : { ok: true, replies: this.takeExtra(index) });
      return;
    }
    const list = this.extra.get(index);
    if (list) list.push(message);
    else this.extra.set(index, [message]);
  }

  /** The request's answer was lost (ENOBUFS): its result is that error. */
  settleUnknown(index: number, error: NetlinkError): void {
    if (this.results[index] === undefined) this.settle(index, { ok: false, error });
  }

  /** Extra replies of a request; plain batches have none, and skip the map lookup. */
  private takeExtra(index: number): Message[] {
    return this.extra.size === 0 ? [] : this.extra.get(index) ?? [];
  }

  private settle(index: number, r: BatchResult): void {
    this.results[index] = r;
    if (this.extra.size !== 0) this.extra.delete(index);
    this.answered++;
  }
}
