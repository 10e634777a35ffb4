// RTM_NEWROUTE / RTM_DELROUTE requests from a RouteSpec, with iproute2 6.1's defaults and
// attribute order: inline attributes where their keyword was, then RTA_OIF, RTA_METRICS and
// RTA_MULTIPATH (iproute2 appends those after parsing the whole line).
import {
  AF_INET, AF_INET6, MessageBuilder, NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, parseIP,
} from '@vrfctl/netlink';
import { RTA, RTAX, RTM, RTMSG_LEN, RTN, RTNH_F, RT_SCOPE, RT_TABLE } from '@vrfctl/rtnetlink';
import type { Request } from '@vrfctl/socket';
import { ArgumentError, parseTable, protocolNames, scopeNames } from '@vrfctl/iproute2';
import type { InlineAttribute, MetricName, NextHopSpec, RouteSpec } from './model.js';
import { addressOf, familyNumber, prefixOf, routeTypeNumber, type Addr } from './values.js';

/** How a change request is sent: `ip route add|replace|append|prepend|change|test|del`. */
export type RouteChange = 'add' | 'replace' | 'append' | 'prepend' | 'change' | 'test' | 'delete';

/** nlmsg_flags per change, as do_iproute passes them (NLM_F_ACK added as rtnl_talk does). */
export const CHANGE_FLAGS: Record<RouteChange, number> = {
  add: NLM_F_CREATE | NLM_F_EXCL,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  append: NLM_F_CREATE | NLM_F_APPEND,
  prepend: NLM_F_CREATE,
  change: NLM_F_REPLACE,
  test: NLM_F_EXCL,
  delete: 0,
};

/** Order used for attributes the spec did not order (that of a typical ip command line). */
export const DEFAULT_ORDER: readonly InlineAttribute[] = [
  'dst', 'from', 'gateway', 'prefsrc', 'metric', 'table', 'pref', 'realms', 'expires', 'nhid', 'ttlPropagate',
];

const RTNH_LEN = 8;
const PREF_VALUES: Record<string, number> = { low: 3, medium: 0, high: 1 };

/** RTAX_* by metric keyword. */
const METRIC_TYPES: Record<MetricName, number> = {
  mtu: RTAX.MTU, window: RTAX.WINDOW, rtt: RTAX.RTT, rttvar: RTAX.RTTVAR, ssthresh: RTAX.SSTHRESH,
  cwnd: RTAX.CWND, advmss: RTAX.ADVMSS, reordering: RTAX.REORDERING, hoplimit: RTAX.HOPLIMIT,
  initcwnd: RTAX.INITCWND, features: RTAX.FEATURES, rto_min: RTAX.RTO_MIN, initrwnd: RTAX.INITRWND,
  quickack: RTAX.QUICKACK, congctl: RTAX.CC_ALGO, fastopen_no_cookie: RTAX.FASTOPEN_NO_COOKIE,
};

/** Names and devices already turned into numbers by the plan (lookups need the socket). */
export interface Resolved {
  /** The VRF's table when the spec names a VRF (`table` itself needs no lookup). */
  table?: number;
  oif?: number;
  /** ifindex per nexthop (0 when the hop names no device). */
  hopIndexes: number[];
}

/** The route's family: explicit, else that of the first address in keyword order (IPv4 if none). */
export function routeFamily(spec: RouteSpec): number {
  if (spec.family !== undefined) return familyNumber(spec.family);
  const candidates: Array<string | undefined> = [];
  for (const key of orderOf(spec)) {
    if (key === 'dst') candidates.push(spec.dst);
    else if (key === 'from') candidates.push(spec.from);
    else if (key === 'prefsrc') candidates.push(spec.prefsrc);
    else if (key === 'gateway') candidates.push(spec.gateway);
  }
  for (const hop of spec.nexthops ?? []) candidates.push(hop.gateway);
  for (const c of candidates) {
    if (c === undefined) continue;
    const f = parseIP(c.split('/')[0])?.family;
    if (f !== undefined) return f;
  }
  return AF_INET;
}

