// `vrfctl vrf show [NAME] | exec NAME CMD… | identify [PID] | pids NAME`: `ip vrf …` as spelt and
// printed by ip (no extra columns: `vrfctl list` is the richer view), beside our own verbs.
import { listVrfs } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';

function show(args: string[], opts: GlobalOptions): number {
  if (args.length > 1) throw new UsageError(`unexpected argument "${args[1]}" (usage: vrfctl vrf show [NAME])`);
  const all = withSession({ ...opts, dryRun: false }, (s) => s.run(listVrfs()));
  const vrfs = args[0] === undefined ? all : all.filter((v) => v.name === args[0]);
  if (args[0] !== undefined && vrfs.length === 0) throw new UsageError('Invalid VRF');
  if (args[0] !== undefined && !opts.json) {
    // ip's one-VRF form: just "NAME TABLE".
    for (const v of vrfs) writeLine(`${v.name} ${v.table}`);
    return 0;
  }
  if (opts.json) {
    printJson(vrfs.map((v) => ({ name: v.name, table: v.table })), opts);
    return 0;
  }
  writeLine(`${'Name'.padEnd(16)}  ${'Table'.padStart(5)}`);
  writeLine('-'.repeat(23));
  if (vrfs.length === 0) writeLine('No VRF has been configured');
  for (const v of vrfs) writeLine(`${v.name.padEnd(16)} ${String(v.table).padStart(5)}`);
  return 0;
}

/** ip's verbs in the order it matches them, each to the command that does it. */
const VERBS: ReadonlyArray<[string, (args: string[], opts: GlobalOptions) => number | Promise<number>]> = [
  ['show', show],
  ['list', show],
  ['exec', async (args, opts) => (await import('./exec.js')).run(args[1] === '--' ? args : [args[0], '--', ...args.slice(1)], opts)],
  ['identify', async (args, opts) => (await import('./identify.js')).run(args, opts)],
  ['pids', async (args, opts) => (await import('./pids.js')).run(args, opts)],
];

export async function run(args: string[], opts: GlobalOptions): Promise<number> {
  const [verb = 'show', ...rest] = args;
  if (verb === 'help') {
    writeLine('Usage: vrfctl vrf show [NAME] | exec NAME CMD [ARG…] | identify [PID] | pids NAME');
    return 0;
  }
  const hit = VERBS.find(([name]) => name.startsWith(verb));
  if (!hit) throw new UsageError(`unknown vrf command "${verb}": show, exec, identify or pids`);
  return hit[1](rest, opts);
}
