// RTM_NEWRULE/DELRULE/GETRULE: struct fib_rule_hdr and FRA_* attributes, the one Rule model that
// decoding, encoding, `ip rule` requests and `ip -j rule` share. Field names follow `ip -j rule`.
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import { fibRuleHdr, fibRulePortRange, fibRuleUidRange, type FibRuleHdr } from './layouts.js';
import { FIB_RULE, FRA, ruleActionNames, ruleFlagNames } from './constants/rule.js';
import { RT_TABLE, routeProtocolNames } from './constants/route.js';
import { RTM } from './constants/messages.js';
import { type EnumValue } from './names.js';
import { familyNames, parsePrefixText, type Placement } from './wire.js';
import { address, bool8, enumOf, ifname, struct, u32, u64be, u8 } from './schema/codecs.js';
import { WIRE, attributeTable, type AttributeModel } from './schema/attributes.js';
import { decodeMessage, encodeMessage, messageSchema } from './schema/message.js';

/** A start–end pair (uid range, port range); both ends included. */
export interface Range {
  start: number;
  end: number;
}

export interface Rule extends AttributeModel {
  /** 'inet' or 'inet6'. */
  family: EnumValue;
  /** FR_ACT_* name: 'lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit' ('unspec' in a delete). */
  action: EnumValue;
  /** The table id: FRA_TABLE when present, else the header's table; 0 for l3mdev and non-lookup rules. */
  table: number;
  tos: number;
  /** FIB_RULE_* names other than invert ('iif_detached', 'oif_detached', 'unresolved'…). */
  flags: string[];
  /** The selector is inverted (FIB_RULE_INVERT). */
  not?: boolean;
  /** Absent for the pref-0 local rule (the kernel leaves FRA_PRIORITY out for 0). */
  priority?: number;
  /** 'addr/len' (FRA_DST and dst_len); absent means all. */
  dst?: string;
  src?: string;
  /** Input and output interface names (FRA_IIFNAME, FRA_OIFNAME). */
  iif?: string;
  oif?: string;
  /** Goto target priority. */
  goto?: number;
  fwmark?: number;
  fwmask?: number;
  /** FRA_FLOW: realms, from << 16 | to. */
  realms?: number;
  tunId?: bigint;
  suppressIfgroup?: number;
  suppressPrefixlen?: number;
  /** Look up the table of the l3mdev (VRF) the packet came in on or goes out of. */
  l3mdev?: boolean;
  uidRange?: Range;
  /** Who installed the rule, by rt_protos name ('kernel', 'static'…). */
  protocol?: EnumValue;
  ipProto?: number;
  sport?: Range;
  dport?: Range;
  dscp?: number;
}

/** The attribute view: the model plus FRA_TABLE, which the header's table joins. */
type RuleAttributes = Rule & { tableAttribute?: number };

/** What a decoded rule keeps to be written back identically (see WIRE). */
interface RuleWire {
  /** Where the table id travelled, as Route's. */
  tableIn?: Placement;
  /** fib_rule_hdr.table as sent, only when it matches none of the placements. */
  headerTable?: number;
}

/** fib_nl_fill_rule's order: the kernel's replies need no recorded order. */
export const RULE_ATTRIBUTES = attributeTable<RuleAttributes>(FRA, 'FRA_', [
  { type: FRA.TABLE, key: 'tableAttribute', codec: u32 },
  { type: FRA.SUPPRESS_PREFIXLEN, key: 'suppressPrefixlen', codec: u32 },
  { type: FRA.IIFNAME, key: 'iif', codec: ifname },
  { type: FRA.OIFNAME, key: 'oif', codec: ifname },
  { type: FRA.PRIORITY, key: 'priority', codec: u32 },
  { type: FRA.FWMARK, key: 'fwmark', codec: u32 },
  { type: FRA.FWMASK, key: 'fwmask', codec: u32 },
  { type: FRA.TUN_ID, key: 'tunId', codec: u64be },
  { type: FRA.GOTO, key: 'goto', codec: u32 },
  { type: FRA.SUPPRESS_IFGROUP, key: 'suppressIfgroup', codec: u32 },
  { type: FRA.L3MDEV, key: 'l3mdev', codec: bool8 },
  { type: FRA.UID_RANGE, key: 'uidRange', codec: struct(fibRuleUidRange) },
  { type: FRA.PROTOCOL, key: 'protocol', codec: enumOf(u8, routeProtocolNames) },
  { type: FRA.IP_PROTO, key: 'ipProto', codec: u8 },
  { type: FRA.SPORT_RANGE, key: 'sport', codec: struct(fibRulePortRange) },
  { type: FRA.DPORT_RANGE, key: 'dport', codec: struct(fibRulePortRange) },
  { type: FRA.DSCP, key: 'dscp', codec: u8 },
  { type: FRA.DST, key: 'dst', codec: address },
  { type: FRA.SRC, key: 'src', codec: address },
  { type: FRA.FLOW, key: 'realms', codec: u32 },
]);

