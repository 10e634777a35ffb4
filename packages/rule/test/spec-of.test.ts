// ruleSpecOf: every rule listed, turned back into a spec, deletes exactly that rule and re-creates
// it identically (as `ip -d -j rule show` shows it).
import test from 'ava';
import { rulesAsync, ruleSpecOf } from '../src/index.js';
import { ip, ipRules, netnsWithVeth, socketIn } from './helpers.js';

const RULES: string[][] = [
  ['pref', '100', 'from', '192.0.2.0/24', 'lookup', '100'],
  ['pref', '101', 'not', 'to', '198.51.100.0/24', 'iif', 'v0', 'lookup', '101', 'proto', 'static'],
  ['pref', '102', 'fwmark', '0x10/0xff', 'oif', 'v1', 'unreachable'],
  ['pref', '103', 'ipproto', 'tcp', 'dport', '22', 'sport', '1000-2000', 'lookup', 'main', 'suppress_prefixlength', '0'],
  ['pref', '104', 'uidrange', '1000-2000', 'goto', '106'],
  ['pref', '105', 'tos', '0x10', 'realms', '3/4', 'prohibit'],
  ['pref', '106', 'l3mdev'],
  ['pref', '107', 'from', 'all', 'blackhole'],
];

test('ruleSpecOf: delete what was listed, re-create it the same', async (t) => {
  const ns = netnsWithVeth(t);
  for (const r of RULES) ip(ns, 'rule', 'add', ...r);
  ip(ns, '-6', 'rule', 'add', 'pref', '200', 'from', '2001:db8::/32', 'lookup', '200');
  const before4 = ipRules(ns, 4);
  const before6 = ipRules(ns, 6);
  const r = rulesAsync(socketIn(t, ns));
  const ours = [...(await r.list(4)), ...(await r.list(6))].filter((x) => (x.priority ?? 0) >= 100 && (x.priority ?? 0) < 300);
  t.is(ours.length, RULES.length + 1);
  const specs = ours.map(ruleSpecOf);
  const deleted = await r.batch('del', specs);
  t.true(deleted.every((d) => d.ok), JSON.stringify(deleted.filter((d) => !d.ok).map((d) => d.error?.message)));
  t.is(ipRules(ns, 4).length, before4.length - RULES.length);
  const added = await r.batch('add', specs);
  t.true(added.every((d) => d.ok), JSON.stringify(added.filter((d) => !d.ok).map((d) => d.error?.message)));
  t.deepEqual(ipRules(ns, 4), before4);
  t.deepEqual(ipRules(ns, 6), before6);
});
