// vrfctl release DEV…: take ports out of their VRF (ip link set DEV nomaster).
import { release } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { withHostLock } from '../host-lock.js';
import { usage, warn } from './vrf-common.js';

export function run(args: string[], opts: GlobalOptions): number {
  if (args.length === 0 || args.some((a) => a.startsWith('--'))) throw new UsageError('usage: vrfctl release DEV…');
  const r = withHostLock('release', opts, () => withSession(opts, (s) => usage(() => s.run(release(args)))));
  for (const w of r.warnings) warn(w);
  if (opts.json && !opts.dryRun) printJson({ ports: r.ports.map((p) => ({ ifname: p.name })), warnings: r.warnings }, opts);
  return 0;
}
