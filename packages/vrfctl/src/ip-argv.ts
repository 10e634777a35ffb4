// iproute2's spellings of the global flags, commands and verbs, rewritten into ours before
// commander sees them, so that `vrfctl -br a`, `vrfctl -netns red r s` or `vrfctl -s -s l`
// run what `ip` would. ip takes any prefix of a flag, command or verb, the first one in its own
// order winning ("-b" is -batch, "-br" -brief; "a" is address, "r" route, "ru" rule), so the
// tables below keep ip's order. Exact names of our own commands and options always win.
import { UsageError } from './errors.js';

/** ip's global flags in the order ip tries them; `to` is ours, null when not supported. */
const IP_FLAGS: ReadonlyArray<{ ip: string; to: string | null; arg?: true; exact?: true }> = [
  { ip: '-loops', to: null, arg: true },
  { ip: '-family', to: '-family', arg: true },
  { ip: '-4', to: '-4', exact: true },
  { ip: '-6', to: '-6', exact: true },
  { ip: '-0', to: null, exact: true },
  { ip: '-M', to: null, exact: true },
  { ip: '-B', to: null, exact: true },
  { ip: '-human', to: null },
  { ip: '-human-readable', to: null },
  { ip: '-iec', to: null },
  { ip: '-stats', to: '--stats' },
  { ip: '-statistics', to: '--stats' },
  { ip: '-details', to: '--details' },
  { ip: '-resolve', to: null },
  { ip: '-oneline', to: '--oneline' },
  { ip: '-timestamp', to: null },
  { ip: '-tshort', to: null },
  { ip: '-Version', to: '--version' },
  { ip: '-force', to: '--force' },
  { ip: '-batch', to: '-batch', arg: true },
  { ip: '-brief', to: '--brief' },
  { ip: '-json', to: '--json' },
  { ip: '-pretty', to: '--pretty' },
  { ip: '-rcvbuf', to: null, arg: true },
  // -color: taken, but we never colour: the text is ip's with its colour escapes left out.
  { ip: '-color', to: '' },
  { ip: '-help', to: '--help' },
  { ip: '-netns', to: '--netns', arg: true },
  { ip: '-Numeric', to: null },
  { ip: '-all', to: null },
];

/** Our own options, taken as they are. */
const OWN = new Set([
  '-n', '--netns', '-4', '-6', '-j', '--json', '-p', '--pretty', '--dry-run', '--hex', '--debug', '-V', '--version',
  '-h', '--help', '-s', '--stats', '-d', '--details', '-o', '--oneline', '--brief',
]);
const OWN_WITH_VALUE = new Set(['-n', '--netns']);

/** ip's objects in its order; the value is our command, null when we have none. */
const IP_OBJECTS: ReadonlyArray<[string, string | null]> = [
  ['address', 'addr'], ['addrlabel', null], ['maddress', null], ['route', 'route'], ['rule', 'rule'],
  ['neighbor', 'neigh'], ['neighbour', 'neigh'], ['ntable', null], ['ntbl', null], ['link', 'link'], ['l2tp', null],
  ['fou', null], ['ila', null], ['macsec', null], ['tunnel', null], ['tunl', null], ['tuntap', null], ['tap', null],
  ['token', null], ['tcpmetrics', null], ['tcp_metrics', null], ['monitor', 'monitor'], ['xfrm', null], ['mroute', null],
  ['mrule', null], ['netns', 'netns'], ['netconf', null], ['vrf', 'vrf'], ['sr', null], ['nexthop', 'nexthop'],
  ['mptcp', null], ['ioam', null], ['help', null], ['stats', null],
];

