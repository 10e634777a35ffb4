// vrfctl add NAME table ID [--loopback] [--no-default-unreachable] [--rt-tables-name[=NAME]] [--keep-local-rule]
import { createVrf, rtTablesPath, validateCreateVrf, type CreateVrfOptions } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { withHostLock } from '../host-lock.js';
import { note, parseFlags, usage } from './vrf-common.js';

const USAGE = 'usage: vrfctl add NAME table ID [--loopback] [--no-default-unreachable] [--rt-tables-name[=NAME]] [--keep-local-rule]';

export function run(args: string[], opts: GlobalOptions): number {
  const { words, flags } = parseFlags(args, ['loopback', 'no-default-unreachable', 'rt-tables-name', 'keep-local-rule']);
  if (words.length !== 3 || words[1] !== 'table') throw new UsageError(USAGE);
  const [name, , table] = words;
  const tablesName = flags.get('rt-tables-name');
  const options: CreateVrfOptions = {
    loopback: flags.has('loopback'),
    defaultUnreachable: !flags.has('no-default-unreachable'),
    moveLocalRule: !flags.has('keep-local-rule'),
    rtTablesName: tablesName === undefined ? undefined : tablesName === true ? true : tablesName,
  };
  // Checked before the socket is even opened: bad input changes nothing.
  const id = usage(() => validateCreateVrf(name, table, options));
  if (opts.dryRun && options.rtTablesName !== undefined) {
    note(`dry run: would write ${rtTablesPath(options.rtTablesName === true ? name : String(options.rtTablesName))} ("${id} ...")`);
    options.rtTablesName = undefined;
  }
  const created = withHostLock('add', opts, () => withSession(opts, (s) => usage(() => s.run(createVrf(name, id, options)))));
  if (!opts.dryRun) for (const c of created.ruleChanges) note(`rules: ${c.command}`);
  if (opts.json && !opts.dryRun) {
    printJson({ name: created.name, table: created.table, ifindex: created.ifindex, state: created.state, ports: [], rules: created.ruleChanges.map((c) => c.command), ...(created.rtTablesFile ? { rt_tables: created.rtTablesFile } : {}) }, opts);
  }
  return 0;
}
