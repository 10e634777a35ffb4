// RTM_NEWRULE/RTM_DELRULE requests exactly as iproute2 6.1 builds them: fib_rule_hdr first, then
// the attributes in the order the spec's keys were given (iproute2's command-line order).
import { MessageBuilder, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL } from '@vrfctl/netlink';
import { FRA, FR_ACT, RTM } from '@vrfctl/rtnetlink';
import type { Request } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/link';
import type { RuleSpec } from './model.js';
import { RT_TABLE_MAIN } from '@vrfctl/route';
import {
  checkUnsigned, familyNumber, resolveGroup, resolveIpProto, resolvePort, resolvePrefix, resolveProtocol,
  resolveRange, resolveRealms, resolveTable, resolveTos, specFamily,
} from './resolve.js';

export type RuleChange = 'add' | 'del';

const FIB_RULE_INVERT = 0x2;
/** Table ids from 256 up do not fit the header's u8 and travel in FRA_TABLE. */
const HEADER_TABLE_LIMIT = 256;

/** Writes fib_rule_hdr and the attributes; throws ArgumentError for a value the kernel could never take. */
export function encodeRule(b: MessageBuilder, spec: RuleSpec, change: RuleChange): void {
  const family = specFamily(spec);
  const at = b.reserve(12);
  let srcLen = 0;
  let dstLen = 0;
  let table = 0;
  // iproute2: an add means "lookup" unless an action word says otherwise; a delete matches any action.
  let action: number = change === 'add' ? FR_ACT.lookup : FR_ACT.unspec;
  let tableChosen = false;
  let tableId = 0;

  for (const key of Object.keys(spec) as Array<keyof RuleSpec>) {
    if (spec[key] === undefined) continue;
    switch (key) {
      case 'family':
        break;
      case 'not':
        break;
      case 'priority':
        b.u32(FRA.PRIORITY, checkUnsigned(spec.priority!, 'priority', 0xffffffff));
        break;
      case 'src': {
        const p = resolvePrefix(spec.src!, 'from', family);
        srcLen = p.length;
        b.binary(FRA.SRC, p.bytes);
        break;
      }
      case 'dst': {
        const p = resolvePrefix(spec.dst!, 'to', family);
        dstLen = p.length;
        b.binary(FRA.DST, p.bytes);
        break;
      }
      case 'tos':
        break;
      case 'fwmark':
        b.u32(FRA.FWMARK, checkUnsigned(spec.fwmark!, 'fwmark', 0xffffffff));
        // "fwmark M/K" puts the mask right after the mark.
        if (spec.fwmask !== undefined) b.u32(FRA.FWMASK, checkUnsigned(spec.fwmask, 'fwmask', 0xffffffff));
        break;
      case 'fwmask':
        if (spec.fwmark === undefined) b.u32(FRA.FWMASK, checkUnsigned(spec.fwmask!, 'fwmask', 0xffffffff));
        break;
      case 'iif':
        b.string(FRA.IIFNAME, spec.iif!);
        break;
      case 'oif':
        b.string(FRA.OIFNAME, spec.oif!);
        break;
      case 'l3mdev':
        if (spec.l3mdev) {
          b.u8(FRA.L3MDEV, 1);
          tableChosen = true;
        }
        break;
      case 'uidRange': {
        const r = resolveRange(spec.uidRange!, 'uidrange', 0xffffffff);
        const v = Buffer.alloc(8);
        v.writeUInt32LE(r.start, 0);
        v.writeUInt32LE(r.end, 4);
        b.binary(FRA.UID_RANGE, v);
        break;
      }
      case 'ipProto':
        b.u8(FRA.IP_PROTO, resolveIpProto(spec.ipProto!));
        break;
      case 'sport':
      case 'dport': {
        const r = resolvePort(spec[key]!, key);
        const v = Buffer.alloc(4);
        v.writeUInt16LE(r.start, 0);
        v.writeUInt16LE(r.end, 2);
        b.binary(key === 'sport' ? FRA.SPORT_RANGE : FRA.DPORT_RANGE, v);
        break;
      }
      case 'tunId': {
        // iproute2 sends the tunnel id in network byte order.
        const v = Buffer.alloc(8);
        v.writeBigUInt64BE(BigInt.asUintN(64, BigInt(spec.tunId!)), 0);
        b.binary(FRA.TUN_ID, v);
        break;
      }
      case 'realms':
        b.u32(FRA.FLOW, resolveRealms(spec.realms!));
        break;
      case 'protocol':
        b.u8(FRA.PROTOCOL, resolveProtocol(spec.protocol!));
        break;
      case 'table':
        tableId = resolveTable(spec.table!);
        if (tableId < HEADER_TABLE_LIMIT) table = tableId;
        else {
          table = 0;
          b.u32(FRA.TABLE, tableId);
        }
        tableChosen = true;
        break;
      case 'suppressPrefixlen':
        b.u32(FRA.SUPPRESS_PREFIXLEN, checkUnsigned(spec.suppressPrefixlen!, 'suppress_prefixlength', 0x7fffffff));
        break;
      case 'suppressIfgroup':
        b.u32(FRA.SUPPRESS_IFGROUP, resolveGroup(spec.suppressIfgroup!));
        break;
      case 'goto':
        b.u32(FRA.GOTO, checkUnsigned(spec.goto!, 'goto', 0xffffffff));
        action = FR_ACT.goto;
        tableChosen = true;
        break;
      case 'action':
        action = FR_ACT[spec.action!];
        if (action === undefined) throw new ArgumentError(`invalid action "${String(spec.action)}"`);
        tableChosen = true;
        break;
      default: {
        const unknownKey: never = key;
        throw new ArgumentError(`unknown rule field "${String(unknownKey)}"`);
      }
    }
  }
  if (spec.goto !== undefined && spec.action !== undefined && spec.action !== 'goto') {
    throw new ArgumentError(`a goto target goes with action goto, not ${spec.action}`);
  }
  if (spec.l3mdev && tableId !== 0) throw new ArgumentError('table can not be specified for l3mdev rules');
  if (change === 'add' && !tableChosen) table = RT_TABLE_MAIN;

  const raw = b.raw;
  raw[at] = familyNumber(family);
  raw[at + 1] = dstLen;
  raw[at + 2] = srcLen;
  raw[at + 3] = spec.tos === undefined ? 0 : resolveTos(spec.tos);
  raw[at + 4] = table;
  raw[at + 7] = action;
  raw.writeUInt32LE(spec.not ? FIB_RULE_INVERT : 0, at + 8);
}

