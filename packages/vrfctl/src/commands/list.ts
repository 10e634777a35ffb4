// vrfctl list: like `ip vrf show`, with the state and the ports of each VRF.
import { listVrfs } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { columns } from './vrf-common.js';

export function run(args: string[], opts: GlobalOptions): number {
  if (args.length > 0) throw new UsageError(`unexpected argument "${args[0]}" (usage: vrfctl list)`);
  const vrfs = withSession({ ...opts, dryRun: false }, (s) => s.run(listVrfs()));
  if (opts.json) {
    printJson(vrfs.map((v) => ({ name: v.name, table: v.table, ifindex: v.ifindex, state: v.state, ports: v.ports.map((p) => p.name) })), opts);
    return 0;
  }
  if (vrfs.length === 0) {
    writeLine('No VRF has been configured');
    return 0;
  }
  const rows = [['Name', 'Table', 'State', 'Ports'], ...vrfs.map((v) => [v.name, String(v.table), v.state, v.ports.map((p) => p.name).join(' ')])];
  const lines = columns(rows, new Set([1]));
  writeLine(lines[0]);
  writeLine('-'.repeat(Math.max(...lines.map((l) => l.length))));
  for (const l of lines.slice(1)) writeLine(l);
  return 0;
}
