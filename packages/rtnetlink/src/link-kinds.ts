// IFLA_INFO_DATA of bond, ipvlan and bridge links, and IFLA_INFO_SLAVE_DATA of bond ports: one
// declaration per attribute set, which decodes, encodes, names the attributes for `nl decode`,
// and (writeKindData) writes the options of `ip link add|set … type KIND …` in the order given.
import { MessageBuilder } from '@vrfctl/netlink';
import { IFLA_BOND, bondModeNames } from './constants/link.js';
import {
  IFLA_BOND_AD_INFO, IFLA_BOND_SLAVE, IFLA_BR, IFLA_BRPORT, IFLA_IPVLAN, bridgePortStateNames, bondAdSelectNames, bondArpAllTargetsNames, bondArpValidateNames,
  bondFailOverMacNames, bondLacpActiveNames, bondLacpRateNames, bondMiiStatusNames, bondPrimaryReselectNames, bondSlaveStateNames,
  bondXmitHashPolicyNames, ipvlanFlagNames, ipvlanModeNames, vlanProtocolNames,
} from './constants/link-kinds.js';
import type { EnumValue } from './names.js';
import { bytes, enumOf, flag, lladdr, s32, u16, u16be, u32, u64, u8, type Codec } from './schema/codecs.js';
import { attributeTable, nested, type AttributeModel, type AttributeRow, type AttributeTable } from './schema/attributes.js';

export interface BondAdInfo extends AttributeModel {
  aggregator?: number; numPorts?: number; actorKey?: number; partnerKey?: number; partnerMac?: string;
}

/** A bond's settings; the enums are iproute2's names ('802.3ad', 'fast', 'layer3+4'…). */
export interface BondData extends AttributeModel {
  mode?: EnumValue;
  /** Interface index of the active port (0: none). */
  activeSlave?: number;
  miimon?: number;
  updelay?: number;
  downdelay?: number;
  peerNotifyDelay?: number;
  useCarrier?: number;
  arpInterval?: number;
  arpValidate?: EnumValue;
  arpAllTargets?: EnumValue;
  arpMissedMax?: number;
  /** Interface index of the primary port. */
  primary?: number;
  primaryReselect?: EnumValue;
  failOverMac?: EnumValue;
  xmitHashPolicy?: EnumValue;
  resendIgmp?: number;
  numPeerNotif?: number;
  allSlavesActive?: number;
  minLinks?: number;
  lpInterval?: number;
  packetsPerSlave?: number;
  lacpActive?: EnumValue;
  lacpRate?: EnumValue;
  adSelect?: EnumValue;
  adInfo?: BondAdInfo;
  adActorSysPrio?: number;
  adUserPortKey?: number;
  adActorSystem?: string;
  tlbDynamicLb?: number;
}

/** What a bond port reports (IFLA_INFO_SLAVE_DATA with slave kind "bond"). */
export interface BondSlaveData extends AttributeModel {
  state?: EnumValue;
  miiStatus?: EnumValue;
  linkFailureCount?: number;
  permHwaddr?: string;
  queueId?: number;
  prio?: number;
  adAggregatorId?: number;
  adActorOperPortState?: number;
  adPartnerOperPortState?: number;
}

/** ipvlan: mode 'l2' | 'l3' | 'l3s', flags 'bridge' | 'private' | 'vepa'. */
export interface IpvlanData extends AttributeModel {
  mode?: EnumValue;
  flags?: EnumValue;
}

/** A bridge's settings; times in hundredths of a second (clock_t), as ip shows and takes them. */
export interface BridgeData extends AttributeModel {
  forwardDelay?: number;
  helloTime?: number;
  maxAge?: number;
  ageingTime?: number;
  stpState?: number;
  priority?: number;
  vlanFiltering?: number;
  /** '802.1Q' or '802.1ad'. */
  vlanProtocol?: EnumValue;
  groupFwdMask?: number;
  /** struct ifla_bridge_id: two priority bytes, then the address. */
  rootId?: Uint8Array;
  bridgeId?: Uint8Array;
  rootPort?: number;
  rootPathCost?: number;
  topologyChange?: number;
  topologyChangeDetected?: number;
  helloTimer?: bigint;
  tcnTimer?: bigint;
  topologyChangeTimer?: bigint;
  gcTimer?: bigint;
  groupAddr?: string;
  /** IFLA_BR_FDB_FLUSH (a request only). */
  fdbFlush?: true;
  mcastRouter?: number;
  mcastSnooping?: number;
  mcastQueryUseIfaddr?: number;
  mcastQuerier?: number;
  mcastHashElasticity?: number;
  mcastHashMax?: number;
  mcastLastMemberCnt?: number;
  mcastStartupQueryCnt?: number;
  mcastLastMemberIntvl?: bigint;
  mcastMembershipIntvl?: bigint;
  mcastQuerierIntvl?: bigint;
  mcastQueryIntvl?: bigint;
  mcastQueryResponseIntvl?: bigint;
  mcastStartupQueryIntvl?: bigint;
  nfCallIptables?: number;
  nfCallIp6tables?: number;
  nfCallArptables?: number;
  vlanDefaultPvid?: number;
  vlanStatsEnabled?: number;
  mcastStatsEnabled?: number;
  mcastIgmpVersion?: number;
  mcastMldVersion?: number;
  vlanStatsPerPort?: number;
  /** struct br_boolopt_multi {optval, optmask} (no_linklocal_learn, mcast_vlan_snooping…). */
  multiBoolopt?: Uint8Array;
}