/**
 * The request for `ip rule add` (NLM_F_CREATE|NLM_F_EXCL: a duplicate is EEXIST) or `ip rule del`.
 * The spec is checked now, so a bad value throws before anything is sent.
 */
/** `rule add pref 100 from 192.0.2.0/24 lookup 100`: how errors name a rule change. */
export function describeRuleChange(spec: RuleSpec, change: RuleChange): string {
  const words = [`rule ${change}`];
  if (spec.priority !== undefined) words.push(`pref ${spec.priority}`);
  if (spec.src !== undefined) words.push(`from ${spec.src}`);
  if (spec.dst !== undefined) words.push(`to ${spec.dst}`);
  if (spec.iif !== undefined) words.push(`iif ${spec.iif}`);
  if (spec.oif !== undefined) words.push(`oif ${spec.oif}`);
  if (spec.fwmark !== undefined) words.push(`fwmark ${spec.fwmark}`);
  if (spec.table !== undefined) words.push(`lookup ${spec.table}`);
  if (spec.l3mdev) words.push('l3mdev');
  return words.join(' ');
}

export function ruleRequest(spec: RuleSpec, change: RuleChange): Request {
  encodeRule(new MessageBuilder(128), spec, change);
  return {
    what: describeRuleChange(spec, change),
    type: change === 'add' ? RTM.NEWRULE : RTM.DELRULE,
    flags: NLM_F_ACK | (change === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0),
    encode: (b) => encodeRule(b, spec, change),
  };
}
