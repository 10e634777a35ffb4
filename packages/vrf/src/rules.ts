// The FIB rules VRFs need: "l3mdev" at pref 1000 (the kernel adds it with the first VRF, but
// it may have been deleted), and by default the local rule moved from pref 0 to 32765 so that
// VRF tables are consulted before the local table. The full fixup is @vrfctl/rule's
// fixupRules (new local rule added before the old one is deleted); without the local-rule
// move only the l3mdev rules are ensured, here.
import { fixupRules } from '@vrfctl/rule';
import type { Rule } from '@vrfctl/rtnetlink';
import { ack, type Plan } from '@vrfctl/socket';
import { dumpRules, ruleRequest, type IpFamily } from './kernel.js';

export const L3MDEV_PREF = 1000;

export interface RuleChange {
  family: IpFamily;
  change: 'add' | 'del';
  /** The equivalent ip command, for messages and dry runs. */
  command: string;
}

export function l3mdevRule(family: IpFamily): Rule {
  return { family: family === 6 ? 10 : 2, action: 'lookup', table: 0, tos: 0, flags: [], l3mdev: true, priority: L3MDEV_PREF, unknown: [] };
}

/** The l3mdev rule to add for one family, given its rules (none when it is there). */
export function l3mdevRuleChanges(family: IpFamily, rules: readonly Rule[]): RuleChange[] {
  if (rules.some((r) => r.l3mdev && (r.priority ?? 0) === L3MDEV_PREF)) return [];
  return [{ family, change: 'add', command: `ip${family === 6 ? ' -6' : ''} rule add l3mdev pref ${L3MDEV_PREF}` }];
}

/** Ensures the l3mdev rules (and, with moveLocal, the moved local rules) for IPv4 and IPv6. */
export function* ensureVrfRules(moveLocal: boolean): Plan<RuleChange[]> {
  if (moveLocal) {
    const result = yield* fixupRules();
    return result.steps.map((s) => ({ family: s.family, change: s.change, command: s.command }));
  }
  const done: RuleChange[] = [];
  for (const family of [4, 6] as const) {
    for (const c of l3mdevRuleChanges(family, yield* dumpRules(family))) {
      yield* ack(ruleRequest(l3mdevRule(family), 'add'));
      done.push(c);
    }
  }
  return done;
}
