// The FIB rules VRFs need: "l3mdev" at pref 1000 (the kernel adds it with the first VRF, but
// it may have been deleted), and by default the local rule moved from pref 0 to 32765 so that
// VRF tables are consulted before the local table. The full fixup is @vrfctl/rule's
// fixupRules (new local rule added before the old one is deleted); without the local-rule
// move only the l3mdev rules are ensured, here, with the rule package's plans.
import { AF_INET, AF_INET6, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL } from '@vrfctl/netlink';
import { addRule, fixupRules, ruleDumpRequest } from '@vrfctl/rule';
import { RTM, decodeRule, encodeRule, withoutWire, type Rule } from '@vrfctl/rtnetlink';
import { dump, type Plan, type Request } from '@vrfctl/socket';
import type { IpFamily } from './routes.js';

export const L3MDEV_PREF = 1000;

export interface RuleChange {
  family: IpFamily;
  change: 'add' | 'del';
  /** The equivalent ip command, for messages and dry runs. */
  command: string;
}

/**
 * The rules of one family as @vrfctl/rtnetlink's Rule (the model `apply` compares and writes
 * back), from the rule package's dump request.
 */
export function* dumpRules(family: IpFamily): Plan<Rule[]> {
  const want = family === 6 ? AF_INET6 : AF_INET;
  const msgs = yield* dump(ruleDumpRequest(family));
  return msgs.filter((m) => m.header.type === RTM.NEWRULE && m.payload[0] === want).map(decodeRule);
}

/** `ip rule add|del` of a listed rule, written back with rtnetlink's codec. */
export function ruleRequest(rule: Rule, change: 'add' | 'del'): Request {
  const r: Rule = withoutWire(rule);
  return change === 'add'
    ? { type: RTM.NEWRULE, flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, encode: (b) => encodeRule(b, r) }
    : { type: RTM.DELRULE, flags: NLM_F_ACK, encode: (b) => encodeRule(b, r) };
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
      // `ip rule add l3mdev pref 1000`: the same words, so the same bytes.
      yield* addRule({ family, l3mdev: true, priority: L3MDEV_PREF });
      done.push(c);
    }
  }
  return done;
}
