// Routes as `ip route show` / `ip route get` print them (iproute2 6.1 print_route): the text line
// and the `-j` object come from one walk over the fields, so keys and words stay in step.
import { AF_INET, AF_INET6 } from '@vrfctl/netlink';
import {
  RTAX, RTM_F, RTN, RTNH_F, RT_TABLE, familyNames, metricNames, routeFlagNames, routePrefNames, routeProtocolNames, routeTypeNames,
  rtnhFlagNames, scopeNames as rtScopeNames, type NextHop, type Route,
} from '@vrfctl/rtnetlink';
import { formatDsfield, protocolNames, realmNames, scopeNames, tableNames } from '@vrfctl/iproute2';
import type { RouteFilter } from './model.js';
import { routeTypeText } from './values.js';

/** What a printed route leaves out because the selector already says it (as iproute2 does). */
export interface PrintOptions {
  /** ifindex -> device name; unknown indexes print as ifN. */
  names: ReadonlyMap<number, string>;
  /** `ip -d`: also unicast, main table, proto boot, scope global. */
  details?: boolean;
  hideTable?: boolean;
  hideDev?: boolean;
  hideProtocol?: boolean;
  hideScope?: boolean;
  hideMetric?: boolean;
  hideTos?: boolean;
  /** A full-length `via` selector: the gateway is the same for every route shown. */
  hideGateway?: boolean;
  /** A full-length `src` selector. */
  hidePrefsrc?: boolean;
}

/** Print options for routes listed with this selector. */
export function printOptionsFor(filter: RouteFilter, names: ReadonlyMap<number, string>): PrintOptions {
  const fullLength = (p: string | undefined) => p !== undefined && !p.includes('/');
  return {
    names,
    // iproute2 prints the table only when showing all tables (filter.tb == 0).
    hideTable: filter.table !== 'all',
    hideDev: filter.dev !== undefined,
    hideProtocol: filter.protocol !== undefined,
    hideScope: filter.scope !== undefined,
    hideMetric: filter.metric !== undefined,
    hideTos: filter.tos !== undefined,
    hideGateway: fullLength(filter.via),
    hidePrefsrc: fullLength(filter.prefsrc),
  };
}

// RTCF_* route cache flags in the upper half of rtm_flags (linux/in_route.h), in print order.
const CACHE_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [0x80000000, 'local'], [0x40000000, 'reject'], [0x20000000, 'mc'], [0x10000000, 'brd'],
  [0x08000000, 'dst-nat'], [0x00800000, 'src-nat'], [0x00400000, 'masq'], [0x00020000, 'dst-direct'],
  [0x04000000, 'src-direct'], [0x00040000, 'redirected'], [0x01000000, 'redirect'], [0x00200000, 'fastroute'],
  [0x00010000, 'notify'], [0x00080000, 'proxy'],
];

// print_rt_flags: the bits and words, in iproute2's order.
export const RT_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [RTNH_F.dead, 'dead'], [RTNH_F.onlink, 'onlink'], [RTNH_F.pervasive, 'pervasive'], [RTNH_F.offload, 'offload'],
  [RTNH_F.trap, 'trap'], [RTM_F.notify, 'notify'], [RTNH_F.linkdown, 'linkdown'], [RTNH_F.unresolved, 'unresolved'],
  [RTM_F.offload, 'rt_offload'], [RTM_F.trap, 'rt_trap'], [RTM_F.offload_failed, 'rt_offload_failed'],
];

// mx_names: what print_rta_metrics calls each RTAX member.
const METRIC_WORDS: Record<number, string> = {
  [RTAX.MTU]: 'mtu', [RTAX.WINDOW]: 'window', [RTAX.RTT]: 'rtt', [RTAX.RTTVAR]: 'rttvar', [RTAX.SSTHRESH]: 'ssthresh',
  [RTAX.CWND]: 'cwnd', [RTAX.ADVMSS]: 'advmss', [RTAX.REORDERING]: 'reordering', [RTAX.HOPLIMIT]: 'hoplimit',
  [RTAX.INITCWND]: 'initcwnd', [RTAX.FEATURES]: 'features', [RTAX.RTO_MIN]: 'rto_min', [RTAX.INITRWND]: 'initrwnd',
  [RTAX.QUICKACK]: 'quickack', [RTAX.CC_ALGO]: 'congctl', [RTAX.FASTOPEN_NO_COOKIE]: 'fastopen_no_cookie',
};
const RTAX_MAX = RTAX.FASTOPEN_NO_COOKIE;

/** Collects the text words and the JSON keys of one route in the same order. */
class Sink {
  text = '';
  readonly json: Record<string, unknown> = {};
  /** Build the text words; off for -j, where they were most of the per-route garbage. */
  constructor(readonly t = true) {}
  put(key: string, value: unknown, words: string | false): void {
    this.json[key] = value;
    if (words !== false) this.text += words;
  }
}

