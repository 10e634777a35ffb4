// Link constants: linux/if_link.h, linux/if.h, linux/veth.h.
import { EnumNames, FlagNames } from '../names.js';

export const IFLA = {
  UNSPEC: 0, ADDRESS: 1, BROADCAST: 2, IFNAME: 3, MTU: 4, LINK: 5, QDISC: 6, STATS: 7,
  COST: 8, PRIORITY: 9, MASTER: 10, WIRELESS: 11, PROTINFO: 12, TXQLEN: 13, MAP: 14,
  WEIGHT: 15, OPERSTATE: 16, LINKMODE: 17, LINKINFO: 18, NET_NS_PID: 19, IFALIAS: 20,
  NUM_VF: 21, VFINFO_LIST: 22, STATS64: 23, VF_PORTS: 24, PORT_SELF: 25, AF_SPEC: 26,
  GROUP: 27, NET_NS_FD: 28, EXT_MASK: 29, PROMISCUITY: 30, NUM_TX_QUEUES: 31,
  NUM_RX_QUEUES: 32, CARRIER: 33, PHYS_PORT_ID: 34, CARRIER_CHANGES: 35, PHYS_SWITCH_ID: 36,
  LINK_NETNSID: 37, PHYS_PORT_NAME: 38, PROTO_DOWN: 39, GSO_MAX_SEGS: 40, GSO_MAX_SIZE: 41,
  PAD: 42, XDP: 43, EVENT: 44, NEW_NETNSID: 45, TARGET_NETNSID: 46, CARRIER_UP_COUNT: 47,
  CARRIER_DOWN_COUNT: 48, NEW_IFINDEX: 49, MIN_MTU: 50, MAX_MTU: 51, PROP_LIST: 52,
  ALT_IFNAME: 53, PERM_ADDRESS: 54, PROTO_DOWN_REASON: 55, PARENT_DEV_NAME: 56,
  PARENT_DEV_BUS_NAME: 57, GRO_MAX_SIZE: 58, TSO_MAX_SIZE: 59, TSO_MAX_SEGS: 60, ALLMULTI: 61,
  DEVLINK_PORT: 62, GSO_IPV4_MAX_SIZE: 63, GRO_IPV4_MAX_SIZE: 64, DPLL_PIN: 65,
} as const;
export const iflaNames = EnumNames.fromObject(IFLA, 'IFLA_');

export const IFLA_INFO = { UNSPEC: 0, KIND: 1, DATA: 2, XSTATS: 3, SLAVE_KIND: 4, SLAVE_DATA: 5 } as const;
export const iflaInfoNames = EnumNames.fromObject(IFLA_INFO, 'IFLA_INFO_');

export const IFLA_VRF = { UNSPEC: 0, TABLE: 1 } as const;
export const iflaVrfNames = EnumNames.fromObject(IFLA_VRF, 'IFLA_VRF_');
export const IFLA_VRF_PORT = { UNSPEC: 0, TABLE: 1 } as const;
export const IFLA_VRF_PORT_TABLE = IFLA_VRF_PORT.TABLE;
export const iflaVrfPortNames = EnumNames.fromObject(IFLA_VRF_PORT, 'IFLA_VRF_PORT_');

export const VETH_INFO = { UNSPEC: 0, PEER: 1 } as const;
export const VETH_INFO_PEER = VETH_INFO.PEER;
export const vethInfoNames = EnumNames.fromObject(VETH_INFO, 'VETH_INFO_');

export const IFLA_VLAN = { UNSPEC: 0, ID: 1, FLAGS: 2, EGRESS_QOS: 3, INGRESS_QOS: 4, PROTOCOL: 5 } as const;
export const iflaVlanNames = EnumNames.fromObject(IFLA_VLAN, 'IFLA_VLAN_');

export const IFLA_MACVLAN = {
  UNSPEC: 0, MODE: 1, FLAGS: 2, MACADDR_MODE: 3, MACADDR: 4, MACADDR_DATA: 5, MACADDR_COUNT: 6,
  BC_QUEUE_LEN: 7, BC_QUEUE_LEN_USED: 8, BC_CUTOFF: 9,
} as const;
export const iflaMacvlanNames = EnumNames.fromObject(IFLA_MACVLAN, 'IFLA_MACVLAN_');

/** enum macvlan_mode: one bit each; the kernel stores exactly one. */
export const MACVLAN_MODE = { private: 1, vepa: 2, bridge: 4, passthru: 8, source: 16 } as const;
export const macvlanModeNames = EnumNames.fromObject(MACVLAN_MODE);

export const IFLA_VXLAN = {
  UNSPEC: 0, ID: 1, GROUP: 2, LINK: 3, LOCAL: 4, TTL: 5, TOS: 6, LEARNING: 7, AGEING: 8,
  LIMIT: 9, PORT_RANGE: 10, PROXY: 11, RSC: 12, L2MISS: 13, L3MISS: 14, PORT: 15, GROUP6: 16,
  LOCAL6: 17, UDP_CSUM: 18, UDP_ZERO_CSUM6_TX: 19, UDP_ZERO_CSUM6_RX: 20, REMCSUM_TX: 21,
  REMCSUM_RX: 22, GBP: 23, REMCSUM_NOPARTIAL: 24, COLLECT_METADATA: 25, LABEL: 26, GPE: 27,
  TTL_INHERIT: 28, DF: 29, VNIFILTER: 30, LOCALBYPASS: 31, LABEL_POLICY: 32,
} as const;
export const iflaVxlanNames = EnumNames.fromObject(IFLA_VXLAN, 'IFLA_VXLAN_');

