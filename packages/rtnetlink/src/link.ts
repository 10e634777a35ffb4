// RTM_NEWLINK/DELLINK/GETLINK/SETLINK: struct ifinfomsg and IFLA_* attributes as a typed Link,
// with IFLA_LINKINFO decoded per kind (vrf, veth, vlan, macvlan, vxlan; bond, ipvlan, bridge in
// link-kinds.ts; others raw).
import { MessageBuilder, type Message } from '@vrfctl/netlink';
import { ifinfomsg, rtnlLinkStats, rtnlLinkStats64, vxlanPortRange, type IfInfoMsg, type LinkStats32, type LinkStats64, type PortRange } from './layouts.js';
import {
  IFLA, IFLA_INFO, IFLA_MACVLAN, IFLA_VLAN, IFLA_VRF, IFLA_VRF_PORT, IFLA_VXLAN, VETH_INFO,
  arphrdNames, iffNames, linkmodeNames, macvlanModeNames, operstateNames,
} from './constants/link.js';
import { RTM } from './constants/messages.js';
import { type EnumValue } from './names.js';
import { NESTED, address, enumOf, flag, ifname, lladdr, s32, string, struct, u16, u16be, u32, u32be, u8 } from './schema/codecs.js';
import { attributeTable, listOf, nested, nestedBy, type AttributeModel, type AttributeTable } from './schema/attributes.js';
import { decodeMessage, encodeMessage, messageCodec, messageSchema, type MessageSchema } from './schema/message.js';
import { familyNames } from './wire.js';
import {
  KIND_DATA_TABLES, SLAVE_KIND_DATA_TABLES, type BondData, type BondSlaveData, type BridgeData, type BridgeSlaveData, type IpvlanData,
} from './link-kinds.js';
import { bridgeAfSpec, type BridgeAfSpec } from './bridge-vlan.js';

export interface Link extends AttributeModel {
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
  /** IFLA_QDISC: the root queueing discipline's kind (ip link prints it). */
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
  /** IFLA_CARRIER_CHANGES: how often the carrier went up or down (`ip -s -s`'s "transns"). */
  carrierChanges?: number;
  stats?: LinkStats32;
  stats64?: LinkStats64;
  linkinfo?: LinkInfo;
  /** IFLA_AF_SPEC of AF_BRIDGE messages: a port's VLANs (bridgeVlansOf), or a `bridge vlan` request. */
  bridge?: BridgeAfSpec;
}

export interface VrfData extends AttributeModel { table?: number }
export interface VethData extends AttributeModel { peer?: Link }
export interface VlanData extends AttributeModel { id?: number; protocol?: number }
export interface MacvlanData extends AttributeModel {
  mode?: EnumValue;
  /** MACVLAN_FLAG_*: 1 nopromisc, 2 nodst. */
  flags?: number;
  /** Source mode: how many source addresses; they come in macaddrs. */
  macaddrCount?: number;
  /** Source mode: the source addresses (IFLA_MACVLAN_MACADDR_DATA), in the kernel's order. */
  macaddrs?: string[];
  bcQueueLen?: number;
  bcQueueLenUsed?: number;
}
/** IFLA_VXLAN_*: the u8 switches are 0 or 1 as the kernel reports them; gbp and gpe are flags. */
export interface VxlanData extends AttributeModel {
  id?: number; group?: string; group6?: string; link?: number; local?: string; local6?: string;
  ttl?: number; tos?: number; learning?: number; ageing?: number; limit?: number;
  /** UDP source port range (big-endian on the wire). */
  portRange?: PortRange;
  proxy?: number; rsc?: number; l2miss?: number; l3miss?: number;
  /** UDP destination port; big-endian on the wire. */
  port?: number;
  udpCsum?: number; udpZeroCsum6Tx?: number; udpZeroCsum6Rx?: number; remcsumTx?: number; remcsumRx?: number;
  gbp?: true; remcsumNopartial?: true;
  /** `external`: flow-based (collect metadata) device. */
  collectMetadata?: number;
  /** IPv6 flow label, host order. */
  label?: number;
  gpe?: true; ttlInherit?: number;
  /** 0 unset, 1 set, 2 inherit (enum ifla_vxlan_df). */
  df?: number;
  vnifilter?: number; localbypass?: number;
}
export interface VrfPortData extends AttributeModel { table?: number }
export type LinkInfoData = VrfData | VethData | VlanData | MacvlanData | VxlanData | BondData | IpvlanData | BridgeData;

