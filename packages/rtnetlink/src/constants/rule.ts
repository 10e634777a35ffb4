// Policy routing rule constants: linux/fib_rules.h.
import { EnumNames, FlagNames } from '../names.js';

export const FRA = {
  UNSPEC: 0, DST: 1, SRC: 2, IIFNAME: 3, GOTO: 4, UNUSED2: 5, PRIORITY: 6, UNUSED3: 7,
  UNUSED4: 8, UNUSED5: 9, FWMARK: 10, FLOW: 11, TUN_ID: 12, SUPPRESS_IFGROUP: 13,
  SUPPRESS_PREFIXLEN: 14, TABLE: 15, FWMASK: 16, OIFNAME: 17, PAD: 18, L3MDEV: 19,
  UID_RANGE: 20, PROTOCOL: 21, IP_PROTO: 22, SPORT_RANGE: 23, DPORT_RANGE: 24, DSCP: 25,
  FLOWLABEL: 26, FLOWLABEL_MASK: 27, SPORT_MASK: 28, DPORT_MASK: 29, DSCP_MASK: 30,
} as const;
export const FRA_IFNAME = FRA.IIFNAME;
export const fraNames = EnumNames.fromObject(FRA, 'FRA_');

/** Rule actions by the names `ip rule` prints. */
export const FR_ACT = {
  unspec: 0, lookup: 1, goto: 2, nop: 3, res3: 4, res4: 5, blackhole: 6, unreachable: 7, prohibit: 8,
} as const;
export const ruleActionNames = new EnumNames([...Object.entries(FR_ACT), ['to_tbl', 1]]);

export const FIB_RULE = {
  permanent: 0x1, invert: 0x2, unresolved: 0x4, iif_detached: 0x8, oif_detached: 0x10,
  find_saddr: 0x10000,
} as const;
export const FIB_RULE_DEV_DETACHED = FIB_RULE.iif_detached;
export const ruleFlagNames = FlagNames.fromObject(FIB_RULE);
