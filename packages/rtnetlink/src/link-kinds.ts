// IFLA_INFO_DATA of bond, ipvlan and bridge links, and IFLA_INFO_SLAVE_DATA of bond and bridge
// ports: one declaration per attribute set (attribute, model key, codec), from which the model's
// type, the decoder, the encoder and the names `nl decode` shows all come; writeKindData writes
// the options of `ip link add|set … type KIND …` in the order given. Enums are iproute2's names
// ('802.3ad', 'fast', 'layer3+4', 'l3s'…); times are hundredths of a second, as ip takes them.
import { MessageBuilder } from '@vrfctl/netlink';
import { IFLA_BOND, bondModeNames } from './constants/link.js';
import {
  IFLA_BOND_AD_INFO, IFLA_BOND_SLAVE, IFLA_BR, IFLA_BRPORT, IFLA_IPVLAN, bridgePortStateNames, bondAdSelectNames, bondArpAllTargetsNames, bondArpValidateNames,
  bondFailOverMacNames, bondLacpActiveNames, bondLacpRateNames, bondMiiStatusNames, bondPrimaryReselectNames, bondSlaveStateNames,
  bondXmitHashPolicyNames, ipvlanFlagNames, ipvlanModeNames, vlanProtocolNames,
} from './constants/link-kinds.js';
import { bytes, enumOf, flag, lladdr, s32, u16, u16be, u32, u64, u8, type Codec } from './schema/codecs.js';
import { attributeTable, nested, type AttributeModel, type AttributeRow, type AttributeTable } from './schema/attributes.js';

/** A row of an attribute set: attribute number, model key, codec. */
type Row = readonly [type: number, key: string, codec: Codec<any>];
/** The model a set of rows fills: each key optional, typed by its codec. */
type ModelOf<R extends readonly Row[]> = { [E in R[number] as E[1]]?: E[2] extends Codec<infer T> ? T : never };

function table<M>(constants: Readonly<Record<string, number>>, prefix: string, rows: readonly Row[]): AttributeTable<M> {
  return attributeTable<M>(constants, prefix, rows.map(([type, key, codec]) => ({ type, key, codec }) as AttributeRow<M>));
}

const AD_INFO_ROWS = [
  [IFLA_BOND_AD_INFO.AGGREGATOR, 'aggregator', u16], [IFLA_BOND_AD_INFO.NUM_PORTS, 'numPorts', u16],
  [IFLA_BOND_AD_INFO.ACTOR_KEY, 'actorKey', u16], [IFLA_BOND_AD_INFO.PARTNER_KEY, 'partnerKey', u16],
  [IFLA_BOND_AD_INFO.PARTNER_MAC, 'partnerMac', lladdr],
] as const;
export interface BondAdInfo extends AttributeModel, ModelOf<typeof AD_INFO_ROWS> {}
const BOND_AD_INFO_ATTRIBUTES = table<BondAdInfo>(IFLA_BOND_AD_INFO, 'IFLA_BOND_AD_INFO_', AD_INFO_ROWS);

// The order of the kernel's bond_fill_info. activeSlave and primary are interface indexes.
const BOND_ROWS = [
  [IFLA_BOND.MODE, 'mode', enumOf(u8, bondModeNames)], [IFLA_BOND.ACTIVE_SLAVE, 'activeSlave', u32],
  [IFLA_BOND.MIIMON, 'miimon', u32], [IFLA_BOND.UPDELAY, 'updelay', u32], [IFLA_BOND.DOWNDELAY, 'downdelay', u32],
  [IFLA_BOND.PEER_NOTIF_DELAY, 'peerNotifyDelay', u32], [IFLA_BOND.USE_CARRIER, 'useCarrier', u8],
  [IFLA_BOND.ARP_INTERVAL, 'arpInterval', u32], [IFLA_BOND.ARP_VALIDATE, 'arpValidate', enumOf(u32, bondArpValidateNames)],
  [IFLA_BOND.ARP_ALL_TARGETS, 'arpAllTargets', enumOf(u32, bondArpAllTargetsNames)], [IFLA_BOND.MISSED_MAX, 'arpMissedMax', u8],
  [IFLA_BOND.PRIMARY, 'primary', u32], [IFLA_BOND.PRIMARY_RESELECT, 'primaryReselect', enumOf(u8, bondPrimaryReselectNames)],
  [IFLA_BOND.FAIL_OVER_MAC, 'failOverMac', enumOf(u8, bondFailOverMacNames)],
  [IFLA_BOND.XMIT_HASH_POLICY, 'xmitHashPolicy', enumOf(u8, bondXmitHashPolicyNames)], [IFLA_BOND.RESEND_IGMP, 'resendIgmp', u32],
  [IFLA_BOND.NUM_PEER_NOTIF, 'numPeerNotif', u8], [IFLA_BOND.ALL_SLAVES_ACTIVE, 'allSlavesActive', u8],
  [IFLA_BOND.MIN_LINKS, 'minLinks', u32], [IFLA_BOND.LP_INTERVAL, 'lpInterval', u32],
  [IFLA_BOND.PACKETS_PER_SLAVE, 'packetsPerSlave', u32], [IFLA_BOND.AD_LACP_ACTIVE, 'lacpActive', enumOf(u8, bondLacpActiveNames)],
  [IFLA_BOND.AD_LACP_RATE, 'lacpRate', enumOf(u8, bondLacpRateNames)], [IFLA_BOND.AD_SELECT, 'adSelect', enumOf(u8, bondAdSelectNames)],
  [IFLA_BOND.TLB_DYNAMIC_LB, 'tlbDynamicLb', u8], [IFLA_BOND.AD_ACTOR_SYS_PRIO, 'adActorSysPrio', u16],
  [IFLA_BOND.AD_USER_PORT_KEY, 'adUserPortKey', u16], [IFLA_BOND.AD_ACTOR_SYSTEM, 'adActorSystem', lladdr],
  [IFLA_BOND.AD_INFO, 'adInfo', nested(BOND_AD_INFO_ATTRIBUTES)],
] as const;
/** A bond's settings (IFLA_BOND_*); ARP and NS targets stay raw in unknown. */
export interface BondData extends AttributeModel, ModelOf<typeof BOND_ROWS> {}
export const BOND_ATTRIBUTES: AttributeTable<BondData> = table<BondData>(IFLA_BOND, 'IFLA_BOND_', BOND_ROWS);

