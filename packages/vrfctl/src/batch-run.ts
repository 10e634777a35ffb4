// Running a parsed batch: pipelined changes are queued and sent in chunks through one socket
// (socket.batch: many requests per sendmsg, ACKs matched by seq); other commands run in line
// order, after everything queued before them has been sent.
import { Errno, NetlinkError, printable, type Message } from '@vrfctl/netlink';
import { LinkNames } from '@vrfctl/link';
import { vrfLink } from '@vrfctl/route';
import { runSync, type BatchResult, type Request, type SyncNetlink } from '@vrfctl/socket';
import { describeFailure } from './errors.js';
import type { GlobalOptions } from './context.js';
import { SEQUENTIAL, type BatchNames, type ParsedLine, type PipelinedLine } from './batch-lines.js';
import type { Session } from './session.js';

export interface BatchOptions {
  /** Go on after a failed line (ip -batch -force). */
  force: boolean;
  /** Requests per pipelined chunk; 1 gives ip -batch's strict one-at-a-time semantics. */
  chunk: number;
}

export interface BatchReport {
  total: number;
  applied: number;
  failed: number;
  /** Line number where the batch stopped (without --force). */
  stoppedAt?: number;
  /** Lines after the failed one that had already gone out in the same chunk (and were applied). */
  alreadySent: number;
  /** The highest line number the kernel (or the command) accepted. */
  lastApplied?: number;
  /** Lines skipped by --continue-from. */
  skipped: number;
  /** The signal that stopped the batch, if one did. */
  interrupted?: string;
}

/** Thrown through a line's plan when an earlier chunk failed and the batch stops. */
class Stop extends Error {}

/**
 * The socket as a line's plan sees it: its change (the ack) is queued instead of sent; its
 * lookups go to the kernel, but only after queued link changes are out (they may create or
 * remove the very name being looked up).
 */
class Deferring implements SyncNetlink {
  queued: Request[] = [];
  constructor(private readonly real: SyncNetlink, private readonly beforeRead: () => void) {}
  ack(req: Request): void {
    this.queued.push(req);
  }
  request(req: Request): Message[] {
    this.beforeRead();
    return this.real.request(req);
  }
  dump(req: Request): Message[] {
    this.beforeRead();
    return this.real.dump(req);
  }
  batch(): BatchResult[] {
    throw new Error('a batch line cannot send a batch of its own');
  }
}

export class BatchRunner {
  private pending: Array<{ line: PipelinedLine; req: Request }> = [];
  /** Queued link changes not yet sent: lookups must wait for them. */
  private dirty = false;
  private caches!: BatchNames;
  private readonly deferring: Deferring;
  readonly report: BatchReport = { total: 0, applied: 0, failed: 0, alreadySent: 0, skipped: 0 };
  private stopped = false;

  constructor(
    private readonly session: Session,
    private readonly opts: GlobalOptions,
    private readonly options: BatchOptions,
    private readonly fail: (line: ParsedLine, err: unknown) => void,
  ) {
    this.deferring = new Deferring(session.nl, () => {
      if (this.dirty) this.flush();
      if (this.stopped) throw new Stop();
    });
    this.resetCaches();
  }

  private resetCaches(): void {
    const vrfs = new Map<string, number>();
    this.caches = {
      names: new LinkNames(),
      *vrfTable(name: string) {
        const known = vrfs.get(name);
        if (known !== undefined) return known;
        const table = (yield* vrfLink(name)).table;
        vrfs.set(name, table);
        return table;
      },
    };
  }

  /** Runs the lines in order, up to the first failure unless --force. */
  async run(lines: readonly ParsedLine[]): Promise<void> {
    this.report.total = lines.length;
    for (const line of lines) if (!(await this.step(line))) break;
    this.finish();
  }

  /** Runs one line (queued or run on its own); false once the batch has stopped. */
  async step(line: ParsedLine): Promise<boolean> {
    if (this.stopped) return false;
    if (line.kind === 'pipelined') {
      const before = this.sent;
      this.queue(line);
      // After each chunk sent (its ACKs all read), let a signal handler run: it stops here.
      if (this.sent !== before) await new Promise((resolve) => setImmediate(resolve));
    } else await this.sequential(line);
    return !this.stopped;
  }