const BOND_AD_INFO_ATTRIBUTES = attributeTable<BondAdInfo>(IFLA_BOND_AD_INFO, 'IFLA_BOND_AD_INFO_', [
  { type: IFLA_BOND_AD_INFO.AGGREGATOR, key: 'aggregator', codec: u16 },
  { type: IFLA_BOND_AD_INFO.NUM_PORTS, key: 'numPorts', codec: u16 },
  { type: IFLA_BOND_AD_INFO.ACTOR_KEY, key: 'actorKey', codec: u16 },
  { type: IFLA_BOND_AD_INFO.PARTNER_KEY, key: 'partnerKey', codec: u16 },
  { type: IFLA_BOND_AD_INFO.PARTNER_MAC, key: 'partnerMac', codec: lladdr },
]);

// The order of the kernel's bond_fill_info.
export const BOND_ATTRIBUTES: AttributeTable<BondData> = attributeTable<BondData>(IFLA_BOND, 'IFLA_BOND_', [
  { type: IFLA_BOND.MODE, key: 'mode', codec: enumOf(u8, bondModeNames) },
  { type: IFLA_BOND.ACTIVE_SLAVE, key: 'activeSlave', codec: u32 },
  { type: IFLA_BOND.MIIMON, key: 'miimon', codec: u32 },
  { type: IFLA_BOND.UPDELAY, key: 'updelay', codec: u32 },
  { type: IFLA_BOND.DOWNDELAY, key: 'downdelay', codec: u32 },
  { type: IFLA_BOND.PEER_NOTIF_DELAY, key: 'peerNotifyDelay', codec: u32 },
  { type: IFLA_BOND.USE_CARRIER, key: 'useCarrier', codec: u8 },
  { type: IFLA_BOND.ARP_INTERVAL, key: 'arpInterval', codec: u32 },
  { type: IFLA_BOND.ARP_IP_TARGET, codec: bytes },
  { type: IFLA_BOND.ARP_VALIDATE, key: 'arpValidate', codec: enumOf(u32, bondArpValidateNames) },
  { type: IFLA_BOND.ARP_ALL_TARGETS, key: 'arpAllTargets', codec: enumOf(u32, bondArpAllTargetsNames) },
  { type: IFLA_BOND.MISSED_MAX, key: 'arpMissedMax', codec: u8 },
  { type: IFLA_BOND.NS_IP6_TARGET, codec: bytes },
  { type: IFLA_BOND.PRIMARY, key: 'primary', codec: u32 },
  { type: IFLA_BOND.PRIMARY_RESELECT, key: 'primaryReselect', codec: enumOf(u8, bondPrimaryReselectNames) },
  { type: IFLA_BOND.FAIL_OVER_MAC, key: 'failOverMac', codec: enumOf(u8, bondFailOverMacNames) },
  { type: IFLA_BOND.XMIT_HASH_POLICY, key: 'xmitHashPolicy', codec: enumOf(u8, bondXmitHashPolicyNames) },
  { type: IFLA_BOND.RESEND_IGMP, key: 'resendIgmp', codec: u32 },
  { type: IFLA_BOND.NUM_PEER_NOTIF, key: 'numPeerNotif', codec: u8 },
  { type: IFLA_BOND.ALL_SLAVES_ACTIVE, key: 'allSlavesActive', codec: u8 },
  { type: IFLA_BOND.MIN_LINKS, key: 'minLinks', codec: u32 },
  { type: IFLA_BOND.LP_INTERVAL, key: 'lpInterval', codec: u32 },
  { type: IFLA_BOND.PACKETS_PER_SLAVE, key: 'packetsPerSlave', codec: u32 },
  { type: IFLA_BOND.AD_LACP_ACTIVE, key: 'lacpActive', codec: enumOf(u8, bondLacpActiveNames) },
  { type: IFLA_BOND.AD_LACP_RATE, key: 'lacpRate', codec: enumOf(u8, bondLacpRateNames) },
  { type: IFLA_BOND.AD_SELECT, key: 'adSelect', codec: enumOf(u8, bondAdSelectNames) },
  { type: IFLA_BOND.TLB_DYNAMIC_LB, key: 'tlbDynamicLb', codec: u8 },
  { type: IFLA_BOND.AD_ACTOR_SYS_PRIO, key: 'adActorSysPrio', codec: u16 },
  { type: IFLA_BOND.AD_USER_PORT_KEY, key: 'adUserPortKey', codec: u16 },
  { type: IFLA_BOND.AD_ACTOR_SYSTEM, key: 'adActorSystem', codec: lladdr },
  { type: IFLA_BOND.AD_INFO, key: 'adInfo', codec: nested(BOND_AD_INFO_ATTRIBUTES) },
]);

