// Comparing rules the way the kernel keeps them, so that a reconciler sees a wanted spec and the
// rule read back as equal when the kernel would hold the same rule.
import { formatIP } from '@vrfctl/netlink';
import { RT_TABLE, familyNames, routeProtocolNames, ruleActionNames } from '@vrfctl/rtnetlink';
import type { Rule, RuleSpec } from './model.js';
import {
  resolveGroup, resolveIpProto, resolvePort, resolvePrefix, resolveProtocol, resolveRange, resolveRealms,
  resolveTable, resolveTos, specFamily,
} from './resolve.js';

/** The Rule the kernel would report after adding spec (priority stays unset when the spec has none). */
export function ruleFromSpec(spec: RuleSpec): Rule {
  const family = specFamily(spec);
  const prefix = (text: string | undefined, what: string): string | undefined => {
    if (text === undefined) return undefined;
    const p = resolvePrefix(text, what, family);
    // The kernel does not report a zero-length prefix: "from 0.0.0.0/0" reads back as "from all".
    return p.length === 0 ? undefined : `${formatIP(p.bytes)}/${p.length}`;
  };
  const action = spec.action ?? (spec.goto !== undefined ? 'goto' : 'lookup');
  const fwmark = spec.fwmark ?? 0;
  return {
    family: family === 6 ? 'inet6' : 'inet',
    priority: spec.priority,
    not: spec.not === true,
    src: prefix(spec.src, 'from'),
    dst: prefix(spec.dst, 'to'),
    tos: spec.tos === undefined ? 0 : resolveTos(spec.tos),
    fwmark,
    // A mark without a mask matches all bits; the kernel stores 0xffffffff.
    fwmask: spec.fwmask ?? (fwmark !== 0 ? 0xffffffff : 0),
    iif: spec.iif,
    oif: spec.oif,
    l3mdev: spec.l3mdev === true,
    uidRange: spec.uidRange && resolveRange(spec.uidRange, 'uidrange', 0xffffffff),
    ipProto: spec.ipProto === undefined ? 0 : resolveIpProto(spec.ipProto),
    sport: spec.sport === undefined ? undefined : resolvePort(spec.sport, 'sport'),
    dport: spec.dport === undefined ? undefined : resolvePort(spec.dport, 'dport'),
    tunId: spec.tunId === undefined ? 0n : BigInt(spec.tunId),
    realms: spec.realms === undefined ? 0 : resolveRealms(spec.realms),
    table: spec.table !== undefined ? resolveTable(spec.table) : action === 'lookup' && !spec.l3mdev ? RT_TABLE.main : 0,
    action,
    goto: spec.goto,
    suppressPrefixlen: spec.suppressPrefixlen,
    suppressIfgroup: spec.suppressIfgroup === undefined ? undefined : resolveGroup(spec.suppressIfgroup),
    protocol: spec.protocol === undefined ? 0 : resolveProtocol(spec.protocol),
    flags: [],
    unknown: [],
  };
}

function isRule(x: Rule | RuleSpec): x is Rule {
  return Array.isArray((x as Rule).unknown) && Array.isArray((x as Rule).flags);
}

function sameRange(a?: { start: number; end: number }, b?: { start: number; end: number }): boolean {
  return a === b || (a !== undefined && b !== undefined && a.start === b.start && a.end === b.end);
}

/**
 * True when both describe the same rule: every selector, the action and its target, the
 * suppressors and the protocol. State flags the kernel sets (detached, unresolved) are ignored;
 * a side without a priority (a spec that left it to the kernel) matches any priority. Fields the
 * kernel leaves out when zero compare equal to 0.
 */
export function sameRule(x: Rule | RuleSpec, y: Rule | RuleSpec): boolean {
  const a = isRule(x) ? x : ruleFromSpec(x);
  const b = isRule(y) ? y : ruleFromSpec(y);
  const priorityA = isRule(x) ? (a.priority ?? 0) : a.priority;
  const priorityB = isRule(y) ? (b.priority ?? 0) : b.priority;
  return (
    familyNames.value(a.family) === familyNames.value(b.family) &&
    (priorityA === undefined || priorityB === undefined || priorityA === priorityB) &&
    !a.not === !b.not &&
    a.src === b.src &&
    a.dst === b.dst &&
    a.tos === b.tos &&
    (a.fwmark ?? 0) === (b.fwmark ?? 0) &&
    (a.fwmask ?? 0) === (b.fwmask ?? 0) &&
    a.iif === b.iif &&
    a.oif === b.oif &&
    !a.l3mdev === !b.l3mdev &&
    sameRange(a.uidRange, b.uidRange) &&
    (a.ipProto ?? 0) === (b.ipProto ?? 0) &&
    sameRange(a.sport, b.sport) &&
    sameRange(a.dport, b.dport) &&
    (a.tunId ?? 0n) === (b.tunId ?? 0n) &&
    (a.realms ?? 0) === (b.realms ?? 0) &&
    a.table === b.table &&
    ruleActionNames.value(a.action) === ruleActionNames.value(b.action) &&
    a.goto === b.goto &&
    a.suppressPrefixlen === b.suppressPrefixlen &&
    a.suppressIfgroup === b.suppressIfgroup &&
    routeProtocolNames.value(a.protocol ?? 0) === routeProtocolNames.value(b.protocol ?? 0)
  );
}
