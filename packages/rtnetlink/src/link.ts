// RTM_NEWLINK/DELLINK/GETLINK/SETLINK: struct ifinfomsg and IFLA_* attributes as a typed Link,
// with IFLA_LINKINFO decoded per kind (vrf, veth, vlan, macvlan, vxlan, bond; others raw).
import { DecodeError, MessageBuilder, NLA_F_NESTED, type Message } from '@vrfctl/netlink';
import {
  ifinfomsg, rtnlLinkStats, rtnlLinkStats64, type LinkStats32, type LinkStats64,
} from './layouts.js';
import {
  IFLA, IFLA_BOND, IFLA_INFO, IFLA_MACVLAN, IFLA_VLAN, IFLA_VRF, IFLA_VRF_PORT, IFLA_VXLAN, VETH_INFO,
  arphrdNames, bondModeNames, iffNames, linkmodeNames, macvlanModeNames, operstateNames,
} from './constants/link.js';
import { type EnumValue } from './names.js';
import {
  FieldTable, decodeFields, encodeFields, enumOf, ip, mac, s32, string, struct, u16, u16be, u32, u8, type AttributeModel,
} from './fields.js';
import { familyNames, type RawAttribute } from './wire.js';

export const IFINFOMSG_LEN = 16;
/** veth peers nest a Link in a Link; real messages have one level. */
const MAX_LINK_DEPTH = 4;

export interface Link {
  family: EnumValue;
  /** ifi_type: ARPHRD_* name ('ether', 'loopback', 'none'…). */
  type: EnumValue;
  index: number;
  /** IFF_* names. */
  flags: string[];
  /** ifi_change: the flag bits a request means to change. */
  change: number;
  ifname?: string;
  mtu?: number;
  /** IFLA_QDISC: the root queueing discipline's kind. */
  qdisc?: string;
  link?: number;
  master?: number;
  operstate?: EnumValue;
  linkmode?: EnumValue;
  txqlen?: number;
  address?: string;
  broadcast?: string;
  permAddress?: string;
  group?: number;
  ifalias?: string;
  /** IFLA_ALT_IFNAME at the top level (property requests) and inside IFLA_PROP_LIST. */
  altIfname?: string;
  altNames?: string[];
  netNsFd?: number;
  netNsPid?: number;
  linkNetnsid?: number;
  extMask?: number;
  minMtu?: number;
  maxMtu?: number;
  promiscuity?: number;
  carrier?: number;
  stats?: LinkStats32;
  stats64?: LinkStats64;
  linkinfo?: LinkInfo;
  unknown: RawAttribute[];
  order?: number[];
}

export interface VrfData extends AttributeModel { table?: number }
export interface VethData extends AttributeModel { peer?: Link }
export interface VlanData extends AttributeModel { id?: number; protocol?: number }
export interface MacvlanData extends AttributeModel { mode?: EnumValue }
export interface VxlanData extends AttributeModel {
  id?: number; group?: string; group6?: string; link?: number; local?: string; local6?: string;
  ttl?: number; tos?: number; learning?: number; ageing?: number; limit?: number;
  /** UDP destination port; big-endian on the wire. */
  port?: number;
}
export interface BondData extends AttributeModel { mode?: EnumValue }
export interface VrfPortData extends AttributeModel { table?: number }
export type LinkInfoData = VrfData | VethData | VlanData | MacvlanData | VxlanData | BondData;

export interface LinkInfo extends AttributeModel {
  kind?: string;
  /** IFLA_INFO_DATA for the kinds above; other kinds keep it raw in unknown. */
  data?: LinkInfoData;
  slaveKind?: string;
  /** IFLA_INFO_SLAVE_DATA for vrf ports; others stay raw. */
  slaveData?: VrfPortData;
}

