// vrfctl identify [PID]: the VRF a process runs in (empty when none), as `ip vrf identify`.
import { identify } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, writeLine, type GlobalOptions } from '../context.js';

export function run(args: string[], opts: GlobalOptions): number {
  if (args.length > 1) throw new UsageError('usage: vrfctl identify [PID]');
  const text = args[0];
  if (text !== undefined && !/^[1-9]\d{0,9}$/.test(text)) throw new UsageError(`invalid PID "${text}"`);
  const pid = text === undefined ? process.pid : Number(text);
  const vrf = identify(pid);
  if (opts.json) printJson({ pid, vrf: vrf === '' ? null : vrf }, opts);
  else if (vrf !== '') writeLine(vrf);
  return 0;
}
