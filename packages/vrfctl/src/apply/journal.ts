// The apply journal: /run/vrfctl/apply-<netns>.journal, one JSON line written and fsync'd before
// each step starts (and one when it is done), removed when the run ends either way (applied or
// rolled back). A journal found at the start of a run is one a killed apply left: the run says
// so, treats the VRFs that apply was creating as its own (so a half-built one is completed, or
// pruned, never taken for someone else's), and finishes the work by applying the file.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { RUN_DIR } from '@vrfctl/vrf';
import type { Step } from './steps.js';

export interface JournalEntry {
  step: number;
  title: string;
  /** The VRF a step creates, when it does: apply's own even before its marker is set. */
  vrf?: string;
}

export interface Interrupted {
  path: string;
  pid?: number;
  file?: string;
  total?: number;
  /** Steps that started (the last may be half done). */
  started: JournalEntry[];
  done: number;
  /** VRFs the interrupted run was creating or had created. */
  vrfs: string[];
}

/** The journal's path for a namespace (the name is checked by the CLI: no '/' can reach here unescaped). */
export function journalPath(netns: string | undefined, dir = RUN_DIR): string {
  const tag = netns === undefined ? 'host' : encodeURIComponent(netns).replaceAll('.', '%2E');
  return `${dir}/apply-${tag}.journal`;
}

/** The journal a killed apply left, if any. */
export function readInterrupted(path: string): Interrupted | undefined {
  if (!existsSync(path)) return undefined;
  const out: Interrupted = { path, started: [], done: 0, vrfs: [] };
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '') continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // A torn last line: the write it belonged to never finished.
    }
    if (typeof e.pid === 'number') out.pid = e.pid;
    if (typeof e.file === 'string') out.file = e.file;
    if (typeof e.total === 'number') out.total = e.total;
    if (typeof e.step === 'number' && typeof e.title === 'string') {
      out.started.push({ step: e.step, title: e.title, ...(typeof e.vrf === 'string' ? { vrf: e.vrf } : {}) });
      if (typeof e.vrf === 'string' && !out.vrfs.includes(e.vrf)) out.vrfs.push(e.vrf);
    }
    if (typeof e.done === 'number') out.done = Math.max(out.done, e.done);
  }
  return out;
}

/** One line for the user about an interrupted run. */
export function describeInterrupted(j: Interrupted): string {
  const last = j.started.at(-1);
  const where = last ? `during step ${last.step}${j.total ? ` of ${j.total}` : ''} (${last.title})` : 'before its first step';
  return `an earlier apply${j.file ? ` of ${j.file}` : ''}${j.pid ? ` (pid ${j.pid})` : ''} was interrupted ${where}`;
}

/** The journal of this run; every write reaches the disk before the step it announces starts. */
export class Journal {
  private fd: number;
  constructor(readonly path: string, file: string, total: number, carried: readonly string[]) {
    mkdirSync(RUN_DIR, { recursive: true, mode: 0o755 });
    // Written whole to a temporary name first: a kill here leaves the old journal, never half a new one.
    const tmp = `${path}.new`;
    this.fd = openSync(tmp, 'w', 0o600);
    this.write({ pid: process.pid, file, total, started: new Date().toISOString() });
    // VRFs an interrupted run was making stay ours until this run has finished them.
    for (const vrf of carried) this.write({ step: 0, title: `carried over: vrf ${vrf}`, vrf });
    renameSync(tmp, path);
  }

  private write(entry: Record<string, unknown>): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.fd);
  }

  starting(n: number, step: Step): void {
    this.write({ step: n, title: step.title, ...(step.createsVrf !== undefined ? { vrf: step.createsVrf } : {}) });
  }

  finished(n: number): void {
    this.write({ done: n });
  }

  /** The run ended (applied, or rolled back): nothing is left half done. */
  close(): void {
    closeSync(this.fd);
    rmSync(this.path, { force: true });
  }

  /** The run ended with steps it could not undo: the journal stays for the next run to finish. */
  keep(): void {
    closeSync(this.fd);
  }
}
