// Route operations written once as plans: run them with runSync (CLI) or runAsync (agents), or
// through routes()/routesAsync() in api.ts.
import { AF_INET, AF_INET6, AF_UNSPEC, NLM_F_ACK, NetlinkError, type MessageBuilder, type Message } from '@vrfctl/netlink';
import { RTA, RTM, RTMSG_LEN, RTM_F, RTN, decodeRoute, rtmsg, type Route } from '@vrfctl/rtnetlink';
import { ack, batch, dump, request, type Plan, type Request } from '@vrfctl/socket';
import { ArgumentError, parseIpProto } from '@vrfctl/iproute2';
import type { FlushResult, RouteFilter, RouteQuery, RouteSpec } from './model.js';
import { checkRouteSpec, routeChangeRequest, routeFamily, type Resolved, type RouteChange } from './encode.js';
import { linkIndex, vrfLink } from '@vrfctl/iproute2';
import { resolveFilter, routeDumpRequest, selectRoutes, type ResolvedFilter } from './select.js';
import { addressOf, familyNumber, prefixOf } from './values.js';

/** Resolves the spec's names (vrf, table, devices) and sends one change. */
export function* modifyRoute(op: RouteChange, spec: RouteSpec): Plan<void> {
  // Check the arguments before any lookup, so a bad prefix is reported even with a bad device.
  checkRouteSpec(op, spec);
  const resolved: Resolved = { hopIndexes: [] };
  if (spec.vrf !== undefined) resolved.table = (yield* vrfLink(spec.vrf)).table;
  for (const hop of spec.nexthops ?? []) resolved.hopIndexes.push(hop.dev === undefined ? 0 : yield* linkIndex(hop.dev));
  if (spec.dev !== undefined) resolved.oif = yield* linkIndex(spec.dev);
  yield* ack(routeChangeRequest(op, spec, resolved));
}

/** `ip route add`: fails with EEXIST when the route exists. */
export function* addRoute(spec: RouteSpec): Plan<void> {
  yield* modifyRoute('add', spec);
}
/** `ip route replace`: creates or overwrites. */
export function* replaceRoute(spec: RouteSpec): Plan<void> {
  yield* modifyRoute('replace', spec);
}
/** `ip route append`: adds another route of the same prefix (IPv6: another nexthop). */
export function* appendRoute(spec: RouteSpec): Plan<void> {
  yield* modifyRoute('append', spec);
}
/** `ip route prepend`: like append, in front. */
export function* prependRoute(spec: RouteSpec): Plan<void> {
  yield* modifyRoute('prepend', spec);
}
/** `ip route change`: overwrites an existing route; ENOENT when there is none. */
export function* changeRoute(spec: RouteSpec): Plan<void> {
  yield* modifyRoute('change', spec);
}
/** `ip route del`: unset fields (type, protocol, scope…) match any route. */
export function* deleteRoute(spec: RouteSpec): Plan<void> {
  yield* modifyRoute('delete', spec);
}

/** The filter with its names looked up (vrf, dev): what routeDumpRequest and routeOfDump take. */
export function* resolvedFilter(filter: RouteFilter): Plan<ResolvedFilter> {
  const lookups: { vrfTable?: number; oif?: number } = {};
  if (filter.vrf !== undefined) lookups.vrfTable = (yield* vrfLink(filter.vrf)).table;
  if (filter.dev !== undefined) lookups.oif = yield* linkIndex(filter.dev);
  return resolveFilter(filter, lookups);
}

function* selected(filter: RouteFilter, forFlush: boolean): Plan<Array<{ msg: Message; route: Route }>> {
  const f = yield* resolvedFilter(filter);
  f.forFlush = forFlush;
  if (f.family !== AF_UNSPEC || !f.table) return selectRoutes(yield* dump(routeDumpRequest(f)), f);
  // One table, both families: an AF_UNSPEC dump loses the kernel's ENOENT for a table that does
  // not exist, so each family is dumped on its own; the table must exist in one of them, as ip says.
  const msgs: Message[] = [];
  let missing: NetlinkError | undefined;
  let found = false;
  for (const family of [AF_INET, AF_INET6]) {
    try {
      msgs.push(...(yield* dump(routeDumpRequest({ ...f, family }))));
      found = true;
    } catch (err) {
      if (!(err instanceof NetlinkError && err.code === 'ENOENT')) throw err;
      missing ??= err;
    }
  }
  if (!found && missing) throw missing;
  return selectRoutes(msgs, f);
}

