// RTM_NEWRULE/DELRULE/GETRULE: struct fib_rule_hdr and FRA_* attributes as a typed Rule.
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import { fibRuleHdr, fibRulePortRange, fibRuleUidRange, type PortRange, type UidRange } from './layouts.js';
import { FRA, ruleActionNames, ruleFlagNames } from './constants/rule.js';
import { RT_TABLE, routeProtocolNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import { FieldTable, decodeFields, encodeFields, enumOf, ip, string, struct, u32, u64be, u8 } from './fields.js';
import { familyNames, parsePrefixText, type Placement, type RawAttribute } from './wire.js';

export const FIB_RULE_HDR_LEN = 12;

export interface Rule {
  family: EnumValue;
  /** FR_ACT_* name: 'lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'. */
  action: EnumValue;
  /** The table id: FRA_TABLE when present, else the header's table. */
  table: number;
  tos: number;
  /** FIB_RULE_* names ('invert' is `not`). */
  flags: string[];
  /** 'addr/len' from FRA_DST and dst_len. */
  dst?: string;
  src?: string;
  iifname?: string;
  oifname?: string;
  goto?: number;
  priority?: number;
  fwmark?: number;
  fwmask?: number;
  flow?: number;
  tunId?: bigint;
  suppressIfgroup?: number;
  suppressPrefixlen?: number;
  l3mdev?: number;
  uidRange?: UidRange;
  protocol?: EnumValue;
  ipProto?: number;
  sportRange?: PortRange;
  dportRange?: PortRange;
  dscp?: number;
  /** As Route.tableIn, for fib_rule_hdr.table and FRA_TABLE. */
  tableIn?: Placement;
  /** fib_rule_hdr.table as sent, only when it matches none of the placements. */
  headerTable?: number;
  unknown: RawAttribute[];
  order?: number[];
}

// fib_nl_fill_rule's order.
const TABLE = new FieldTable([
  { type: FRA.TABLE, key: '_table', codec: u32 },
  { type: FRA.SUPPRESS_PREFIXLEN, key: 'suppressPrefixlen', codec: u32 },
  { type: FRA.IIFNAME, key: 'iifname', codec: string },
  { type: FRA.OIFNAME, key: 'oifname', codec: string },
  { type: FRA.PRIORITY, key: 'priority', codec: u32 },
  { type: FRA.FWMARK, key: 'fwmark', codec: u32 },
  { type: FRA.FWMASK, key: 'fwmask', codec: u32 },
  { type: FRA.TUN_ID, key: 'tunId', codec: u64be },
  { type: FRA.GOTO, key: 'goto', codec: u32 },
  { type: FRA.SUPPRESS_IFGROUP, key: 'suppressIfgroup', codec: u32 },
  { type: FRA.L3MDEV, key: 'l3mdev', codec: u8 },
  { type: FRA.UID_RANGE, key: 'uidRange', codec: struct(fibRuleUidRange) },
  { type: FRA.PROTOCOL, key: 'protocol', codec: enumOf(u8, routeProtocolNames) },
  { type: FRA.IP_PROTO, key: 'ipProto', codec: u8 },
  { type: FRA.SPORT_RANGE, key: 'sportRange', codec: struct(fibRulePortRange) },
  { type: FRA.DPORT_RANGE, key: 'dportRange', codec: struct(fibRulePortRange) },
  { type: FRA.DSCP, key: 'dscp', codec: u8 },
  { type: FRA.DST, key: 'dst', codec: ip },
  { type: FRA.SRC, key: 'src', codec: ip },
  { type: FRA.FLOW, key: 'flow', codec: u32 },
], [
  FRA.TABLE, FRA.SUPPRESS_PREFIXLEN, FRA.IIFNAME, FRA.OIFNAME, FRA.PRIORITY, FRA.FWMARK, FRA.FWMASK, FRA.TUN_ID,
  FRA.GOTO, FRA.SUPPRESS_IFGROUP, FRA.L3MDEV, FRA.UID_RANGE, FRA.PROTOCOL, FRA.IP_PROTO, FRA.SPORT_RANGE,
  FRA.DPORT_RANGE, FRA.DSCP, FRA.DST, FRA.SRC, FRA.FLOW,
]);

export function decodeRule(msg: Message): Rule {
  const p = msg.payload;
  if (p.length < FIB_RULE_HDR_LEN) throw new DecodeError(`fib_rule_hdr needs ${FIB_RULE_HDR_LEN} bytes, message has ${p.length}`, msg.offset);
  const h = fibRuleHdr.decode(p, 0);
  if (p[5] !== 0 || p[6] !== 0) throw new DecodeError('fib_rule_hdr reserved bytes are not zero', msg.offset + 21);
  const r: Rule = {
    family: familyNames.name(h.family), action: ruleActionNames.name(h.action), table: h.table, tos: h.tos,
    flags: ruleFlagNames.names(h.flags), unknown: [],
  };
  decodeFields(p, FIB_RULE_HDR_LEN, p.length, TABLE, r, undefined, msg.offset + 16);
  const x = r as Rule & { _table?: number };
  // The prefix lengths live in the header: join them to the addresses.
  if (r.dst !== undefined) r.dst = `${r.dst}/${h.dstLen}`;
  else if (h.dstLen !== 0) throw new DecodeError(`dst_len ${h.dstLen} without FRA_DST`, msg.offset + 17);
  if (r.src !== undefined) r.src = `${r.src}/${h.srcLen}`;
  else if (h.srcLen !== 0) throw new DecodeError(`src_len ${h.srcLen} without FRA_SRC`, msg.offset + 18);
  const attr = x._table;
  delete x._table;
  if (attr !== undefined) {
    r.table = attr;
    if (h.table === 0) {
      if (attr < 256) r.tableIn = 'attribute';
    } else {
      r.tableIn = 'both';
      if (h.table !== (attr < 256 ? attr : RT_TABLE.compat)) r.headerTable = h.table;
    }
  }
  return r;
}

export function encodeRule(b: MessageBuilder, r: Rule): void {
  const dst = r.dst === undefined ? undefined : parsePrefixText(r.dst);
  const src = r.src === undefined ? undefined : parsePrefixText(r.src);
  const placement: Placement = r.tableIn ?? (r.table < 256 ? 'header' : 'attribute');
  if (placement === 'header' && r.table > 255) throw new RangeError(`table ${r.table} does not fit fib_rule_hdr.table`);
  const table = r.headerTable ?? (placement === 'attribute' ? RT_TABLE.unspec : r.table < 256 ? r.table : RT_TABLE.compat);
  const at = b.reserve(FIB_RULE_HDR_LEN);
  fibRuleHdr.encode({
    family: familyNames.value(r.family), dstLen: dst?.length ?? 0, srcLen: src?.length ?? 0, tos: r.tos, table,
    action: ruleActionNames.value(r.action), flags: ruleFlagNames.value(r.flags),
  }, b.raw, at);
  encodeFields(b, TABLE, r, (type, raw) => {
    if (type === FRA.TABLE) {
      if (placement === 'header') return false;
      b.u32(raw, r.table);
      return true;
    }
    if (type === FRA.DST) return dst !== undefined && (b.binary(raw, dst.bytes), true);
    if (type === FRA.SRC) return src !== undefined && (b.binary(raw, src.bytes), true);
    return undefined;
  });
}
