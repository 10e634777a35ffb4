// `ip rule add|del|show` words into a RuleSpec or a show filter, with iproute2 6.1's keywords,
// abbreviations (pref, prio, p…) and the order in which it tries them.
import {
  ArgCursor, ArgumentError, parseDsfield, parseGroup, parseIpProto, parseRealms, parseUnsigned, validateInterfaceName,
} from '@vrfctl/iproute2';
import { parsePrefix, type Prefix } from '@vrfctl/netlink';
import { wordOrder, type Range, type RuleFamily, type RuleSpec } from './model.js';
import { resolveProtocol, resolveTable } from './resolve.js';

/** iproute2's matches(): the word is a non-empty prefix of the keyword. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

function parseRange(text: string, what: string, max: number): Range {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new ArgumentError(`invalid ${what} "${text}": expected N or N-M`);
  const start = parseUnsigned(m[1], what, max);
  const end = m[2] === undefined ? start : parseUnsigned(m[2], what, max);
  if (start > end) throw new ArgumentError(`invalid ${what} "${text}": start above end`);
  return { start, end };
}

function parseUidRange(text: string): Range {
  if (!/^\d+-\d+$/.test(text)) throw new ArgumentError(`invalid uidrange "${text}": expected START-END`);
  return parseRange(text, 'uidrange', 0xffffffff);
}

function parseFwmark(text: string): { mark: number; mask?: number } {
  const slash = text.indexOf('/');
  const mark = parseUnsigned(slash === -1 ? text : text.slice(0, slash), 'fwmark');
  return slash === -1 ? { mark } : { mark, mask: parseUnsigned(text.slice(slash + 1), 'fwmask') };
}

function parseTunId(text: string): bigint {
  if (!/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(text)) throw new ArgumentError(`invalid tun_id "${text}": not a number`);
  const n = BigInt(text);
  if (n > 0xffffffffffffffffn) throw new ArgumentError(`invalid tun_id "${text}": out of range`);
  return n;
}

function checkPrefix(text: string, what: string): string {
  if (text === 'all' || text === 'any' || text === 'default') return text;
  if (!parsePrefix(text)) throw new ArgumentError(`invalid ${what} "${text}": not an address or prefix`);
  return text;
}

/**
 * "default" with -4/-6 is iproute2's all-zero prefix of that family (a zero-filled FRA_SRC/FRA_DST
 * of 4 or 16 bytes); without a family, and for "all"/"any", the attribute is empty.
 */
function zeroDefault(text: string, family: RuleFamily | undefined): string {
  if (text !== 'default' || family === undefined) return text;
  return family === 6 ? '::/0' : '0.0.0.0/0';
}

/** Action words: goto N, nop, and the route types iproute2 accepts for a rule. */
const ACTION_TYPES: Readonly<Record<string, RuleSpec['action']>> = {
  unicast: 'lookup', blackhole: 'blackhole', unreachable: 'unreachable', prohibit: 'prohibit',
};

/**
 * Words of `ip rule add|del` into a spec that records the words' order (wordOrder), so that it
 * encodes to the bytes iproute2 sends.
 */
