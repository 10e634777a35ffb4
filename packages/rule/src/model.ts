// What a caller asks for: RuleSpec (names allowed, shorthands). What the kernel reports, and what
// a request sends, is @vrfctl/rtnetlink's one Rule model (re-exported here).
import { WIRE, type Range, type Rule, type WireView } from '@vrfctl/rtnetlink';
import type { IpVersion } from '@vrfctl/iproute2';

export type { Range, Rule };

/** The same 4 | 6 as every other spec's family. */
export type RuleFamily = IpVersion;

/** What a matching packet does: the FR_ACT_* values by the names `ip rule` uses. */
export type RuleActionName = 'lookup' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit';

/**
 * A rule to add or delete, as `ip rule add|del` takes it. Keys left out are not sent. The
 * attributes go on the wire in the kernel's order, unless the spec records the words' order
 * (wordOrder): iproute2 sends them in command-line order, and parseRuleArgs records it.
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
  /** keys: the spec's keys in the order their words came (see wordOrder). */
  [WIRE]?: WireView & { keys?: ReadonlyArray<keyof RuleSpec> };
}

/** spec, to be sent with its attributes in the order of keys (as iproute2 given those words in that order). */
export function wordOrder(spec: RuleSpec, keys: ReadonlyArray<keyof RuleSpec>): RuleSpec {
  return { ...spec, [WIRE]: { keys } };
}
