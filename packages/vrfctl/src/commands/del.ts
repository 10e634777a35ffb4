// vrfctl del NAME [--flush-table]
import { deleteVrf } from '@vrfctl/vrf';
import { removeTableNames } from '@vrfctl/iproute2';
import { UsageError } from '../errors.js';
import { printJson, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { withHostLock } from '../host-lock.js';
import { note, parseFlags, usage } from './vrf-common.js';

export function run(args: string[], opts: GlobalOptions): number {
  const { words, flags } = parseFlags(args, ['flush-table']);
  if (words.length !== 1) throw new UsageError('usage: vrfctl del NAME [--flush-table]');
  const deleted = withHostLock('del', opts, () => withSession(opts, (s) => usage(() => s.run(deleteVrf(words[0], { flushTable: flags.has('flush-table') })))));
  // The table name `vrfctl add --rt-tables-name` wrote for this VRF goes with it (others' lines stay).
  if (!opts.dryRun) for (const f of removeTableNames(deleted.table, undefined, deleted.name)) note(`removed table ${deleted.table}'s name from ${f}`);
  if (opts.json && !opts.dryRun) printJson({ name: deleted.name, table: deleted.table, routes_deleted: deleted.routesDeleted }, opts);
  return 0;
}
