// The typed forms of a FIB rule: RuleSpec is what a caller asks for (names allowed, order of keys
// = order of attributes on the wire), Rule is what the kernel reports back (numbers, defaults filled).
import type { RawAttribute } from '@vrfctl/rtnetlink';

export type RuleFamily = 4 | 6;

/** What a matching packet does: the FR_ACT_* values by the names `ip rule` uses. */
export type RuleActionName = 'lookup' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';

/** A start–end pair (uid range, port range); both ends included. */
export interface Range {
  start: number;
  end: number;
}

/**
 * A rule to add or delete, as `ip rule add|del` takes it. Keys left out are not sent. The
 * attributes go on the wire in the order the keys were inserted, as iproute2 sends them in
 * command-line order, so a spec built word by word encodes to the same bytes as `ip`.
 */
export interface RuleSpec {
  /** 4 or 6; by default taken from src/dst, else 4 (as `ip rule` defaults to IPv4). */
  family?: RuleFamily;
  /** pref/priority/order. Without it the kernel picks one (add) or matches any (del). */
  priority?: number;
  /** Invert the selector (FIB_RULE_INVERT). */
  not?: boolean;
  /** "192.0.2.0/24", a host address, or "all". */
  src?: string;
  dst?: string;
  /** tos/dsfield: a number or an rt_dsfield name. */
  tos?: number | string;
  fwmark?: number;
  fwmask?: number;
  /** Input interface name (iif/dev). */
  iif?: string;
  oif?: string;
  /** Look up the table of the VRF device the packet came in on or goes out of. */
  l3mdev?: boolean;
  uidRange?: Range;
  /** IP protocol: a number or a name (tcp, udp, ipv6-icmp…). */
  ipProto?: number | string;
  /** A port or a range. */
  sport?: number | Range;
  dport?: number | Range;
  tunId?: bigint | number;
  /** FRA_FLOW as a number (from<<16 | to) or "[FROM/]TO" with rt_realms names. */
  realms?: number | string;
  /** Who installed the rule: a number or an rt_protos name (static, bgp…). */
  protocol?: number | string;
  /** lookup/table: an id or an rt_tables name. Added rules default to main. */
  table?: number | string;
  suppressPrefixlen?: number;
  suppressIfgroup?: number | string;
  /** Default for add: lookup. goto is implied by a goto target. */
  action?: RuleActionName;
  /** Jump to the rule with this priority (action goto). */
  goto?: number;
}

/** A rule as the kernel keeps it (decoded from RTM_NEWRULE), with the kernel's defaults filled in. */
export interface Rule {
  family: RuleFamily;
  /** 0 for the local rule (the kernel leaves FRA_PRIORITY out for 0). */
  priority: number;
  not: boolean;
  /** "addr/len"; undefined means all. */
  src?: string;
  dst?: string;
  tos: number;
  /** 0 when no fwmark; fwmask is 0xffffffff when the mark was given without a mask. */
  fwmark: number;
  fwmask: number;
  iif?: string;
  oif?: string;
  l3mdev: boolean;
  uidRange?: Range;
  /** 0 when not set. */
  ipProto: number;
  sport?: Range;
  dport?: Range;
  /** 0n when not set. */
  tunId: bigint;
  /** FRA_FLOW, 0 when not set. */
  realms: number;
  /** Table id (FRA_TABLE when present, else the header's); 0 for l3mdev and non-lookup rules. */
  table: number;
  action: RuleActionName | number;
  /** Goto target priority, for action goto. */
  goto?: number;
  /** undefined when off (the kernel says -1). */
  suppressPrefixlen?: number;
  suppressIfgroup?: number;
  /** RTPROT_*: 0 for rules added without a protocol, 2 (kernel) for the default rules. */
  protocol: number;
  /** fib_rule_hdr flags as the kernel reports them (FIB_RULE_INVERT, *_DETACHED, UNRESOLVED). */
  flags: number;
  /** Attributes this model does not interpret, kept byte for byte. */
  unknown: RawAttribute[];
}