/** The spec's inline attributes in wire order: its own order first, then the default order. */
export function orderOf(spec: RouteSpec): InlineAttribute[] {
  const out: InlineAttribute[] = [];
  for (const k of [...(spec.order ?? []), ...DEFAULT_ORDER]) if (!out.includes(k)) out.push(k);
  return out;
}

function tableFor(spec: RouteSpec, resolved: Resolved, type: number): number {
  if (resolved.table !== undefined) return resolved.table;
  if (spec.table !== undefined) {
    const id = typeof spec.table === 'number' ? spec.table : parseTable(spec.table);
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new ArgumentError(`invalid table "${spec.table}"`);
    return id;
  }
  // iproute2 puts local, broadcast, nat and anycast routes into the local table by default.
  if (type === RTN.local || type === RTN.broadcast || type === RTN.nat || type === RTN.anycast) return RT_TABLE.local;
  return RT_TABLE.main;
}

function scopeFor(spec: RouteSpec, family: number, type: number, op: RouteChange): number {
  if (spec.scope !== undefined) return typeof spec.scope === 'number' ? spec.scope : scopeNames.id(spec.scope, 'scope', 255);
  if (family === AF_INET6) return RT_SCOPE.universe;
  if (type === RTN.local || type === RTN.nat) return RT_SCOPE.host;
  if (type === RTN.broadcast || type === RTN.multicast || type === RTN.anycast) return RT_SCOPE.link;
  if (op === 'delete') return RT_SCOPE.nowhere;
  if (type === RTN.unicast || type === RTN.unspec) {
    const hasNexthop = spec.gateway !== undefined || (spec.nexthops?.length ?? 0) > 0 || spec.nhid !== undefined;
    return hasNexthop ? RT_SCOPE.universe : RT_SCOPE.link;
  }
  return RT_SCOPE.universe;
}

function writeGateway(b: MessageBuilder, family: number, gw: Addr): void {
  if (gw.family === family) {
    b.binary(RTA.GATEWAY, gw.bytes);
    return;
  }
  // A gateway of the other family (IPv4 over an IPv6 nexthop): struct rtvia.
  const v = Buffer.alloc(2 + gw.bytes.length);
  v.writeUInt16LE(gw.family, 0);
  v.set(gw.bytes, 2);
  b.binary(RTA.VIA, v);
}

function writeMetrics(b: MessageBuilder, spec: RouteSpec): void {
  const metrics = spec.metrics ?? {};
  const keys = Object.keys(metrics) as MetricName[];
  let lock = 0;
  for (const name of spec.lock ?? []) {
    const t = METRIC_TYPES[name];
    if (t === undefined) throw new ArgumentError(`invalid metric to lock "${String(name)}"`);
    lock |= 1 << t;
  }
  if (keys.length === 0) return;
  const nest = b.nest(RTA.METRICS, true);
  for (const name of keys) {
    const value = metrics[name];
    const t = METRIC_TYPES[name];
    if (t === undefined) throw new ArgumentError(`invalid metric "${String(name)}"`);
    if (value === undefined) continue;
    // iproute2 sends the algorithm name without a terminating NUL.
    if (typeof value === 'string') b.binary(t, Buffer.from(value));
    else b.u32(t, value);
  }
  if (lock) b.u32(RTAX.LOCK, lock >>> 0);
  b.endNest(nest);
}