function num(v: string | number, names: { value(n: string | number): number }): number {
  return typeof v === 'number' ? v : names.value(v);
}

function hostLen(family: number): number {
  return family === AF_INET6 ? 128 : 32;
}

/** "addr/len" unless len is the full host length. */
function prefixText(prefix: string, family: number): string {
  const slash = prefix.lastIndexOf('/');
  const len = Number(prefix.slice(slash + 1));
  return len === hostLen(family) ? prefix.slice(0, slash) : prefix;
}

function devName(index: number, opts: PrintOptions): string {
  return opts.names.get(index) ?? `if${index}`;
}

function realm(id: number): string {
  return realmNames.lookup(id) ?? String(id);
}

function putFlags(s: Sink, flags: number): void {
  const words: string[] = [];
  for (const [bit, word] of RT_FLAGS) if (flags & bit) words.push(word);
  s.put('flags', words, s.t && words.map((w) => `${w} `).join(''));
}

function putFlow(s: Sink, flow: number): void {
  const from = flow >>> 16;
  const to = flow & 0xffff;
  const json: Record<string, string> = {};
  if (from) json.from = realm(from);
  json.to = realm(to);
  s.put('flow', json, `realm${from ? 's' : ''} ${from ? `${realm(from)}/` : ''}${realm(to)} `);
}

function putVia(s: Sink, via: NonNullable<Route['via']>): void {
  const family = String(via.family);
  s.put('via', { family, host: via.address }, `via ${family} ${via.address} `);
}

function putMetrics(s: Sink, metrics: Record<string, number | string>): void {
  const byType = new Map<number, number | string>();
  for (const [k, v] of Object.entries(metrics)) byType.set(metricNames.value(k), v);
  const lock = Number(byType.get(RTAX.LOCK) ?? 0);
  const obj: Record<string, unknown> = {};
  let text = '';
  for (let i = 2; i <= RTAX_MAX; i++) {
    const present = byType.has(i);
    if (!present && !(lock & (1 << i))) continue;
    const raw = byType.get(i);
    let val = typeof raw === 'number' ? raw >>> 0 : 0;
    if (i === RTAX.HOPLIMIT && val === 0xffffffff) continue;
    const word = METRIC_WORDS[i];
    text += word ? `${word} ` : `metric ${i} `;
    if (lock & (1 << i)) text += 'lock ';
    if (i === RTAX.FEATURES) {
      let rest = val;
      if (rest & 1) {
        obj.ecn = null;
        text += 'ecn ';
        rest &= ~1;
      }
      if (rest) {
        obj.features = `0x${val.toString(16)}`;
        text += `0x${val.toString(16)} `;
      }
    } else if (i === RTAX.RTT || i === RTAX.RTTVAR || i === RTAX.RTO_MIN) {
      if (i === RTAX.RTT) val = Math.floor(val / 8);
      else if (i === RTAX.RTTVAR) val = Math.floor(val / 4);
      obj[word] = val;
      text += val >= 1000 ? `${formatG(val / 1e3)}s ` : `${val}ms `;
    } else if (i === RTAX.CC_ALGO) {
      const name = typeof raw === 'string' ? raw : '';
      obj.congestion = name;
      text += `${name} `;
    } else {
      if (word) obj[word] = val;
      text += `${val} `;
    }
  }
  s.put('metrics', [obj], text);
}

/** printf %g for the small positive values rtt can have. */
function formatG(v: number): string {
  const p = Number(v.toPrecision(6));
  return String(p);
}

function putCacheFlags(s: Sink, flags: number): void {
  let rest = (flags & ~0xffff) >>> 0;
  const words: string[] = [];
  for (const [bit, word] of CACHE_FLAGS) {
    if (rest & bit) {
      words.push(word);
      rest = (rest & ~bit) >>> 0;
    }
  }
  let text = '\n    cache ';
  if (words.length || rest) text += `<${words.join(',')}${rest ? `${words.length ? ',' : ''}${rest.toString(16)}` : ''}> `;
  s.put('cache', words, text);
}

function putCacheinfo(s: Sink, ci: NonNullable<Route['cacheinfo']>): void {
  // rta_expires and the ages are in USER_HZ (100 per second on Linux).
  if (ci.expires !== 0) s.put('expires', Math.trunc(ci.expires / 100), `expires ${Math.trunc(ci.expires / 100)}sec `);
  if (ci.error !== 0) s.put('error', ci.error >>> 0, `error ${ci.error >>> 0} `);
}