/** Each object's verbs in the order ip matches them; the value is ours. */
const SHOW: Array<[string, string]> = [['list', 'show'], ['show', 'show'], ['lst', 'show']];
const IP_VERBS: Record<string, ReadonlyArray<[string, string]>> = {
  addr: [['add', 'add'], ['change', 'change'], ['replace', 'replace'], ['delete', 'delete'], ...SHOW, ['flush', 'flush']],
  link: [['add', 'add'], ['set', 'set'], ['change', 'change'], ['replace', 'replace'], ['delete', 'delete'], ['show', 'show'], ['lst', 'show'], ['list', 'show'], ['xstats', 'xstats'], ['afstats', 'afstats'], ['property', 'property']],
  route: [['add', 'add'], ['change', 'change'], ['replace', 'replace'], ['prepend', 'prepend'], ['append', 'append'], ['test', 'test'], ['delete', 'delete'], ...SHOW, ['get', 'get'], ['flush', 'flush']],
  rule: [...SHOW, ['flush', 'flush'], ['add', 'add'], ['delete', 'delete']],
  neigh: [['add', 'add'], ['change', 'change'], ['replace', 'replace'], ['delete', 'delete'], ['get', 'get'], ['show', 'show'], ['list', 'show'], ['lst', 'show'], ['flush', 'flush']],
};

/** Every verb spelt out in full: a line that uses only these needs no rewriting (the batch fast path). */
export const IP_VERB_WORDS: ReadonlySet<string> = new Set(Object.values(IP_VERBS).flatMap((v) => v.map(([name]) => name)).concat('del'));

/** The first of ip's names (in ip's order) that the word is a prefix of. */
function firstMatch<T>(word: string, table: ReadonlyArray<readonly [string, T]>): readonly [string, T] | undefined {
  if (word === '') return undefined;
  return table.find(([name]) => name.startsWith(word));
}

/**
 * Rewrites the global flags (up to the command), the command and its verb from ip's spellings
 * into ours. commands is our command list: an exact name of ours is never rewritten.
 */
export function fromIpSpelling(args: readonly string[], commands: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--' || !a.startsWith('-') || a === '-') break;
    if (OWN.has(a)) {
      out.push(a);
      if (OWN_WITH_VALUE.has(a) && i + 1 < args.length) out.push(args[++i]);
      continue;
    }
    // ip takes --flag as -flag.
    const opt = a.startsWith('--') ? a.slice(1) : a;
    const [name, inline] = opt.includes('=') ? [opt.slice(0, opt.indexOf('=')), opt.slice(opt.indexOf('=') + 1)] : [opt, undefined];
    const flag = IP_FLAGS.find((f) => (f.exact ? f.ip === name : f.ip.startsWith(name) && name.length > 1)) ??
      (name.startsWith('-c') && '-color'.startsWith(name) ? IP_FLAGS.find((f) => f.ip === '-color') : undefined);
    if (!flag) throw new UsageError(`unknown option "${a}" (vrfctl --help lists them)`);
    const value = flag.arg ? (inline ?? args[++i]) : undefined;
    if (flag.arg && value === undefined) throw new UsageError(`option "${flag.ip}" needs a value`);
    if (flag.to === null) throw new UsageError(`option "${flag.ip}" of ip is not supported by vrfctl`);
    if (flag.to === '-family') {
      const fam = ({ inet: '-4', inet6: '-6' } as Record<string, string>)[value!];
      if (!fam) throw new UsageError(`invalid family "${value}": inet or inet6`);
      out.push(fam);
    } else if (flag.to === '-batch') {
      // `ip -batch FILE` is our `batch FILE`, with the flags given so far (and -force) around it.
      const force = out.includes('--force');
      return [...out.filter((x) => x !== '--force'), 'batch', value!, ...(force ? ['--force'] : []), ...args.slice(i + 1)];
    } else if (flag.to === '--force') {
      out.push('--force');
    } else if (flag.to !== '') {
      out.push(flag.to);
      if (flag.arg) out.push(value!);
    }
  }
  const force = out.indexOf('--force');
  if (force >= 0) throw new UsageError('-force goes with -batch');
  if (i >= args.length) return out;
  if (args[i] === '--') return [...out, ...args.slice(i)];
  let command = args[i];
  if (!commands.has(command)) {
    const hit = firstMatch(command, IP_OBJECTS);
    if (hit?.[1]) command = hit[1];
  }
  out.push(command);
  const verbs = IP_VERBS[command];
  const verb = args[i + 1];
  if (verbs && verb !== undefined && !verbs.some(([v]) => v === verb) && verb !== 'del' && verb !== 'help') {
    const hit = firstMatch(verb, verbs);
    if (hit) return [...out, hit[1], ...args.slice(i + 2)];
  }
  return [...out, ...args.slice(i + 1)];
}