export interface LinkInfo extends AttributeModel {
  kind?: string;
  /** IFLA_INFO_DATA for the kinds above; other kinds keep it raw in unknown. */
  data?: LinkInfoData;
  slaveKind?: string;
  /** IFLA_INFO_SLAVE_DATA for vrf, bond and bridge ports; others stay raw. */
  slaveData?: VrfPortData | BondSlaveData | BridgeSlaveData;
}

export const VRF_ATTRIBUTES = attributeTable<VrfData>(IFLA_VRF, 'IFLA_VRF_', [{ type: IFLA_VRF.TABLE, key: 'table', codec: u32 }]);
export const VRF_PORT_ATTRIBUTES = attributeTable<VrfPortData>(IFLA_VRF_PORT, 'IFLA_VRF_PORT_', [
  { type: IFLA_VRF_PORT.TABLE, key: 'table', codec: u32 },
]);
export const VETH_ATTRIBUTES: AttributeTable<VethData> = attributeTable<VethData>(VETH_INFO, 'VETH_INFO_', [
  { type: VETH_INFO.PEER, key: 'peer', codec: messageCodec((): MessageSchema<Link, IfInfoMsg> => LINK_SCHEMA) },
]);
export const VLAN_ATTRIBUTES = attributeTable<VlanData>(IFLA_VLAN, 'IFLA_VLAN_', [
  { type: IFLA_VLAN.PROTOCOL, key: 'protocol', codec: u16be },
  { type: IFLA_VLAN.ID, key: 'id', codec: u16 },
]);
const MACADDR_DATA_ATTRIBUTES = attributeTable<{ unknown: [] }>(IFLA_MACVLAN, 'IFLA_MACVLAN_', [
  { type: IFLA_MACVLAN.MACADDR, codec: lladdr },
]);
export const MACVLAN_ATTRIBUTES = attributeTable<MacvlanData>(IFLA_MACVLAN, 'IFLA_MACVLAN_', [
  { type: IFLA_MACVLAN.MODE, key: 'mode', codec: enumOf(u32, macvlanModeNames) },
  { type: IFLA_MACVLAN.FLAGS, key: 'flags', codec: u16 },
  { type: IFLA_MACVLAN.MACADDR_DATA, key: 'macaddrs', codec: listOf(MACADDR_DATA_ATTRIBUTES, IFLA_MACVLAN.MACADDR, lladdr, false) },
  { type: IFLA_MACVLAN.MACADDR_COUNT, key: 'macaddrCount', codec: u32 },
  { type: IFLA_MACVLAN.BC_QUEUE_LEN, key: 'bcQueueLen', codec: u32 },
  { type: IFLA_MACVLAN.BC_QUEUE_LEN_USED, key: 'bcQueueLenUsed', codec: u32 },
]);
export const VXLAN_ATTRIBUTES = attributeTable<VxlanData>(IFLA_VXLAN, 'IFLA_VXLAN_', [
  { type: IFLA_VXLAN.ID, key: 'id', codec: u32 },
  { type: IFLA_VXLAN.GROUP, key: 'group', codec: address },
  { type: IFLA_VXLAN.GROUP6, key: 'group6', codec: address },
  { type: IFLA_VXLAN.LINK, key: 'link', codec: u32 },
  { type: IFLA_VXLAN.LOCAL, key: 'local', codec: address },
  { type: IFLA_VXLAN.LOCAL6, key: 'local6', codec: address },
  { type: IFLA_VXLAN.TTL, key: 'ttl', codec: u8 },
  { type: IFLA_VXLAN.TOS, key: 'tos', codec: u8 },
  { type: IFLA_VXLAN.LEARNING, key: 'learning', codec: u8 },
  { type: IFLA_VXLAN.AGEING, key: 'ageing', codec: u32 },
  { type: IFLA_VXLAN.LIMIT, key: 'limit', codec: u32 },
  { type: IFLA_VXLAN.PORT_RANGE, key: 'portRange', codec: struct(vxlanPortRange) },
  { type: IFLA_VXLAN.PROXY, key: 'proxy', codec: u8 },
  { type: IFLA_VXLAN.RSC, key: 'rsc', codec: u8 },
  { type: IFLA_VXLAN.L2MISS, key: 'l2miss', codec: u8 },
  { type: IFLA_VXLAN.L3MISS, key: 'l3miss', codec: u8 },
  { type: IFLA_VXLAN.PORT, key: 'port', codec: u16be },
  { type: IFLA_VXLAN.UDP_CSUM, key: 'udpCsum', codec: u8 },
  { type: IFLA_VXLAN.UDP_ZERO_CSUM6_TX, key: 'udpZeroCsum6Tx', codec: u8 },
  { type: IFLA_VXLAN.UDP_ZERO_CSUM6_RX, key: 'udpZeroCsum6Rx', codec: u8 },
  { type: IFLA_VXLAN.REMCSUM_TX, key: 'remcsumTx', codec: u8 },
  { type: IFLA_VXLAN.REMCSUM_RX, key: 'remcsumRx', codec: u8 },
  { type: IFLA_VXLAN.GBP, key: 'gbp', codec: flag },
  { type: IFLA_VXLAN.REMCSUM_NOPARTIAL, key: 'remcsumNopartial', codec: flag },
  { type: IFLA_VXLAN.COLLECT_METADATA, key: 'collectMetadata', codec: u8 },
  { type: IFLA_VXLAN.LABEL, key: 'label', codec: u32be },
  { type: IFLA_VXLAN.GPE, key: 'gpe', codec: flag },
  { type: IFLA_VXLAN.TTL_INHERIT, key: 'ttlInherit', codec: u8 },
  { type: IFLA_VXLAN.DF, key: 'df', codec: u8 },
  { type: IFLA_VXLAN.VNIFILTER, key: 'vnifilter', codec: u8 },
  { type: IFLA_VXLAN.LOCALBYPASS, key: 'localbypass', codec: u8 },
]);

