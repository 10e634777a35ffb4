// RTM_NEWROUTE/DELROUTE/GETROUTE: struct rtmsg and RTA_* attributes as a typed Route.
import { AF_INET6, DecodeError, MessageBuilder, NLA_HDRLEN, NLA_TYPE_MASK, align, readU32LE, type Message } from '@vrfctl/netlink';
import { rtmsg, rtnexthop, rtaCacheinfo, type RtaCacheInfo, type RtMsg } from './layouts.js';
import { RTM } from './constants/messages.js';
import { address, enumOf, string, struct, u16, u16be, u32, u8, type Codec } from './schema/codecs.js';
import { WIRE, attributeTable, type AttributeModel, type AttributeTable } from './schema/attributes.js';
import { messageSchema } from './schema/message.js';
import { RTA, RTAX, RT_TABLE, encapTypeNames, metricNames, routePrefNames, routeProtocolNames, routeTypeNames, routeFlagNames, rtnhFlagNames, scopeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import {
  CanonicalOrder, OrderCheck, addressBytes, addressText, canonicalString, familyNames, parsePrefixText, prefixText,
  rawAttribute, wireOrder, writeAttributes, writeRaw, type Placement, type RawAttribute,
} from './wire.js';

/** struct rtmsg's length, from its layout. */
export const RTMSG_LEN = rtmsg.span;
const RTNH_LEN = rtnexthop.span;
const RTA_CACHEINFO_LEN = rtaCacheinfo.span;

/** One hop of RTA_MULTIPATH: struct rtnexthop and the attributes after it. */
export interface NextHop extends AttributeModel {
  ifindex: number;
  /** RTNH_F_* names. */
  flags: string[];
  /** rtnh_hops: the weight minus one, as on the wire. */
  hops: number;
  gateway?: string;
  via?: { family: EnumValue; address: string };
  flow?: number;
}

/**
 * A route. Prefixes are 'addr/len'; a route without RTA_DST (the default route, dst_len 0) has
 * dst undefined. Enums are names where iproute2 has one, else numbers.
 */
export interface Route extends AttributeModel {
  family: EnumValue;
  type: EnumValue;
  /** The table id: RTA_TABLE when present, else rtm_table. */
  table: number;
  protocol: EnumValue;
  scope: EnumValue;
  tos: number;
  /** rtm_flags: RTNH_F_* and RTM_F_* names. */
  flags: string[];
  dst?: string;
  src?: string;
  iif?: number;
  oif?: number;
  gateway?: string;
  priority?: number;
  prefsrc?: string;
  /** RTA_METRICS by lowercase RTAX name ('mtu', 'lock', 'cc_algo'…), in wire order. */
  metrics?: Record<string, number | string>;
  multipath?: NextHop[];
  flow?: number;
  cacheinfo?: RtaCacheInfo;
  mark?: number;
  via?: { family: EnumValue; address: string };
  newdst?: string;
  pref?: EnumValue;
  encapType?: EnumValue;
  expires?: number;
  uid?: number;
  ttlPropagate?: number;
  ipProto?: number;
  sport?: number;
  dport?: number;
  nhId?: number;
}

/** What a decoded route keeps to be written back identically (see WIRE). */
export interface RouteWire {
  /** Attribute raw types in wire order, only when they differ from what encodeRoute writes. */
  order?: number[];
  /**
   * Where the table id travels. Absent means iproute2's choice: rtm_table alone below 256,
   * else rtm_table RT_TABLE_UNSPEC plus RTA_TABLE. The kernel sends 'both' (rtm_table
   * RT_TABLE_COMPAT for ids above 255).
   */
  tableIn?: Placement;
  /** rtm_table as sent, only when it matches none of the placements. */
  rtmTable?: number;
}

/** The attribute view: the model plus RTA_TABLE, which rtm_table joins. */
type RouteAttributes = Route & { tableAttribute?: number };

/** RTA_VIA: a family and an address. */
const via: Codec<{ family: EnumValue; address: string }> = {
  decode: (buf, s, e) => decodeVia(buf, s, e),
  encode: (b, t, v) => b.binary(t, viaBytes(v)),
};
/** RTA_METRICS: a nest of RTAX_* values by lowercase name. */
const metrics: Codec<Record<string, number | string>> = {
  flagBits: 0,
  get json() {
    return METRICS_ATTRIBUTES;
  },
  decode: (buf, s, e) => decodeMetrics(buf, s, e),
  encode: (b, t, v) => encodeMetrics(b, t, v),
};
/** RTA_MULTIPATH: rtnexthop records (shown as hex by `nl decode`). */
const multipath: Codec<NextHop[]> = {
  flagBits: 0,
  decode: (buf, s, e) => decodeMultipath(buf, s, e),
  encode: (b, t, v) => encodeMultipath(b, t, v),
};

export const METRICS_ATTRIBUTES: AttributeTable<{ unknown: [] }> = attributeTable(RTAX, 'RTAX_',
  Object.entries(RTAX).filter(([k]) => k !== 'UNSPEC').map(([k, type]) => ({ type, codec: k === 'CC_ALGO' ? string : u32 })));

/** The attributes of one rtnexthop; rank: the kernel's order. */
export const NEXTHOP_ATTRIBUTES = attributeTable<NextHop>(RTA, 'RTA_', [
  { type: RTA.GATEWAY, key: 'gateway', codec: address },
  { type: RTA.VIA, key: 'via', codec: via },
  { type: RTA.NEWDST, codec: address },
  { type: RTA.FLOW, key: 'flow', codec: u32 },
]);

/**
 * The kernel's order, IPv4 fib_dump_info (rank) and IPv6 rt6_fill_node (rank6), so that dumps
 * need no recorded order. decodeRoute/encodeRoute below are hand-tuned copies of what this
 * table derives (a dump decodes thousands of routes); test/route-fast-path.test.ts holds them equal.
 */
export const ROUTE_ATTRIBUTES = attributeTable<RouteAttributes>(RTA, 'RTA_', [
  { type: RTA.TABLE, key: 'tableAttribute', codec: u32 },
  { type: RTA.DST, key: 'dst', codec: address },
  { type: RTA.SRC, key: 'src', codec: address },
  { type: RTA.IIF, key: 'iif', codec: u32 },
  { type: RTA.PRIORITY, key: 'priority', codec: u32, rank6: 6 },
  { type: RTA.METRICS, key: 'metrics', codec: metrics },
  { type: RTA.PREFSRC, key: 'prefsrc', codec: address, rank6: 4 },
  { type: RTA.NH_ID, key: 'nhId', codec: u32 },
  { type: RTA.GATEWAY, key: 'gateway', codec: address },
  { type: RTA.VIA, key: 'via', codec: via },
  { type: RTA.NEWDST, key: 'newdst', codec: address },
  { type: RTA.OIF, key: 'oif', codec: u32 },
  { type: RTA.FLOW, key: 'flow', codec: u32 },
  { type: RTA.ENCAP_TYPE, key: 'encapType', codec: enumOf(u16, encapTypeNames) },
  { type: RTA.MULTIPATH, key: 'multipath', codec: multipath },
  { type: RTA.MARK, key: 'mark', codec: u32, rank6: 18 },
  { type: RTA.UID, key: 'uid', codec: u32, rank6: 19 },
  { type: RTA.CACHEINFO, key: 'cacheinfo', codec: struct(rtaCacheinfo), rank6: 16 },
  { type: RTA.EXPIRES, key: 'expires', codec: u32, rank6: 15 },
  { type: RTA.PREF, key: 'pref', codec: enumOf(u8, routePrefNames), rank6: 17 },
  { type: RTA.TTL_PROPAGATE, key: 'ttlPropagate', codec: u8 },
  { type: RTA.IP_PROTO, key: 'ipProto', codec: u8 },
  { type: RTA.SPORT, key: 'sport', codec: u16be },
  { type: RTA.DPORT, key: 'dport', codec: u16be },
]);

export const ROUTE_SCHEMA = messageSchema<Route, RtMsg, RouteAttributes>({
  name: 'rtmsg',
  header: rtmsg,
  attributes: ROUTE_ATTRIBUTES,
  types: [RTM.NEWROUTE, RTM.DELROUTE, RTM.GETROUTE],
  inet6: (h) => h.family === AF_INET6,
  fromHeader: (h) => {
    const r: RouteAttributes = {
      family: familyNames.name(h.family), type: routeTypeNames.name(h.type), table: h.table,
      protocol: routeProtocolNames.name(h.protocol), scope: scopeNames.name(h.scope), tos: h.tos,
      flags: routeFlagNames.names(h.flags >>> 0), unknown: [],
    };
    return r;
  },
  finish: (r, h, at) => {
    if (r.dst !== undefined) r.dst = `${r.dst}/${h.dstLen}`;
    else if (h.dstLen !== 0) throw new DecodeError(`rtm_dst_len ${h.dstLen} without an RTA_DST the typed model can hold`, at + 1);
    if (r.src !== undefined) r.src = `${r.src}/${h.srcLen}`;
    else if (h.srcLen !== 0) throw new DecodeError(`rtm_src_len ${h.srcLen} without an RTA_SRC the typed model can hold`, at + 2);
    const attr = r.tableAttribute;
    delete r.tableAttribute;
    if (attr !== undefined) joinTable(r, h.table, attr);
    return r;
  },
  toWire: (r) => {
    const w = wireHeader(r);
    return {
      header: w.header,
      attributes: {
        ...r, dst: w.dst && addressPart(r.dst!), src: w.src && addressPart(r.src!), tableAttribute: w.tableAttribute ? r.table : undefined,
      },
    };
  },
});

/** 'addr' of 'addr/len'. */
function addressPart(prefix: string): string {
  const slash = prefix.lastIndexOf('/');
  return slash === -1 ? prefix : prefix.slice(0, slash);
}

/** The table id from RTA_TABLE, and where it travelled when that is not iproute2's choice. */
function joinTable(r: Route, rtmTable: number, attr: number): void {
  r.table = attr;
  if (rtmTable === 0) {
    if (attr < 256) ((r[WIRE] ??= {}) as RouteWire).tableIn = 'attribute';
  } else {
    const wire = (r[WIRE] ??= {}) as RouteWire;
    wire.tableIn = 'both';
    if (rtmTable !== (attr < 256 ? attr : RT_TABLE.compat)) wire.rtmTable = rtmTable;
  }
}

type Prefix = { bytes: Uint8Array; length: number } | undefined;

/** struct rtmsg of a route, its parsed prefixes, and whether RTA_TABLE goes too. */
function wireHeader(r: Route): { header: RtMsg; dst: Prefix; src: Prefix; tableAttribute: boolean } {
  const wire = (r[WIRE] ?? {}) as RouteWire;
  const dst = r.dst === undefined || r.dst === 'default' ? undefined : parsePrefixText(r.dst);
  const src = r.src === undefined ? undefined : parsePrefixText(r.src);
  const placement: Placement = wire.tableIn ?? (r.table < 256 ? 'header' : 'attribute');
  if (placement === 'header' && r.table > 255) throw new RangeError(`table ${r.table} does not fit rtm_table`);
  const table = wire.rtmTable ?? (placement === 'attribute' ? RT_TABLE.unspec : r.table < 256 ? r.table : RT_TABLE.compat);
  return {
    header: {
      family: familyNames.value(r.family), dstLen: dst?.length ?? 0, srcLen: src?.length ?? 0, tos: r.tos, table,
      protocol: routeProtocolNames.value(r.protocol), scope: scopeNames.value(r.scope), type: routeTypeNames.value(r.type),
      flags: routeFlagNames.value(r.flags),
    },
    dst, src, tableAttribute: placement !== 'header',
  };
}

// decodeRoute runs once per route of a dump: the u8 enums and attribute ranks come from
// arrays filled once here instead of a Map lookup per field (measured with node --cpu-prof).
const u8Names = (names: { name(v: number): EnumValue }): EnumValue[] => Array.from({ length: 256 }, (_, v) => names.name(v));
const FAMILY_NAME = u8Names(familyNames);
const TYPE_NAME = u8Names(routeTypeNames);
const PROTOCOL_NAME = u8Names(routeProtocolNames);
const SCOPE_NAME = u8Names(scopeNames);
const RANK_SLOTS = 64;
const rankArray = (order: CanonicalOrder): Int8Array => {
  const a = new Int8Array(RANK_SLOTS).fill(-1);
  for (let t = 0; t < RANK_SLOTS; t++) a[t] = order.rank(t);
  return a;
};
const ORDER_V4 = ROUTE_ATTRIBUTES.order(false);
const ORDER_V6 = ROUTE_ATTRIBUTES.order(true);
const ORDER_NEXTHOP = NEXTHOP_ATTRIBUTES.order();
function orderFor(family: number): CanonicalOrder {
  return family === AF_INET6 ? ORDER_V6 : ORDER_V4;
}
const RANK_V4 = rankArray(ORDER_V4);
const RANK_V6 = rankArray(ORDER_V6);

// RTA u32 values: the bounds are checked by the attribute walk, the length here.
function u32At(buf: Buffer, vs: number, ve: number, what: string): number {
  if (ve - vs !== 4) throw new DecodeError(`${what} has ${ve - vs} bytes, needs 4`, vs - NLA_HDRLEN);
  return readU32LE(buf, vs);
}

/**
 * Decodes a route message. Hot path of large dumps: fields are read straight from the buffer
 * in one switch loop (no closures, no per-attribute views for the common attributes).
 */
export function decodeRoute(msg: Message): Route {
  const buf = msg.payload;
  const end = buf.length;
  if (end < RTMSG_LEN) throw new DecodeError(`rtmsg needs ${RTMSG_LEN} bytes, message has ${end}`, msg.offset);
  const family = buf[0];
  const dstLen = buf[1];
  const srcLen = buf[2];
  const rtmTable = buf[4];
  const rtmFlags = buf[8] | (buf[9] << 8) | (buf[10] << 16) | (buf[11] << 24);
  const r: Route = {
    family: FAMILY_NAME[family],
    type: TYPE_NAME[buf[7]],
    table: rtmTable,
    protocol: PROTOCOL_NAME[buf[5]],
    scope: SCOPE_NAME[buf[6]],
    tos: buf[3],
    flags: rtmFlags === 0 ? [] : routeFlagNames.names(rtmFlags >>> 0),
    unknown: [],
  };
  const ranks = family === 10 ? RANK_V6 : RANK_V4;
  const canonical = orderFor(family);
  let lastRank = -1;
  let sawUnknown = false;
  let inOrder = true;
  let tableAttr: number | undefined;
  let off = RTMSG_LEN;
  while (off < end) {
    if (off + NLA_HDRLEN > end) throw new DecodeError(`truncated attribute header: ${end - off} of 4 bytes`, msg.offset + 16 + off);
    const len = buf[off] | (buf[off + 1] << 8);
    const raw = buf[off + 2] | (buf[off + 3] << 8);
    if (len < NLA_HDRLEN) throw new DecodeError(`attribute length ${len} below header size`, msg.offset + 16 + off);
    const ve = off + len;
    if (ve > end) throw new DecodeError(`attribute type ${raw & NLA_TYPE_MASK} length ${len} runs past the message`, msg.offset + 16 + off);
    const vs = off + NLA_HDRLEN;
    off += align(len);
    let known = true;
    switch (raw) {
      case RTA.TABLE:
        if (tableAttr === undefined) tableAttr = u32At(buf, vs, ve, 'RTA_TABLE');
        else known = false;
        break;
      case RTA.DST:
        if (r.dst === undefined) { const t = prefixText(buf, vs, ve, dstLen); if (t === undefined) known = false; else r.dst = t; }
        else known = false;
        break;
      case RTA.SRC:
        if (r.src === undefined) { const t = prefixText(buf, vs, ve, srcLen); if (t === undefined) known = false; else r.src = t; }
        else known = false;
        break;
      case RTA.OIF:
        if (r.oif === undefined) r.oif = u32At(buf, vs, ve, 'RTA_OIF');
        else known = false;
        break;
      case RTA.PRIORITY:
        if (r.priority === undefined) r.priority = u32At(buf, vs, ve, 'RTA_PRIORITY');
        else known = false;
        break;
      case RTA.GATEWAY:
        if (r.gateway === undefined) { const t = addressText(buf, vs, ve); if (t === undefined) known = false; else r.gateway = t; }
        else known = false;
        break;
      case RTA.PREFSRC:
        if (r.prefsrc === undefined) { const t = addressText(buf, vs, ve); if (t === undefined) known = false; else r.prefsrc = t; }
        else known = false;
        break;
      case RTA.IIF:
        if (r.iif === undefined) r.iif = u32At(buf, vs, ve, 'RTA_IIF');
        else known = false;
        break;
      case RTA.CACHEINFO:
        if (r.cacheinfo === undefined && ve - vs === RTA_CACHEINFO_LEN) r.cacheinfo = rtaCacheinfo.decode(buf, vs);
        else known = false;
        break;
      case RTA.PREF:
        if (r.pref === undefined && ve - vs === 1) r.pref = routePrefNames.name(buf[vs]);
        else known = false;
        break;
      case RTA.METRICS:
        if (r.metrics === undefined) { const t = decodeMetrics(buf, vs, ve); if (t === undefined) known = false; else r.metrics = t; }
        else known = false;
        break;
      case RTA.MULTIPATH:
        if (r.multipath === undefined) { const t = decodeMultipath(buf, vs, ve); if (t === undefined) known = false; else r.multipath = t; }
        else known = false;
        break;
      case RTA.FLOW:
        if (r.flow === undefined) r.flow = u32At(buf, vs, ve, 'RTA_FLOW');
        else known = false;
        break;
      case RTA.MARK:
        if (r.mark === undefined) r.mark = u32At(buf, vs, ve, 'RTA_MARK');
        else known = false;
        break;
      case RTA.VIA:
        if (r.via === undefined) { const t = decodeVia(buf, vs, ve); if (t === undefined) known = false; else r.via = t; }
        else known = false;
        break;
      case RTA.NEWDST:
        if (r.newdst === undefined) { const t = addressText(buf, vs, ve); if (t === undefined) known = false; else r.newdst = t; }
        else known = false;
        break;
      case RTA.ENCAP_TYPE:
        if (r.encapType === undefined && ve - vs === 2) r.encapType = encapTypeNames.name(buf.readUInt16LE(vs));
        else known = false;
        break;
      case RTA.EXPIRES:
        if (r.expires === undefined) r.expires = u32At(buf, vs, ve, 'RTA_EXPIRES');
        else known = false;
        break;
      case RTA.UID:
        if (r.uid === undefined) r.uid = u32At(buf, vs, ve, 'RTA_UID');
        else known = false;
        break;
      case RTA.TTL_PROPAGATE:
        if (r.ttlPropagate === undefined && ve - vs === 1) r.ttlPropagate = buf[vs];
        else known = false;
        break;
      case RTA.IP_PROTO:
        if (r.ipProto === undefined && ve - vs === 1) r.ipProto = buf[vs];
        else known = false;
        break;
      case RTA.SPORT:
        if (r.sport === undefined && ve - vs === 2) r.sport = buf.readUInt16BE(vs);
        else known = false;
        break;
      case RTA.DPORT:
        if (r.dport === undefined && ve - vs === 2) r.dport = buf.readUInt16BE(vs);
        else known = false;
        break;
      case RTA.NH_ID:
        if (r.nhId === undefined) r.nhId = u32At(buf, vs, ve, 'RTA_NH_ID');
        else known = false;
        break;
      default:
        known = false;
    }
    if (known) {
      const rank = raw < RANK_SLOTS ? ranks[raw] : canonical.rank(raw);
      if (rank <= lastRank || sawUnknown) inOrder = false;
      lastRank = rank;
    } else {
      sawUnknown = true;
      r.unknown.push(rawAttribute(buf, vs, ve, raw));
    }
  }
  if (r.dst === undefined && dstLen !== 0) throw new DecodeError(`rtm_dst_len ${dstLen} without an RTA_DST the typed model can hold`, msg.offset + 17);
  if (r.src === undefined && srcLen !== 0) throw new DecodeError(`rtm_src_len ${srcLen} without an RTA_SRC the typed model can hold`, msg.offset + 18);
  if (tableAttr !== undefined) joinTable(r, rtmTable, tableAttr);
  if (!inOrder) ((r[WIRE] ??= {}) as RouteWire).order = wireOrder(buf, RTMSG_LEN, end);
  return r;
}

function decodeVia(buf: Buffer, vs: number, ve: number): { family: EnumValue; address: string } | undefined {
  if (ve - vs < 2) return undefined;
  const address = addressText(buf, vs + 2, ve);
  return address === undefined ? undefined : { family: familyNames.name(buf.readUInt16LE(vs)), address };
}

/** RTA_METRICS contents, or undefined when they cannot be written back identically. */
function decodeMetrics(buf: Buffer, start: number, end: number): Record<string, number | string> | undefined {
  const m: Record<string, number | string> = {};
  for (let off = start; off < end; ) {
    if (off + NLA_HDRLEN > end) throw new DecodeError('truncated RTA_METRICS member', off);
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN || off + len > end) throw new DecodeError(`RTA_METRICS member length ${len} does not fit`, off);
    const vs = off + NLA_HDRLEN;
    const ve = off + len;
    off += align(len);
    // An unpadded last member would come back padded, changing the nest's length.
    if (off > end) return undefined;
    // Unnamed metrics would become integer-like keys, which objects reorder: keep the nest raw.
    if (!metricNames.has(raw)) return undefined;
    const key = String(metricNames.name(raw));
    if (key in m) return undefined;
    if (raw === RTAX.CC_ALGO) {
      const s = canonicalString(buf, vs, ve);
      if (s === undefined) return undefined;
      m[key] = s;
    } else {
      if (ve - vs !== 4) return undefined;
      m[key] = buf.readUInt32LE(vs);
    }
  }
  return m;
}

