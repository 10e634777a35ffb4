// `vrfctl rule show|add|del|flush|fixup`: `ip rule` syntax and output, plus the VRF rule fixup.
import { ArgumentError } from '@vrfctl/iproute2';
import {
  addRule, deleteRule, fixupRules, flushRules, formatRule, listRules, parseRuleArgs, parseRuleFilter, ruleMatches,
  ruleRequest, ruleToJson, type RuleFamily,
} from '@vrfctl/rule';
import { UsageError } from '../errors.js';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { withHostLock } from '../host-lock.js';

const USAGE = 'usage: vrfctl rule [ show [SELECTOR] | add SELECTOR ACTION | del SELECTOR ACTION | flush [SELECTOR] | fixup [-4|-6] ]';

/** iproute2's matches(): a non-empty prefix of the keyword. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

function show(args: string[], opts: GlobalOptions): void {
  const family: RuleFamily = opts.family ?? 4;
  const filter = parseRuleFilter(args, family);
  const rules = withSession(opts, (s) => s.run(listRules(family))).filter((r) => ruleMatches(r, filter));
  if (opts.json) printJson(rules.map(ruleToJson), opts);
  else for (const r of rules) writeLine(formatRule(r));
}

function change(kind: 'add' | 'del', args: string[], opts: GlobalOptions): void {
  if (args.length === 0) throw new ArgumentError(`"rule ${kind}" requires arguments`);
  const spec = parseRuleArgs(args, opts.family);
  ruleRequest(spec, kind); // every value is checked before the socket opens
  withSession(opts, (s) => s.run(kind === 'add' ? addRule(spec) : deleteRule(spec)));
}

function flush(args: string[], opts: GlobalOptions): void {
  const family: RuleFamily = opts.family ?? 4;
  const filter = parseRuleFilter(args, family);
  withSession(opts, (s) => s.run(flushRules(family, (r) => !ruleMatches(r, filter))));
}

function fixup(args: string[], opts: GlobalOptions): void {
  let family = opts.family;
  for (const a of args) {
    if (a === '-4' || a === '-6') {
      const f: RuleFamily = a === '-4' ? 4 : 6;
      if (family !== undefined && family !== f) throw new ArgumentError('-4 and -6 exclude each other');
      family = f;
    } else throw new ArgumentError(`"rule fixup" takes only -4 or -6, not "${a}"`);
  }
  const result = withHostLock('rule', opts, () => withSession(opts, (s) => s.run(fixupRules(family))));
  if (opts.dryRun) return; // the session prints the requests that would have been sent
  if (opts.json) {
    printJson({ changed: result.changed, steps: result.steps.map((st) => ({ family: st.family === 6 ? 'inet6' : 'inet', change: st.change, command: st.command })) }, opts);
  } else if (!result.changed) {
    writeLine(`rules already in place (l3mdev at 1000, local at 32765) for ${family ? `IPv${family}` : 'IPv4 and IPv6'}: nothing changed`);
  } else {
    for (const st of result.steps) writeLine(st.command);
  }
}

export function run(args: string[], opts: GlobalOptions): number {
  const [sub = 'show', ...rest] = args;
  try {
    if (matches(sub, 'list') || matches(sub, 'lst') || matches(sub, 'show')) show(rest, opts);
    else if (matches(sub, 'add')) change('add', rest, opts);
    else if (matches(sub, 'delete')) change('del', rest, opts);
    else if (matches(sub, 'flush')) flush(rest, opts);
    else if (sub === 'fixup') fixup(rest, opts);
    else if (matches(sub, 'help')) {
      writeLine(USAGE);
      return 0;
    } else throw new UsageError(`unknown subcommand "${sub}"; ${USAGE}`);
  } catch (err) {
    // Bad input exits 1 with one line, whatever errors.ts knows about ArgumentError.
    if (err instanceof ArgumentError) throw new UsageError(err.message);
    throw err;
  }
  return 0;
}
