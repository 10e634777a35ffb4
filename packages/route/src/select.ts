// Choosing routes from a dump: what the kernel can filter under NETLINK_GET_STRICT_CHK goes into
// the RTM_GETROUTE request (table, protocol, type, output device); the rest of an `ip route show`
// SELECTOR is checked here, as iproute2's filter_nlmsg does.
import { AF_UNSPEC, parsePrefix, readU32LE, type Message } from '@vrfctl/netlink';
import { RTA, RTM, RTMSG_LEN, RTM_F, RTN, RT_TABLE, decodeRoute, familyNames, type Route } from '@vrfctl/rtnetlink';
import type { Request } from '@vrfctl/socket';
import type { RouteFilter } from './model.js';
import { addressOf, familyNumber, prefixCovers, prefixOf, routeTypeNumber, type WirePrefix } from './values.js';
import { ArgumentError, parseTable, protocolNames, scopeNames } from '@vrfctl/iproute2';

/** A filter with names resolved to numbers; undefined fields select everything. */
export interface ResolvedFilter {
  family: number;
  /** 0 = all tables. */
  table: number;
  protocol?: number;
  /** Exactly this type… */
  type?: number;
  /** …or, for `vrf NAME`, anything but these. */
  hideTypes?: number[];
  scope?: number;
  oif?: number;
  exact?: WirePrefix;
  root?: WirePrefix;
  match?: WirePrefix;
  via?: WirePrefix;
  prefsrc?: WirePrefix;
  metric?: number;
  tos?: number;
  /** Skip what `ip route flush` never deletes (the IPv6 catch-all unreachable route). */
  forFlush?: boolean;
}

function prefixFilter(text: string | undefined, family: number, what: string): WirePrefix | undefined {
  if (text === undefined) return undefined;
  return prefixOf(text, family === AF_UNSPEC ? undefined : family, what);
}

/**
 * Resolves everything but the names that need the kernel (vrf and dev: the plan passes those in).
 */
export function resolveFilter(f: RouteFilter, lookups: { vrfTable?: number; oif?: number }): ResolvedFilter {
  let table: number;
  if (lookups.vrfTable !== undefined) table = lookups.vrfTable;
  else if (f.table === undefined) table = RT_TABLE.main;
  else if (f.table === 'all') table = 0;
  else if (typeof f.table === 'number') table = f.table;
  else table = parseTable(f.table);
  const family = f.family !== undefined ? familyNumber(f.family) : AF_UNSPEC;
  const out: ResolvedFilter = { family, table };
  if (f.protocol !== undefined) out.protocol = typeof f.protocol === 'number' ? f.protocol : protocolNames.id(f.protocol, 'protocol', 255);
  if (f.type !== undefined) out.type = routeTypeNumber(f.type);
  else if (f.vrf !== undefined) out.hideTypes = [RTN.local, RTN.broadcast];
  if (f.scope !== undefined) out.scope = typeof f.scope === 'number' ? f.scope : scopeNames.id(f.scope, 'scope', 255);
  if (lookups.oif !== undefined) out.oif = lookups.oif;
  out.exact = prefixFilter(f.exact, family, 'prefix');
  out.root = prefixFilter(f.root, family, '"root" prefix');
  out.match = prefixFilter(f.match, family, '"match" prefix');
  out.via = prefixFilter(f.via, family, '"via" prefix');
  out.prefsrc = prefixFilter(f.prefsrc, family, '"src" prefix');
  if (f.metric !== undefined) out.metric = f.metric;
  if (f.tos !== undefined) out.tos = f.tos;
  for (const [what, v] of [['protocol', out.protocol], ['scope', out.scope], ['tos', out.tos]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 255)) throw new ArgumentError(`invalid ${what} "${v}"`);
  }
  return out;
}

/** The dump request: the kernel filters by table, protocol, type and device when they are set. */
export function routeDumpRequest(f: ResolvedFilter): Request {
  return {
    type: RTM.GETROUTE,
    flags: 0,
    encode: (b) => {
      const at = b.reserve(RTMSG_LEN);
      b.raw.writeUInt8(f.family, at);
      b.raw.writeUInt8(f.protocol ?? 0, at + 5);
      b.raw.writeUInt8(f.type ?? 0, at + 7);
      if (f.table) b.u32(RTA.TABLE, f.table);
      if (f.oif !== undefined) b.u32(RTA.OIF, f.oif);
    },
  };
}

