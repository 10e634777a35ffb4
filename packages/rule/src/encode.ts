// `ip rule add|del` requests: a RuleSpec resolved into @vrfctl/rtnetlink's Rule model, which
// rtnetlink's encodeRule writes. Defaults, placement of the table id and (for parsed commands) the
// attribute order are iproute2 6.1's, so the bytes equal what `ip rule` sends.
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, formatIP } from '@vrfctl/netlink';
import { FR_ACT, FRA, RTM, RT_TABLE, WIRE, encodeRule, type RawAttribute, type Rule } from '@vrfctl/rtnetlink';
import type { Request } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import type { RuleSpec } from './model.js';
import {
  checkUnsigned, resolveGroup, resolveIpProto, resolvePort, resolvePrefix, resolveProtocol,
  resolveRange, resolveRealms, resolveTable, resolveTos, specFamily,
} from './resolve.js';

export type RuleChange = 'add' | 'del';

/** The FRA_* attributes a spec key sends (fwmark with a mask: the mask right after the mark, as iproute2). */
function keyAttributes(spec: RuleSpec, key: keyof RuleSpec): number[] {
  switch (key) {
    case 'priority': return [FRA.PRIORITY];
    case 'src': return [FRA.SRC];
    case 'dst': return [FRA.DST];
    case 'fwmark': return spec.fwmask !== undefined ? [FRA.FWMARK, FRA.FWMASK] : [FRA.FWMARK];
    case 'fwmask': return spec.fwmark === undefined ? [FRA.FWMASK] : [];
    case 'iif': return [FRA.IIFNAME];
    case 'oif': return [FRA.OIFNAME];
    case 'l3mdev': return [FRA.L3MDEV];
    case 'uidRange': return [FRA.UID_RANGE];
    case 'ipProto': return [FRA.IP_PROTO];
    case 'sport': return [FRA.SPORT_RANGE];
    case 'dport': return [FRA.DPORT_RANGE];
    case 'tunId': return [FRA.TUN_ID];
    case 'realms': return [FRA.FLOW];
    case 'protocol': return [FRA.PROTOCOL];
    case 'table': return [FRA.TABLE];
    case 'suppressPrefixlen': return [FRA.SUPPRESS_PREFIXLEN];
    case 'suppressIfgroup': return [FRA.SUPPRESS_IFGROUP];
    case 'goto': return [FRA.GOTO];
    default: return [];
  }
}

/**
 * The Rule a request sends for spec; throws ArgumentError for a value the kernel could never
 * take, before anything is sent.
 */
export function ruleRequestModel(spec: RuleSpec, change: RuleChange): Rule {
  const family = specFamily(spec);
  const unknown: RawAttribute[] = [];
  // iproute2: an add means "lookup" unless an action word says otherwise; a delete matches any action.
  let action: number = change === 'add' ? FR_ACT.lookup : FR_ACT.unspec;
  if (spec.action !== undefined) {
    action = FR_ACT[spec.action];
    if (action === undefined) throw new ArgumentError(`invalid action "${String(spec.action)}"`);
  } else if (spec.goto !== undefined) action = FR_ACT.goto;
  if (spec.goto !== undefined && spec.action !== undefined && spec.action !== 'goto') {
    throw new ArgumentError(`a goto target goes with action goto, not ${spec.action}`);
  }
  const tableId = spec.table === undefined ? undefined : resolveTable(spec.table);
  if (spec.l3mdev && tableId !== undefined && tableId !== 0) throw new ArgumentError('table can not be specified for l3mdev rules');
  const tableChosen = tableId !== undefined || spec.l3mdev === true || spec.goto !== undefined || spec.action !== undefined;
  const rule: Rule = {
    family: family === 6 ? 'inet6' : 'inet',
    action,
    table: tableId ?? (change === 'add' && !tableChosen ? RT_TABLE.main : 0),
    tos: spec.tos === undefined ? 0 : resolveTos(spec.tos),
    flags: [],
    unknown,
  };
  if (spec.not) rule.not = true;
  if (spec.priority !== undefined) rule.priority = checkUnsigned(spec.priority, 'priority', 0xffffffff);
  for (const [key, what, type] of [['src', 'from', FRA.SRC], ['dst', 'to', FRA.DST]] as const) {
    const text = spec[key];
    if (text === undefined) continue;
    const p = resolvePrefix(text, what, family);
    // "all": iproute2 sends the attribute empty, which the model keeps raw.
    if (p.length === 0 && p.bytes.length === 0) unknown.push({ type, value: new Uint8Array(0) });
    else rule[key] = `${formatIP(p.bytes)}/${p.length}`;
  }
  if (spec.fwmark !== undefined) rule.fwmark = checkUnsigned(spec.fwmark, 'fwmark', 0xffffffff);
  if (spec.fwmask !== undefined) rule.fwmask = checkUnsigned(spec.fwmask, 'fwmask', 0xffffffff);
  if (spec.iif !== undefined) rule.iif = spec.iif;
  if (spec.oif !== undefined) rule.oif = spec.oif;
  if (spec.l3mdev) rule.l3mdev = true;
  if (spec.uidRange !== undefined) rule.uidRange = resolveRange(spec.uidRange, 'uidrange', 0xffffffff);
  if (spec.ipProto !== undefined) rule.ipProto = resolveIpProto(spec.ipProto);
  if (spec.sport !== undefined) rule.sport = resolvePort(spec.sport, 'sport');
  if (spec.dport !== undefined) rule.dport = resolvePort(spec.dport, 'dport');
  if (spec.tunId !== undefined) rule.tunId = BigInt.asUintN(64, BigInt(spec.tunId));
  if (spec.realms !== undefined) rule.realms = resolveRealms(spec.realms);
  if (spec.protocol !== undefined) rule.protocol = resolveProtocol(spec.protocol);
  if (spec.suppressPrefixlen !== undefined) {
    rule.suppressPrefixlen = checkUnsigned(spec.suppressPrefixlen, 'suppress_prefixlength', 0x7fffffff);
  }
  if (spec.suppressIfgroup !== undefined) rule.suppressIfgroup = resolveGroup(spec.suppressIfgroup);
  if (spec.goto !== undefined) rule.goto = checkUnsigned(spec.goto, 'goto', 0xffffffff);
  const keys = spec[WIRE]?.keys;
  if (keys) rule[WIRE] = { order: keys.flatMap((k) => (spec[k] === undefined ? [] : keyAttributes(spec, k))) };
  return rule;
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
  const rule = ruleRequestModel(spec, change);
  return {
    what: describeRuleChange(spec, change),
    type: change === 'add' ? RTM.NEWRULE : RTM.DELRULE,
    flags: NLM_F_ACK | (change === 'add' ? NLM_F_CREATE | NLM_F_EXCL : 0),
    encode: (b) => encodeRule(b, rule),
  };
}
