// A listed rule back into the spec that makes (or deletes) exactly it, as routeSpecOf does for
// routes: `rules(nl).delete(ruleSpecOf(r))`, or `{ ...ruleSpecOf(r), priority: 2000 }` to move it.
import { ruleActionNames, type Rule } from '@vrfctl/rtnetlink';
import type { RuleActionName, RuleSpec } from './model.js';

const ACTIONS: readonly RuleActionName[] = ['lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'];

/** The keys a rule and its spec hold alike. */
const COPIED = [
  'src', 'dst', 'fwmark', 'fwmask', 'iif', 'oif', 'uidRange', 'ipProto', 'sport', 'dport', 'tunId', 'realms', 'protocol',
  'suppressPrefixlen', 'suppressIfgroup',
] as const;

function copyDefined<K extends keyof RuleSpec & keyof Rule>(spec: RuleSpec, r: Rule, keys: readonly K[]): void {
  for (const k of keys) if (r[k] !== undefined) spec[k] = r[k] as RuleSpec[K];
}

export function ruleSpecOf(r: Rule): RuleSpec {
  const spec: RuleSpec = { family: r.family === 'inet6' || r.family === 10 ? 6 : 4 };
  // The pref-0 local rule has no FRA_PRIORITY; 0 names it all the same.
  spec.priority = r.priority ?? 0;
  if (r.not) spec.not = true;
  if (r.tos) spec.tos = r.tos;
  copyDefined(spec, r, COPIED);
  const action = typeof r.action === 'number' ? ruleActionNames.name(r.action) : r.action;
  if (r.l3mdev) spec.l3mdev = true;
  else if (action === 'goto') spec.goto = r.goto;
  else if (action === 'lookup') spec.table = r.table;
  else if (ACTIONS.includes(action as RuleActionName)) spec.action = action as RuleActionName;
  return spec;
}
