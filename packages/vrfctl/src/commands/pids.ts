// vrfctl pids NAME: the processes running in a VRF, as `ip vrf pids`.
import { inNetns } from '@vrfctl/socket';
import { checkVrfName, formatPids, pids } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, type GlobalOptions } from '../context.js';
import { usage } from './vrf-common.js';
import { writeOut } from '../stdout.js';

export function run(args: string[], opts: GlobalOptions): number {
  if (args.length !== 1) throw new UsageError('usage: vrfctl pids NAME');
  const name = usage(() => checkVrfName(args[0]));
  // The VRF device and the per-netns cgroup directory are looked up in the target netns.
  const list = usage(() => (opts.netns === undefined ? pids(name) : inNetns(opts.netns, () => pids(name))));
  if (opts.json) printJson(list.map((p) => ({ pid: p.pid, comm: p.comm ?? null })), opts);
  else writeOut(formatPids(list));
  return 0;
}