export const BOND_SLAVE_ATTRIBUTES: AttributeTable<BondSlaveData> = attributeTable<BondSlaveData>(IFLA_BOND_SLAVE, 'IFLA_BOND_SLAVE_', [
  { type: IFLA_BOND_SLAVE.STATE, key: 'state', codec: enumOf(u8, bondSlaveStateNames) },
  { type: IFLA_BOND_SLAVE.MII_STATUS, key: 'miiStatus', codec: enumOf(u8, bondMiiStatusNames) },
  { type: IFLA_BOND_SLAVE.LINK_FAILURE_COUNT, key: 'linkFailureCount', codec: u32 },
  { type: IFLA_BOND_SLAVE.PERM_HWADDR, key: 'permHwaddr', codec: lladdr },
  { type: IFLA_BOND_SLAVE.QUEUE_ID, key: 'queueId', codec: u16 },
  { type: IFLA_BOND_SLAVE.PRIO, key: 'prio', codec: s32 },
  { type: IFLA_BOND_SLAVE.AD_AGGREGATOR_ID, key: 'adAggregatorId', codec: u16 },
  { type: IFLA_BOND_SLAVE.AD_ACTOR_OPER_PORT_STATE, key: 'adActorOperPortState', codec: u8 },
  { type: IFLA_BOND_SLAVE.AD_PARTNER_OPER_PORT_STATE, key: 'adPartnerOperPortState', codec: u16 },
]);

export const IPVLAN_ATTRIBUTES: AttributeTable<IpvlanData> = attributeTable<IpvlanData>(IFLA_IPVLAN, 'IFLA_IPVLAN_', [
  { type: IFLA_IPVLAN.MODE, key: 'mode', codec: enumOf(u16, ipvlanModeNames) },
  { type: IFLA_IPVLAN.FLAGS, key: 'flags', codec: enumOf(u16, ipvlanFlagNames) },
]);