/** RTA_MULTIPATH: rtnexthop records; undefined when one cannot be written back identically. */
function decodeMultipath(buf: Buffer, start: number, end: number): NextHop[] | undefined {
  const hops: NextHop[] = [];
  for (let off = start; off < end; ) {
    if (off + RTNH_LEN > end) throw new DecodeError('truncated rtnexthop', off);
    const h = rtnexthop.decode(buf, off);
    if (h.len < RTNH_LEN || off + h.len > end) throw new DecodeError(`rtnh_len ${h.len} does not fit`, off);
    if (align(h.len) !== h.len) return undefined;
    const hop: NextHop = { ifindex: h.ifindex, flags: rtnhFlagNames.names(h.flags), hops: h.hops, unknown: [] };
    const check = new OrderCheck(ORDER_NEXTHOP);
    const aEnd = off + h.len;
    for (let a = off + RTNH_LEN; a < aEnd; ) {
      if (a + NLA_HDRLEN > aEnd) throw new DecodeError('truncated nexthop attribute', a);
      const len = buf.readUInt16LE(a);
      const raw = buf.readUInt16LE(a + 2);
      if (len < NLA_HDRLEN || a + len > aEnd) throw new DecodeError(`nexthop attribute length ${len} does not fit`, a);
      const vs = a + NLA_HDRLEN;
      const ve = a + len;
      a += align(len);
      if (a > aEnd) return undefined;
      let known = true;
      if (raw === RTA.GATEWAY && hop.gateway === undefined) { const t = addressText(buf, vs, ve); if (t === undefined) known = false; else hop.gateway = t; }
      else if (raw === RTA.VIA && hop.via === undefined) { const t = decodeVia(buf, vs, ve); if (t === undefined) known = false; else hop.via = t; }
      else if (raw === RTA.FLOW && hop.flow === undefined && ve - vs === 4) {
        hop.flow = buf.readUInt32LE(vs);
      } else known = false;
      if (known) check.known(raw);
      else {
        check.unknown();
        hop.unknown.push(rawAttribute(buf, vs, ve, raw));
      }
    }
    if (!check.canonical) (hop[WIRE] ??= {}).order = wireOrder(buf, off + RTNH_LEN, aEnd);
    hops.push(hop);
    off += align(h.len);
  }
  return hops;
}