function writeMultipath(b: MessageBuilder, family: number, hops: readonly NextHopSpec[], indexes: readonly number[]): void {
  const nest = b.nest(RTA.MULTIPATH, true);
  hops.forEach((hop, i) => {
    const weight = hop.weight ?? 1;
    if (!Number.isInteger(weight) || weight < 1 || weight > 256) throw new ArgumentError(`invalid weight "${weight}": must be 1 to 256`);
    const at = b.reserve(RTNH_LEN);
    b.raw.writeUInt8(hop.onlink ? RTNH_F.onlink : 0, at + 2);
    b.raw.writeUInt8(weight - 1, at + 3);
    b.raw.writeInt32LE(indexes[i] ?? 0, at + 4);
    const order = [...(hop.order ?? []), 'gateway', 'realms'];
    const done = new Set<string>();
    for (const k of order) {
      if (done.has(k)) continue;
      done.add(k);
      if (k === 'gateway' && hop.gateway !== undefined) writeGateway(b, family, addressOf(hop.gateway, 'nexthop gateway'));
      else if (k === 'realms' && hop.realms !== undefined) b.u32(RTA.FLOW, hop.realms);
    }
    b.raw.writeUInt16LE(b.length - at, at);
  });
  b.endNest(nest);
}

/**
 * Stand-ins for the lookups, to check a spec before its names are looked up (the values are
 * never sent: checkRouteSpec throws or returns nothing).
 */
function placeholders(spec: RouteSpec): Resolved {
  const r: Resolved = { hopIndexes: (spec.nexthops ?? []).map((h) => (h.dev === undefined ? 0 : 1)) };
  if (spec.vrf !== undefined) r.table = RT_TABLE.main;
  if (spec.dev !== undefined) r.oif = 1;
  return r;
}

/** Throws ArgumentError for a spec the kernel could never accept; names are not looked up. */
export function checkRouteSpec(op: RouteChange, spec: RouteSpec): void {
  routeChangeRequest(op, spec, placeholders(spec));
}

/** `route add 10.0.0.0/24 table 100`: how errors name a change. */
export function describeRouteChange(op: RouteChange, spec: RouteSpec, table?: number): string {
  let where = '';
  if (spec.vrf !== undefined) where = ` vrf ${spec.vrf}`;
  else if (spec.table !== undefined) where = ` table ${spec.table}`;
  else if (table !== undefined && table !== RT_TABLE.main) where = ` table ${table}`;
  const dev = spec.dev !== undefined ? ` dev ${spec.dev}` : '';
  return `route ${op} ${spec.dst}${dev}${where}`;
}

/** Names the spec carries that the plan must have looked up; an encoder never drops them. */
function assertResolved(spec: RouteSpec, resolved: Resolved): void {
  const missing: string[] = [];
  if (spec.dev !== undefined && typeof spec.dev !== 'number' && resolved.oif === undefined) missing.push(`dev "${spec.dev}"`);
  if (spec.vrf !== undefined && resolved.table === undefined) missing.push(`vrf "${spec.vrf}"`);
  (spec.nexthops ?? []).forEach((h, i) => {
    if (h.dev !== undefined && typeof h.dev !== 'number' && !((resolved.hopIndexes[i] ?? 0) > 0)) missing.push(`nexthop ${i + 1} dev "${h.dev}"`);
  });
  if (missing.length > 0) {
    throw new ArgumentError(`route spec for ${spec.dst}: ${missing.join(', ')} not resolved (look names up first, as modifyRoute and batch do)`);
  }
}

/**
 * The request for one route change. Throws ArgumentError for values the kernel could never
 * accept (bad prefixes, families that do not match) and for names in the spec (dev, vrf, nexthop
 * devices) that resolved does not carry, before anything is sent.
 */
