import {
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  NLMSGERR_ATTR_POLICY,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  align,
} from './constants.js';
import { DecodeError, NetlinkError, kernelError, type ExtendedAck } from './errors.js';
import { forEachAttribute, getString, getU32 } from './attributes.js';
import { readHeader, type Message, type MessageHeader } from './message.js';
import { MessageBuilder } from './builder.js';

/** A decoded NLMSG_ERROR: errno 0 is an ACK. */
export interface ErrorReply {
  /** Positive errno; 0 for an ACK. */
  errno: number;
  /** The header of the request this answers. */
  request: MessageHeader;
  /** The request's payload as echoed back (absent when the kernel capped it). */
  requestPayload?: Buffer;
  extack: ExtendedAck;
  /** Extended-ACK attributes we do not model, kept raw. */
  unknown: Array<{ type: number; value: Buffer }>;
}

/** Decodes struct nlmsgerr and the extended ACK TLVs after it. */
export function parseErrorReply(msg: Message): ErrorReply {
  const p = msg.payload;
  if (p.length < 4 + NLMSG_HDRLEN) throw new DecodeError(`NLMSG_ERROR payload of ${p.length} bytes, needs 20`, msg.offset);
  const error = p.readInt32LE(0);
  const request = readHeader(p, 4);
  const capped = (msg.header.flags & NLM_F_CAPPED) !== 0;
  let tlvStart = 4 + NLMSG_HDRLEN;
  let requestPayload: Buffer | undefined;
  const echoed = Math.max(0, request.length - NLMSG_HDRLEN);
  // Kernels before 4.12 neither echo the request in an ACK nor set NLM_F_CAPPED (nor when
  // NETLINK_CAP_ACK capped an error): nothing after the echoed header means nothing was echoed.
  if (!capped && !(echoed > 0 && p.length === tlvStart)) {
    if (tlvStart + echoed > p.length) throw new DecodeError('echoed request runs past the error message', msg.offset);
    requestPayload = p.subarray(tlvStart, tlvStart + echoed);
    tlvStart += align(echoed);
  }
  const extack: ExtendedAck = {};
  const unknown: Array<{ type: number; value: Buffer }> = [];
  if (msg.header.flags & NLM_F_ACK_TLVS && tlvStart < p.length) {
    forEachAttribute(p, tlvStart, p.length, (type, vs, ve) => {
      const v = p.subarray(vs, ve);
      switch (type) {
        case NLMSGERR_ATTR_MSG: extack.message = getString(v); break;
        case NLMSGERR_ATTR_OFFS: extack.offset = getU32(v); break;
        case NLMSGERR_ATTR_COOKIE: extack.cookie = v; break;
        case NLMSGERR_ATTR_POLICY: extack.policy = v; break;
        case NLMSGERR_ATTR_MISS_TYPE: extack.missingType = getU32(v); break;
        case NLMSGERR_ATTR_MISS_NEST: extack.missingNest = getU32(v); break;
        default: unknown.push({ type, value: v });
      }
    });
  }
  return { errno: error === 0 ? 0 : -error, request, requestPayload, extack, unknown };
}

/** The NetlinkError for an error reply, or undefined for an ACK. */
export function errorFromReply(reply: ErrorReply): NetlinkError | undefined {
  return reply.errno === 0 ? undefined : kernelError(reply.errno, reply.extack, reply.request.seq);
}

/** Builds an NLMSG_ERROR as the kernel would (for tests, recordings and fault injection). */
export function buildErrorReply(
  b: MessageBuilder,
  opts: { errno: number; request: MessageHeader; requestPayload?: Uint8Array; extack?: ExtendedAck; seq?: number; pid?: number },
): MessageBuilder {
  const ext = opts.extack ?? {};
  const hasTlvs = Object.values(ext).some((v) => v !== undefined);
  const flags = (opts.requestPayload ? 0 : NLM_F_CAPPED) | (hasTlvs ? NLM_F_ACK_TLVS : 0);
  b.begin(NLMSG_ERROR, flags, opts.seq ?? opts.request.seq, opts.pid ?? opts.request.pid);
  const at = b.reserve(4 + NLMSG_HDRLEN);
  const raw = b.raw;
  raw.writeInt32LE(-opts.errno, at);
  const reqLen = opts.requestPayload ? NLMSG_HDRLEN + opts.requestPayload.length : opts.request.length;
  raw.writeUInt32LE(reqLen, at + 4);
  raw.writeUInt16LE(opts.request.type, at + 8);
  raw.writeUInt16LE(opts.request.flags, at + 10);
  raw.writeUInt32LE(opts.request.seq >>> 0, at + 12);
  raw.writeUInt32LE(opts.request.pid >>> 0, at + 16);
  if (opts.requestPayload) b.data(opts.requestPayload);
  if (ext.message !== undefined) b.string(NLMSGERR_ATTR_MSG, ext.message);
  if (ext.offset !== undefined) b.u32(NLMSGERR_ATTR_OFFS, ext.offset);
  if (ext.cookie !== undefined) b.binary(NLMSGERR_ATTR_COOKIE, ext.cookie);
  if (ext.policy !== undefined) b.binary(NLMSGERR_ATTR_POLICY, ext.policy);
  if (ext.missingType !== undefined) b.u32(NLMSGERR_ATTR_MISS_TYPE, ext.missingType);
  if (ext.missingNest !== undefined) b.u32(NLMSGERR_ATTR_MISS_NEST, ext.missingNest);
  return b.end();
}