/** Writes struct rtmsg and the attributes of r after the caller's b.begin(). */
export function encodeRoute(b: MessageBuilder, r: Route): void {
  const wire = r[WIRE] as RouteWire | undefined;
  const family = familyNames.value(r.family);
  const dst = r.dst === undefined || r.dst === 'default' ? undefined : parsePrefixText(r.dst);
  const src = r.src === undefined ? undefined : parsePrefixText(r.src);
  const placement: Placement = wire?.tableIn ?? (r.table < 256 ? 'header' : 'attribute');
  if (placement === 'header' && r.table > 255) throw new RangeError(`table ${r.table} does not fit rtm_table`);
  const rtmTable = wire?.rtmTable ?? (placement === 'attribute' ? RT_TABLE.unspec : r.table < 256 ? r.table : RT_TABLE.compat);
  const protocol = routeProtocolNames.value(r.protocol);
  const scope = scopeNames.value(r.scope);
  const type = routeTypeNames.value(r.type);
  const flags = routeFlagNames.value(r.flags);
  // struct rtmsg by hand (once per route of a batch): the same bytes and range errors as the
  // rtmsg layout, without its per-field dispatch.
  const at = b.reserve(RTMSG_LEN);
  const h = b.raw;
  h[at] = u8Field(family, 'rtm_family');
  h[at + 1] = u8Field(dst?.length ?? 0, 'rtm_dst_len');
  h[at + 2] = u8Field(src?.length ?? 0, 'rtm_src_len');
  h[at + 3] = u8Field(r.tos, 'rtm_tos');
  h[at + 4] = u8Field(rtmTable, 'rtm_table');
  h[at + 5] = u8Field(protocol, 'rtm_protocol');
  h[at + 6] = u8Field(scope, 'rtm_scope');
  h[at + 7] = u8Field(type, 'rtm_type');
  h[at + 8] = flags;
  h[at + 9] = flags >>> 8;
  h[at + 10] = flags >>> 16;
  h[at + 11] = flags >>> 24;
  const tableAttr = placement !== 'header';
  const order = wire?.order;
  if (!order) {
    // What writeAttributes does without a recorded order, unrolled (once per route of a
    // batch): 24 emit calls per route made most of encodeRoute's warm-up (interpreted calls,
    // then TurboFan compile time); routeAttributes() must follow ORDER_V4 / ORDER_V6.
    routeAttributes(b, r, family === 10, tableAttr, dst, src);
    for (let j = 0; j < r.unknown.length; j++) writeRaw(b, r.unknown[j]);
    return;
  }
  writeAttributes(b, orderFor(family), order, r.unknown, (raw) => emitRouteAttribute(b, r, raw, tableAttr, dst, src));
}

