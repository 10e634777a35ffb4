// `ip route` command lines (iproute2 6.1 syntax) to RouteSpec, RouteFilter and RouteQuery.
// Keywords are tried in iproute2's order, with the same abbreviations, so that the same words
// mean the same thing; the order of attribute keywords is recorded for the encoder.
import { AF_INET, AF_INET6, parseIP } from '@vrfctl/netlink';
import {
  ArgCursor, ArgumentError, parseDsfield, parseIpProto, parsePrefixArg, parseTable, parseUnsigned, protocolNames, scopeNames,
} from '@vrfctl/iproute2';
import type { InlineAttribute, IpVersion, MetricName, NextHopSpec, RouteFilter, RouteMetrics, RouteQuery, RouteSpec } from './model.js';
import { familyWord, isDefaultWord, routeTypeFromWord, routeTypeText } from './values.js';

/** iproute2's matches(): the word is a non-empty prefix of the keyword. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

function versionOf(family: number | undefined): IpVersion | undefined {
  return family === AF_INET ? 4 : family === AF_INET6 ? 6 : undefined;
}

function afOf(v: IpVersion | undefined): number | undefined {
  return v === 4 ? AF_INET : v === 6 ? AF_INET6 : undefined;
}

/** `via inet6 ADDR`: the family words iproute2's read_family knows that routes can use. */
function familyFromWord(word: string): number | undefined {
  if (word === 'inet') return AF_INET;
  if (word === 'inet6') return AF_INET6;
  if (['mpls', 'bridge', 'link', 'ipx', 'dnet'].includes(word)) throw new ArgumentError(`address family "${word}" is not supported`);
  return undefined;
}

/** An address as get_addr reads it: must match the family once one is known. */
function addressWord(text: string, family: number | undefined, what: string): number {
  const ip = parseIP(text);
  if (!ip) throw new ArgumentError(`invalid ${what} "${text}": not an IP address`);
  if (family !== undefined && ip.family !== family) throw new ArgumentError(`invalid ${what} "${text}": ${familyWord(family)} address expected`);
  return ip.family;
}

/**
 * "default" once the family is known (from -4/-6 or an earlier word) is iproute2's all-zero
 * prefix of that family: ip then sends a zero-filled RTA_DST/RTA_SRC of the family's size, so
 * we keep it as 0.0.0.0/0 or ::/0, which encodes to the same bytes. "any"/"all" stay empty.
 */
function zeroDefault(text: string, family: number | undefined): string {
  if (text !== 'default' || family === undefined) return text;
  return family === AF_INET6 ? '::/0' : '0.0.0.0/0';
}

/** A prefix as get_prefix reads it; 'default' keeps the family open. */
function prefixWord(text: string, family: number | undefined, what: string): number | undefined {
  if (isDefaultWord(text)) return family;
  const p = parsePrefixArg(text, what);
  if (family !== undefined && p.family !== family) throw new ArgumentError(`invalid ${what} "${text}": ${familyWord(family)} prefix expected`);
  return p.family;
}

function u32(text: string, what: string): number {
  return parseUnsigned(text, what, 0xffffffff);
}

/** TIME := NUMBER[s|ms] as get_time_rtt reads it: milliseconds, and whether no unit was given. */
function timeRtt(text: string, what: string): { ms: number; raw: boolean } {
  const m = /^(\d+(?:\.\d*)?|\.\d+|0x[0-9a-fA-F]+)(s|sec|secs|ms|msec|msecs)?$/i.exec(text);
  if (!m) throw new ArgumentError(`invalid ${what} "${text}": expected NUMBER[s|ms]`);
  let t = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  if (unit === 's' || unit === 'sec' || unit === 'secs') t *= 1000;
  const ms = Math.ceil(t);
  if (!Number.isSafeInteger(ms) || ms > 0xffffffff) throw new ArgumentError(`invalid ${what} "${text}": out of range`);
  return { ms, raw: unit === undefined };
}