const BRIDGE_ROWS: Array<[number, keyof BridgeData & string, Codec<any>]> = [
  [IFLA_BR.FORWARD_DELAY, 'forwardDelay', u32], [IFLA_BR.HELLO_TIME, 'helloTime', u32], [IFLA_BR.MAX_AGE, 'maxAge', u32],
  [IFLA_BR.AGEING_TIME, 'ageingTime', u32], [IFLA_BR.STP_STATE, 'stpState', u32], [IFLA_BR.PRIORITY, 'priority', u16],
  [IFLA_BR.VLAN_FILTERING, 'vlanFiltering', u8], [IFLA_BR.VLAN_PROTOCOL, 'vlanProtocol', enumOf(u16be, vlanProtocolNames)],
  [IFLA_BR.GROUP_FWD_MASK, 'groupFwdMask', u16], [IFLA_BR.ROOT_ID, 'rootId', bytes], [IFLA_BR.BRIDGE_ID, 'bridgeId', bytes],
  [IFLA_BR.ROOT_PORT, 'rootPort', u16], [IFLA_BR.ROOT_PATH_COST, 'rootPathCost', u32],
  [IFLA_BR.TOPOLOGY_CHANGE, 'topologyChange', u8], [IFLA_BR.TOPOLOGY_CHANGE_DETECTED, 'topologyChangeDetected', u8],
  [IFLA_BR.HELLO_TIMER, 'helloTimer', u64], [IFLA_BR.TCN_TIMER, 'tcnTimer', u64],
  [IFLA_BR.TOPOLOGY_CHANGE_TIMER, 'topologyChangeTimer', u64], [IFLA_BR.GC_TIMER, 'gcTimer', u64],
  [IFLA_BR.GROUP_ADDR, 'groupAddr', lladdr], [IFLA_BR.FDB_FLUSH, 'fdbFlush', flag],
  [IFLA_BR.MCAST_ROUTER, 'mcastRouter', u8], [IFLA_BR.MCAST_SNOOPING, 'mcastSnooping', u8],
  [IFLA_BR.MCAST_QUERY_USE_IFADDR, 'mcastQueryUseIfaddr', u8], [IFLA_BR.MCAST_QUERIER, 'mcastQuerier', u8],
  [IFLA_BR.MCAST_HASH_ELASTICITY, 'mcastHashElasticity', u32], [IFLA_BR.MCAST_HASH_MAX, 'mcastHashMax', u32],
  [IFLA_BR.MCAST_LAST_MEMBER_CNT, 'mcastLastMemberCnt', u32], [IFLA_BR.MCAST_STARTUP_QUERY_CNT, 'mcastStartupQueryCnt', u32],
  [IFLA_BR.MCAST_LAST_MEMBER_INTVL, 'mcastLastMemberIntvl', u64], [IFLA_BR.MCAST_MEMBERSHIP_INTVL, 'mcastMembershipIntvl', u64],
  [IFLA_BR.MCAST_QUERIER_INTVL, 'mcastQuerierIntvl', u64], [IFLA_BR.MCAST_QUERY_INTVL, 'mcastQueryIntvl', u64],
  [IFLA_BR.MCAST_QUERY_RESPONSE_INTVL, 'mcastQueryResponseIntvl', u64],
  [IFLA_BR.MCAST_STARTUP_QUERY_INTVL, 'mcastStartupQueryIntvl', u64],
  [IFLA_BR.NF_CALL_IPTABLES, 'nfCallIptables', u8], [IFLA_BR.NF_CALL_IP6TABLES, 'nfCallIp6tables', u8],
  [IFLA_BR.NF_CALL_ARPTABLES, 'nfCallArptables', u8], [IFLA_BR.VLAN_DEFAULT_PVID, 'vlanDefaultPvid', u16],
  [IFLA_BR.VLAN_STATS_ENABLED, 'vlanStatsEnabled', u8], [IFLA_BR.MCAST_STATS_ENABLED, 'mcastStatsEnabled', u8],
  [IFLA_BR.MCAST_IGMP_VERSION, 'mcastIgmpVersion', u8], [IFLA_BR.MCAST_MLD_VERSION, 'mcastMldVersion', u8],
  [IFLA_BR.VLAN_STATS_PER_PORT, 'vlanStatsPerPort', u8], [IFLA_BR.MULTI_BOOLOPT, 'multiBoolopt', bytes],
];
export const BRIDGE_ATTRIBUTES: AttributeTable<BridgeData> = attributeTable<BridgeData>(
  IFLA_BR, 'IFLA_BR_', BRIDGE_ROWS.map(([type, key, codec]) => ({ type, key, codec }) as AttributeRow<BridgeData>),
);

/** A bridge port's settings and STP state (IFLA_INFO_SLAVE_DATA with slave kind "bridge"). */
export interface BridgeSlaveData extends AttributeModel {
  state?: EnumValue;
  priority?: number;
  cost?: number;
  /** hairpin */
  mode?: number;
  guard?: number;
  /** root_block */
  protect?: number;
  fastLeave?: number;
  learning?: number;
  unicastFlood?: number;
  proxyarp?: number;
  learningSync?: number;
  proxyarpWifi?: number;
  rootId?: Uint8Array;
  bridgeId?: Uint8Array;
  designatedPort?: number;
  designatedCost?: number;
  id?: number;
  no?: number;
  topologyChangeAck?: number;
  configPending?: number;
  messageAgeTimer?: bigint;
  forwardDelayTimer?: bigint;
  holdTimer?: bigint;
  multicastRouter?: number;
  mcastFlood?: number;
  mcastToUcast?: number;
  vlanTunnel?: number;
  bcastFlood?: number;
  groupFwdMask?: number;
  neighSuppress?: number;
  isolated?: number;
  backupPort?: number;
  locked?: number;
}

