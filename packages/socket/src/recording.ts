import { MessageBuilder, NLM_F_ACK, NLM_F_REQUEST, type Message } from '@vrfctl/netlink';
import type { BatchResult, Request, SyncNetlink } from './types.js';

/**
 * Encodes a request as it would go on the wire, with seq and pid zero (the dry-run form).
 * extraFlags are those the socket adds for the kind of call (NLM_F_ACK for ack and batch).
 */
export function encodeRequest(req: Request, b = new MessageBuilder(256), extraFlags = 0): Buffer {
  b.reset();
  b.begin(req.type, req.flags | NLM_F_REQUEST | extraFlags, 0, 0);
  req.encode?.(b);
  b.end();
  return b.finish();
}

/**
 * A dry-run transport: mutations (ack, batch, and requests flagged as changes) are recorded
 * instead of sent and reported as successful; reads go to the real socket when one is given,
 * so names still resolve. Used for `--dry-run` and for golden tests only.
 */
export class RecordingNetlink implements SyncNetlink {
  readonly recorded: Buffer[] = [];
  private readonly builder = new MessageBuilder(256);

  constructor(private readonly reads?: SyncNetlink) {}

  ack(req: Request): void {
    this.recorded.push(encodeRequest(req, this.builder, NLM_F_ACK));
  }
  request(req: Request): Message[] {
    if (this.reads && isRead(req)) return this.reads.request(req);
    this.recorded.push(encodeRequest(req, this.builder));
    return [];
  }
  dump(req: Request): Message[] {
    if (!this.reads) throw new Error('dry run without a socket cannot read kernel state');
    return this.reads.dump(req);
  }
  batch(reqs: Iterable<Request>): BatchResult[] {
    const out: BatchResult[] = [];
    for (const req of reqs) {
      this.recorded.push(encodeRequest(req, this.builder, NLM_F_ACK));
      out.push({ ok: true, replies: [] });
    }
    return out;
  }
}

/** rtnetlink GET types are ≡ 2 (mod 4): RTM_GETLINK 18, RTM_GETADDR 22, RTM_GETROUTE 26… */
function isRead(req: Request): boolean {
  return req.type >= 16 && req.type % 4 === 2;
}
