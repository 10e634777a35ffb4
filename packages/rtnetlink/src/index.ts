// The public API, by name. Attribute tables, wire helpers (writeAttributes, canonical order) and
// the buffer-layout codecs of nested structs stay inside: schemas and decode/encode are the way in.
export { type EnumValue, EnumNames, FlagNames } from './names.js';
export type { FixedField, FixedLayout } from './fixed-layout.js';
export {
  type IfInfoMsg, ifinfomsg, type IfAddrMsg, ifaddrmsg, type RtMsg, rtmsg, type FibRuleHdr, type NdMsg,
  ndmsg, type RtNextHop, type IfaCacheInfo, type RtaCacheInfo, type NdaCacheInfo, type RtVia,
  type UidRange, type PortRange, type LinkStats64, type LinkStats32, type NhMsg,
} from './layouts.js';
export { type RawAttribute, familyNames, addressText } from './wire.js';
export { RTM, RTNLGRP } from './constants/messages.js';
export {
  IFLA, IFLA_INFO, IFLA_VRF, IFLA_VRF_PORT, IFLA_VRF_PORT_TABLE, VETH_INFO, VETH_INFO_PEER, IFLA_VLAN,
  IFLA_MACVLAN, MACVLAN_MODE, IFLA_VXLAN, IFLA_BOND, IFLA_BOND_MODE, bondModeNames, IFLA_PROP_LIST, IFLA_ALT_IFNAME, IFF,
  iffNames, RTEXT_FILTER,
} from './constants/link.js';
export { IFA, IFA_F, ifaFlagNames } from './constants/address.js';
export {
  RTA, RTN, routeTypeNames, routeTypeName, RTPROT, routeProtocolNames, RT_SCOPE, scopeNames, RT_TABLE,
  RTM_F, RTNH_F, rtnhFlagNames, routeFlagNames, RTAX, metricNames, routePrefNames,
} from './constants/route.js';
export { FRA, FRA_IFNAME, FR_ACT, ruleActionNames, FIB_RULE, FIB_RULE_DEV_DETACHED } from './constants/rule.js';
export { NDA, NUD, NUD_NONE, nudNames, NTF, ntfNames, NTF_EXT } from './constants/neighbour.js';
export { NHA, NHA_RES_GROUP, NHA_RES_BUCKET, NEXTHOP_GRP_TYPE, NEXTHOP_GRP_LEN, NHMSG_LEN } from './constants/nexthop.js';
export { SOCK_DIAG_BY_FAMILY, INET_DIAG, TCP_STATE, stateBit, IPPROTO } from './constants/sockdiag.js';
export {
  RTMSG_LEN, type NextHop, type Route, ROUTE_SCHEMA, decodeRoute, encodeRoute,
} from './route.js';
export { type Address, ADDRESS_SCHEMA, decodeAddress, encodeAddress } from './address.js';
export { type Neighbour, NEIGHBOUR_SCHEMA, decodeNeighbour, encodeNeighbour } from './neighbour.js';
export { type Range, type Rule, RULE_SCHEMA, decodeRule, encodeRule } from './rule.js';
export {
  type Link, type VrfData, type VethData, type VlanData, type MacvlanData, type VxlanData,
  type VrfPortData, type LinkInfoData, type LinkInfo, LINK_SCHEMA, decodeLink, encodeLink,
} from './link.js';
export {
  type BondData, type BondAdInfo, type BondSlaveData, type IpvlanData, type BridgeData, type BridgeSlaveData, type KindOptions,
  writeKindData,
} from './link-kinds.js';
export {
  IFLA_BR, IFLA_BRPORT, IFLA_IPVLAN, IFLA_BOND_SLAVE, bridgePortStateNames, bondLacpRateNames, bondXmitHashPolicyNames, bondAdSelectNames, bondArpValidateNames,
  bondArpAllTargetsNames, bondPrimaryReselectNames, bondFailOverMacNames, bondLacpActiveNames, ipvlanModeNames, ipvlanFlagNames,
  vlanProtocolNames,
} from './constants/link-kinds.js';
export {
  type InetDiagSockId, type InetDiagRequest, type InetDiagSocket, INET_DIAG_SCHEMA, encodeInetDiagRequest,
  decodeInetDiagSocket, encodeInetDiagSocket,
} from './sockdiag.js';
export {
  type JsonValue, type JsonGroupMember, type JsonAttribute, type JsonMessage, splitMessages, parseBuffer,
  messageToJson, messageFromJson,
} from './json.js';
export { WIRE, wireOf, withoutWire, type AttributeModel, type AttributeRow, type AttributeTable, type WireView } from './schema/attributes.js';
export { decodeMessage, encodeMessage, type MessageSchema } from './schema/message.js';
export {
  type NexthopGroupMember, type NexthopResilient, type NexthopBucketInfo, type Nexthop, type NexthopBucket,
  NEXTHOP_SCHEMA, NEXTHOP_BUCKET_SCHEMA, decodeNexthop, encodeNexthop, decodeNexthopBucket,
  encodeNexthopBucket, nexthopEncap,
} from './nexthop.js';
export {
  AF_BRIDGE, IFLA_BRIDGE, BRIDGE_FLAGS, BRIDGE_VLAN_INFO, BRIDGE_VLAN_MIN, BRIDGE_VLAN_MAX, bridgeVlanFlagNames,
} from './constants/bridge-vlan.js';
export { type BridgeAfSpec, type BridgeVlanInfo, type BridgeVlan, bridgeVlansOf, bridgeVlanInfoOf } from './bridge-vlan.js';