/** The typed attributes of r in canonical order (ORDER_V6 when v6, else ORDER_V4). */
function routeAttributes(b: MessageBuilder, r: Route, v6: boolean, tableAttr: boolean, dst: Prefix, src: Prefix): void {
  if (tableAttr) b.u32(RTA.TABLE, r.table);
  if (dst) b.binary(RTA.DST, dst.bytes);
  if (src) b.binary(RTA.SRC, src.bytes);
  if (r.iif !== undefined) b.u32(RTA.IIF, r.iif);
  if (v6) {
    if (r.prefsrc !== undefined) b.binary(RTA.PREFSRC, addressBytes(r.prefsrc));
    if (r.metrics !== undefined) encodeMetrics(b, RTA.METRICS, r.metrics);
    if (r.priority !== undefined) b.u32(RTA.PRIORITY, r.priority);
  } else {
    if (r.priority !== undefined) b.u32(RTA.PRIORITY, r.priority);
    if (r.metrics !== undefined) encodeMetrics(b, RTA.METRICS, r.metrics);
    if (r.prefsrc !== undefined) b.binary(RTA.PREFSRC, addressBytes(r.prefsrc));
  }
  if (r.nhId !== undefined) b.u32(RTA.NH_ID, r.nhId);
  if (r.gateway !== undefined) b.binary(RTA.GATEWAY, addressBytes(r.gateway));
  if (r.via !== undefined) b.binary(RTA.VIA, viaBytes(r.via));
  if (r.newdst !== undefined) b.binary(RTA.NEWDST, addressBytes(r.newdst));
  if (r.oif !== undefined) b.u32(RTA.OIF, r.oif);
  if (r.flow !== undefined) b.u32(RTA.FLOW, r.flow);
  if (r.encapType !== undefined) b.u16(RTA.ENCAP_TYPE, encapTypeNames.value(r.encapType));
  if (r.multipath !== undefined) encodeMultipath(b, RTA.MULTIPATH, r.multipath);
  if (v6) {
    if (r.expires !== undefined) b.u32(RTA.EXPIRES, r.expires);
    if (r.cacheinfo !== undefined) cacheinfo(b, RTA.CACHEINFO, r.cacheinfo);
    if (r.pref !== undefined) b.u8(RTA.PREF, routePrefNames.value(r.pref));
    if (r.mark !== undefined) b.u32(RTA.MARK, r.mark);
    if (r.uid !== undefined) b.u32(RTA.UID, r.uid);
  } else {
    if (r.mark !== undefined) b.u32(RTA.MARK, r.mark);
    if (r.uid !== undefined) b.u32(RTA.UID, r.uid);
    if (r.cacheinfo !== undefined) cacheinfo(b, RTA.CACHEINFO, r.cacheinfo);
    if (r.expires !== undefined) b.u32(RTA.EXPIRES, r.expires);
    if (r.pref !== undefined) b.u8(RTA.PREF, routePrefNames.value(r.pref));
  }
  if (r.ttlPropagate !== undefined) b.u8(RTA.TTL_PROPAGATE, r.ttlPropagate);
  if (r.ipProto !== undefined) b.u8(RTA.IP_PROTO, r.ipProto);
  if (r.sport !== undefined) b.u16be(RTA.SPORT, r.sport);
  if (r.dport !== undefined) b.u16be(RTA.DPORT, r.dport);
}