const BRPORT_ROWS: Array<[number, keyof BridgeSlaveData & string, Codec<any>]> = [
  [IFLA_BRPORT.STATE, 'state', enumOf(u8, bridgePortStateNames)], [IFLA_BRPORT.PRIORITY, 'priority', u16],
  [IFLA_BRPORT.COST, 'cost', u32], [IFLA_BRPORT.MODE, 'mode', u8], [IFLA_BRPORT.GUARD, 'guard', u8],
  [IFLA_BRPORT.PROTECT, 'protect', u8], [IFLA_BRPORT.FAST_LEAVE, 'fastLeave', u8], [IFLA_BRPORT.MCAST_TO_UCAST, 'mcastToUcast', u8],
  [IFLA_BRPORT.LEARNING, 'learning', u8], [IFLA_BRPORT.UNICAST_FLOOD, 'unicastFlood', u8], [IFLA_BRPORT.MCAST_FLOOD, 'mcastFlood', u8],
  [IFLA_BRPORT.BCAST_FLOOD, 'bcastFlood', u8], [IFLA_BRPORT.PROXYARP, 'proxyarp', u8], [IFLA_BRPORT.PROXYARP_WIFI, 'proxyarpWifi', u8],
  [IFLA_BRPORT.ROOT_ID, 'rootId', bytes], [IFLA_BRPORT.BRIDGE_ID, 'bridgeId', bytes],
  [IFLA_BRPORT.DESIGNATED_PORT, 'designatedPort', u16], [IFLA_BRPORT.DESIGNATED_COST, 'designatedCost', u16],
  [IFLA_BRPORT.ID, 'id', u16], [IFLA_BRPORT.NO, 'no', u16], [IFLA_BRPORT.TOPOLOGY_CHANGE_ACK, 'topologyChangeAck', u8],
  [IFLA_BRPORT.CONFIG_PENDING, 'configPending', u8], [IFLA_BRPORT.VLAN_TUNNEL, 'vlanTunnel', u8],
  [IFLA_BRPORT.GROUP_FWD_MASK, 'groupFwdMask', u16], [IFLA_BRPORT.NEIGH_SUPPRESS, 'neighSuppress', u8],
  [IFLA_BRPORT.ISOLATED, 'isolated', u8], [IFLA_BRPORT.LOCKED, 'locked', u8], [IFLA_BRPORT.LEARNING_SYNC, 'learningSync', u8],
  [IFLA_BRPORT.BACKUP_PORT, 'backupPort', u32],
  [IFLA_BRPORT.MESSAGE_AGE_TIMER, 'messageAgeTimer', u64], [IFLA_BRPORT.FORWARD_DELAY_TIMER, 'forwardDelayTimer', u64],
  [IFLA_BRPORT.HOLD_TIMER, 'holdTimer', u64], [IFLA_BRPORT.MULTICAST_ROUTER, 'multicastRouter', u8],
];
export const BRIDGE_SLAVE_ATTRIBUTES: AttributeTable<BridgeSlaveData> = attributeTable<BridgeSlaveData>(
  IFLA_BRPORT, 'IFLA_BRPORT_', BRPORT_ROWS.map(([type, key, codec]) => ({ type, key, codec }) as AttributeRow<BridgeSlaveData>),
);

/** IFLA_INFO_SLAVE_DATA tables by IFLA_INFO_SLAVE_KIND. */
export const SLAVE_KIND_DATA_TABLES: Readonly<Record<string, AttributeTable<any>>> = {
  bond: BOND_SLAVE_ATTRIBUTES, bridge: BRIDGE_SLAVE_ATTRIBUTES,
};

/** IFLA_INFO_DATA tables of the kinds above, by IFLA_INFO_KIND. */
export const KIND_DATA_TABLES: Readonly<Record<string, AttributeTable<any>>> = {
  bond: BOND_ATTRIBUTES, ipvlan: IPVLAN_ATTRIBUTES, bridge: BRIDGE_ATTRIBUTES,
};

/** Kind options as a request gives them: a model without its unknown list. */
export type KindOptions<M extends AttributeModel> = Partial<Omit<M, 'unknown'>>;

/**
 * Writes a kind's options (bond, ipvlan, bridge) in the order of the object's keys, as iproute2
 * writes them while it parses. A name its enum does not know, or a key the kind has not, is a
 * RangeError naming it (the caller checks before anything is sent).
 */
export function writeKindData(b: MessageBuilder, kind: 'bond' | 'ipvlan' | 'bridge', options: object): void {
  const table = KIND_DATA_TABLES[kind];
  const byKey = new Map(table.rows.filter((r) => r.key !== undefined).map((r) => [r.key as string, r]));
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const row = byKey.get(key);
    if (!row) throw new RangeError(`${kind} has no option "${key}"`);
    (row.codec as Codec<unknown>).encode(b, row.type | (row.codec.flagBits ?? 0), value, options);
  }
}