function putNexthops(s: Sink, hops: readonly NextHop[], opts: PrintOptions): void {
  const list: Array<Record<string, unknown>> = [];
  let text = '';
  for (const hop of hops) {
    const h = new Sink();
    h.text = '\n\tnexthop ';
    if (hop.gateway !== undefined) h.put('gateway', hop.gateway, `via ${hop.gateway} `);
    if (hop.via) putVia(h, hop.via);
    if (hop.flow !== undefined) putFlow(h, hop.flow);
    h.put('dev', devName(hop.ifindex, opts), `dev ${devName(hop.ifindex, opts)} `);
    h.put('weight', hop.hops + 1, `weight ${hop.hops + 1} `);
    putFlags(h, rtnhFlagNames.value(hop.flags));
    list.push(h.json);
    text += h.text;
  }
  s.put('nexthops', list, text);
}

function walk(r: Route, opts: PrintOptions, text = true): Sink {
  const s = new Sink(text);
  const family = familyNames.value(r.family);
  const type = num(r.type, routeTypeNames);
  const protocol = num(r.protocol, routeProtocolNames);
  const scope = num(r.scope, rtScopeNames);
  const flags = routeFlagNames.value(r.flags);
  const cloned = (flags & RTM_F.cloned) !== 0;

  if (type !== RTN.unicast || opts.details) s.put('type', routeTypeText(type), s.t && `${routeTypeText(type)} `);
  const dst = r.dst === undefined ? 'default' : prefixText(r.dst, family);
  s.put('dst', dst, s.t && `${dst} `);
  if (r.src !== undefined) {
    const from = prefixText(r.src, family);
    s.put('from', from, s.t && `from ${from} `);
  }
  if (r.nhId !== undefined) s.put('nhid', r.nhId, s.t && `nhid ${r.nhId} `);
  if (r.tos && !opts.hideTos) {
    const t = formatDsfield(r.tos);
    s.put('tos', t, s.t && `tos ${t} `);
  }
  if (r.gateway !== undefined && !opts.hideGateway) s.put('gateway', r.gateway, s.t && `via ${r.gateway} `);
  if (r.via) putVia(s, r.via);
  if (r.oif !== undefined && !opts.hideDev) s.put('dev', devName(r.oif, opts), s.t && `dev ${devName(r.oif, opts)} `);
  if (r.table && (r.table !== RT_TABLE.main || opts.details) && !opts.hideTable) {
    const t = tableNames.name(r.table);
    s.put('table', t, s.t && `table ${t} `);
  }
  if (!cloned) {
    if ((protocol !== 3 || opts.details) && !opts.hideProtocol) {
      const p = protocolNames.name(protocol);
      s.put('protocol', p, s.t && `proto ${p} `);
    }
    if ((scope !== 0 || opts.details) && !opts.hideScope) {
      const sc = scopeNames.name(scope);
      s.put('scope', sc, s.t && `scope ${sc} `);
    }
  }
  if (r.prefsrc !== undefined && !opts.hidePrefsrc) s.put('prefsrc', r.prefsrc, s.t && `src ${r.prefsrc} `);
  if (r.priority !== undefined && !opts.hideMetric) s.put('metric', r.priority >>> 0, s.t && `metric ${r.priority >>> 0} `);
  putFlags(s, flags);
  if (r.mark) s.put('mark', r.mark, r.mark >= 16 ? `mark 0x${r.mark.toString(16)} ` : `mark ${r.mark} `);
  if (r.flow !== undefined) putFlow(s, r.flow);
  if (r.uid !== undefined) s.put('uid', r.uid, s.t && `uid ${r.uid} `);
  if (family === AF_INET) {
    if (cloned) putCacheFlags(s, flags);
    if (r.cacheinfo) putCacheinfo(s, r.cacheinfo);
  } else if (family === AF_INET6) {
    if (r.cacheinfo) putCacheinfo(s, r.cacheinfo);
  }
  if (r.metrics) putMetrics(s, r.metrics);
  if (r.iif !== undefined) s.put('iif', devName(r.iif, opts), s.t && `iif ${devName(r.iif, opts)} `);
  if (r.pref !== undefined) {
    const p = num(r.pref, routePrefNames);
    const word = p === 3 ? 'low' : p === 0 ? 'medium' : p === 1 ? 'high' : undefined;
    s.put('pref', word ?? p, word ? `pref ${word}` : `${p}`);
  }
  if (r.ttlPropagate !== undefined) {
    s.put('ttl-propogate', r.ttlPropagate !== 0, s.t && `ttl-propogate ${r.ttlPropagate ? 'enabled' : 'disabled'}`);
  }
  if (r.multipath) putNexthops(s, r.multipath, opts);
  return s;
}

/** The route as `ip route show` prints it, without the final newline. */
export function formatRoute(route: Route, opts: PrintOptions): string {
  return walk(route, opts).text;
}

/** The route as one element of `ip -j route show`. */
export function routeToJson(route: Route, opts: PrintOptions): Record<string, unknown> {
  return walk(route, opts, false).json;
}