export const IFLA_BOND = {
  UNSPEC: 0, MODE: 1, ACTIVE_SLAVE: 2, MIIMON: 3, UPDELAY: 4, DOWNDELAY: 5, USE_CARRIER: 6, ARP_INTERVAL: 7,
  ARP_IP_TARGET: 8, ARP_VALIDATE: 9, ARP_ALL_TARGETS: 10, PRIMARY: 11, PRIMARY_RESELECT: 12, FAIL_OVER_MAC: 13,
  XMIT_HASH_POLICY: 14, RESEND_IGMP: 15, NUM_PEER_NOTIF: 16, ALL_SLAVES_ACTIVE: 17, MIN_LINKS: 18, LP_INTERVAL: 19,
  PACKETS_PER_SLAVE: 20, AD_LACP_RATE: 21, AD_SELECT: 22, AD_INFO: 23, AD_ACTOR_SYS_PRIO: 24, AD_USER_PORT_KEY: 25,
  AD_ACTOR_SYSTEM: 26, TLB_DYNAMIC_LB: 27, PEER_NOTIF_DELAY: 28, AD_LACP_ACTIVE: 29, MISSED_MAX: 30, NS_IP6_TARGET: 31,
} as const;
export const IFLA_BOND_MODE = IFLA_BOND.MODE;
export const iflaBondNames = EnumNames.fromObject(IFLA_BOND, 'IFLA_BOND_');
/** Bonding modes by the names iproute2 accepts. */
export const bondModeNames = new EnumNames([
  ['balance-rr', 0], ['active-backup', 1], ['balance-xor', 2], ['broadcast', 3],
  ['802.3ad', 4], ['balance-tlb', 5], ['balance-alb', 6],
]);

/** IFLA_PROP_LIST holds only IFLA_ALT_IFNAME entries. */
export const IFLA_PROP_LIST = IFLA.PROP_LIST;
export const IFLA_ALT_IFNAME = IFLA.ALT_IFNAME;

/** net_device_flags (linux/if.h), by the names `ip link` prints. */
export const IFF = {
  UP: 0x1, BROADCAST: 0x2, DEBUG: 0x4, LOOPBACK: 0x8, POINTOPOINT: 0x10, NOTRAILERS: 0x20,
  RUNNING: 0x40, NOARP: 0x80, PROMISC: 0x100, ALLMULTI: 0x200, MASTER: 0x400, SLAVE: 0x800,
  MULTICAST: 0x1000, PORTSEL: 0x2000, AUTOMEDIA: 0x4000, DYNAMIC: 0x8000, LOWER_UP: 0x10000,
  DORMANT: 0x20000, ECHO: 0x40000,
} as const;
export const iffNames = FlagNames.fromObject(IFF);

/** IF_OPER_* (RFC 2863 operational state) as `ip link` prints them. */
export const operstateNames = new EnumNames([
  ['UNKNOWN', 0], ['NOTPRESENT', 1], ['DOWN', 2], ['LOWERLAYERDOWN', 3], ['TESTING', 4], ['DORMANT', 5], ['UP', 6],
]);
export const linkmodeNames = new EnumNames([['DEFAULT', 0], ['DORMANT', 1], ['TESTING', 2]]);

/** RTEXT_FILTER_* bits for IFLA_EXT_MASK. */
export const RTEXT_FILTER = {
  VF: 1, BRVLAN: 2, BRVLAN_COMPRESSED: 4, SKIP_STATS: 8, MRP: 16, CFM_CONFIG: 32, CFM_STATUS: 64, MST: 128,
} as const;
export const rtextFilterNames = FlagNames.fromObject(RTEXT_FILTER);

/** ARPHRD_* device types that show up on a Linux host (linux/if_arp.h). */
export const arphrdNames = new EnumNames([
  ['netrom', 0], ['ether', 1], ['eether', 2], ['ax25', 3], ['pronet', 4], ['chaos', 5], ['ieee802', 6],
  ['arcnet', 7], ['atalk', 8], ['dlci', 15], ['atm', 19], ['metricom', 23], ['ieee1394', 24], ['eui64', 27],
  ['infiniband', 32], ['slip', 256], ['cslip', 257], ['slip6', 258], ['cslip6', 259], ['rsrvd', 260],
  ['adapt', 264], ['rose', 270], ['x25', 271], ['hwx25', 272], ['can', 280], ['mctp', 290], ['ppp', 512],
  ['cisco', 513], ['lapb', 516], ['ddcmp', 517], ['rawhdlc', 518], ['rawip', 519], ['tunnel', 768],
  ['tunnel6', 769], ['frad', 770], ['skip', 771], ['loopback', 772], ['localtlk', 773], ['fddi', 774],
  ['bif', 775], ['sit', 776], ['ipddp', 777], ['ipgre', 778], ['pimreg', 779], ['hippi', 780], ['ash', 781],
  ['econet', 782], ['irda', 783], ['fcpp', 784], ['fcal', 785], ['fcpl', 786], ['fcfabric', 787],
  ['ieee802_tr', 800], ['ieee80211', 801], ['ieee80211_prism', 802], ['ieee80211_radiotap', 803],
  ['ieee802154', 804], ['ieee802154_monitor', 805], ['phonet', 820], ['phonet_pipe', 821], ['caif', 822],
  ['ip6gre', 823], ['netlink', 824], ['6lowpan', 825], ['vsockmon', 826], ['void', 0xffff], ['none', 0xfffe],
]);
