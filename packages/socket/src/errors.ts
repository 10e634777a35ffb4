import { Errno, NetlinkError, errnoName, strerror } from '@vrfctl/netlink';

/** A failed system call: `socket(AF_NETLINK): EPROTONOSUPPORT: Protocol not supported`. */
export class SystemError extends Error {
  override readonly name = 'SystemError';
  readonly errno: number;
  /** Symbolic errno, e.g. ENOENT. */
  readonly code: string;
  /** The call and what it was applied to, e.g. `open(/run/netns/x)`. */
  readonly syscall: string;
  constructor(syscall: string, errno: number) {
    super(`${syscall}: ${errnoName(errno)}: ${strerror(errno)}`);
    this.errno = errno;
    this.code = errnoName(errno);
    this.syscall = syscall;
  }
}

/** No complete answer within the time allowed. The socket stays usable; late replies are dropped. */
export class TimeoutError extends NetlinkError {
  override readonly name: string = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(Errno.ETIMEDOUT, {}, 0, { operation: what, detail: `no answer from the kernel within ${timeoutMs} ms`, fromKernel: false });
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. The socket stays usable; late replies are dropped. */
export class AbortError extends NetlinkError {
  override readonly name: string = 'AbortError';
  override readonly cause: unknown;
  constructor(what: string, reason: unknown) {
    super(Errno.ECANCELED, {}, 0, { operation: what, detail: 'aborted', fromKernel: false });
    this.cause = reason;
  }
}

/** The kernel kept marking a dump NLM_F_DUMP_INTR (the table changed while it was read). */
export class DumpInterrupted extends NetlinkError {
  override readonly name: string = 'DumpInterrupted';
  readonly attempts: number;
  constructor(attempts: number, what?: string) {
    super(Errno.EINTR, {}, 0, {
      detail: `dump interrupted by concurrent changes ${attempts} time(s); giving up`,
      fromKernel: false,
      ...(what !== undefined ? { operation: what } : {}),
    });
    this.attempts = attempts;
  }
}

/**
 * The kernel dropped messages for this socket (recvmsg ENOBUFS, or a datagram larger than the
 * receive buffer). Whatever was being waited for may be incomplete, so it is failed, never
 * returned partially.
 */
export class OverrunError extends NetlinkError {
  override readonly name: string = 'OverrunError';
  constructor(detail: string, what?: string) {
    super(Errno.ENOBUFS, {}, 0, { detail: `netlink receive overrun: ${detail}`, fromKernel: false, ...(what !== undefined ? { operation: what } : {}) });
  }
}

/**
 * The request was sent, but the kernel dropped its answer (ENOBUFS): it may or may not have
 * been applied. `operation` names it; read the kernel's state to know (e.g. dump and reconcile).
 */
export class UnknownOutcomeError extends OverrunError {
  override readonly name: string = 'UnknownOutcomeError';
  constructor(what: string) {
    super('the kernel dropped the answer to this request (ENOBUFS); it may or may not have been applied', what);
  }
}

/** The socket was closed while a request was still waiting for its answer. */
export class SocketClosedError extends NetlinkError {
  override readonly name: string = 'SocketClosedError';
  constructor(what?: string) {
    super(Errno.EBADF, {}, 0, { detail: 'netlink socket closed', fromKernel: false, ...(what !== undefined ? { operation: what } : {}) });
  }
}
