// Shared by the route CLI tests: `vrfctl route …` run in this process (the code path of the
// binary, without a ts-node start per call), and helpers to compare with `ip` in a twin netns.
import { run } from '../src/commands/route.js';
import { runInProcess, type CliResult } from './in-process.js';

export { lines, maskSeqPid, type CliResult } from './in-process.js';

/**
 * Runs `vrfctl [global flags] route ARGS…` in this process: the words before "route" are
 * global flags (-n NS, -4, -6, -j, -p, --dry-run, --hex).
 */
export function vrfctlRoute(argv: readonly string[]): CliResult {
  return runInProcess('route', run, argv);
}

/** The messages of a request buffer (trailing zero padding, as in iproute2's dumps, dropped). */
export function splitMessages(hex: string): Buffer[] {
  const b = Buffer.from(hex, 'hex');
  const out: Buffer[] = [];
  let off = 0;
  while (off + 16 <= b.length) {
    const len = b.readUInt32LE(off);
    if (len < 16) break;
    out.push(b.subarray(off, off + len));
    off += (len + 3) & ~3;
  }
  return out;
}