/** REALM := NUMBER | FROM/TO (numbers), as get_rt_realms_or_raw. */
function realmsWord(text: string): number {
  if (/^(0x[0-9a-fA-F]+|\d+)$/.test(text)) return u32(text, 'realms');
  const m = /^(\d*)\/(\d*)$/.exec(text);
  if (!m) throw new ArgumentError(`invalid realms "${text}": expected NUMBER or FROM/TO`);
  const from = m[1] ? parseUnsigned(m[1], 'realm', 0xffff) : 0;
  const to = m[2] ? parseUnsigned(m[2], 'realm', 0xffff) : 0;
  return ((from << 16) | to) >>> 0;
}

function tableWord(text: string): number {
  return parseTable(text);
}

/** The metrics keywords that take `lock`, with how their value is read. */
const LOCKABLE: ReadonlyArray<readonly [test: (w: string) => boolean, name: MetricName]> = [
  [(w) => w === 'mtu', 'mtu'],
  [(w) => w === 'hoplimit', 'hoplimit'],
  [(w) => w === 'advmss', 'advmss'],
  [(w) => matches(w, 'reordering'), 'reordering'],
];

/**
 * Words after `ip route add|change|replace|append|prepend|test|del` to a RouteSpec, as
 * iproute2 6.1's iproute_modify reads them. Bad input throws ArgumentError naming the word.
 */
