// Comparing rules the way the kernel keeps them, so that a reconciler sees a wanted spec and the
// rule read back as equal when the kernel would hold the same rule.
import { formatIP } from '@vrfctl/netlink';
import { RT_TABLE } from '@vrfctl/rtnetlink';
import type { Rule, RuleSpec } from './model.js';
import {
  resolveGroup, resolveIpProto, resolvePort, resolvePrefix, resolveProtocol, resolveRange, resolveRealms,
  resolveTable, resolveTos, specFamily,
} from './resolve.js';

const FIB_RULE_INVERT = 0x2;

/** The Rule the kernel would report after adding spec (priority stays unset when the spec has none). */
export function ruleFromSpec(spec: RuleSpec): Omit<Rule, 'priority'> & { priority?: number } {
  const family = specFamily(spec);
  const prefix = (text: string | undefined, what: string): string | undefined => {
    if (text === undefined) return undefined;
    const p = resolvePrefix(text, what, family);
    // The kernel does not report a zero-length prefix: "from 0.0.0.0/0" reads back as "from all".
    return p.length === 0 ? undefined : `${formatIP(p.bytes)}/${p.length}`;
  };
  const action = spec.action ?? (spec.goto !== undefined ? 'goto' : 'lookup');
  const fwmark = spec.fwmark ?? 0;
  const rule: Omit<Rule, 'priority'> & { priority?: number } = {
    family,
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
    flags: spec.not ? FIB_RULE_INVERT : 0,
    unknown: [],
  };
  return rule;
}

function isRule(x: Rule | RuleSpec): x is Rule {
  return Array.isArray((x as Rule).unknown) && typeof (x as Rule).fwmask === 'number' && typeof (x as Rule).tunId === 'bigint';
}

function sameRange(a?: { start: number; end: number }, b?: { start: number; end: number }): boolean {
  return a === b || (a !== undefined && b !== undefined && a.start === b.start && a.end === b.end);
}

/**
 * True when both describe the same rule: every selector, the action and its target, the
 * suppressors and the protocol. State flags the kernel sets (detached, unresolved) are ignored;
 * a side without a priority (a spec that left it to the kernel) matches any priority.
 */
export function sameRule(x: Rule | RuleSpec, y: Rule | RuleSpec): boolean {
  const a = isRule(x) ? x : ruleFromSpec(x);
  const b = isRule(y) ? y : ruleFromSpec(y);
  return (
    a.family === b.family &&
    (a.priority === undefined || b.priority === undefined || a.priority === b.priority) &&
    a.not === b.not &&
    a.src === b.src &&
    a.dst === b.dst &&
    a.tos === b.tos &&
    a.fwmark === b.fwmark &&
    a.fwmask === b.fwmask &&
    a.iif === b.iif &&
    a.oif === b.oif &&
    a.l3mdev === b.l3mdev &&
    sameRange(a.uidRange, b.uidRange) &&
    a.ipProto === b.ipProto &&
    sameRange(a.sport, b.sport) &&
    sameRange(a.dport, b.dport) &&
    a.tunId === b.tunId &&
    a.realms === b.realms &&
    a.table === b.table &&
    a.action === b.action &&
    a.goto === b.goto &&
    a.suppressPrefixlen === b.suppressPrefixlen &&
    a.suppressIfgroup === b.suppressIfgroup &&
    a.protocol === b.protocol
  );
}
