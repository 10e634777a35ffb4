// vrfctl exec NAME -- CMD…: like `ip vrf exec` (the exec module does the cgroup/BPF work).
import { inNetns } from '@vrfctl/socket';
import { checkVrfName, execInVrf } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import type { GlobalOptions } from '../context.js';
import { usage } from './vrf-common.js';

export function run(args: string[], opts: GlobalOptions): number {
  const [name, ...rest] = args;
  const argv = rest[0] === '--' ? rest.slice(1) : rest;
  if (name === undefined || argv.length === 0) throw new UsageError('usage: vrfctl exec NAME -- CMD [ARG…]');
  usage(() => checkVrfName(name));
  if (opts.dryRun) throw new UsageError('--dry-run does not apply to exec');
  // execvp keeps the calling thread's network namespace: enter it first when --netns is given.
  return opts.netns === undefined ? execInVrf(name, argv) : inNetns(opts.netns, () => execInVrf(name, argv));
}
