// Shared by the route CLI tests: `vrfctl route …` run in this process (the code path of the
// binary, without a ts-node start per call), and helpers to compare with `ip` in a twin netns.
import { NLM_F_ACK } from '@vrfctl/netlink';
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


/**
 * ip route flush sends the deletes without NLM_F_ACK and learns about failures only from error
 * replies; vrfctl asks for an ACK per delete (batch()) so that it can say which route could not
 * be deleted. Everything else in the message (the dumped route sent back) is the same bytes.
 */
export function withAck(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  b.writeUInt16LE(b.readUInt16LE(6) | NLM_F_ACK, 6);
  return b.toString('hex');
}