/** IFLA_INFO_DATA's table by IFLA_INFO_KIND: adding a link kind is one table and one line here. */
const DATA_BY_KIND: Readonly<Record<string, AttributeTable<any>>> = {
  vrf: VRF_ATTRIBUTES, veth: VETH_ATTRIBUTES, vlan: VLAN_ATTRIBUTES, macvlan: MACVLAN_ATTRIBUTES, vxlan: VXLAN_ATTRIBUTES,
  ...KIND_DATA_TABLES,
};
/** IFLA_INFO_SLAVE_DATA's table by IFLA_INFO_SLAVE_KIND. */
const SLAVE_DATA_BY_KIND = { vrf: VRF_PORT_ATTRIBUTES, ...SLAVE_KIND_DATA_TABLES };

export const LINKINFO_ATTRIBUTES: AttributeTable<LinkInfo> = attributeTable<LinkInfo>(IFLA_INFO, 'IFLA_INFO_', [
  { type: IFLA_INFO.KIND, key: 'kind', codec: string },
  { type: IFLA_INFO.DATA, key: 'data', codec: nestedBy<LinkInfo, LinkInfoData>('kind', IFLA_INFO.KIND, DATA_BY_KIND) },
  { type: IFLA_INFO.SLAVE_KIND, key: 'slaveKind', codec: string },
  { type: IFLA_INFO.SLAVE_DATA, key: 'slaveData', codec: nestedBy<LinkInfo, VrfPortData | BondSlaveData | BridgeSlaveData>('slaveKind', IFLA_INFO.SLAVE_KIND, SLAVE_DATA_BY_KIND) },
]);

const PROP_LIST_ATTRIBUTES = attributeTable<{ unknown: [] }>({ UNSPEC: 0, ALT_IFNAME: IFLA.ALT_IFNAME }, 'IFLA_', [
  { type: IFLA.ALT_IFNAME, codec: ifname },
]);

