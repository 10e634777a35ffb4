import { errnoName, strerror } from '@vrfctl/netlink';

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
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super(`${what}: no answer from the kernel within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. The socket stays usable; late replies are dropped. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  override readonly cause: unknown;
  constructor(what: string, reason: unknown) {
    super(`${what}: aborted`);
    this.cause = reason;
  }
}

/** The kernel kept marking a dump NLM_F_DUMP_INTR (the table changed while it was read). */
export class DumpInterrupted extends Error {
  override readonly name = 'DumpInterrupted';
  readonly attempts: number;
  constructor(attempts: number) {
    super(`dump interrupted by concurrent changes ${attempts} time(s); giving up`);
    this.attempts = attempts;
  }
}

/**
 * The kernel dropped messages for this socket (recvmsg ENOBUFS, or a datagram larger than the
 * receive buffer). Whatever was being waited for may be incomplete, so it is failed, never
 * returned partially.
 */
export class OverrunError extends Error {
  override readonly name = 'OverrunError';
  constructor(detail: string) {
    super(`netlink receive overrun: ${detail}`);
  }
}

/** The socket was closed while a request was still waiting for its answer. */
export class SocketClosedError extends Error {
  override readonly name = 'SocketClosedError';
  constructor() {
    super('netlink socket closed');
  }
}