/**
 * Routes matching the filter. The table defaults to main, as in ip; both families unless
 * `family` is given (`ip route show` itself shows IPv4 only).
 */
export function* listRoutes(filter: RouteFilter = {}): Plan<Route[]> {
  return (yield* selected(filter, false)).map((s) => s.route);
}

/** What the kernel refuses beside RTA_NH_ID ("Nexthop specification and nexthop id are mutually exclusive"). */
const NEXTHOP_SPEC_ATTRS: ReadonlySet<number> = new Set([RTA.OIF, RTA.GATEWAY, RTA.VIA, RTA.MULTIPATH, RTA.ENCAP_TYPE, RTA.ENCAP]);

/**
 * A dumped route of a nexthop object carries the object's resolved hops (RTA_OIF, RTA_GATEWAY,
 * RTA_MULTIPATH…, their RTNH_F_* flags in rtm_flags) beside RTA_NH_ID; sent back as a delete, the
 * kernel refuses the pair (EINVAL), which is why iproute2 6.1's `ip route flush` deletes none of
 * them. Those are left out when RTA_NH_ID is there: the id names the nexthop. What stays is the
 * route as the kernel dumps it with net.ipv4.nexthop_compat_mode=0, the bytes ip's flush sends
 * then. Except the type: a route over a blackhole nexthop is dumped as RTN_BLACKHOLE but was
 * added (and is matched) as unicast, so ip's delete of it fails (ESRCH); RTN_UNSPEC matches
 * either, as `ip route del` sends. Other routes go back byte for byte.
 */
function deletePayload(payload: Uint8Array): Buffer {
  const attrs: Array<{ type: number; at: number; end: number }> = [];
  for (let off = RTMSG_LEN; off + 4 <= payload.length;) {
    const len = payload[off] | (payload[off + 1] << 8);
    if (len < 4) break;
    attrs.push({ type: (payload[off + 2] | (payload[off + 3] << 8)) & 0x3fff, at: off, end: Math.min(payload.length, off + ((len + 3) & ~3)) });
    off += (len + 3) & ~3;
  }
  if (!attrs.some((a) => a.type === RTA.NH_ID)) return Buffer.from(payload);
  const header = Buffer.from(payload.subarray(0, RTMSG_LEN));
  if (header[7] !== RTN.unicast) header[7] = RTN.unspec; // rtm_type
  header[8] = 0; // rtm_flags' low byte: the RTNH_F_* of the resolved hops
  return Buffer.concat([header, ...attrs.filter((a) => !NEXTHOP_SPEC_ATTRS.has(a.type)).map((a) => payload.subarray(a.at, a.end))]);
}

/**
 * Deletes the routes the filter selects: one dump, then the deletes pipelined in one batch.
 * Each delete is the dumped message sent back as RTM_DELROUTE, as `ip route flush` does (a route
 * of a nexthop object without its resolved hops: see deletePayload).
 * A table that does not exist has nothing to flush: the result says so (tableMissing).
 */
export function* flushRoutes(filter: RouteFilter = {}): Plan<FlushResult> {
  let chosen: Array<{ msg: Message; route: Route }>;
  try {
    chosen = yield* selected(filter, true);
  } catch (err) {
    if (err instanceof NetlinkError && err.code === 'ENOENT' && filter.table !== undefined && filter.table !== 'all') {
      return { deleted: [], failed: [], tableMissing: err };
    }
    throw err;
  }
  const result: FlushResult = { deleted: [], failed: [] };
  if (chosen.length === 0) return result;
  const requests: Request[] = chosen.map(({ msg }) => {
    const payload = deletePayload(msg.payload);
    // NLM_F_ACK as batch() sends it, so that a dry run shows the bytes that really go out.
    return { type: RTM.DELROUTE, flags: NLM_F_ACK, encode: (b: MessageBuilder) => void b.data(payload) };
  });
  const answers = yield* batch(requests);
  answers.forEach((a, i) => {
    if (a.ok) result.deleted.push(chosen[i].route);
    else result.failed.push({ route: chosen[i].route, error: a.error });
  });
  return result;
}

