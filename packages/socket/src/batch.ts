import {
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_NOOP,
  errorFromReply,
  parseErrorReply,
  type Message,
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
   * Handles the message at buf[off] (header already read). The common case, a plain ACK, is
   * read in place; only errors and extra replies are copied out (via copy()).
   */
  onMessage(index: number, buf: Buffer, off: number, len: number, type: number, copy: () => Message): void {
    if (this.results[index] !== undefined) return;
    if (type === NLMSG_ERROR && len >= NLMSG_HDRLEN + 4 && buf.readInt32LE(off + NLMSG_HDRLEN) === 0) {
      this.settle(index, { ok: true, replies: this.extra.get(index) ?? [] });
      return;
    }
    if (type === NLMSG_ERROR) {
      const err = errorFromReply(parseErrorReply(copy()));
      this.settle(index, err ? { ok: false, error: err } : { ok: true, replies: this.extra.get(index) ?? [] });
      return;
    }
    if (type === NLMSG_DONE) {
      const err = doneError(copy());
      this.settle(index, err ? { ok: false, error: err } : { ok: true, replies: this.extra.get(index) ?? [] });
      return;
    }
    if (type === NLMSG_NOOP) return;
    const list = this.extra.get(index);
    if (list) list.push(copy());
    else this.extra.set(index, [copy()]);
  }

  private settle(index: number, r: BatchResult): void {
    this.results[index] = r;
    this.extra.delete(index);
    this.answered++;
  }
}