const LINK_TABLE = new FieldTable([
  { type: IFLA.ADDRESS, key: 'address', codec: mac },
  { type: IFLA.BROADCAST, key: 'broadcast', codec: mac },
  { type: IFLA.IFNAME, key: 'ifname', codec: string },
  { type: IFLA.MTU, key: 'mtu', codec: u32 },
  { type: IFLA.LINK, key: 'link', codec: u32 },
  { type: IFLA.STATS, key: 'stats', codec: struct(rtnlLinkStats) },
  { type: IFLA.MASTER, key: 'master', codec: u32 },
  { type: IFLA.QDISC, key: 'qdisc', codec: string },
  { type: IFLA.TXQLEN, key: 'txqlen', codec: u32 },
  { type: IFLA.OPERSTATE, key: 'operstate', codec: enumOf(u8, operstateNames) },
  { type: IFLA.LINKMODE, key: 'linkmode', codec: enumOf(u8, linkmodeNames) },
  { type: IFLA.LINKINFO, key: 'linkinfo', codec: undefined as never },
  { type: IFLA.NET_NS_PID, key: 'netNsPid', codec: u32 },
  { type: IFLA.IFALIAS, key: 'ifalias', codec: string },
  { type: IFLA.STATS64, key: 'stats64', codec: struct(rtnlLinkStats64) },
  { type: IFLA.GROUP, key: 'group', codec: u32 },
  { type: IFLA.NET_NS_FD, key: 'netNsFd', codec: u32 },
  { type: IFLA.EXT_MASK, key: 'extMask', codec: u32 },
  { type: IFLA.PROMISCUITY, key: 'promiscuity', codec: u32 },
  { type: IFLA.CARRIER, key: 'carrier', codec: u8 },
  { type: IFLA.LINK_NETNSID, key: 'linkNetnsid', codec: s32 },
  { type: IFLA.MIN_MTU, key: 'minMtu', codec: u32 },
  { type: IFLA.MAX_MTU, key: 'maxMtu', codec: u32 },
  { type: IFLA.PROP_LIST, key: 'altNames', codec: undefined as never },
  { type: IFLA.ALT_IFNAME, key: 'altIfname', codec: string },
  { type: IFLA.PERM_ADDRESS, key: 'permAddress', codec: mac },
], [
  IFLA.IFNAME, IFLA.TXQLEN, IFLA.OPERSTATE, IFLA.LINKMODE, IFLA.MTU, IFLA.MIN_MTU, IFLA.MAX_MTU, IFLA.GROUP,
  IFLA.PROMISCUITY, IFLA.CARRIER, IFLA.MASTER, IFLA.QDISC, IFLA.LINK, IFLA.ADDRESS, IFLA.BROADCAST, IFLA.STATS64, IFLA.STATS,
  IFLA.LINKINFO, IFLA.LINK_NETNSID, IFLA.NET_NS_PID, IFLA.NET_NS_FD, IFLA.IFALIAS, IFLA.EXT_MASK,
  IFLA.PROP_LIST | NLA_F_NESTED, IFLA.ALT_IFNAME, IFLA.PERM_ADDRESS,
]);
const INFO_TABLE = new FieldTable([
  { type: IFLA_INFO.KIND, key: 'kind', codec: string },
  { type: IFLA_INFO.DATA, key: 'data', codec: undefined as never },
  { type: IFLA_INFO.SLAVE_KIND, key: 'slaveKind', codec: string },
  { type: IFLA_INFO.SLAVE_DATA, key: 'slaveData', codec: undefined as never },
]);
const DATA_TABLES: Record<string, FieldTable> = {
  vrf: new FieldTable([{ type: IFLA_VRF.TABLE, key: 'table', codec: u32 }]),
  veth: new FieldTable([{ type: VETH_INFO.PEER, key: 'peer', codec: undefined as never }]),
  vlan: new FieldTable([
    { type: IFLA_VLAN.PROTOCOL, key: 'protocol', codec: u16be },
    { type: IFLA_VLAN.ID, key: 'id', codec: u16 },
  ]),
  macvlan: new FieldTable([{ type: IFLA_MACVLAN.MODE, key: 'mode', codec: enumOf(u32, macvlanModeNames) }]),
  vxlan: new FieldTable([
    { type: IFLA_VXLAN.ID, key: 'id', codec: u32 },
    { type: IFLA_VXLAN.GROUP, key: 'group', codec: ip },
    { type: IFLA_VXLAN.GROUP6, key: 'group6', codec: ip },
    { type: IFLA_VXLAN.LINK, key: 'link', codec: u32 },
    { type: IFLA_VXLAN.LOCAL, key: 'local', codec: ip },
    { type: IFLA_VXLAN.LOCAL6, key: 'local6', codec: ip },
    { type: IFLA_VXLAN.TTL, key: 'ttl', codec: u8 },
    { type: IFLA_VXLAN.TOS, key: 'tos', codec: u8 },
    { type: IFLA_VXLAN.LEARNING, key: 'learning', codec: u8 },
    { type: IFLA_VXLAN.AGEING, key: 'ageing', codec: u32 },
    { type: IFLA_VXLAN.LIMIT, key: 'limit', codec: u32 },
    { type: IFLA_VXLAN.PORT, key: 'port', codec: u16be },
  ]),
  bond: new FieldTable([{ type: IFLA_BOND.MODE, key: 'mode', codec: enumOf(u8, bondModeNames) }]),
};
const SLAVE_TABLES: Record<string, FieldTable> = {
  vrf: new FieldTable([{ type: IFLA_VRF_PORT.TABLE, key: 'table', codec: u32 }]),
};
const PROP_TABLE_TYPE = IFLA.ALT_IFNAME;