/** One typed attribute of r with raw type raw, for writeAttributes; false when r has none. */
function emitRouteAttribute(b: MessageBuilder, r: Route, raw: number, tableAttr: boolean, dst: Prefix, src: Prefix): boolean {
  switch (raw & NLA_TYPE_MASK) {
    case RTA.TABLE: if (!tableAttr) return false; b.u32(raw, r.table); return true;
    case RTA.DST: if (!dst) return false; b.binary(raw, dst.bytes); return true;
    case RTA.SRC: if (!src) return false; b.binary(raw, src.bytes); return true;
    case RTA.IIF: return r.iif !== undefined && (b.u32(raw, r.iif), true);
    case RTA.OIF: return r.oif !== undefined && (b.u32(raw, r.oif), true);
    case RTA.GATEWAY: return r.gateway !== undefined && (b.binary(raw, addressBytes(r.gateway)), true);
    case RTA.PRIORITY: return r.priority !== undefined && (b.u32(raw, r.priority), true);
    case RTA.PREFSRC: return r.prefsrc !== undefined && (b.binary(raw, addressBytes(r.prefsrc)), true);
    case RTA.METRICS: return r.metrics !== undefined && (encodeMetrics(b, raw, r.metrics), true);
    case RTA.MULTIPATH: return r.multipath !== undefined && (encodeMultipath(b, raw, r.multipath), true);
    case RTA.FLOW: return r.flow !== undefined && (b.u32(raw, r.flow), true);
    case RTA.CACHEINFO: return r.cacheinfo !== undefined && (cacheinfo(b, raw, r.cacheinfo), true);
    case RTA.MARK: return r.mark !== undefined && (b.u32(raw, r.mark), true);
    case RTA.VIA: return r.via !== undefined && (b.binary(raw, viaBytes(r.via)), true);
    case RTA.NEWDST: return r.newdst !== undefined && (b.binary(raw, addressBytes(r.newdst)), true);
    case RTA.PREF: return r.pref !== undefined && (b.u8(raw, routePrefNames.value(r.pref)), true);
    case RTA.ENCAP_TYPE: return r.encapType !== undefined && (b.u16(raw, encapTypeNames.value(r.encapType)), true);
    case RTA.EXPIRES: return r.expires !== undefined && (b.u32(raw, r.expires), true);
    case RTA.UID: return r.uid !== undefined && (b.u32(raw, r.uid), true);
    case RTA.TTL_PROPAGATE: return r.ttlPropagate !== undefined && (b.u8(raw, r.ttlPropagate), true);
    case RTA.IP_PROTO: return r.ipProto !== undefined && (b.u8(raw, r.ipProto), true);
    case RTA.SPORT: return r.sport !== undefined && (b.u16be(raw, r.sport), true);
    case RTA.DPORT: return r.dport !== undefined && (b.u16be(raw, r.dport), true);
    case RTA.NH_ID: return r.nhId !== undefined && (b.u32(raw, r.nhId), true);
    default: return false;
  }
}