function bytesOf(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  return parsePrefix(text)?.bytes;
}

function within(p: WirePrefix, family: number, addr: string | undefined): boolean {
  if (p.family !== undefined && p.family !== family) return false;
  if (p.length === 0) return true;
  if (addr === undefined) return prefixCovers(p, undefined, 128);
  const a = addressOf(addr, 'address');
  return prefixCovers(p, a.bytes, a.bytes.length * 8);
}

/**
 * The selector's checks that need only struct rtmsg (h), the route's table (RTA_TABLE or
 * rtm_table), output device and metric: all that the wire printer checks (print-wire.ts).
 */
export function rtmsgSelected(f: ResolvedFilter, h: Uint8Array, table: number, oif: number | undefined, priority: number | undefined): boolean {
  const type = h[7];
  if (f.family !== AF_UNSPEC && h[0] !== f.family) return false;
  if (readU32LE(h, 8) & RTM_F.cloned) return false;
  if (f.table && table !== f.table) return false;
  if (f.protocol !== undefined && h[5] !== f.protocol) return false;
  if (f.scope !== undefined && h[6] !== f.scope) return false;
  if (f.type !== undefined && type !== f.type) return false;
  if (f.hideTypes?.includes(type)) return false;
  if (f.tos !== undefined && h[3] !== f.tos) return false;
  // As ip: only the route's own RTA_OIF counts (the kernel also passes multipath routes with a
  // hop through the device; `ip route show dev X` drops those, and so do we).
  if (f.oif !== undefined && oif !== f.oif) return false;
  if (f.metric !== undefined && (priority ?? 0) !== f.metric) return false;
  return true;
}

/** Whether rtmsgSelected checks all of f (prefix and address selectors need the decoded route). */
export function wireSelectable(f: ResolvedFilter): boolean {
  return !f.exact && !f.root && !f.match && !f.via && !f.prefsrc && !f.forFlush;
}

/** Whether a dumped route passes the rest of the selector (the header is read raw, as sent). */
export function routeSelected(msg: Message, route: Route, f: ResolvedFilter): boolean {
  const h = msg.payload;
  const family = h[0];
  const dstLen = h[1];
  const type = h[7];
  if (!rtmsgSelected(f, h, route.table, route.oif, route.priority)) return false;
  // The destination's bytes only for a prefix selector: parsing them back for every route of a
  // plain `route show` was a tenth of its CPU (node --cpu-prof, 100k routes).
  if (f.exact || f.root || f.match) {
    const dst = bytesOf(route.dst);
    for (const p of [f.exact, f.root]) {
      if (p && ((p.family !== undefined && p.family !== family) || !prefixCovers(p, dst, dstLen))) return false;
    }
    for (const p of [f.exact, f.match]) {
      // The route's prefix must contain the given one: same bits up to the route's length.
      if (p && ((p.family !== undefined && p.family !== family) || p.length < dstLen || !prefixCovers({ length: dstLen, bytes: dst ?? new Uint8Array(16) }, p.bytes, p.length))) return false;
    }
  }
  if (f.via && !within(f.via, route.via ? familyNames.value(route.via.family) : family, route.via?.address ?? route.gateway)) return false;
  if (f.prefsrc && !within(f.prefsrc, family, route.prefsrc)) return false;
  if (f.forFlush && family === 10 && dstLen === 0 && type === RTN.unreachable && route.priority === 0xffffffff) return false;
  return true;
}

/** One dumped message as a route if it is one and passes the filter (for streaming a dump). */
export function routeOfDump(msg: Message, f: ResolvedFilter): Route | undefined {
  if (msg.header.type !== RTM.NEWROUTE) return undefined;
  const route = decodeRoute(msg);
  return routeSelected(msg, route, f) ? route : undefined;
}

/** Decoded routes of a dump that pass the filter, with their messages (flush re-sends those). */
export function selectRoutes(msgs: readonly Message[], f: ResolvedFilter): Array<{ msg: Message; route: Route }> {
  const out: Array<{ msg: Message; route: Route }> = [];
  for (const msg of msgs) {
    if (msg.header.type !== RTM.NEWROUTE) continue;
    const route = decodeRoute(msg);
    if (routeSelected(msg, route, f)) out.push({ msg, route });
  }
  return out;
}
