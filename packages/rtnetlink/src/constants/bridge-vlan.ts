// Per-port bridge VLAN constants: linux/if_bridge.h (IFLA_AF_SPEC of AF_BRIDGE link messages).
import { EnumNames, FlagNames } from '../names.js';

/** AF_BRIDGE (PF_BRIDGE): the family of `bridge vlan` requests and dumps. */
export const AF_BRIDGE = 7;

/** The attributes inside IFLA_AF_SPEC of an AF_BRIDGE message (the enum starts at 0 with FLAGS). */
export const IFLA_BRIDGE = { FLAGS: 0, MODE: 1, VLAN_INFO: 2, VLAN_TUNNEL_INFO: 3, MRP: 4, CFM: 5, MST: 6 } as const;
export const iflaBridgeNames = EnumNames.fromObject(IFLA_BRIDGE, 'IFLA_BRIDGE_');

/** BRIDGE_FLAGS_*: which side a request addresses, the bridge (master) or the port's own driver (self). */
export const BRIDGE_FLAGS = { MASTER: 1, SELF: 2 } as const;
export const bridgeFlagNames = FlagNames.fromObject(BRIDGE_FLAGS, '', true);

/** BRIDGE_VLAN_INFO_*: the flags of struct bridge_vlan_info. */
export const BRIDGE_VLAN_INFO = {
  MASTER: 1, PVID: 2, UNTAGGED: 4, RANGE_BEGIN: 8, RANGE_END: 16, BRENTRY: 32, ONLY_OPTS: 64,
} as const;
export const bridgeVlanFlagNames = FlagNames.fromObject(BRIDGE_VLAN_INFO, '', true);

/** VLAN ids a bridge takes: 1…4094 (0 and 4095 are reserved by 802.1Q). */
export const BRIDGE_VLAN_MIN = 1;
export const BRIDGE_VLAN_MAX = 4094;