const INVERT = FIB_RULE.invert;

export const RULE_SCHEMA = messageSchema<Rule, FibRuleHdr, RuleAttributes>({
  name: 'fib_rule_hdr',
  header: fibRuleHdr,
  attributes: RULE_ATTRIBUTES,
  types: [RTM.NEWRULE, RTM.DELRULE, RTM.GETRULE],
  inet6: () => false,
  fromHeader: (h) => {
    const r: RuleAttributes = {
      family: familyNames.name(h.family), action: ruleActionNames.name(h.action), table: h.table, tos: h.tos,
      flags: ruleFlagNames.names((h.flags & ~INVERT) >>> 0), unknown: [],
    };
    if (h.flags & INVERT) r.not = true;
    return r;
  },
  finish: (r, h, at) => {
    // The prefix lengths live in the header: join them to the addresses.
    if (r.dst !== undefined) r.dst = `${r.dst}/${h.dstLen}`;
    else if (h.dstLen !== 0) throw new DecodeError(`dst_len ${h.dstLen} without FRA_DST`, at + 1);
    if (r.src !== undefined) r.src = `${r.src}/${h.srcLen}`;
    else if (h.srcLen !== 0) throw new DecodeError(`src_len ${h.srcLen} without FRA_SRC`, at + 2);
    const attr = r.tableAttribute;
    delete r.tableAttribute;
    if (attr !== undefined) {
      r.table = attr;
      if (h.table === 0) {
        if (attr < 256) ((r[WIRE] ??= {}) as RuleWire).tableIn = 'attribute';
      } else {
        const wire = (r[WIRE] ??= {}) as RuleWire;
        wire.tableIn = 'both';
        if (h.table !== (attr < 256 ? attr : RT_TABLE.compat)) wire.headerTable = h.table;
      }
    }
    return r;
  },
  toWire: (r) => {
    const wire = (r[WIRE] ?? {}) as RuleWire;
    // Parsed here so that a bad prefix is a RangeError before anything is written.
    const dst = r.dst === undefined ? undefined : parsePrefixText(r.dst);
    const src = r.src === undefined ? undefined : parsePrefixText(r.src);
    const placement: Placement = wire.tableIn ?? (r.table < 256 ? 'header' : 'attribute');
    if (placement === 'header' && r.table > 255) throw new RangeError(`table ${r.table} does not fit fib_rule_hdr.table`);
    const table = wire.headerTable ?? (placement === 'attribute' ? RT_TABLE.unspec : r.table < 256 ? r.table : RT_TABLE.compat);
    const flags = ruleFlagNames.value(r.flags) | (r.not ? INVERT : 0);
    return {
      header: {
        family: familyNames.value(r.family), dstLen: dst?.length ?? 0, srcLen: src?.length ?? 0, tos: r.tos, table,
        action: ruleActionNames.value(r.action), flags: flags >>> 0,
      },
      attributes: {
        ...r,
        dst: r.dst === undefined ? undefined : addressPart(r.dst),
        src: r.src === undefined ? undefined : addressPart(r.src),
        tableAttribute: placement === 'header' ? undefined : r.table,
      },
    };
  },
});

/** 'addr' of 'addr/len'. */
function addressPart(prefix: string): string {
  const slash = prefix.lastIndexOf('/');
  return slash === -1 ? prefix : prefix.slice(0, slash);
}

export function decodeRule(msg: Message): Rule {
  return decodeMessage(RULE_SCHEMA, msg);
}

export function encodeRule(b: MessageBuilder, r: Rule): void {
  encodeMessage(RULE_SCHEMA, b, r);
}
