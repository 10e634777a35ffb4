// vrfctl sysctl show [--all-interfaces] | set KEY=VALUE…: the l3mdev and VRF sysctls, in --netns if given.
import { parseSysctlAssignment, readVrfSysctls, setVrfSysctls } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { note, parseFlags, usage } from './vrf-common.js';

const USAGE = 'usage: vrfctl sysctl show [--all-interfaces] | set KEY=VALUE…';

export function run(args: string[], opts: GlobalOptions): number {
  const [verb, ...rest] = args;
  if (verb === 'show' || verb === undefined) {
    const { words, flags } = parseFlags(rest, ['all-interfaces']);
    if (words.length > 0) throw new UsageError(USAGE);
    const values = readVrfSysctls({ netns: opts.netns, interfaces: flags.has('all-interfaces') });
    if (opts.json) printJson(Object.fromEntries(values.map((v) => [v.key, v.value ?? null])), opts);
    else for (const v of values) writeLine(`${v.key} = ${v.value ?? '(not available)'}`);
    return 0;
  }
  if (verb === 'set') {
    if (rest.length === 0) throw new UsageError(USAGE);
    // sysctl.conf style "KEY = VALUE" arrives as three words: join them back.
    const joined = rest.join(' ').split(/\s+(?=[^\s=]+\s*=)/).map((s) => s.replace(/\s*=\s*/, '='));
    if (opts.dryRun) {
      for (const text of joined) {
        const a = usage(() => parseSysctlAssignment(text));
        note(`dry run: would set ${a.key} = ${a.value}`);
      }
      return 0;
    }
    const changes = usage(() => setVrfSysctls(joined, { netns: opts.netns }));
    if (opts.json) printJson(changes.map((c) => ({ key: c.key, value: c.value, previous: c.previous })), opts);
    else for (const c of changes) writeLine(`${c.key} = ${c.value}`);
    return 0;
  }
  throw new UsageError(USAGE);
}
