// Checked batch lines kept as their request's payload bytes, packed into shared blocks: a line is
// then a few small objects instead of words, a spec, a plan and a Buffer of its own (100k route
// lines cost more in allocation and garbage collection than in parsing, measured with --cpu-prof).
import type { MessageBuilder } from '@vrfctl/netlink';
import type { LinkNames } from '@vrfctl/link';
import { SIMPLE_OIF_LEN, writeOif } from '@vrfctl/route';
import { ack, type Plan, type Request } from '@vrfctl/socket';
import type { BatchLine } from './batch-input.js';
import type { BatchNames, PipelinedLine } from './batch-lines.js';

const NO_WORDS: string[] = [];
const BLOCK = 64 << 10;
let block = Buffer.allocUnsafe(BLOCK);
let used = 0;

/** A copy of src[0, length) with room for extra bytes after it, cut from the current block (one view per line). */
export function keepPayload(src: Uint8Array, length: number, extra = 0): Buffer {
  const n = length + extra;
  if (used + n > block.length) {
    // A full block stays alive as long as lines cut from it do.
    block = Buffer.allocUnsafe(Math.max(BLOCK, n));
    used = 0;
  }
  // A loop, not set(subarray): a view per copy cost more than copying some 50 bytes.
  for (let i = 0; i < length; i++) block[used + i] = src[i];
  const out = block.subarray(used, used + n);
  used += (n + 3) & ~3;
  return out;
}

/** A request whose payload was encoded and checked already. */
export class PayloadRequest implements Request {
  constructor(readonly type: number, readonly flags: number, readonly payload: Uint8Array) {}
  encode(b: MessageBuilder): void {
    b.data(this.payload);
  }
}

/** A pipelined line reduced to its checked payload; with a device, RTA_OIF is written once the name is resolved. */
export class CompactLine implements PipelinedLine {
  readonly kind = 'pipelined';
  readonly changesNames = false;
  readonly words = NO_WORDS;
  readonly line: number;
  readonly text: string;
  readonly request?: Request;

  /** payload ends with SIMPLE_OIF_LEN bytes of room for RTA_OIF when dev is given. */
  constructor(l: BatchLine, private readonly req: PayloadRequest, private readonly dev?: string) {
    this.line = l.line;
    this.text = l.text;
    if (dev === undefined) this.request = req;
  }

  resolve(names: LinkNames): Request | undefined {
    const index = names.known(this.dev!);
    if (index === undefined) return undefined;
    this.setOif(index);
    return this.req;
  }

  *plan(ctx: BatchNames): Plan<void> {
    if (this.dev !== undefined) this.setOif(yield* ctx.names.index(this.dev));
    yield* ack(this.req);
  }

  private setOif(index: number): void {
    const p = this.req.payload as Buffer;
    writeOif(p, p.length - SIMPLE_OIF_LEN, index);
  }
}
