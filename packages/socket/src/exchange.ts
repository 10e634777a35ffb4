import {
  DecodeError,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLM_F_ACK_TLVS,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NetlinkError,
  kernelError,
  errorFromReply,
  forEachAttribute,
  getString,
  getU32,
  parseErrorReply,
  type ExtendedAck,
  type Message,
} from '@vrfctl/netlink';
import { OverrunError } from './errors.js';

/**
 * What ends an exchange: an ACK/ERROR (ack), NLMSG_DONE (dump), and for a request (a GET of one
 * object, sent without NLM_F_ACK as iproute2's rtnl_talk with an answer does) its one reply or
 * an ERROR. Without the ACK the answer is a single message, which the kernel always queues to
 * an empty receive queue, however small SO_RCVBUF is; a reply followed by an ACK is not.
 */
export type ExchangeMode = 'ack' | 'request' | 'dump';

/**
 * One request in flight and the replies that answer it, matched by sequence number.
 * Pure state: it is fed messages by the socket (or by a test with recorded replies).
 */
export class Exchange {
  readonly replies: Message[] = [];
  /** Some reply of this dump carried NLM_F_DUMP_INTR: the result may be inconsistent. */
  interrupted = false;
  done = false;
  error: Error | undefined;
  /** The caller gave up (timeout, abort, iterator closed); replies still arriving are dropped. */
  abandoned = false;
  /** When set, replies are streamed here instead of collected. */
  onMessage: ((m: Message) => void) | undefined;
  /** Called once when the exchange completes or fails (the waiter). */
  onSettle: (() => void) | undefined;
  /** Called once before onSettle (the socket's bookkeeping: pacing credit, dump slot). */
  onDone: ((ex: Exchange) => void) | undefined;
  /** The request on the wire, kept until the pacer sends it. */
  bytes: Buffer | undefined;
  /** Sent to the kernel (not only queued). */
  sent = false;
  /** Receive-queue bytes its answers may take (what the pacer charged for it). */
  cost = 0;
  /**
   * Identical GETs asked while this one waited unsent: they are not sent, they get its answer
   * (its replies, or its error) when it settles.
   */
  followers: Exchange[] | undefined;
  /** A GET's key among the socket's queued reads (see NetlinkSocket.joinQueuedRead). */
  readKey: string | undefined;

  constructor(
    readonly seq: number,
    readonly mode: ExchangeMode,
    /** The operation it carries out, for error messages. */
    readonly what = mode === 'dump' ? 'dump' : 'request',
  ) {}

  /** Feeds one message with this exchange's seq; returns true when that settled it. */
  feed(msg: Message): boolean {
    if (this.done) return false;
    const { type, flags } = msg.header;
    if (flags & NLM_F_DUMP_INTR) this.interrupted = true;
    switch (type) {
      case NLMSG_NOOP:
        return false;
      case NLMSG_ERROR:
      case NLMSG_DONE: {
        // A terminator that cannot be parsed still ends the exchange: thrown out of here it
        // would leave a dump registered forever (and the next dump draining it until timeout).
        let err: Error | undefined;
        try {
          err = type === NLMSG_ERROR ? errorFromReply(parseErrorReply(msg)) : doneError(msg);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
          err = e;
        }
        return err ? this.fail(err) : this.finish();
      }
      case NLMSG_OVERRUN:
        return this.fail(new OverrunError('kernel sent NLMSG_OVERRUN'));
      default:
        if (this.abandoned) return this.mode === 'request' && !(flags & NLM_F_MULTI) ? this.finish() : false;
        if (this.onMessage) this.onMessage(msg);
        else this.replies.push(msg);
        // A request's answer is one message (a multipart one ends with NLMSG_DONE).
        return this.mode === 'request' && !(flags & NLM_F_MULTI) ? this.finish() : false;
    }
  }

  fail(err: Error): boolean {
    if (this.done) return false;
    if (err instanceof NetlinkError) err.setOperation(this.what);
    this.error = err;
    return this.settle();
  }

  private finish(): boolean {
    return this.settle();
  }

  private settle(): boolean {
    this.done = true;
    this.bytes = undefined;
    const done = this.onDone;
    this.onDone = undefined;
    done?.(this);
    const cb = this.onSettle;
    this.onSettle = undefined;
    cb?.();
    const followers = this.followers;
    this.followers = undefined;
    if (followers) {
      for (const f of followers) {
        if (f.done) continue;
        if (this.error) f.fail(this.error);
        else {
          f.replies.push(...this.replies);
          f.settle();
        }
      }
    }
    return true;
  }

  /** Whether a caller still waits for this exchange's answer through it. */
  get hasFollowers(): boolean {
    return this.followers?.some((f) => !f.done) === true;
  }
}

/**
 * The error a dump's NLMSG_DONE may carry: an int32 (negative errno) after the header,
 * then extended-ACK TLVs when NLM_F_ACK_TLVS is set (e.g. a dump filter the kernel refused).
 */
export function doneError(msg: Message): NetlinkError | undefined {
  const p = msg.payload;
  if (p.length < 4) return undefined;
  const status = p.readInt32LE(0);
  if (status >= 0) return undefined;
  const extack: ExtendedAck = {};
  if (msg.header.flags & NLM_F_ACK_TLVS && p.length > 4) {
    forEachAttribute(p, 4, p.length, (type, vs, ve) => {
      const v = p.subarray(vs, ve);
      if (type === NLMSGERR_ATTR_MSG) extack.message = getString(v);
      else if (type === NLMSGERR_ATTR_OFFS) extack.offset = getU32(v);
      else if (type === NLMSGERR_ATTR_MISS_TYPE) extack.missingType = getU32(v);
      else if (type === NLMSGERR_ATTR_MISS_NEST) extack.missingNest = getU32(v);
    });
  }
  return kernelError(-status, extack, msg.header.seq);
}
