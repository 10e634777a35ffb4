// Rule operations as plans (written once, run with runSync or runAsync), plus one-call helpers.
import { AF_INET, AF_INET6, MessageBuilder, NLM_F_ACK } from '@vrfctl/netlink';
import { RTM, decodeRule, encodeRule } from '@vrfctl/rtnetlink';
import {
  ack, batch, bindAsync, bindSync, dump, runAsync, runSync, type Arity, type AsyncNetlink, type AsyncOptions, type CallOptions, type Plan, type Request,
  type SpecResult, type SyncNetlink,
} from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import type { Rule, RuleFamily, RuleSpec } from './model.js';
import { describeRuleChange, ruleRequest, type RuleChange } from './encode.js';

/** `ip rule add …`: EEXIST (NetlinkError) when the same rule exists. */
export function* addRule(spec: RuleSpec): Plan<void> {
  yield* ack(ruleRequest(spec, 'add'));
}

/** `ip rule del …`: removes the first rule matching every given field; ENOENT when none does. */
export function* deleteRule(spec: RuleSpec): Plan<void> {
  yield* ack(ruleRequest(spec, 'del'));
}

/** The RTM_GETRULE dump request iproute2 sends: a zeroed fib_rule_hdr with the family. */
export function ruleDumpRequest(family: RuleFamily): Request {
  const selector: Rule = { family: family === 6 ? 'inet6' : 'inet', action: 0, table: 0, tos: 0, flags: [], unknown: [] };
  return { type: RTM.GETRULE, flags: 0, encode: (b: MessageBuilder) => encodeRule(b, selector) };
}

/** The rules of one family (IPv4 by default, as `ip rule show`), in the kernel's order. */
export function* listRules(family: RuleFamily = 4): Plan<Rule[]> {
  const messages = yield* dump(ruleDumpRequest(family));
  const want = family === 6 ? AF_INET6 : AF_INET;
  return messages.filter((m) => m.header.type === RTM.NEWRULE && m.payload[0] === want).map(decodeRule);
}

/**
 * `ip rule flush`: deletes every listed rule that has a priority (so never the pref-0 local rule),
 * sending each back as the kernel described it, as iproute2 does. keep decides which stay.
 */
export function* flushRules(family: RuleFamily = 4, keep: (r: Rule) => boolean = () => false): Plan<Rule[]> {
  const messages = yield* dump(ruleDumpRequest(family));
  const want = family === 6 ? AF_INET6 : AF_INET;
  const removed: Rule[] = [];
  for (const m of messages) {
    if (m.header.type !== RTM.NEWRULE || m.payload[0] !== want) continue;
    const rule = decodeRule(m);
    if ((rule.priority ?? 0) === 0 || keep(rule)) continue;
    const payload = Buffer.from(m.payload);
    yield* ack({ type: RTM.DELRULE, flags: NLM_F_ACK, encode: (b) => b.data(payload) });
    removed.push(rule);
  }
  return removed;
}

// One-call forms for callers that do not compose plans.
export function addRuleSync(nl: SyncNetlink, spec: RuleSpec): void {
  runSync(nl, addRule(spec));
}
export function deleteRuleSync(nl: SyncNetlink, spec: RuleSpec): void {
  runSync(nl, deleteRule(spec));
}
export function listRulesSync(nl: SyncNetlink, family?: RuleFamily): Rule[] {
  return runSync(nl, listRules(family));
}
export function addRuleAsync(nl: AsyncNetlink, spec: RuleSpec, opts?: AsyncOptions): Promise<void> {
  return runAsync(nl, addRule(spec), opts);
}
export function deleteRuleAsync(nl: AsyncNetlink, spec: RuleSpec, opts?: AsyncOptions): Promise<void> {
  return runAsync(nl, deleteRule(spec), opts);
}
export function listRulesAsync(nl: AsyncNetlink, family?: RuleFamily, opts?: AsyncOptions): Promise<Rule[]> {
  return runAsync(nl, listRules(family), opts);
}

/**
 * Many rule changes pipelined: every spec checked before anything is sent (ArgumentError naming
 * the spec), then one batch; a result per spec, in order.
 */
export function* batchRules(change: RuleChange, specs: readonly RuleSpec[]): Plan<Array<SpecResult<RuleSpec>>> {
  const requests = specs.map((spec, i) => {
    try {
      return ruleRequest(spec, change);
    } catch (err) {
      if (err instanceof ArgumentError) throw new ArgumentError(`spec ${i + 1} of ${specs.length} (${describeRuleChange(spec, change)}): ${err.message}`);
      throw err;
    }
  });
  const answers = yield* batch(requests);
  return answers.map((a, i) => (a.ok ? { ok: true, spec: specs[i] } : { ok: false, spec: specs[i], error: a.error }));
}

export interface RuleOps {
  add(spec: RuleSpec, opts?: CallOptions): void;
  delete(spec: RuleSpec, opts?: CallOptions): void;
  list(family?: RuleFamily, opts?: CallOptions): Rule[];
  batch(change: RuleChange, specs: readonly RuleSpec[], opts?: CallOptions): Array<SpecResult<RuleSpec>>;
}
export interface AsyncRuleOps {
  add(spec: RuleSpec, opts?: CallOptions): Promise<void>;
  delete(spec: RuleSpec, opts?: CallOptions): Promise<void>;
  list(family?: RuleFamily, opts?: CallOptions): Promise<Rule[]>;
  batch(change: RuleChange, specs: readonly RuleSpec[], opts?: CallOptions): Promise<Array<SpecResult<RuleSpec>>>;
}

const RULE_PLANS = { add: addRule, delete: deleteRule, list: listRules, batch: batchRules };
const ARITY: Arity<typeof RULE_PLANS> = { add: 1, delete: 1, list: 1, batch: 2 };

/** `rules(nl).add({ priority: 100, src: '192.0.2.0/24', table: 100 })`; defaults apply to every call. */
export function rules(nl: SyncNetlink, defaults?: CallOptions): RuleOps {
  return bindSync(nl, RULE_PLANS, ARITY, defaults);
}

/** `await rulesAsync(nl).batch('add', specs)`; defaults (signal, timeoutMs) apply to every call. */
export function rulesAsync(nl: AsyncNetlink, defaults?: CallOptions): AsyncRuleOps {
  return bindAsync(nl, RULE_PLANS, ARITY, defaults);
}
