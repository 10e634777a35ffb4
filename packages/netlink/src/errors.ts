import { errnoName, strerror } from './errno.js';

/** Malformed bytes: a length that does not fit, a truncated header, nesting too deep. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  /** Byte offset in the buffer being decoded where the problem was found. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.offset = offset;
  }
}

/** What the kernel said beyond the errno (extended ACK, linux/netlink.h nlmsgerr_attrs). */
export interface ExtendedAck {
  /** NLMSGERR_ATTR_MSG: human-readable text, e.g. "Nexthop has invalid gateway". */
  message?: string;
  /** NLMSGERR_ATTR_OFFS: offset in the original request of the attribute at fault. */
  offset?: number;
  cookie?: Uint8Array;
  /** NLMSGERR_ATTR_POLICY: the policy the attribute failed, kept raw. */
  policy?: Uint8Array;
  /** NLMSGERR_ATTR_MISS_TYPE: the attribute type that was required but missing. */
  missingType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest that lacks it. */
  missingNest?: number;
}

/** The kernel refused a request: errno plus the extended ACK, if any. */
export class NetlinkError extends Error {
  override readonly name = 'NetlinkError';
  /** Positive errno, e.g. 17. */
  readonly errno: number;
  /** Symbolic name, e.g. EEXIST. */
  readonly code: string;
  /** strerror text, e.g. "File exists". */
  readonly description: string;
  readonly extack: ExtendedAck;
  /** Sequence number of the request that failed. */
  readonly seq: number;
  constructor(errno: number, extack: ExtendedAck = {}, seq = 0) {
    const code = errnoName(errno);
    const description = strerror(errno);
    super(extack.message ? `${code}: ${description}: ${extack.message}` : `${code}: ${description}`);
    this.errno = errno;
    this.code = code;
    this.description = description;
    this.extack = extack;
    this.seq = seq;
  }
}
