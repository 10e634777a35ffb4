// The global flags (before the command name) checked and turned into the options every command sees.
import { UNSAFE_TEXT, printable } from '@vrfctl/netlink';
import { UsageError } from './errors.js';
import type { GlobalOptions } from './context.js';

/** A namespace name under /run/netns (or an absolute path): never a traversal, never unprintable. */
function checkNetnsName(name: string): void {
  const bad = name === '' || name === '.' || name === '..' || UNSAFE_TEXT.test(name) || (!name.startsWith('/') && name.includes('/')) ||
    Buffer.byteLength(name) > 255;
  if (bad) throw new UsageError(`invalid network namespace "${printable(name)}": a name in /run/netns (no '/', '.', '..' or control characters) or an absolute path`);
}

/** The global flags as given (commander's option values, or plain-argv.ts's). */
export interface RawGlobals {
  netns?: string; 4?: boolean; 6?: boolean; json?: boolean; pretty?: boolean; dryRun?: boolean; hex?: boolean; debug?: boolean;
  brief?: boolean; stats: number; details: number; oneline?: boolean;
}

/** A global flag without a value: its spellings, the RawGlobals key it sets (or counts up: -s -s), its help. */
export type GlobalSwitch = { flags: readonly string[]; help: string } & (
  | { key: '4' | '6' | 'json' | 'pretty' | 'dryRun' | 'hex' | 'debug' | 'brief' | 'oneline'; counts?: undefined }
  | { key: 'stats' | 'details'; counts: true }
);

/** The switches in help order: program.ts declares them to commander, plain-argv.ts reads them itself. */
export const GLOBAL_SWITCHES: readonly GlobalSwitch[] = [
  { flags: ['-4'], key: '4', help: 'IPv4 only' },
  { flags: ['-6'], key: '6', help: 'IPv6 only' },
  { flags: ['-j', '--json'], key: 'json', help: 'JSON output, with iproute2 -j field names' },
  { flags: ['-p', '--pretty'], key: 'pretty', help: 'indented JSON' },
  { flags: ['-s', '--stats'], key: 'stats', help: 'link counters (link, addr); twice for the error counters', counts: true },
  { flags: ['-d', '--details'], key: 'details', help: 'details', counts: true },
  { flags: ['-o', '--oneline'], key: 'oneline', help: 'one line per record, "\\" where lines would break (link, addr)' },
  { flags: ['--brief'], key: 'brief', help: 'one line per link: name, state, addresses (link, addr); ip\'s -br' },
  { flags: ['--dry-run'], key: 'dryRun', help: 'print the requests a change would send instead of sending them' },
  { flags: ['--hex'], key: 'hex', help: 'with --dry-run: one hex line per netlink request (seq and pid zero)' },
  { flags: ['--debug'], key: 'debug', help: 'stack traces on errors' },
];

/** A command line taken apart: the command, its words, the global flags before it. */
export interface Invocation {
  command: string;
  args: string[];
  globals: RawGlobals;
}

/** The options a command sees; UsageError for flags that do not go together or a bad netns name. */
export function globalOptions(o: RawGlobals, command: string): GlobalOptions {
  if (o[4] && o[6]) throw new UsageError('-4 and -6 exclude each other');
  if (o.hex && !o.dryRun) throw new UsageError('--hex goes with --dry-run');
  if (o.netns !== undefined) checkNetnsName(o.netns);
  if (o.details > 0 && command !== 'link') throw new UsageError('-d (details) is not supported yet but for link show');
  return {
    netns: o.netns,
    family: o[4] ? 4 : o[6] ? 6 : undefined,
    json: Boolean(o.json),
    pretty: Boolean(o.pretty),
    dryRun: Boolean(o.dryRun),
    hex: Boolean(o.hex),
    debug: Boolean(o.debug),
    brief: Boolean(o.brief),
    stats: o.stats,
    details: o.details,
    oneline: Boolean(o.oneline),
  };
}