  /** Stops sending: what is queued is not sent (a chunk in flight has been answered already). */
  interrupt(signal: string): void {
    if (this.report.interrupted !== undefined) return;
    this.report.interrupted = signal;
    this.pending = [];
    this.stopped = true;
  }

  /** Sends what is still queued. */
  finish(): void {
    if (!this.stopped) this.flush();
  }

  private sent = 0;

  private queue(line: PipelinedLine): void {
    const ready = line.request ?? line.resolve?.(this.caches.names);
    if (ready) {
      this.pending.push({ line, req: ready });
      if (this.pending.length >= this.options.chunk) this.flush();
      return;
    }
    try {
      runSync(this.deferring, line.plan(this.caches));
    } catch (err) {
      if (err instanceof Stop) return;
      // Its lookup failed (no such device…): what came before still goes out first.
      this.deferring.queued.length = 0;
      this.flush();
      if (this.stopped) return;
      this.lineFailed(line, err);
      return;
    }
    const reqs = this.deferring.queued;
    this.deferring.queued = [];
    for (const req of reqs) this.pending.push({ line, req });
    if (line.changesNames) this.dirty = true;
    if (this.pending.length >= this.options.chunk) this.flush();
  }

  private async sequential(line: ParsedLine & { kind: 'sequential' }): Promise<void> {
    this.flush();
    if (this.stopped) return;
    // A dry run prints what was recorded so far first, to keep the output in line order.
    this.session.flush();
    try {
      const mod = await SEQUENTIAL[line.command]();
      const code = (await mod.run([...line.args], this.opts)) ?? 0;
      if (code !== 0) throw new Error(`exited with status ${code}`);
      this.report.applied++;
      this.report.lastApplied = line.line;
    } catch (err) {
      this.lineFailed(line, err);
    }
    // The command may have created, renamed or deleted anything.
    this.resetCaches();
  }

  private lineFailed(line: ParsedLine, err: unknown): void {
    this.report.failed++;
    this.fail(line, err);
    if (!this.options.force && this.report.stoppedAt === undefined) {
      this.report.stoppedAt = line.line;
      this.stopped = true;
    }
  }

  /** Sends what is queued, in one pipelined exchange, and accounts for every answer. */
  private flush(): void {
    const chunk = this.pending;
    if (chunk.length === 0) {
      this.dirty = false;
      return;
    }
    this.pending = [];
    this.dirty = false;
    this.sent++;
    const results = this.session.nl.batch(chunk.map((p) => p.req));
    let failedAt = -1;
    results.forEach((r, i) => {
      if (r.ok) {
        this.report.applied++;
        this.report.lastApplied = Math.max(this.report.lastApplied ?? 0, chunk[i].line.line);
        if (failedAt >= 0 && !this.options.force) this.report.alreadySent++;
        return;
      }
      if (failedAt < 0) failedAt = i;
      else if (!this.options.force) this.report.alreadySent++;
      this.lineFailed(chunk[i].line, r.error);
    });
    // A resolved name may be stale after link changes: look names up afresh.
    if (chunk.some((p) => p.line.changesNames)) this.resetCaches();
  }
}

/** One stderr line for a failed batch line: "vrfctl: batch: line 17: route add …: EEXIST: File exists". */
export function failureLine(line: ParsedLine, err: unknown, nothingAppliedYet = false): string {
  const what = `batch: line ${line.line}: ${printable(line.text, 100)}`;
  if (err instanceof NetlinkError) {
    // The usual reason a re-run stops at its first line: the lines before were applied by an earlier run.
    const hint = err.errno === Errno.EEXIST && nothingAppliedYet ? ` (applied by an earlier run? vrfctl batch --continue-from ${line.line + 1} goes on after it)` : '';
    return `vrfctl: ${what}: ${err.detail}${hint}`;
  }
  return describeFailure(err, what).line;
}