// The order of rtnl_fill_ifinfo; the rows without a key are shown typed by `nl decode` only.
export const LINK_ATTRIBUTES: AttributeTable<Link> = attributeTable<Link>(IFLA, 'IFLA_', [
  { type: IFLA.IFNAME, key: 'ifname', codec: ifname },
  { type: IFLA.TXQLEN, key: 'txqlen', codec: u32 },
  { type: IFLA.OPERSTATE, key: 'operstate', codec: enumOf(u8, operstateNames) },
  { type: IFLA.LINKMODE, key: 'linkmode', codec: enumOf(u8, linkmodeNames) },
  { type: IFLA.MTU, key: 'mtu', codec: u32 },
  { type: IFLA.MIN_MTU, key: 'minMtu', codec: u32 },
  { type: IFLA.MAX_MTU, key: 'maxMtu', codec: u32 },
  { type: IFLA.GROUP, key: 'group', codec: u32 },
  { type: IFLA.PROMISCUITY, key: 'promiscuity', codec: u32 },
  { type: IFLA.CARRIER, key: 'carrier', codec: u8 },
  { type: IFLA.CARRIER_CHANGES, key: 'carrierChanges', codec: u32 },
  { type: IFLA.MASTER, key: 'master', codec: u32 },
  { type: IFLA.LINK, key: 'link', codec: u32 },
  { type: IFLA.ADDRESS, key: 'address', codec: lladdr },
  { type: IFLA.BROADCAST, key: 'broadcast', codec: lladdr },
  { type: IFLA.STATS64, key: 'stats64', codec: struct(rtnlLinkStats64) },
  { type: IFLA.STATS, key: 'stats', codec: struct(rtnlLinkStats) },
  { type: IFLA.LINKINFO, key: 'linkinfo', codec: nested(LINKINFO_ATTRIBUTES) },
  { type: IFLA.LINK_NETNSID, key: 'linkNetnsid', codec: s32 },
  { type: IFLA.NET_NS_PID, key: 'netNsPid', codec: u32 },
  { type: IFLA.NET_NS_FD, key: 'netNsFd', codec: u32 },
  { type: IFLA.IFALIAS, key: 'ifalias', codec: string },
  { type: IFLA.AF_SPEC, key: 'bridge', codec: bridgeAfSpec },
  { type: IFLA.EXT_MASK, key: 'extMask', codec: u32 },
  { type: IFLA.PROP_LIST, key: 'altNames', codec: listOf(PROP_LIST_ATTRIBUTES, IFLA.ALT_IFNAME, ifname, true) },
  { type: IFLA.ALT_IFNAME, key: 'altIfname', codec: ifname },
  { type: IFLA.PERM_ADDRESS, key: 'permAddress', codec: lladdr },
  { type: IFLA.QDISC, key: 'qdisc', codec: string },
  ...(['PHYS_PORT_NAME', 'PARENT_DEV_NAME', 'PARENT_DEV_BUS_NAME'] as const).map((k) => ({ type: IFLA[k], codec: string })),
  ...(['NUM_VF', 'NUM_TX_QUEUES', 'NUM_RX_QUEUES', 'GSO_MAX_SEGS', 'GSO_MAX_SIZE', 'CARRIER_UP_COUNT',
    'CARRIER_DOWN_COUNT', 'GRO_MAX_SIZE', 'TSO_MAX_SIZE', 'TSO_MAX_SEGS', 'ALLMULTI', 'GSO_IPV4_MAX_SIZE', 'GRO_IPV4_MAX_SIZE',
  ] as const).map((k) => ({ type: IFLA[k], codec: u32 })),
  ...(['NEW_NETNSID', 'TARGET_NETNSID', 'NEW_IFINDEX'] as const).map((k) => ({ type: IFLA[k], codec: s32 })),
  { type: IFLA.PROTO_DOWN, codec: u8 },
]);

export const LINK_SCHEMA: MessageSchema<Link, IfInfoMsg> = messageSchema<Link, IfInfoMsg>({
  name: 'ifinfomsg',
  header: ifinfomsg,
  attributes: LINK_ATTRIBUTES,
  types: [RTM.NEWLINK, RTM.DELLINK, RTM.GETLINK, RTM.SETLINK],
  inet6: () => false,
  fromHeader: (h) => ({
    family: familyNames.name(h.family), type: arphrdNames.name(h.type), index: h.index, flags: iffNames.names(h.flags),
    change: h.change, unknown: [],
  }),
  toWire: (l) => ({
    header: {
      family: familyNames.value(l.family), type: arphrdNames.value(l.type), index: l.index, flags: iffNames.value(l.flags),
      change: l.change >>> 0,
    },
    attributes: l,
  }),
});

export function decodeLink(msg: Message): Link {
  return decodeMessage(LINK_SCHEMA, msg);
}

export function encodeLink(b: MessageBuilder, l: Link): void {
  encodeMessage(LINK_SCHEMA, b, l);
}