export function parseRuleArgs(words: readonly string[], family?: RuleFamily): RuleSpec {
  const spec: RuleSpec = {};
  const keys: Array<keyof RuleSpec> = [];
  // Records the order in which the words came: iproute2 writes the attributes in that order.
  const set = <K extends keyof RuleSpec>(key: K, value: RuleSpec[K]): void => {
    if (!keys.includes(key)) keys.push(key);
    spec[key] = value;
  };
  if (family) set('family', family);
  const c = new ArgCursor(words);
  while (!c.done) {
    const w = c.next();
    if (w === 'not') set('not', true);
    else if (w === 'from') set('src', zeroDefault(checkPrefix(c.value('from'), 'from'), family));
    else if (w === 'to') set('dst', zeroDefault(checkPrefix(c.value('to'), 'to'), family));
    else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      set('priority', parseUnsigned(c.value(w), 'preference'));
    } else if (w === 'tos' || matches(w, 'dsfield')) set('tos', parseDsfield(c.value(w)));
    else if (w === 'fwmark') {
      const { mark, mask } = parseFwmark(c.value('fwmark'));
      set('fwmark', mark);
      if (mask !== undefined) set('fwmask', mask);
    } else if (matches(w, 'realms')) set('realms', parseRealms(c.value('realms')));
    else if (matches(w, 'protocol')) set('protocol', resolveProtocol(c.value('protocol')));
    else if (matches(w, 'tun_id')) set('tunId', parseTunId(c.value('tun_id')));
    else if (matches(w, 'table') || w === 'lookup') set('table', resolveTable(c.value(w)));
    else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      set('suppressPrefixlen', parseUnsigned(c.value('suppress_prefixlength'), 'suppress_prefixlength', 0x7fffffff));
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') set('suppressIfgroup', parseGroup(c.value('suppress_ifgroup'), 'suppress_ifgroup'));
    else if (w === 'dev' || w === 'iif') set('iif', validateInterfaceName(c.value(w), 'iif'));
    else if (w === 'oif') set('oif', validateInterfaceName(c.value(w), 'oif'));
    else if (w === 'l3mdev') set('l3mdev', true);
    else if (w === 'uidrange') set('uidRange', parseUidRange(c.value('uidrange')));
    else if (w === 'nat' || matches(w, 'map-to')) throw new ArgumentError(`"${w}": route NAT was removed from Linux`);
    else if (w === 'ipproto') set('ipProto', parseIpProto(c.value('ipproto')));
    else if (w === 'sport' || w === 'dport') set(w, parseRange(c.value(w), w, 0xffff));
    else {
      const type = w === 'type' ? c.value('type') : w;
      if (matches(type, 'help')) throw new ArgumentError('usage: rule add|del SELECTOR ACTION (see ip-rule(8))');
      if (matches(type, 'goto')) {
        set('goto', parseUnsigned(c.value('goto'), 'goto target'));
        set('action', 'goto');
      } else if (matches(type, 'nop')) set('action', 'nop');
      else if (type in ACTION_TYPES) {
        set('action', ACTION_TYPES[type]);
        // "unicast" is iproute2's lookup without a default table.
        if (type === 'unicast' && spec.table === undefined) set('table', 0);
      } else throw new ArgumentError(`unknown rule keyword or action "${type}"`);
    }
  }
  if (spec.l3mdev && spec.table !== undefined && spec.table !== 0) {
    throw new ArgumentError('table can not be specified for l3mdev rules');
  }
  return wordOrder(spec, keys);
}

/**
 * What `ip rule show|flush` can select on: the spec's keys, with names and prefixes resolved
 * (numbers, parsed prefixes, ranges).
 */
export interface RuleFilter extends Pick<RuleSpec, 'priority' | 'not' | 'fwmark' | 'fwmask' | 'iif' | 'oif' | 'l3mdev' | 'uidRange'> {
  src?: Prefix;
  dst?: Prefix;
  tos?: number;
  tunId?: bigint;
  table?: number;
  /** undefined or 'all': any protocol. */
  protocol?: number;
  ipProto?: number;
  sport?: Range;
  dport?: Range;
}

function filterPrefix(text: string, what: string, family: RuleFamily): Prefix {
  const p = parsePrefix(text);
  if (!p) throw new ArgumentError(`invalid ${what} "${text}": not an address or prefix`);
  if ((p.family === 10 ? 6 : 4) !== family) throw new ArgumentError(`invalid ${what} "${text}": not an IPv${family} prefix`);
  return p;
}

/** Words after `ip rule show` / `ip rule flush`. */
export function parseRuleFilter(words: readonly string[], family: RuleFamily): RuleFilter {
  const f: RuleFilter = {};
  const c = new ArgCursor(words);
  while (!c.done) {
    const w = c.next();
    if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) f.priority = parseUnsigned(c.value(w), 'preference');
    else if (w === 'not') f.not = true;
    else if (w === 'tos') f.tos = parseDsfield(c.value('tos'));
    else if (w === 'fwmark') {
      const { mark, mask } = parseFwmark(c.value('fwmark'));
      f.fwmark = mark;
      if (mask !== undefined) f.fwmask = mask;
    } else if (w === 'dev' || w === 'iif') f.iif = validateInterfaceName(c.value(w), 'iif');
    else if (w === 'oif') f.oif = validateInterfaceName(c.value(w), 'oif');
    else if (w === 'l3mdev') f.l3mdev = true;
    else if (w === 'uidrange') f.uidRange = parseUidRange(c.value('uidrange'));
    else if (matches(w, 'tun_id')) f.tunId = parseTunId(c.value('tun_id'));
    else if (matches(w, 'lookup') || matches(w, 'table')) f.table = resolveTable(c.value(w));
    else if (matches(w, 'from') || matches(w, 'src')) f.src = filterPrefix(c.value(w), 'from', family);
    else if (matches(w, 'protocol')) {
      const v = c.value('protocol');
      f.protocol = v === 'all' ? undefined : resolveProtocol(v);
    } else if (w === 'ipproto') f.ipProto = parseIpProto(c.value('ipproto'));
    else if (w === 'sport' || w === 'dport') f[w] = parseRange(c.value(w), w, 0xffff);
    else {
      const text = matches(w, 'dst') || matches(w, 'to') ? c.value(w) : w;
      f.dst = filterPrefix(text, 'to', family);
    }
  }
  return f;
}
