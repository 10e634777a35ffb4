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

/** Where an error came from and which operation it belongs to. */
export interface NetlinkErrorContext {
  /** The operation, e.g. `route add 10.0.0.0/24 table 100` or `RTM_GETLINK dump`. */
  operation?: string;
  /** The text after the operation; for kernel errors `EEXIST: File exists[: extended ACK text]`. */
  detail?: string;
  /** False for errors made on this side (timeout, abort, overrun…): the kernel said nothing. */
  fromKernel?: boolean;
}

/**
 * The base of every error a netlink request can end with: the kernel's refusal (errno plus
 * extended ACK) or a local fault that has an errno too (ETIMEDOUT, ECANCELED, ENOBUFS…), so
 * `err.code` can always be tested. `err.name` is the class name of the subclass.
 */
export class NetlinkError extends Error {
  override readonly name: string = 'NetlinkError';
  /** Positive errno, e.g. 17. */
  readonly errno: number;
  /** Symbolic name, e.g. EEXIST. */
  readonly code: string;
  /** strerror text, e.g. "File exists". */
  readonly description: string;
  readonly extack: ExtendedAck;
  /** Sequence number of the request that failed (0 when unknown). */
  readonly seq: number;
  /** True when the kernel answered with this error. */
  readonly fromKernel: boolean;
  /** The message without the operation: what the CLI prints after its own prefix. */
  readonly detail: string;
  private op: string | undefined;

  constructor(errno: number, extack: ExtendedAck = {}, seq = 0, context: NetlinkErrorContext = {}) {
    const code = errnoName(errno);
    const description = strerror(errno);
    const detail = context.detail ?? (extack.message ? `${code}: ${description}: ${extack.message}` : `${code}: ${description}`);
    super(detail);
    this.errno = errno;
    this.code = code;
    this.description = description;
    this.extack = extack;
    this.seq = seq;
    this.fromKernel = context.fromKernel ?? true;
    this.detail = detail;
    this.op = undefined;
    if (context.operation !== undefined) this.setOperation(context.operation);
  }

  /** The operation this error belongs to, e.g. `route add 10.0.0.0/24 table 100`. */
  get operation(): string | undefined {
    return this.op;
  }

  /**
   * Names the operation (once: the innermost caller knows it best). A kernel error then reads
   * `route add 10.0.0.0/24 table 100: File exists (EEXIST): extended ACK text`.
   */
  setOperation(operation: string): this {
    if (this.op !== undefined) return this;
    this.op = operation;
    const text = this.fromKernel
      ? `${this.description} (${this.code})${this.extack.message ? `: ${this.extack.message}` : ''}`
      : this.detail;
    this.message = `${operation}: ${text}`;
    return this;
  }
}

/** ENOENT, ESRCH, ENODEV, EADDRNOTAVAIL: the object (or a table, device…) does not exist. */
export class NotFoundError extends NetlinkError {
  override readonly name: string = 'NotFoundError';
}
/** EEXIST: the object is already there (add with NLM_F_EXCL). */
export class ExistsError extends NetlinkError {
  override readonly name: string = 'ExistsError';
}
/** EPERM, EACCES: the change needs CAP_NET_ADMIN (in the socket's network namespace). */
export class PermissionError extends NetlinkError {
  override readonly name: string = 'PermissionError';
}
/** EBUSY: the object is in use. */
export class BusyError extends NetlinkError {
  override readonly name: string = 'BusyError';
}
/** EINVAL, EOPNOTSUPP, ERANGE, EAFNOSUPPORT, EPROTONOSUPPORT, EMSGSIZE: the kernel refused the request's content. */
export class InvalidRequestError extends NetlinkError {
  override readonly name: string = 'InvalidRequestError';
}

const KERNEL_CLASSES = new Map<number, typeof NetlinkError>([
  [2, NotFoundError], [3, NotFoundError], [19, NotFoundError], [99, NotFoundError],
  [17, ExistsError],
  [1, PermissionError], [13, PermissionError],
  [16, BusyError],
  [22, InvalidRequestError], [95, InvalidRequestError], [34, InvalidRequestError],
  [97, InvalidRequestError], [93, InvalidRequestError], [90, InvalidRequestError],
]);

/** The kernel's refusal as the subclass its errno belongs to (NetlinkError itself for the rest). */
export function kernelError(errno: number, extack: ExtendedAck = {}, seq = 0, operation?: string): NetlinkError {
  const Class = KERNEL_CLASSES.get(errno) ?? NetlinkError;
  return new Class(errno, extack, seq, operation !== undefined ? { operation } : {});
}
