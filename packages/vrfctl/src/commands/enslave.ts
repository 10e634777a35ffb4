// vrfctl enslave NAME DEV… [--move-default-route]: warnings (default route, SSH session) on stderr.
import { enslave } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { withHostLock } from '../host-lock.js';
import { note, parseFlags, usage, warn } from './vrf-common.js';

export function run(args: string[], opts: GlobalOptions): number {
  const { words, flags } = parseFlags(args, ['move-default-route']);
  if (words.length < 2) throw new UsageError('usage: vrfctl enslave NAME DEV… [--move-default-route]');
  const [vrf, ...devs] = words;
  // Under the host lock: the ports are checked, moved and (on failure) moved back from one snapshot.
  const r = withHostLock('enslave', opts, () =>
    withSession(opts, (s) => usage(() => s.run(enslave(vrf, devs, { moveDefaultRoute: flags.has('move-default-route') })))));
  for (const w of r.warnings) warn(w);
  for (const m of r.movedRoutes) note(`moved default${m.gateway ? ` via ${m.gateway}` : ''} into table ${m.table}`);
  if (opts.json && !opts.dryRun) printJson({ vrf, ports: r.ports.map((p) => ({ ifname: p.name, changed: p.changed })), warnings: r.warnings }, opts);
  return 0;
}