export function parseRouteSpec(words: readonly string[], opts: { family?: IpVersion } = {}): RouteSpec {
  const c = new ArgCursor(words);
  const order: InlineAttribute[] = [];
  const spec: Partial<RouteSpec> & { order: InlineAttribute[] } = { order };
  let family = afOf(opts.family);
  const metrics: RouteMetrics = {};
  const lock: MetricName[] = [];
  let dstSeen = false;
  const note = (k: InlineAttribute) => order.push(k);
  const metricValue = (keyword: string, name: MetricName, max = 0xffffffff): void => {
    let w = c.value(keyword);
    if (w === 'lock') {
      if (!lock.includes(name)) lock.push(name);
      w = c.value(keyword);
    }
    (metrics as Record<string, number>)[name] = parseUnsigned(w, keyword, max);
  };

  while (!c.done) {
    const w = c.next();
    if (w === 'src') {
      const v = c.value('src');
      family = addressWord(v, family, 'source address');
      spec.prefsrc = v;
      note('prefsrc');
    } else if (w === 'as') {
      throw new ArgumentError('"as" (MPLS destination rewrite) is not supported');
    } else if (w === 'via') {
      if (spec.gateway !== undefined) throw new ArgumentError('invalid "via": use nexthop syntax to specify multiple via');
      let v = c.value('via');
      const explicit = familyFromWord(v);
      if (explicit !== undefined) v = c.value('via');
      const f = addressWord(v, explicit ?? family, 'gateway');
      family ??= f;
      spec.gateway = v;
      note('gateway');
    } else if (w === 'from') {
      const v = c.value('from');
      spec.from = zeroDefault(v, family);
      family = prefixWord(v, family, '"from" prefix') ?? family;
      note('from');
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      spec.tos = parseDsfield(c.value(w));
    } else if (w === 'expires') {
      spec.expires = u32(c.value('expires'), 'expires');
      note('expires');
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      spec.metric = u32(c.value(w), 'metric');
      note('metric');
    } else if (w === 'scope') {
      spec.scope = scopeNames.id(c.value('scope'), 'scope', 255);
    } else if (LOCKABLE.some(([t]) => t(w))) {
      const name = LOCKABLE.find(([t]) => t(w))![1];
      metricValue(w, name, name === 'hoplimit' ? 255 : 0xffffffff);
    } else if (w === 'rtt') {
      let v = c.value(w);
      if (v === 'lock') {
        if (!lock.includes('rtt')) lock.push('rtt');
        v = c.value(w);
      }
      const t = timeRtt(v, 'rtt');
      // Without a unit the number is sent as is; with one it is converted to 1/8 ms.
      metrics.rtt = t.raw ? t.ms : t.ms * 8;
    } else if (w === 'rto_min') {
      // iproute2 always locks rto_min.
      if (!lock.includes('rto_min')) lock.push('rto_min');
      metrics.rto_min = timeRtt(c.value('rto_min'), 'rto_min').ms;
    } else if (matches(w, 'window')) {
      metricValue(w, 'window');
    } else if (matches(w, 'cwnd')) {
      metricValue(w, 'cwnd');
    } else if (matches(w, 'initcwnd')) {
      metricValue(w, 'initcwnd');
    } else if (matches(w, 'initrwnd')) {
      metricValue(w, 'initrwnd');
    } else if (matches(w, 'features')) {
      const v = c.value(w);
      if (v !== 'ecn') throw new ArgumentError(`invalid features "${v}": only "ecn" is known`);
      metrics.features = 1;
    } else if (matches(w, 'quickack')) {
      const v = parseUnsigned(c.value(w), 'quickack');
      if (v > 1) throw new ArgumentError(`invalid quickack "${v}": must be 0 or 1`);
      metrics.quickack = v;
    } else if (matches(w, 'congctl')) {
      let v = c.value(w);
      if (v === 'lock') {
        if (!lock.includes('congctl')) lock.push('congctl');
        v = c.value(w);
      }
      metrics.congctl = v;
    } else if (matches(w, 'rttvar')) {
      let v = c.value(w);
      if (v === 'lock') {
        if (!lock.includes('rttvar')) lock.push('rttvar');
        v = c.value(w);
      }
      const t = timeRtt(v, 'rttvar');
      metrics.rttvar = t.raw ? t.ms : t.ms * 4;
    } else if (matches(w, 'ssthresh')) {
      metricValue(w, 'ssthresh');
    } else if (matches(w, 'realms')) {
      spec.realms = realmsWord(c.value(w));
      note('realms');
    } else if (w === 'onlink') {
      spec.onlink = true;
    } else if (w === 'nexthop') {
      spec.nexthops = parseNexthops(['nexthop', ...c.rest()], () => family, (f) => (family = f));
    } else if (w === 'nhid') {
      spec.nhid = u32(c.value('nhid'), 'nhid');
      note('nhid');
    } else if (matches(w, 'protocol')) {
      spec.protocol = protocolNames.id(c.value(w), 'protocol', 255);
    } else if (matches(w, 'table')) {
      spec.table = tableWord(c.value(w));
      delete spec.vrf;
      note('table');
    } else if (matches(w, 'vrf')) {
      spec.vrf = c.value(w);
      delete spec.table;
      note('table');
    } else if (w === 'dev' || w === 'oif') {
      spec.dev = c.value(w);
    } else if (matches(w, 'pref')) {
      const v = c.value(w);
      spec.pref = v === 'low' || v === 'medium' || v === 'high' ? v : parseUnsigned(v, 'pref', 255);
      note('pref');
    } else if (w === 'encap') {
      throw new ArgumentError('"encap" (lightweight tunnels) is not supported');
    } else if (w === 'ttl-propagate') {
      const v = c.value(w);
      if (matches(v, 'enabled')) spec.ttlPropagate = true;
      else if (matches(v, 'disabled')) spec.ttlPropagate = false;
      else throw new ArgumentError(`invalid ttl-propagate "${v}": enabled or disabled`);
      note('ttlPropagate');
    } else if (matches(w, 'fastopen_no_cookie')) {
      const v = parseUnsigned(c.value(w), 'fastopen_no_cookie');
      if (v > 1) throw new ArgumentError(`invalid fastopen_no_cookie "${v}": must be 0 or 1`);
      metrics.fastopen_no_cookie = v;
    } else {
      let word = w === 'to' ? c.value('to') : w;
      const type = routeTypeFromWord(word);
      if (type !== undefined) {
        spec.type = type;
        word = c.value(routeTypeText(type));
      }
      if (word === 'help') throw new ArgumentError('see `vrfctl route --help`');
      if (dstSeen) throw new ArgumentError(`invalid "${word}": a destination was already given`);
      spec.dst = zeroDefault(word, family);
      family = prefixWord(word, family, 'prefix') ?? family;
      dstSeen = true;
      note('dst');
    }
  }
  if (!dstSeen || spec.dst === undefined) throw new ArgumentError('a destination prefix (or "default") is needed');
  if (Object.keys(metrics).length) spec.metrics = metrics;
  else if (lock.length) spec.metrics = {};
  if (lock.length) spec.lock = lock;
  const v = versionOf(family);
  if (v !== undefined) spec.family = v;
  return spec as RouteSpec;
}

