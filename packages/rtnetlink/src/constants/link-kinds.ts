// Constants of the link kinds servers use beyond vrf/veth/vlan/macvlan/vxlan: bonding
// (linux/if_link.h, linux/if_bonding.h), ipvlan and the bridge's IFLA_BR_*.
import { EnumNames } from '../names.js';

export const IFLA_BOND_AD_INFO = { UNSPEC: 0, AGGREGATOR: 1, NUM_PORTS: 2, ACTOR_KEY: 3, PARTNER_KEY: 4, PARTNER_MAC: 5 } as const;
export const IFLA_BOND_SLAVE = {
  UNSPEC: 0, STATE: 1, MII_STATUS: 2, LINK_FAILURE_COUNT: 3, PERM_HWADDR: 4, QUEUE_ID: 5, AD_AGGREGATOR_ID: 6,
  AD_ACTOR_OPER_PORT_STATE: 7, AD_PARTNER_OPER_PORT_STATE: 8, PRIO: 9,
} as const;

/** The bonding enums by the names iproute2 takes and prints (index = value). */
const indexed = (...names: string[]): EnumNames => new EnumNames(names.map((n, i) => [n, i] as const));
export const bondLacpRateNames = indexed('slow', 'fast');
export const bondXmitHashPolicyNames = indexed('layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac');
export const bondAdSelectNames = indexed('stable', 'bandwidth', 'count');
export const bondArpValidateNames = indexed('none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup');
export const bondArpAllTargetsNames = indexed('any', 'all');
export const bondPrimaryReselectNames = indexed('always', 'better', 'failure');
export const bondFailOverMacNames = indexed('none', 'active', 'follow');
export const bondLacpActiveNames = indexed('off', 'on');
export const bondSlaveStateNames = indexed('ACTIVE', 'BACKUP');
export const bondMiiStatusNames = indexed('UP', 'GOING_DOWN', 'DOWN', 'GOING_BACK');

export const IFLA_IPVLAN = { UNSPEC: 0, MODE: 1, FLAGS: 2 } as const;
export const ipvlanModeNames = indexed('l2', 'l3', 'l3s');
/** IFLA_IPVLAN_FLAGS: 0 is bridge, IPVLAN_F_PRIVATE 1, IPVLAN_F_VEPA 2. */
export const ipvlanFlagNames = indexed('bridge', 'private', 'vepa');

export const IFLA_BR = {
  UNSPEC: 0, FORWARD_DELAY: 1, HELLO_TIME: 2, MAX_AGE: 3, AGEING_TIME: 4, STP_STATE: 5, PRIORITY: 6, VLAN_FILTERING: 7,
  VLAN_PROTOCOL: 8, GROUP_FWD_MASK: 9, ROOT_ID: 10, BRIDGE_ID: 11, ROOT_PORT: 12, ROOT_PATH_COST: 13, TOPOLOGY_CHANGE: 14,
  TOPOLOGY_CHANGE_DETECTED: 15, HELLO_TIMER: 16, TCN_TIMER: 17, TOPOLOGY_CHANGE_TIMER: 18, GC_TIMER: 19, GROUP_ADDR: 20,
  FDB_FLUSH: 21, MCAST_ROUTER: 22, MCAST_SNOOPING: 23, MCAST_QUERY_USE_IFADDR: 24, MCAST_QUERIER: 25,
  MCAST_HASH_ELASTICITY: 26, MCAST_HASH_MAX: 27, MCAST_LAST_MEMBER_CNT: 28, MCAST_STARTUP_QUERY_CNT: 29,
  MCAST_LAST_MEMBER_INTVL: 30, MCAST_MEMBERSHIP_INTVL: 31, MCAST_QUERIER_INTVL: 32, MCAST_QUERY_INTVL: 33,
  MCAST_QUERY_RESPONSE_INTVL: 34, MCAST_STARTUP_QUERY_INTVL: 35, NF_CALL_IPTABLES: 36, NF_CALL_IP6TABLES: 37,
  NF_CALL_ARPTABLES: 38, VLAN_DEFAULT_PVID: 39, PAD: 40, VLAN_STATS_ENABLED: 41, MCAST_STATS_ENABLED: 42,
  MCAST_IGMP_VERSION: 43, MCAST_MLD_VERSION: 44, VLAN_STATS_PER_PORT: 45, MULTI_BOOLOPT: 46, MCAST_QUERIER_STATE: 47,
  FDB_N_LEARNED: 48, FDB_MAX_LEARNED: 49,
} as const;
/** The VLAN protocols a bridge (and a vlan link) takes, by iproute2's names. */
export const vlanProtocolNames = new EnumNames([['802.1Q', 0x8100], ['802.1ad', 0x88a8]]);

/** IFLA_BRPORT_*: a bridge port's settings (IFLA_INFO_SLAVE_DATA with slave kind "bridge"). */
export const IFLA_BRPORT = {
  UNSPEC: 0, STATE: 1, PRIORITY: 2, COST: 3, MODE: 4, GUARD: 5, PROTECT: 6, FAST_LEAVE: 7, LEARNING: 8, UNICAST_FLOOD: 9,
  PROXYARP: 10, LEARNING_SYNC: 11, PROXYARP_WIFI: 12, ROOT_ID: 13, BRIDGE_ID: 14, DESIGNATED_PORT: 15, DESIGNATED_COST: 16,
  ID: 17, NO: 18, TOPOLOGY_CHANGE_ACK: 19, CONFIG_PENDING: 20, MESSAGE_AGE_TIMER: 21, FORWARD_DELAY_TIMER: 22, HOLD_TIMER: 23,
  FLUSH: 24, MULTICAST_ROUTER: 25, PAD: 26, MCAST_FLOOD: 27, MCAST_TO_UCAST: 28, VLAN_TUNNEL: 29, BCAST_FLOOD: 30,
  GROUP_FWD_MASK: 31, NEIGH_SUPPRESS: 32, ISOLATED: 33, BACKUP_PORT: 34, MRP_RING_OPEN: 35, MRP_IN_OPEN: 36,
  MCAST_EHT_HOSTS_LIMIT: 37, MCAST_EHT_HOSTS_CNT: 38, LOCKED: 39, MAB: 40, MCAST_N_GROUPS: 41, MCAST_MAX_GROUPS: 42,
  NEIGH_VLAN_SUPPRESS: 43, BACKUP_NHID: 44,
} as const;
/** BR_STATE_* as ip prints a port's STP state. */
export const bridgePortStateNames = indexed('disabled', 'listening', 'learning', 'forwarding', 'blocking');