export function routeChangeRequest(op: RouteChange, spec: RouteSpec, resolved: Resolved): Request {
  assertResolved(spec, resolved);
  if (resolved.oif === undefined && typeof spec.dev === 'number') resolved = { ...resolved, oif: spec.dev };
  if (spec.nexthops?.some((h, i) => typeof h.dev === 'number' && !resolved.hopIndexes[i])) {
    resolved = { ...resolved, hopIndexes: spec.nexthops.map((h, i) => (typeof h.dev === 'number' ? h.dev : resolved.hopIndexes[i] ?? 0)) };
  }
  const family = routeFamily(spec);
  const isDelete = op === 'delete';
  const type = spec.type !== undefined ? routeTypeNumber(spec.type) : isDelete ? RTN.unspec : RTN.unicast;
  const dst = prefixOf(spec.dst, family, 'prefix');
  const from = spec.from !== undefined ? prefixOf(spec.from, family, '"from" prefix') : undefined;
  const prefsrc = spec.prefsrc !== undefined ? addressOf(spec.prefsrc, 'source address', family) : undefined;
  const gateway = spec.gateway !== undefined ? addressOf(spec.gateway, 'gateway') : undefined;
  if (spec.gateway !== undefined && spec.nexthops?.length) throw new ArgumentError('use either "via" or "nexthop", not both');
  const table = tableFor(spec, resolved, type);
  const protocol =
    spec.protocol === undefined ? (isDelete ? 0 : 3) : typeof spec.protocol === 'number' ? spec.protocol : protocolNames.id(spec.protocol, 'protocol', 255);
  const scope = scopeFor(spec, family, type, op);
  const pref = spec.pref === undefined ? undefined : typeof spec.pref === 'number' ? spec.pref : PREF_VALUES[spec.pref];
  if (spec.pref !== undefined && pref === undefined) throw new ArgumentError(`invalid pref "${String(spec.pref)}"`);
  for (const [what, v, max] of [['protocol', protocol, 255], ['scope', scope, 255], ['tos', spec.tos ?? 0, 255], ['pref', pref ?? 0, 255]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new ArgumentError(`invalid ${what} "${v}"`);
  }
  const order = orderOf(spec);

  const req: Request = {
    type: isDelete ? RTM.DELROUTE : RTM.NEWROUTE,
    flags: CHANGE_FLAGS[op] | NLM_F_ACK,
    what: describeRouteChange(op, spec, table),
    encode: (b) => {
      const at = b.reserve(RTMSG_LEN);
      const raw = b.raw;
      raw.writeUInt8(family, at);
      raw.writeUInt8(dst.length, at + 1);
      raw.writeUInt8(from?.length ?? 0, at + 2);
      raw.writeUInt8(spec.tos ?? 0, at + 3);
      raw.writeUInt8(table < 256 ? table : 0, at + 4);
      raw.writeUInt8(protocol, at + 5);
      raw.writeUInt8(scope, at + 6);
      raw.writeUInt8(type, at + 7);
      raw.writeUInt32LE(spec.onlink ? RTNH_F.onlink : 0, at + 8);
      for (const key of order) {
        switch (key) {
          case 'dst': if (dst.bytes) b.binary(RTA.DST, dst.bytes); break;
          case 'from': if (from?.bytes) b.binary(RTA.SRC, from.bytes); break;
          case 'prefsrc': if (prefsrc) b.binary(RTA.PREFSRC, prefsrc.bytes); break;
          case 'gateway': if (gateway) writeGateway(b, family, gateway); break;
          case 'metric': if (spec.metric !== undefined) b.u32(RTA.PRIORITY, spec.metric); break;
          case 'table': if (table >= 256) b.u32(RTA.TABLE, table); break;
          case 'pref': if (pref !== undefined) b.u8(RTA.PREF, pref); break;
          case 'realms': if (spec.realms !== undefined) b.u32(RTA.FLOW, spec.realms); break;
          case 'expires': if (spec.expires !== undefined) b.u32(RTA.EXPIRES, spec.expires); break;
          case 'nhid': if (spec.nhid !== undefined) b.u32(RTA.NH_ID, spec.nhid); break;
          case 'ttlPropagate': if (spec.ttlPropagate !== undefined) b.u8(RTA.TTL_PROPAGATE, spec.ttlPropagate ? 1 : 0); break;
        }
      }
      if (resolved.oif !== undefined) b.u32(RTA.OIF, resolved.oif);
      writeMetrics(b, spec);
      if (spec.nexthops?.length) writeMultipath(b, family, spec.nexthops, resolved.hopIndexes);
    },
  };
  // Encode once now, so that a bad metric or weight is reported here and not while sending.
  const scratch = new MessageBuilder(256);
  scratch.begin(req.type, req.flags);
  req.encode!(scratch);
  return req;
}

