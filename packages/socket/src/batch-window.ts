// Batch windowing: a batch goes out in chunks, each as large as the receive queue has room for
// its answers, and the next chunk only once the one before it was answered. The steps are
// written once as a generator of conditions to wait for; batch() and batchAsync() only differ
// in how they wait (poll or the event loop).
import type { MessageBuilder } from '@vrfctl/netlink';
import { UnknownOutcomeError } from './errors.js';
import { BatchState } from './batch.js';
import { encodeChunk, type Pacer } from './pacing.js';
import type { BatchResult, Request } from './types.js';

/** What a batch needs of its socket. */
export interface BatchHost {
  readonly pacer: Pacer;
  readonly builder: MessageBuilder;
  readonly maxBytes: number;
  readonly capAck: boolean;
  readonly extAck: boolean;
  send(bytes: Buffer): void;
  /** "RTM_NEWROUTE request 3 of 10" unless the request names itself. */
  describe(req: Request, index: number, count: number): string;
}

/** A condition the socket waits for (reading meanwhile) before the batch's next step. */
export type BatchWait = () => boolean;

export class BatchWindow {
  readonly state: BatchState;
  /** The chunk sent and waiting for its answers. */
  private chunk: { from: number; end: number; cost: number } | null = null;
  /** A failure of the socket itself while the batch ran (overrun, read error): ends the batch. */
  error: Error | null = null;
  private readonly chunkInfo = { length: 0, cost: 0 };

  constructor(
    private readonly host: BatchHost,
    private readonly list: readonly Request[],
    firstSeq: number,
  ) {
    this.state = new BatchState(firstSeq, list.length);
  }

  /** Sends chunk after chunk; yields what to wait for; returns the results, each failure naming its request. */
  *steps(): Generator<BatchWait, BatchResult[], void> {
    let next = 0;
    while (next < this.list.length) {
      yield () => this.mayGo() || this.error !== null;
      if (this.error) throw this.error;
      next = this.sendChunk(next);
    }
    yield () => this.chunk === null || this.error !== null;
    if (this.error) throw this.error;
    const results = this.state.results as BatchResult[];
    results.forEach((r, i) => {
      if (!r.ok) r.error.setOperation(this.what(i));
    });
    return results;
  }

  /** Called after a datagram answered part of the batch: a fully answered chunk gives its room back. */
  onProgress(): void {
    const chunk = this.chunk;
    if (chunk && this.state.answered >= chunk.end) {
      this.host.pacer.releaseBytes(chunk.cost);
      this.chunk = null;
    }
  }

  /** True while a chunk waits for answers. */
  get waiting(): boolean {
    return this.chunk !== null;
  }

  /** The answers of the chunk in flight were dropped (ENOBUFS): what is unanswered failed with UnknownOutcomeError. */
  settleLost(): number {
    const chunk = this.chunk;
    if (!chunk) return 0;
    let lost = 0;
    for (let i = chunk.from; i < chunk.end; i++) {
      if (this.state.results[i] !== undefined) continue;
      lost++;
      this.state.settleUnknown(i, new UnknownOutcomeError(this.what(i)));
    }
    this.onProgress();
    return lost;
  }

  /** Gives the room of the chunk in flight back (the batch ended, however it ended). */
  end(): void {
    if (this.chunk) this.host.pacer.releaseBytes(this.chunk.cost);
    this.chunk = null;
  }

  private what(i: number): string {
    const req = this.list[i];
    return req ? this.host.describe(req, i, this.list.length) : `request ${i + 1} of a batch`;
  }

  /**
   * A chunk may go when the single requests queued before it went and the answers in flight
   * leave room (or there are none).
   */
  private mayGo(): boolean {
    const p = this.host.pacer;
    return this.chunk === null && p.queued === 0 && (p.outstanding === 0 || p.room > 0);
  }

  /** Encodes and sends the next chunk from next; returns the index after it (next: no room). */
  private sendChunk(next: number): number {
    const { pacer, builder } = this.host;
    const info = this.chunkInfo;
    const end = encodeChunk(builder, this.list, next, this.state.firstSeq, pacer.room, pacer.outstanding === 0, this.host.maxBytes, this.host.capAck, this.host.extAck, info);
    if (end === next) return next;
    this.host.send(builder.bytes.subarray(0, info.length));
    pacer.charge(info.cost);
    this.chunk = { from: next, end, cost: info.cost };
    return end;
  }
}

/** Runs the steps, waiting with wait (which may throw: the steps then end, their cleanup runs). */
export function driveSync<T>(steps: Generator<BatchWait, T, void>, wait: (cond: BatchWait) => void): T {
  let r = steps.next();
  while (!r.done) {
    try {
      wait(r.value);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next();
  }
  return r.value;
}

export async function driveAsync<T>(steps: Generator<BatchWait, T, void>, wait: (cond: BatchWait) => Promise<void>): Promise<T> {
  let r = steps.next();
  while (!r.done) {
    try {
      await wait(r.value);
    } catch (e) {
      r = steps.throw(e);
      continue;
    }
    r = steps.next();
  }
  return r.value;
}