function decodeLinkAt(buf: Buffer, start: number, end: number, base: number, depth: number): Link {
  if (depth > MAX_LINK_DEPTH) throw new DecodeError(`links nested deeper than ${MAX_LINK_DEPTH}`, base + start);
  if (end - start < IFINFOMSG_LEN) throw new DecodeError(`ifinfomsg needs ${IFINFOMSG_LEN} bytes, has ${end - start}`, base + start);
  const h = ifinfomsg.decode(buf, start);
  if (buf[start + 1] !== 0) throw new DecodeError('ifinfomsg padding byte is not zero', base + start + 1);
  const l: Link = {
    family: familyNames.name(h.family), type: arphrdNames.name(h.type), index: h.index, flags: iffNames.names(h.flags),
    change: h.change, unknown: [],
  };
  decodeFields(buf, start + IFINFOMSG_LEN, end, LINK_TABLE, l, (type, vs, ve, raw) => {
    if (type === IFLA.LINKINFO) {
      if (raw & NLA_F_NESTED) return false;
      l.linkinfo = decodeLinkInfo(buf, vs, ve, base, depth);
      return true;
    }
    if (type === IFLA.PROP_LIST) {
      if (raw !== (IFLA.PROP_LIST | NLA_F_NESTED)) return false;
      const names = decodePropList(buf, vs, ve, base);
      if (names === undefined) return false;
      l.altNames = names;
      return true;
    }
    return false;
  }, base);
  return l;
}

function decodePropList(buf: Buffer, start: number, end: number, base: number): string[] | undefined {
  const m: AttributeModel & { names: string[] } = { names: [], unknown: [] };
  const table = new FieldTable([{ type: PROP_TABLE_TYPE, key: 'x', codec: string }]);
  decodeFields(buf, start, end, table, m, (type, vs, ve) => {
    const s = string.decode(buf, vs, ve);
    if (type !== PROP_TABLE_TYPE || s === undefined) return false;
    m.names.push(s);
    return true;
  }, base);
  // Anything but plain, in-order names would not write back identically.
  return m.unknown.length === 0 && m.order === undefined ? m.names : undefined;
}

function decodeLinkInfo(buf: Buffer, start: number, end: number, base: number, depth: number): LinkInfo {
  const info: LinkInfo = { unknown: [] };
  decodeFields(buf, start, end, INFO_TABLE, info, (type, vs, ve, raw) => {
    if (raw & NLA_F_NESTED) return false;
    if (type === IFLA_INFO.DATA) {
      const table = info.kind === undefined ? undefined : DATA_TABLES[info.kind];
      if (!table) return false;
      const data: AttributeModel = { unknown: [] };
      decodeFields(buf, vs, ve, table, data, (t, ps, pe, praw) => {
        if (info.kind !== 'veth' || t !== VETH_INFO.PEER || praw & NLA_F_NESTED) return false;
        (data as VethData).peer = decodeLinkAt(buf, ps, pe, base, depth + 1);
        return true;
      }, base);
      info.data = data;
      return true;
    }
    if (type === IFLA_INFO.SLAVE_DATA) {
      const table = info.slaveKind === undefined ? undefined : SLAVE_TABLES[info.slaveKind];
      if (!table) return false;
      const data: VrfPortData = { unknown: [] };
      decodeFields(buf, vs, ve, table, data, undefined, base);
      info.slaveData = data;
      return true;
    }
    return false;
  }, base);
  return info;
}

export function decodeLink(msg: Message): Link {
  return decodeLinkAt(msg.payload, 0, msg.payload.length, msg.offset + 16, 0);
}

export function encodeLink(b: MessageBuilder, l: Link): void {
  const at = b.reserve(IFINFOMSG_LEN);
  ifinfomsg.encode({
    family: familyNames.value(l.family), type: arphrdNames.value(l.type), index: l.index, flags: iffNames.value(l.flags),
    change: l.change >>> 0,
  }, b.raw, at);
  encodeFields(b, LINK_TABLE, l, (type, raw) => {
    if (type === IFLA.LINKINFO) {
      if (!l.linkinfo) return false;
      const nest = b.nest(raw, true);
      encodeLinkInfo(b, l.linkinfo);
      b.endNest(nest);
      return true;
    }
    if (type === IFLA.PROP_LIST) {
      if (!l.altNames) return false;
      const nest = b.nest(raw, true);
      for (const name of l.altNames) b.string(PROP_TABLE_TYPE, name);
      b.endNest(nest);
      return true;
    }
    return undefined;
  });
}

function encodeLinkInfo(b: MessageBuilder, info: LinkInfo): void {
  encodeFields(b, INFO_TABLE, info, (type, raw) => {
    if (type === IFLA_INFO.DATA) {
      const table = info.kind === undefined ? undefined : DATA_TABLES[info.kind];
      if (!info.data || !table) return false;
      const data = info.data;
      const nest = b.nest(raw, true);
      encodeFields(b, table, data, (t, praw) => {
        if (info.kind !== 'veth' || t !== VETH_INFO.PEER) return undefined;
        const peer = (data as VethData).peer;
        if (!peer) return false;
        const p = b.nest(praw, true);
        encodeLink(b, peer);
        b.endNest(p);
        return true;
      });
      b.endNest(nest);
      return true;
    }
    if (type === IFLA_INFO.SLAVE_DATA) {
      const table = info.slaveKind === undefined ? undefined : SLAVE_TABLES[info.slaveKind];
      if (!info.slaveData || !table) return false;
      const nest = b.nest(raw, true);
      encodeFields(b, table, info.slaveData);
      b.endNest(nest);
      return true;
    }
    return undefined;
  });
}
