// sameRule compares what the kernel keeps: kernel defaults filled in on the spec side.
import test from 'ava';
import { runSync } from '@vrfctl/socket';
import { addRule, listRules, ruleFromSpec, sameRule, type RuleSpec } from '../src/index.js';
import { socketIn, tempNetns } from './helpers.js';

test('specs that the kernel stores alike are the same rule once read back', (t) => {
  const ns = tempNetns(t);
  const s = socketIn(t, ns);
  const wanted: RuleSpec[] = [
    { priority: 100, fwmark: 7, table: 'main' },
    { priority: 101, src: '0.0.0.0/0', table: 100 },
    { priority: 102, src: '192.0.2.7/24', table: 100 },
    { priority: 103, l3mdev: true },
    { priority: 104, goto: 200 },
    { priority: 105, sport: 80, ipProto: 'tcp', table: 100 },
    { family: 6, priority: 106, dst: '2001:db8:0:0::/64', action: 'blackhole' },
  ];
  for (const w of wanted) runSync(s, addRule(w));
  const rules = [...runSync(s, listRules(4)), ...runSync(s, listRules(6))];
  for (const w of wanted) {
    const matching = rules.filter((r) => sameRule(r, w));
    t.is(matching.length, 1, JSON.stringify(w));
    t.is(matching[0].priority, w.priority ?? -1);
  }
});

test('kernel defaults on the spec side: mask of a bare fwmark, main table, lookup action', (t) => {
  const r = ruleFromSpec({ priority: 5, fwmark: 7 });
  t.is(r.fwmask, 0xffffffff);
  t.is(r.table, 254);
  t.is(r.action, 'lookup');
  t.is(ruleFromSpec({ l3mdev: true }).table, 0);
  t.is(ruleFromSpec({ action: 'prohibit' }).table, 0);
  t.is(ruleFromSpec({ src: 'all' }).src, undefined);
});

test('rules that differ in any kept field are not the same', (t) => {
  const base: RuleSpec = { priority: 100, src: '192.0.2.0/24', table: 100 };
  t.true(sameRule(base, { table: 100, src: '192.0.2.0/24' }), 'no priority matches any priority');
  const different: RuleSpec[] = [
    { ...base, priority: 101 },
    { ...base, src: '192.0.2.0/25' },
    { ...base, table: 101 },
    { ...base, not: true },
    { ...base, protocol: 'static' },
    { ...base, action: 'blackhole', table: undefined },
    { ...base, fwmark: 1 },
    { ...base, iif: 'v0' },
    { ...base, family: 6, src: '2001:db8::/32' },
  ];
  for (const d of different) t.false(sameRule(base, d), JSON.stringify(d));
});
