export { type Range, type Rule, type RuleFamily, type RuleActionName, type RuleSpec } from './model.js';
export { type RuleChange, describeRuleChange, ruleRequest } from './encode.js';
export { ruleFromSpec, sameRule } from './same.js';
export {
  addRule, deleteRule, ruleDumpRequest, listRules, flushRules, addRuleSync, deleteRuleSync, listRulesSync,
  addRuleAsync, deleteRuleAsync, listRulesAsync, batchRules, type RuleOps, type AsyncRuleOps, rules,
  rulesAsync,
} from './plans.js';
export {
  L3MDEV_RULE_PRIORITY, LOCAL_RULE_PRIORITY, l3mdevRuleSpec, localRuleSpec, type FixupStep,
  type FixupResult, isLocalRule, fixupSteps, fixupRules, fixupRulesSync, fixupRulesAsync,
} from './fixup.js';
export { parseRuleArgs, type RuleFilter, parseRuleFilter } from './parse.js';
export { ruleMatches } from './filter.js';
export { formatRule, ruleToJson } from './format.js';
export { ruleSpecOf } from './spec-of.js';
