// The rule layout VRFs want: the l3mdev rule at 1000 and the local rule moved from 0 to 32765 (so
// that VRF tables are consulted before the local table), for IPv4 and IPv6.
import { ack, runAsync, runSync, type AsyncNetlink, type AsyncOptions, type Plan, type SyncNetlink } from '@vrfctl/socket';
import { RT_TABLE } from '@vrfctl/rtnetlink';
import { wordOrder, type Rule, type RuleFamily, type RuleSpec } from './model.js';
import { listRules } from './plans.js';
import { ruleRequest, type RuleChange } from './encode.js';

export const L3MDEV_RULE_PRIORITY = 1000;
export const LOCAL_RULE_PRIORITY = 32765;

/** `ip rule add l3mdev pref 1000`, in that word order (FRA_L3MDEV before FRA_PRIORITY). */
export function l3mdevRuleSpec(family: RuleFamily): RuleSpec {
  return wordOrder({ family, l3mdev: true, priority: L3MDEV_RULE_PRIORITY }, ['l3mdev', 'priority']);
}

/** `ip rule add|del pref N table local`. */
export function localRuleSpec(family: RuleFamily, priority: number): RuleSpec {
  return { family, priority, table: RT_TABLE.local };
}

export interface FixupStep {
  family: RuleFamily;
  change: RuleChange;
  spec: RuleSpec;
  /** The equivalent command, for messages: "ip -6 rule add l3mdev pref 1000". */
  command: string;
}

export interface FixupResult {
  /** False when the rules were already in place and nothing was sent. */
  changed: boolean;
  steps: FixupStep[];
}

/** A plain "from all lookup local" rule: no selector, not inverted. */
export function isLocalRule(r: Rule): boolean {
  return (
    r.table === RT_TABLE.local && r.action === 'lookup' && !r.not && !r.l3mdev && r.src === undefined &&
    r.dst === undefined && r.iif === undefined && r.oif === undefined && !r.fwmark && !r.fwmask &&
    r.tos === 0 && r.uidRange === undefined && !r.ipProto && r.sport === undefined && r.dport === undefined &&
    !r.tunId
  );
}

function step(family: RuleFamily, change: RuleChange, spec: RuleSpec, words: string): FixupStep {
  return { family, change, spec, command: `ip${family === 6 ? ' -6' : ''} rule ${change} ${words}` };
}

/** What fixupRules would do given the current rules of one family. */
export function fixupSteps(family: RuleFamily, rules: readonly Rule[]): FixupStep[] {
  const steps: FixupStep[] = [];
  if (!rules.some((r) => r.l3mdev && r.priority === L3MDEV_RULE_PRIORITY)) {
    steps.push(step(family, 'add', l3mdevRuleSpec(family), `l3mdev pref ${L3MDEV_RULE_PRIORITY}`));
  }
  const local = rules.filter(isLocalRule);
  const atZero = local.filter((r) => (r.priority ?? 0) === 0);
  const moved = local.some((r) => r.priority === LOCAL_RULE_PRIORITY);
  // A local rule somewhere else on purpose is left alone; none at all would break local delivery.
  if (!moved && (atZero.length > 0 || local.length === 0)) {
    steps.push(step(family, 'add', localRuleSpec(family, LOCAL_RULE_PRIORITY), `pref ${LOCAL_RULE_PRIORITY} table local`));
  }
  // Deleted only after the new one is in: there is never a moment without a local rule.
  for (let i = 0; i < atZero.length; i++) steps.push(step(family, 'del', localRuleSpec(family, 0), 'pref 0 table local'));
  return steps;
}

/**
 * Ensures the l3mdev rule at 1000 and the local rule at 32765 instead of 0, for one family or
 * both. Idempotent: a second run finds nothing to do and reports changed: false.
 */
export function* fixupRules(family?: RuleFamily): Plan<FixupResult> {
  const steps: FixupStep[] = [];
  for (const f of family ? [family] : ([4, 6] as const)) {
    const rules = yield* listRules(f);
    for (const s of fixupSteps(f, rules)) {
      yield* ack(ruleRequest(s.spec, s.change));
      steps.push(s);
    }
  }
  return { changed: steps.length > 0, steps };
}

export function fixupRulesSync(nl: SyncNetlink, family?: RuleFamily): FixupResult {
  return runSync(nl, fixupRules(family));
}

export function fixupRulesAsync(nl: AsyncNetlink, family?: RuleFamily, opts?: AsyncOptions): Promise<FixupResult> {
  return runAsync(nl, fixupRules(family), opts);
}
