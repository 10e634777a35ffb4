// Route constants: linux/rtnetlink.h, linux/lwtunnel.h.
import { EnumNames, FlagNames } from '../names.js';

export const RTA = {
  UNSPEC: 0, DST: 1, SRC: 2, IIF: 3, OIF: 4, GATEWAY: 5, PRIORITY: 6, PREFSRC: 7, METRICS: 8,
  MULTIPATH: 9, PROTOINFO: 10, FLOW: 11, CACHEINFO: 12, SESSION: 13, MP_ALGO: 14, TABLE: 15,
  MARK: 16, MFC_STATS: 17, VIA: 18, NEWDST: 19, PREF: 20, ENCAP_TYPE: 21, ENCAP: 22,
  EXPIRES: 23, PAD: 24, UID: 25, TTL_PROPAGATE: 26, IP_PROTO: 27, SPORT: 28, DPORT: 29,
  NH_ID: 30,
} as const;
export const rtaNames = EnumNames.fromObject(RTA, 'RTA_');

/** Route types (rtm_type) by the names iproute2 prints. */
export const RTN = {
  unspec: 0, unicast: 1, local: 2, broadcast: 3, anycast: 4, multicast: 5, blackhole: 6,
  unreachable: 7, prohibit: 8, throw: 9, nat: 10, xresolve: 11,
} as const;
export const routeTypeNames = EnumNames.fromObject(RTN);
export function routeTypeName(value: number): string | number {
  return routeTypeNames.name(value);
}

/** rtm_protocol values as /etc/iproute2/rt_protos names them. */
export const RTPROT = {
  unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11,
  bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, mrouted: 17, keepalived: 18, babel: 42,
  openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192,
} as const;
export const routeProtocolNames = EnumNames.fromObject(RTPROT);

export const RT_SCOPE = { universe: 0, site: 200, link: 253, host: 254, nowhere: 255 } as const;
/** 'global' is what iproute2 prints for RT_SCOPE_UNIVERSE; 'universe' parses too. */
export const scopeNames = new EnumNames([['global', 0], ...Object.entries(RT_SCOPE)]);

export const RT_TABLE = { unspec: 0, compat: 252, default: 253, main: 254, local: 255 } as const;
export const tableNames = EnumNames.fromObject(RT_TABLE);

/** rtm_flags: RTNH_F_* in the low byte, RTM_F_* above. */
export const RTM_F = {
  notify: 0x100, cloned: 0x200, equalize: 0x400, prefix: 0x800, lookup_table: 0x1000,
  fib_match: 0x2000, offload: 0x4000, trap: 0x8000, offload_failed: 0x20000000,
} as const;
export const RTNH_F = {
  dead: 1, pervasive: 2, onlink: 4, offload: 8, linkdown: 16, unresolved: 32, trap: 64,
} as const;
export const rtnhFlagNames = FlagNames.fromObject(RTNH_F);
/** The two sets share one u32; RTNH_F first so 'offload' names the nexthop bit, RTM_F's is 'rtm_offload'. */
export const routeFlagNames = new FlagNames([
  ...Object.entries(RTNH_F),
  ['notify', RTM_F.notify], ['cloned', RTM_F.cloned], ['equalize', RTM_F.equalize], ['prefix', RTM_F.prefix],
  ['lookup_table', RTM_F.lookup_table], ['fib_match', RTM_F.fib_match], ['rtm_offload', RTM_F.offload],
  ['rtm_trap', RTM_F.trap], ['offload_failed', RTM_F.offload_failed],
]);

/** RTA_METRICS members. */
export const RTAX = {
  UNSPEC: 0, LOCK: 1, MTU: 2, WINDOW: 3, RTT: 4, RTTVAR: 5, SSTHRESH: 6, CWND: 7, ADVMSS: 8,
  REORDERING: 9, HOPLIMIT: 10, INITCWND: 11, FEATURES: 12, RTO_MIN: 13, INITRWND: 14,
  QUICKACK: 15, CC_ALGO: 16, FASTOPEN_NO_COOKIE: 17,
} as const;
export const rtaxNames = EnumNames.fromObject(RTAX, 'RTAX_');
/** Metric keys in models: RTAX_INITCWND -> 'initcwnd'. */
export const metricNames = EnumNames.fromObject(RTAX, '', true);

/** RTA_PREF (IPv6 router preference, ICMPV6_ROUTER_PREF_*). */
export const routePrefNames = new EnumNames([['medium', 0], ['high', 1], ['invalid', 2], ['low', 3]]);

/** LWTUNNEL_ENCAP_* for RTA_ENCAP_TYPE. */
export const encapTypeNames = new EnumNames([
  ['none', 0], ['mpls', 1], ['ip', 2], ['ila', 3], ['ip6', 4], ['seg6', 5], ['bpf', 6],
  ['seg6local', 7], ['rpl', 8], ['ioam6', 9], ['xfrm', 10],
]);
