// `vrfctl batch FILE|- [--force] [--chunk N]`: vrfctl commands, one per line, like `ip -batch`.
//
// Every line is parsed and checked first: a bad line is a usage error (exit 1) naming it, and
// nothing is sent. route/rule/link/addr changes are then pipelined through one socket in chunks
// of N requests (default 256) per exchange; other commands run one at a time, in line order.
// Without --force the batch stops at the first failed line: later chunks are not sent, but the
// lines after it in the same chunk were already sent with it, and the kernel applied those (the
// summary counts them and says so). --chunk 1 sends one request at a time, as ip -batch does.
// The summary ("applied N of M lines, K failed") goes to stderr; exit 1 if any line failed, as ip -batch.
import { ArgumentError } from '@vrfctl/iproute2';
import { EXIT_BATCH_FAILED, EXIT_OK, UsageError } from '../errors.js';
import type { GlobalOptions } from '../context.js';
import { Session } from '../session.js';
import { readBatchLines } from '../batch-input.js';
import { parseBatchLine, type ParsedLine } from '../batch-lines.js';
import { BatchRunner, failureLine } from '../batch-run.js';
import { numberFlag, parseCommandFlags } from '../batch-flags.js';

const USAGE = 'usage: vrfctl batch FILE|- [--force] [--chunk N]';
const DEFAULT_CHUNK = 256; // keep in step with the batch help in main.ts

// The help text (stop and chunk semantics) is in main.ts, which shows it without loading this module.

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function run(args: string[], opts: GlobalOptions): Promise<number> {
  const { words, flags } = parseCommandFlags(args, { switches: ['force'], valued: ['chunk'] });
  if (words.length !== 1) throw new UsageError(USAGE);
  const force = flags.has('force');
  const chunk = numberFlag(flags, 'chunk', 1, 1_000_000, DEFAULT_CHUNK);

  // Parse everything first: a usage error names its line and nothing is sent.
  const lines: ParsedLine[] = [];
  readBatchLines(words[0], (l) => {
    try {
      lines.push(parseBatchLine(l, opts));
    } catch (err) {
      if (err instanceof ArgumentError || err instanceof UsageError) throw new UsageError(`line ${l.line}: ${l.text}: ${err.message}`);
      throw err;
    }
  });

  const session = new Session(opts);
  const runner = new BatchRunner(session, opts, { force, chunk }, (line, err) => process.stderr.write(failureLine(line, err) + '\n'));
  try {
    await runner.run(lines);
  } finally {
    session.close();
  }
  const { total, applied, failed, stoppedAt, alreadySent } = runner.report;
  let summary = `vrfctl: batch: applied ${applied} of ${plural(total, 'line')}, ${failed} failed`;
  const notRun = total - applied - failed;
  if (stoppedAt !== undefined) {
    summary += `; stopped at line ${stoppedAt}, ${notRun} not run (--force goes on)`;
    if (alreadySent > 0) summary += `; ${plural(alreadySent, 'line')} after it had been sent in the same chunk (--chunk 1 avoids that)`;
  }
  process.stderr.write(summary + '\n');
  return failed > 0 ? EXIT_BATCH_FAILED : EXIT_OK;
}
