// What callers hand to the route operations. Field names follow `ip route` keywords; values are
// text or numbers as a person would type them, resolved (names, families, defaults) by the plans.
import type { Route } from '@vrfctl/rtnetlink';

export type { Route, NextHop } from '@vrfctl/rtnetlink';

import type { IpVersion } from '@vrfctl/iproute2';
export type { IpVersion };

/** Route types by iproute2 name (rtm_type); numbers are accepted too. */
export type RouteTypeName =
  | 'unicast' | 'local' | 'broadcast' | 'anycast' | 'multicast' | 'blackhole'
  | 'unreachable' | 'prohibit' | 'throw' | 'nat' | 'xresolve';

/** RTA_METRICS members by iproute2 keyword. Values are what the kernel stores (see README). */
export interface RouteMetrics {
  mtu?: number;
  window?: number;
  /** Kernel units: 1/8 ms (`ip route … rtt 10ms` sends 80). */
  rtt?: number;
  /** Kernel units: 1/4 ms. */
  rttvar?: number;
  ssthresh?: number;
  cwnd?: number;
  advmss?: number;
  reordering?: number;
  hoplimit?: number;
  initcwnd?: number;
  /** RTAX_FEATURE_* bits (1 = ecn). */
  features?: number;
  /** Milliseconds. */
  rto_min?: number;
  initrwnd?: number;
  quickack?: number;
  /** Congestion control algorithm name (RTAX_CC_ALGO). */
  congctl?: string;
  fastopen_no_cookie?: number;
}

export type MetricName = keyof RouteMetrics;

/** One hop of a multipath route (`nexthop via … dev … weight N onlink`). */
export interface NextHopSpec {
  /** Same family as the route: RTA_GATEWAY; the other family: RTA_VIA (`via inet6 …`). */
  gateway?: string;
  dev?: string | number;
  /** 1…256 (rtnh_hops + 1). Default 1. */
  weight?: number;
  onlink?: boolean;
  /** RTA_FLOW realms value. */
  realms?: number;
  /** Order of the hop's attributes, as the words came (keeps dry runs byte-identical to ip). */
  order?: Array<'gateway' | 'realms'>;
}

/** Attributes written where their keyword appears on an `ip route` command line. */
export type InlineAttribute =
  | 'dst' | 'from' | 'prefsrc' | 'gateway' | 'metric' | 'table' | 'pref' | 'realms' | 'expires' | 'nhid' | 'ttlPropagate';

/**
 * A route to add, replace, append, prepend, change or delete, e.g.
 * `{ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 }`.
 */
export interface RouteSpec {
  /** Prefix, host address, or 'default'. */
  dst: string;
  /** Inferred from the addresses when absent (IPv4 when there are none). */
  family?: IpVersion;
  /** Default unicast (for delete: any type). */
  type?: RouteTypeName | number;
  /** Same family as the route: RTA_GATEWAY; the other family: RTA_VIA (`via inet6 …`). */
  gateway?: string;
  /** Output device: name or ifindex. */
  dev?: string | number;
  /** Preferred source address (`src`). */
  prefsrc?: string;
  /** Source prefix (`from`, RTA_SRC; IPv6 subtrees). */
  from?: string;
  /** RTA_PRIORITY (`metric`, `priority`, `preference`). */
  metric?: number;
  /** Name from rt_protos or number. Default boot for changes, any for delete. */
  protocol?: string | number;
  /** Name from rt_scopes or number. Default as ip chooses from type and gateway. */
  scope?: string | number;
  /** Number or rt_tables name. Default main (local for local/broadcast/nat/anycast routes). */
  table?: string | number;
  /** A VRF device name: the route goes to that VRF's table. */
  vrf?: string;
  tos?: number;
  onlink?: boolean;
  metrics?: RouteMetrics;
  /** Metrics to lock (`mtu lock 1400`). */
  lock?: MetricName[];
  nexthops?: NextHopSpec[];
  /** IPv6 router preference: low, medium, high or a number. */
  pref?: 'low' | 'medium' | 'high' | number;
  realms?: number;
  /** IPv6 route lifetime in seconds. */
  expires?: number;
  /** A nexthop object id (RTA_NH_ID). */
  nhid?: number;
  ttlPropagate?: boolean;
  /**
   * The order in which attributes appear in the message. The iproute2 parser records the
   * keywords' order here so that a dry run matches ip byte for byte; without it a fixed order
   * is used (that of `ip route add DST from … src … via … metric … table … pref …`).
   */
  order?: InlineAttribute[];
}

/** Which routes `list` and `flush` select (an `ip route show` SELECTOR). */
export interface RouteFilter {
  family?: IpVersion;
  /** Number, rt_tables name, or 'all'. Default main. */
  table?: string | number | 'all';
  /** The VRF's table; local and broadcast routes are hidden, as `ip route show vrf NAME`. */
  vrf?: string;
  protocol?: string | number;
  type?: RouteTypeName | number;
  scope?: string | number;
  /** Routes out of this device (name or ifindex). */
  dev?: string | number;
  /** Destination equals this prefix (`exact`, also the bare `ip route show PREFIX`). */
  exact?: string;
  /** Destination lies within this prefix (`root`). */
  root?: string;
  /** Destination prefix contains this one (`match`). */
  match?: string;
  /** Gateway within this prefix (`via`). */
  via?: string;
  /** Preferred source within this prefix (`src`). */
  prefsrc?: string;
  metric?: number;
  tos?: number;
}

/** A FIB lookup (`ip route get`). */
export interface RouteQuery {
  /** Destination address. */
  to: string;
  family?: IpVersion;
  from?: string;
  /** Input device (simulate a forwarded packet). */
  iif?: string | number;
  /** Output device. */
  oif?: string | number;
  /** Look up in this VRF (RTA_OIF = the VRF device). */
  vrf?: string;
  mark?: number;
  uid?: number;
  /** IP protocol: number or name from /etc/protocols (tcp, udp, icmp…). */
  ipproto?: string | number;
  sport?: number;
  dport?: number;
  tos?: number;
  /** Return the FIB entry that matched instead of the resulting route (`fibmatch`). */
  fibmatch?: boolean;
  /** Order of the inline attributes as typed (dry-run fidelity). */
  order?: Array<'to' | 'from' | 'uid' | 'sport' | 'dport' | 'ipproto'>;
}

/** What flush did. */
export interface FlushResult {
  /** Routes the kernel deleted. */
  deleted: Route[];
  /** Routes it refused to delete (already gone, …) with the reason. */
  failed: Array<{ route: Route; error: Error }>;
  /**
   * The kernel's answer when the table does not exist (ENOENT, "FIB table does not exist"):
   * nothing was flushed. `ip route flush table N` reports it and exits 2; callers may ignore it.
   */
  tableMissing?: Error;
}
