// A listed rule back into the spec that makes (or deletes) exactly it, as routeSpecOf does for
// routes: `rules(nl).delete(ruleSpecOf(r))`, or `{ ...ruleSpecOf(r), priority: 2000 }` to move it.
import { ruleActionNames, type Rule } from '@vrfctl/rtnetlink';
import type { RuleActionName, RuleSpec } from './model.js';

const ACTIONS: readonly RuleActionName[] = ['lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'];

export function ruleSpecOf(r: Rule): RuleSpec {
  const spec: RuleSpec = { family: r.family === 'inet6' || r.family === 10 ? 6 : 4 };
  // The pref-0 local rule has no FRA_PRIORITY; 0 names it all the same.
  spec.priority = r.priority ?? 0;
  if (r.not) spec.not = true;
  if (r.src !== undefined) spec.src = r.src;
  if (r.dst !== undefined) spec.dst = r.dst;
  if (r.tos) spec.tos = r.tos;
  if (r.fwmark !== undefined) spec.fwmark = r.fwmark;
  if (r.fwmask !== undefined) spec.fwmask = r.fwmask;
  if (r.iif !== undefined) spec.iif = r.iif;
  if (r.oif !== undefined) spec.oif = r.oif;
  if (r.uidRange !== undefined) spec.uidRange = r.uidRange;
  if (r.ipProto !== undefined) spec.ipProto = r.ipProto;
  if (r.sport !== undefined) spec.sport = r.sport;
  if (r.dport !== undefined) spec.dport = r.dport;
  if (r.tunId !== undefined) spec.tunId = r.tunId;
  if (r.realms !== undefined) spec.realms = r.realms;
  if (r.protocol !== undefined) spec.protocol = r.protocol;
  if (r.suppressPrefixlen !== undefined) spec.suppressPrefixlen = r.suppressPrefixlen;
  if (r.suppressIfgroup !== undefined) spec.suppressIfgroup = r.suppressIfgroup;
  const action = typeof r.action === 'number' ? ruleActionNames.name(r.action) : r.action;
  if (r.l3mdev) spec.l3mdev = true;
  else if (action === 'goto') spec.goto = r.goto;
  else if (action === 'lookup') spec.table = r.table;
  else if (ACTIONS.includes(action as RuleActionName)) spec.action = action as RuleActionName;
  return spec;
}