/** RTM_GETROUTE for one lookup, attributes in iproute2's order. */
export function routeGetRequest(q: RouteQuery, resolved: { iif?: number; oif?: number }): Request {
  // "default": with -4/-6 ip asks for the all-zero address of that family (a full-length zero
  // RTA_DST); without a family it sends an IPv4 query with no RTA_DST at all.
  const isDefault = q.to === 'default';
  const to = isDefault
    ? { family: q.family === 6 ? AF_INET6 : AF_INET, bytes: q.family === undefined ? undefined : new Uint8Array(q.family === 6 ? 16 : 4) }
    : addressOf(q.to.split('/')[0], 'destination', q.family !== undefined ? familyNumber(q.family) : undefined);
  const family = to.family;
  const dstLength = to.bytes === undefined ? 0 : family === AF_INET6 ? 128 : 32;
  const from = q.from !== undefined ? prefixOf(q.from, family, '"from" address') : undefined;
  const ipproto = q.ipproto !== undefined ? parseIpProto(q.ipproto) : undefined;
  for (const [what, v, max] of [['sport', q.sport, 0xffff], ['dport', q.dport, 0xffff], ['uid', q.uid, 0xffffffff], ['mark', q.mark, 0xffffffff], ['tos', q.tos, 255]] as const) {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > max)) throw new ArgumentError(`invalid ${what} "${v}"`);
  }
  const order = [...(q.order ?? []), 'to', 'from', 'uid', 'sport', 'dport', 'ipproto'] as const;
  let flags = family === AF_INET ? RTM_F.lookup_table : 0;
  if (q.fibmatch) flags |= RTM_F.fib_match;
  return {
    type: RTM.GETROUTE,
    flags: 0,
    encode: (b) => {
      const at = b.reserve(rtmsg.span);
      rtmsg.encode({ family, dstLen: dstLength, srcLen: from?.length ?? 0, tos: q.tos ?? 0, table: 0, protocol: 0, scope: 0, type: 0, flags }, b.raw, at);
      const done = new Set<string>();
      for (const k of order) {
        if (done.has(k)) continue;
        done.add(k);
        if (k === 'to' && to.bytes) b.binary(RTA.DST, to.bytes);
        else if (k === 'from' && from?.bytes) b.binary(RTA.SRC, from.bytes);
        else if (k === 'uid' && q.uid !== undefined) b.u32(RTA.UID, q.uid);
        else if (k === 'sport' && q.sport !== undefined) b.u16be(RTA.SPORT, q.sport);
        else if (k === 'dport' && q.dport !== undefined) b.u16be(RTA.DPORT, q.dport);
        else if (k === 'ipproto' && ipproto !== undefined) b.u8(RTA.IP_PROTO, ipproto);
      }
      if (resolved.iif !== undefined) b.u32(RTA.IIF, resolved.iif);
      if (resolved.oif !== undefined) b.u32(RTA.OIF, resolved.oif);
      if (q.mark) b.u32(RTA.MARK, q.mark);
    },
  };
}

/** One FIB lookup (`ip route get`): the route a packet would take, or the entry with fibmatch. */
export function* getRoute(query: RouteQuery): Plan<Route> {
  routeGetRequest(query, {});
  const resolved: { iif?: number; oif?: number } = {};
  if (query.iif !== undefined) resolved.iif = yield* linkIndex(query.iif);
  if (query.vrf !== undefined) resolved.oif = (yield* vrfLink(query.vrf)).index;
  if (query.oif !== undefined) resolved.oif = yield* linkIndex(query.oif);
  const replies = yield* request(routeGetRequest(query, resolved));
  const msg = replies.find((m) => m.header.type === RTM.NEWROUTE);
  if (!msg) throw new Error('the kernel answered the route lookup without a route');
  return decodeRoute(msg);
}

export { routeFamily };
