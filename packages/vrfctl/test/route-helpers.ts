// Shared by the route CLI tests: `vrfctl route …` run in this process (the code path of the
// binary, without a ts-node start per call), and helpers to compare with `ip` in a twin netns.
import { run } from '../src/commands/route.js';
import { runInProcess, type CliResult } from './in-process.js';

export { lines, maskSeqPid, messagesOf as splitMessages, type CliResult } from './in-process.js';

/**
 * Runs `vrfctl [global flags] route ARGS…` in this process: the words before "route" are
 * global flags (-n NS, -4, -6, -j, -p, --dry-run, --hex).
 */
export function vrfctlRoute(argv: readonly string[]): CliResult {
  return runInProcess('route', run, argv);
}