function parseNexthops(words: string[], getFamily: () => number | undefined, setFamily: (f: number) => void): NextHopSpec[] {
  const c = new ArgCursor(words);
  const hops: NextHopSpec[] = [];
  while (!c.done) {
    const w = c.next();
    if (w !== 'nexthop') throw new ArgumentError(`invalid "${w}": "nexthop" or the end of the line expected`);
    if (c.done) throw new ArgumentError('"nexthop" needs a next hop');
    const hop: NextHopSpec = {};
    const order: Array<'gateway' | 'realms'> = [];
    for (;;) {
      const k = c.peek();
      if (k === undefined) break;
      if (k === 'via') {
        c.next();
        let v = c.value('via');
        const explicit = familyFromWord(v);
        if (explicit !== undefined) v = c.value('via');
        const f = addressWord(v, explicit ?? getFamily(), 'nexthop gateway');
        if (getFamily() === undefined) setFamily(f);
        hop.gateway = v;
        order.push('gateway');
      } else if (k === 'dev') {
        c.next();
        hop.dev = c.value('dev');
      } else if (k === 'weight') {
        c.next();
        const v = c.value('weight');
        const n = parseUnsigned(v, 'weight');
        if (n === 0 || n > 256) throw new ArgumentError(`invalid weight "${v}": must be 1 to 256`);
        hop.weight = n;
      } else if (k === 'onlink') {
        c.next();
        hop.onlink = true;
      } else if (matches(k, 'realms')) {
        c.next();
        hop.realms = realmsWord(c.value(k));
        order.push('realms');
      } else if (k === 'encap' || k === 'as') {
        throw new ArgumentError(`"${k}" in a nexthop is not supported`);
      } else break;
    }
    if (order.length) hop.order = order;
    hops.push(hop);
  }
  return hops;
}

/** Words after `ip route show|list|flush` to a RouteFilter (iproute_list_flush_or_save). */
export function parseRouteFilter(words: readonly string[], opts: { family?: IpVersion } = {}): RouteFilter {
  const c = new ArgCursor(words);
  const f: RouteFilter = {};
  if (opts.family) f.family = opts.family;
  const family = afOf(opts.family);
  while (!c.done) {
    const w = c.next();
    if (matches(w, 'table')) {
      const v = c.value(w);
      if (v === 'all') f.table = 'all';
      else if (v === 'cache') throw new ArgumentError('"table cache" (cached routes) is not supported');
      else f.table = tableWord(v);
      delete f.vrf;
    } else if (matches(w, 'vrf')) {
      f.vrf = c.value(w);
      delete f.table;
    } else if (matches(w, 'cached') || matches(w, 'cloned')) {
      throw new ArgumentError(`"${w}" (cached routes) is not supported`);
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      f.tos = parseDsfield(c.value(w));
    } else if (matches(w, 'protocol')) {
      const v = c.value(w);
      if (v === 'all') delete f.protocol;
      else f.protocol = protocolNames.id(v, 'protocol', 255);
    } else if (matches(w, 'scope')) {
      const v = c.value(w);
      if (v === 'all') delete f.scope;
      else f.scope = scopeNames.id(v, 'scope', 255);
    } else if (matches(w, 'type')) {
      const v = c.value(w);
      const t = routeTypeFromWord(v) ?? (/^\d+$/.test(v) ? parseUnsigned(v, 'type', 255) : undefined);
      if (t === undefined) throw new ArgumentError(`invalid type "${v}"`);
      f.type = t;
    } else if (w === 'dev' || w === 'oif') {
      f.dev = c.value(w);
    } else if (w === 'iif' || w === 'mark' || matches(w, 'realms')) {
      throw new ArgumentError(`selecting routes by "${w}" is not supported`);
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      f.metric = u32(c.value(w), 'metric');
    } else if (w === 'via') {
      let v = c.value('via');
      const explicit = familyFromWord(v);
      if (explicit !== undefined) v = c.value('via');
      prefixWord(v, explicit ?? family, '"via" prefix');
      f.via = v;
    } else if (w === 'src') {
      const v = c.value('src');
      prefixWord(v, family, '"src" prefix');
      f.prefsrc = v;
    } else if (matches(w, 'from')) {
      throw new ArgumentError('selecting routes by source prefix ("from") is not supported');
    } else {
      let word = w === 'to' ? c.value(w) : w;
      const kind = matches(word, 'root') ? 'root' : matches(word, 'match') ? 'match' : matches(word, 'exact') ? 'exact' : undefined;
      if (kind) {
        word = c.value(kind);
        prefixWord(word, family, `"${kind}" prefix`);
        f[kind] = word;
      } else {
        prefixWord(word, family, 'prefix');
        f.exact = word;
      }
    }
  }
  // ip lists IPv4 only unless a family is given or all tables are shown.
  if (f.family === undefined && f.table !== 'all') f.family = 4;
  return f;
}