const BOND_SLAVE_ROWS = [
  [IFLA_BOND_SLAVE.STATE, 'state', enumOf(u8, bondSlaveStateNames)], [IFLA_BOND_SLAVE.MII_STATUS, 'miiStatus', enumOf(u8, bondMiiStatusNames)],
  [IFLA_BOND_SLAVE.LINK_FAILURE_COUNT, 'linkFailureCount', u32], [IFLA_BOND_SLAVE.PERM_HWADDR, 'permHwaddr', lladdr],
  [IFLA_BOND_SLAVE.QUEUE_ID, 'queueId', u16], [IFLA_BOND_SLAVE.PRIO, 'prio', s32],
  [IFLA_BOND_SLAVE.AD_AGGREGATOR_ID, 'adAggregatorId', u16], [IFLA_BOND_SLAVE.AD_ACTOR_OPER_PORT_STATE, 'adActorOperPortState', u8],
  [IFLA_BOND_SLAVE.AD_PARTNER_OPER_PORT_STATE, 'adPartnerOperPortState', u16],
] as const;
/** What a bond port reports (IFLA_INFO_SLAVE_DATA with slave kind "bond"). */
export interface BondSlaveData extends AttributeModel, ModelOf<typeof BOND_SLAVE_ROWS> {}
export const BOND_SLAVE_ATTRIBUTES: AttributeTable<BondSlaveData> = table<BondSlaveData>(IFLA_BOND_SLAVE, 'IFLA_BOND_SLAVE_', BOND_SLAVE_ROWS);

const IPVLAN_ROWS = [
  [IFLA_IPVLAN.MODE, 'mode', enumOf(u16, ipvlanModeNames)], [IFLA_IPVLAN.FLAGS, 'flags', enumOf(u16, ipvlanFlagNames)],
] as const;
/** ipvlan: mode 'l2' | 'l3' | 'l3s', flags 'bridge' | 'private' | 'vepa'. */
export interface IpvlanData extends AttributeModel, ModelOf<typeof IPVLAN_ROWS> {}
export const IPVLAN_ATTRIBUTES: AttributeTable<IpvlanData> = table<IpvlanData>(IFLA_IPVLAN, 'IFLA_IPVLAN_', IPVLAN_ROWS);

// rootId and bridgeId are struct ifla_bridge_id (two priority bytes, the address); multiBoolopt is
// struct br_boolopt_multi {optval, optmask}; fdbFlush is a request only.
const BRIDGE_ROWS = [
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
] as const;
/** A bridge's settings and STP state (IFLA_BR_*). */
export interface BridgeData extends AttributeModel, ModelOf<typeof BRIDGE_ROWS> {}
export const BRIDGE_ATTRIBUTES: AttributeTable<BridgeData> = table<BridgeData>(IFLA_BR, 'IFLA_BR_', BRIDGE_ROWS);

// mode is hairpin, protect root_block, id and no the port's STP id and number.
const BRPORT_ROWS = [
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
] as const;
/** A bridge port's settings and STP state (IFLA_INFO_SLAVE_DATA with slave kind "bridge"). */
export interface BridgeSlaveData extends AttributeModel, ModelOf<typeof BRPORT_ROWS> {}
export const BRIDGE_SLAVE_ATTRIBUTES: AttributeTable<BridgeSlaveData> = table<BridgeSlaveData>(IFLA_BRPORT, 'IFLA_BRPORT_', BRPORT_ROWS);

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
