// `vrfctl batch FILE|- [--force] [--chunk N] [--continue-from LINE]`: vrfctl commands, one per
// line, like `ip -batch`.
//
// Two passes: the first parses and checks every line (names included): a bad line is a usage
// error (exit 1) naming it, and nothing is sent. The second sends: from what the first kept, in
// a compact form, for a file of up to 131,072 lines (batch-kept.ts); beyond that it reads and
// parses the file again, so that a file of a million lines is never held as a million plans
// (standard input is spooled to a private temporary file for that). route/rule/link/addr changes are pipelined
// through one socket in chunks of N requests (default 256) per exchange; other commands run one
// at a time, in line order. Without --force the batch stops at the first failed line: later
// chunks are not sent, but the lines after it in the same chunk were already sent with it, and
// the kernel applied those (the summary counts them and says so). --chunk 1 sends one request
// at a time, as ip -batch does. SIGTERM, SIGINT and SIGHUP stop the sending after the chunk in
// flight has been answered; the summary then says how far it got. --continue-from LINE skips the
// lines before LINE (checked all the same), so a re-run after a kill goes on where it stopped.
// The summary ("applied N of M lines, K failed") goes to stderr; exit 1 if any line failed, as ip -batch.
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@vrfctl/iproute2';
import { printable } from '@vrfctl/netlink';
import { VrfError } from '@vrfctl/vrf';
import { EXIT_BATCH_FAILED, EXIT_OK, UsageError } from '../errors.js';
import type { GlobalOptions } from '../context.js';
import { Session } from '../session.js';
import { lockHost } from '../host-lock.js';
import { batchLines, type BatchLine } from '../batch-input.js';
import { readBlock } from '../input-lines.js';
import { checkBatchLine, parseBatchLine, type ParsedLine } from '../batch-lines.js';
import { BatchRunner, failureLine } from '../batch-run.js';
import { KeptBatch } from '../batch-kept.js';
import { numberFlag, parseCommandFlags } from '../batch-flags.js';

const USAGE = 'usage: vrfctl batch FILE|- [--force] [--chunk N] [--continue-from LINE]';
const DEFAULT_CHUNK = 256; // keep in step with the batch help in main.ts
const SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;

// The help text (stop and chunk semantics) is in main.ts, which shows it without loading this module.

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function isParsed(l: ParsedLine | BatchLine): l is ParsedLine {
  return 'kind' in l;
}

/** fn's result; bad input in it is a UsageError naming the line. */
function naming<T>(l: BatchLine, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ArgumentError || err instanceof UsageError || err instanceof VrfError) {
      throw new UsageError(`line ${l.line}: ${printable(l.text, 80)}: ${err.message}`);
    }
    throw err;
  }
}

/** The most standard input a batch takes (it is spooled to a file): some million commands. */
export const BATCH_STDIN_MAX = 128 << 20;

/** Standard input copied to a private file, so it can be read twice; refused past BATCH_STDIN_MAX. */
function spoolStdin(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-batch-'));
  const path = join(dir, 'stdin');
  const out = openSync(path, 'wx', 0o600);
  const buf = Buffer.allocUnsafe(1 << 20);
  let total = 0;
  try {
    for (let n = readBlock(0, buf); n > 0; n = readBlock(0, buf)) {
      total += n;
      if (total > BATCH_STDIN_MAX) {
        rmSync(dir, { recursive: true, force: true });
        throw new UsageError(`standard input larger than ${BATCH_STDIN_MAX} bytes`);
      }
      writeSync(out, buf, 0, n);
    }
  } finally {
    closeSync(out);
  }
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function run(args: string[], opts: GlobalOptions): Promise<number> {
  const { words, flags } = parseCommandFlags(args, { switches: ['force'], valued: ['chunk', 'continue-from'] });
  if (words.length !== 1) throw new UsageError(USAGE);
  const force = flags.has('force');
  const chunk = numberFlag(flags, 'chunk', 1, 1_000_000, DEFAULT_CHUNK);
  const from = numberFlag(flags, 'continue-from', 1, Number.MAX_SAFE_INTEGER, 1);

  const stdin = words[0] === '-' ? spoolStdin() : undefined;
  const path = stdin?.path ?? words[0];
  try {
    // First pass: every line checked. A batch within KeptBatch's limits is kept as checked, so
    // it is read and parsed once; a longer one keeps nothing but the count and is read again to
    // send (its memory stays bounded whatever its length).
    let total = 0;
    let kept: KeptBatch | undefined = new KeptBatch();
    for (const l of batchLines(path)) {
      if (kept !== undefined) {
        if (!naming(l, () => kept!.add(l, opts))) kept = undefined;
      } else naming(l, () => checkBatchLine(l, opts));
      total++;
    }

    const lock = lockHost('batch', opts);
    const session = new Session(opts);
    const runner: BatchRunner = new BatchRunner(session, opts, { force, chunk }, (line, err) =>
      process.stderr.write(failureLine(line, err, runner.report.applied === 0) + '\n'));
    runner.report.total = total;
    const handlers = Object.keys(SIGNALS).map((sig) => {
      const handler = (): void => runner.interrupt(sig);
      process.on(sig, handler);
      return () => process.off(sig, handler);
    });
    try {
      for (const l of kept !== undefined ? kept.lines() : batchLines(path)) {
        if (l.line < from) {
          runner.report.skipped++;
          continue;
        }
        const parsed = isParsed(l) ? l : naming(l, () => parseBatchLine(l, opts, true));
        if (!(await runner.step(parsed))) break;
      }
      runner.finish();
    } finally {
      for (const off of handlers) off();
      session.close();
      lock?.release();
    }
    const { applied, failed, stoppedAt, alreadySent, lastApplied, skipped, interrupted } = runner.report;
    let summary = `vrfctl: batch: applied ${applied} of ${plural(total, 'line')}, ${failed} failed`;
    if (skipped > 0) summary += `, ${skipped} skipped (--continue-from ${from})`;
    const notRun = total - skipped - applied - failed;
    if (interrupted !== undefined) {
      summary += `; stopped by ${interrupted}, ${notRun} not run; last line applied: ${lastApplied ?? 'none'}` +
        (lastApplied !== undefined ? ` (vrfctl batch --continue-from ${lastApplied + 1} goes on)` : '');
    } else if (stoppedAt !== undefined) {
      summary += `; stopped at line ${stoppedAt}, ${notRun} not run (--force goes on)`;
      if (alreadySent > 0) summary += `; ${plural(alreadySent, 'line')} after it had been sent in the same chunk (--chunk 1 avoids that)`;
    }
    process.stderr.write(summary + '\n');
    if (interrupted !== undefined) return 128 + SIGNALS[interrupted as keyof typeof SIGNALS];
    return failed > 0 ? EXIT_BATCH_FAILED : EXIT_OK;
  } finally {
    stdin?.remove();
  }
}