/** Words after `ip route get` to a RouteQuery (iproute_get). */
export function parseRouteQuery(words: readonly string[], opts: { family?: IpVersion } = {}): RouteQuery {
  const c = new ArgCursor(words);
  const q: Partial<RouteQuery> & { order: NonNullable<RouteQuery['order']> } = { order: [] };
  let family = afOf(opts.family);
  if (opts.family) q.family = opts.family;
  while (!c.done) {
    const w = c.next();
    if (w === 'tos' || matches(w, 'dsfield')) {
      q.tos = parseDsfield(c.value(w));
    } else if (matches(w, 'from')) {
      const v = c.value(w);
      family = prefixWord(v, family, '"from" address') ?? family;
      q.from = v;
      q.order.push('from');
    } else if (matches(w, 'iif')) {
      q.iif = c.value(w);
    } else if (matches(w, 'mark')) {
      q.mark = u32(c.value(w), 'mark');
    } else if (matches(w, 'oif') || w === 'dev') {
      q.oif = c.value(w);
      delete q.vrf;
    } else if (matches(w, 'notify') || matches(w, 'connected')) {
      throw new ArgumentError(`"${w}" is not supported`);
    } else if (matches(w, 'vrf')) {
      q.vrf = c.value(w);
      delete q.oif;
    } else if (matches(w, 'uid')) {
      q.uid = u32(c.value(w), 'uid');
      q.order.push('uid');
    } else if (matches(w, 'fibmatch')) {
      q.fibmatch = true;
    } else if (w === 'as') {
      throw new ArgumentError('"as" is not supported');
    } else if (matches(w, 'sport')) {
      q.sport = parseUnsigned(c.value(w), 'sport', 0xffff);
      q.order.push('sport');
    } else if (matches(w, 'dport')) {
      q.dport = parseUnsigned(c.value(w), 'dport', 0xffff);
      q.order.push('dport');
    } else if (matches(w, 'ipproto')) {
      q.ipproto = parseIpProto(c.value(w));
      q.order.push('ipproto');
    } else {
      const word = w === 'to' ? c.value('to') : w;
      if (word === 'help') throw new ArgumentError('see `vrfctl route --help`');
      const addr = word.split('/')[0];
      // "default" is the all-zero address of the family, if one is known (see routeGetRequest).
      if (addr !== 'default') family = addressWord(addr, family, 'destination');
      q.to = addr;
      q.order.push('to');
    }
  }
  if (q.to === undefined) throw new ArgumentError('a destination address is needed');
  const v = versionOf(family);
  if (v !== undefined) q.family = v;
  return q as RouteQuery;
}