function cacheinfo(b: MessageBuilder, raw: number, ci: RtaCacheInfo): void {
  const v = Buffer.alloc(RTA_CACHEINFO_LEN);
  rtaCacheinfo.encode(ci, v, 0);
  b.binary(raw, v);
}

/** A u8 header field; undefined writes 0, as the layout left the zeroed byte. */
function u8Field(v: number, what: string): number {
  if (v > 0xff || v < 0) throw new RangeError(`${what} ${v} out of range 0..255`);
  return v;
}

function viaBytes(via: { family: EnumValue; address: string }): Uint8Array {
  const addr = addressBytes(via.address);
  const v = Buffer.alloc(2 + addr.length);
  v.writeUInt16LE(familyNames.value(via.family), 0);
  v.set(addr, 2);
  return v;
}

function encodeMetrics(b: MessageBuilder, raw: number, metrics: Record<string, number | string>): void {
  const nest = b.nest(raw, true);
  for (const [key, value] of Object.entries(metrics)) {
    const type = metricNames.value(key);
    if (typeof value === 'string') b.string(type, value);
    else b.u32(type, value);
  }
  b.endNest(nest);
}

function encodeMultipath(b: MessageBuilder, raw: number, hops: readonly NextHop[]): void {
  const nest = b.nest(raw, true);
  for (const hop of hops) {
    const at = b.reserve(RTNH_LEN);
    rtnexthop.encode({ len: 0, flags: rtnhFlagNames.value(hop.flags), hops: hop.hops, ifindex: hop.ifindex }, b.raw, at);
    writeAttributes(b, ORDER_NEXTHOP, hop[WIRE]?.order, hop.unknown, (t) => {
      switch (t & NLA_TYPE_MASK) {
        case RTA.GATEWAY: return hop.gateway !== undefined && (b.binary(t, addressBytes(hop.gateway)), true);
        case RTA.VIA: return hop.via !== undefined && (b.binary(t, viaBytes(hop.via)), true);
        case RTA.FLOW: return hop.flow !== undefined && (b.u32(t, hop.flow), true);
        default: return false;
      }
    });
    b.raw.writeUInt16LE(b.length - at, at);
  }
  b.endNest(nest);
}
