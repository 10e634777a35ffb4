import type { Message, MessageBuilder, NetlinkError } from '@vrfctl/netlink';


/**
 * One request: the message type and flags, and a function that writes the family header
 * and attributes after the nlmsghdr. NLM_F_REQUEST is always added; the socket assigns seq
 * and pid. The same Request can be encoded for sending or for a dry run.
 */
export interface Request {
  type: number;
  /** Extra nlmsg_flags (NLM_F_ACK, NLM_F_DUMP, NLM_F_CREATE…). NLM_F_REQUEST is implied. */
  flags: number;
  /** Writes the payload (family header and attributes). */
  encode?: (b: MessageBuilder) => void;
  /**
   * The operation, for errors: `route add 10.0.0.0/24 table 100`. Without it errors name the
   * message type (`RTM_NEWROUTE request`).
   */
  what?: string;
}

/** The result of one request of a batch: ok, or the kernel's error for it. */
export type BatchResult = { ok: true; replies: Message[] } | { ok: false; error: NetlinkError };

export interface DumpOptions {
  /** How many times to restart a dump the kernel marked NLM_F_DUMP_INTR (default 3). */
  retries?: number;
}

/** The options every operation takes, sync or async, the monitor included. */
export interface CallOptions {
  /**
   * Abandons the operation: an async call rejects with AbortError at once; a sync call checks it
   * before each request it sends. The socket stays usable.
   */
  signal?: AbortSignal;
  /** Milliseconds to wait for the kernel's answer (default: the socket's timeoutMs, 30 s). */
  timeoutMs?: number;
}

export type SyncOptions = CallOptions;
export type AsyncOptions = CallOptions;

/**
 * The synchronous face of a netlink socket, as the CLI and the dry-run recorder use it.
 * Operations in packages/link, route, rule and vrf are written against this interface.
 */
export interface SyncNetlink {
  /** Sends a request with NLM_F_ACK and waits for the ACK; throws NetlinkError on an ERROR reply. */
  ack(req: Request, opts?: SyncOptions): void;
  /**
   * Sends a GET of one object (RTM_GETROUTE for one route, RTM_GETLINK of a name) without
   * NLM_F_ACK, as ip does, and returns its reply (all of a multipart one, up to NLMSG_DONE).
   */
  request(req: Request, opts?: SyncOptions): Message[];
  /** Sends a dump request (NLM_F_DUMP) and returns all messages until NLMSG_DONE. */
  dump(req: Request, opts?: DumpOptions & SyncOptions): Message[];
  /** Sends many requests pipelined, each with NLM_F_ACK; one result per request, in order. */
  batch(reqs: Iterable<Request>, opts?: SyncOptions): BatchResult[];
}

/** The asynchronous face: the same operations as Promises, driven by the event loop. */
export interface AsyncNetlink {
  ackAsync(req: Request, opts?: AsyncOptions): Promise<void>;
  requestAsync(req: Request, opts?: AsyncOptions): Promise<Message[]>;
  dumpAsync(req: Request, opts?: AsyncOptions & DumpOptions): Promise<Message[]>;
  /** Streams a dump message by message (bounded memory for very large tables). */
  dumpIterator(req: Request, opts?: AsyncOptions): AsyncIterableIterator<Message>;
  batchAsync(reqs: Iterable<Request>, opts?: AsyncOptions): Promise<BatchResult[]>;
}

/** The outcome of one spec of a batch of specs (routes, rules, addresses…): the kernel's answer to it. */
export type SpecResult<S> = { ok: true; spec: S } | { ok: false; spec: S; error: NetlinkError };
