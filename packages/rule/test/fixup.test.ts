// fixupRules: l3mdev at 1000 and local moved from 0 to 32765, per family, add before delete,
// idempotent; the result equals doing it by hand with ip in a twin namespace.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMessages, toHex } from '@vrfctl/netlink';
import { RTM, decodeRule } from '@vrfctl/rtnetlink';
import { RecordingNetlink, runAsync, runSync } from '@vrfctl/socket';
import { fixupRules, fixupRulesAsync, isLocalRule, listRules, listRulesAsync, addRuleAsync, deleteRuleAsync } from '../src/index.js';
import { ip, ipRules, socketIn, tempNetns } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
function fixtureRequest(name: string): string {
  const fx = JSON.parse(readFileSync(join(root, 'test/golden/fixtures', `${name}.json`), 'utf8')) as { requests: string[] };
  const b = Buffer.from(fx.requests[0], 'hex');
  b.fill(0, 8, 16); // seq and pid
  return b.toString('hex');
}

function byHand(ns: string, family: 4 | 6): void {
  ip(ns, `-${family}`, 'rule', 'add', 'l3mdev', 'pref', '1000');
  ip(ns, `-${family}`, 'rule', 'add', 'pref', '32765', 'table', 'local');
  ip(ns, `-${family}`, 'rule', 'del', 'pref', '0', 'table', 'local');
}

test('fixup on a fresh namespace: same rules as doing it with ip, for IPv4 and IPv6', (t) => {
  const ours = tempNetns(t);
  const theirs = tempNetns(t);
  byHand(theirs, 4);
  byHand(theirs, 6);
  const s = socketIn(t, ours);
  const result = runSync(s, fixupRules());
  t.true(result.changed);
  t.deepEqual(result.steps.map((st) => st.command), [
    'ip rule add l3mdev pref 1000',
    'ip rule add pref 32765 table local',
    'ip rule del pref 0 table local',
    'ip -6 rule add l3mdev pref 1000',
    'ip -6 rule add pref 32765 table local',
    'ip -6 rule del pref 0 table local',
  ]);
  for (const f of [4, 6] as const) {
    t.deepEqual(ipRules(ours, f), ipRules(theirs, f));
    const rules = runSync(s, listRules(f));
    t.deepEqual(rules.filter(isLocalRule).map((r) => r.priority), [32765]);
    const l3 = rules.filter((r) => r.l3mdev);
    t.deepEqual(l3.map((r) => [r.priority, r.action, r.table, r.protocol]), [[1000, 'lookup', 0, 'unspec']]);
  }
});

test('fixup is idempotent: the second run sends nothing and says so', (t) => {
  const ns = tempNetns(t);
  const s = socketIn(t, ns);
  runSync(s, fixupRules());
  const state = [ipRules(ns, 4), ipRules(ns, 6)];
  const rec = new RecordingNetlink(s);
  const again = runSync(rec, fixupRules());
  t.false(again.changed);
  t.deepEqual(again.steps, []);
  t.deepEqual(rec.recorded, []);
  t.deepEqual([ipRules(ns, 4), ipRules(ns, 6)], state);
});

test('fixup adds the new local rule before deleting the old one, and sends what ip sends', (t) => {
  const ns = tempNetns(t);
  const s = socketIn(t, ns);
  const rec = new RecordingNetlink(s);
  runSync(rec, fixupRules());
  const msgs = rec.recorded.map((b) => parseMessages(b)[0]);
  const kinds = msgs.map((m) => {
    const r = decodeRule(m);
    const what = r.l3mdev ? 'l3mdev' : r.priority === 0 ? 'local@0' : `local@${r.priority}`;
    return `${m.header.type === RTM.NEWRULE ? 'add' : 'del'} v${r.family === 'inet6' ? 6 : 4} ${what}`;
  });
  t.deepEqual(kinds, [
    'add v4 l3mdev', 'add v4 local@32765', 'del v4 local@0',
    'add v6 l3mdev', 'add v6 local@32765', 'del v6 local@0',
  ]);
  // Replaying the recorded requests one by one, a local rule exists after every step.
  for (const m of msgs) {
    s.sendRaw(Buffer.from(rec.recorded[msgs.indexOf(m)]));
    for (const f of [4, 6] as const) t.true(runSync(s, listRules(f)).some(isLocalRule), `local rule present for IPv${f}`);
  }
  // The l3mdev and local adds are byte for byte what `ip rule add l3mdev pref 1000` and
  // `ip rule add pref 32765 table local` sent in the golden captures.
  t.is(toHex(rec.recorded[0]), fixtureRequest('rule/add-l3mdev'));
  t.is(toHex(rec.recorded[1]), fixtureRequest('rule/add-local-32765'));
});

test('fixup per family leaves the other family alone', (t) => {
  const ns = tempNetns(t);
  const s = socketIn(t, ns);
  const v4 = ipRules(ns, 4);
  const result = runSync(s, fixupRules(6));
  t.true(result.steps.every((st) => st.family === 6));
  t.deepEqual(ipRules(ns, 4), v4);
  t.deepEqual(runSync(s, listRules(6)).filter(isLocalRule).map((r) => r.priority), [32765]);
  t.true(runSync(s, fixupRules(4)).changed);
  t.false(runSync(s, fixupRules()).changed);
});

test('fixup keeps an existing l3mdev rule and a local rule already at 32765, and only finishes the move', (t) => {
  const ns = tempNetns(t);
  ip(ns, 'rule', 'add', 'l3mdev', 'pref', '1000', 'protocol', 'kernel'); // as the vrf driver adds it
  ip(ns, 'rule', 'add', 'pref', '32765', 'table', 'local');
  const s = socketIn(t, ns);
  const result = runSync(s, fixupRules(4));
  t.deepEqual(result.steps.map((st) => st.command), ['ip rule del pref 0 table local']);
  const rules = runSync(s, listRules(4));
  t.is(rules.filter((r) => r.l3mdev).length, 1);
  t.deepEqual(rules.filter(isLocalRule).map((r) => r.priority), [32765]);
});

test('async: add, list, delete and fixup through runAsync', async (t) => {
  const ns = tempNetns(t);
  const s = socketIn(t, ns);
  await addRuleAsync(s, { priority: 100, src: '192.0.2.0/24', table: 100 });
  const rules = await listRulesAsync(s, 4);
  const r = rules.find((x) => x.priority === 100);
  t.is(r?.src, '192.0.2.0/24');
  t.is(r?.table, 100);
  t.deepEqual(ipRules(ns, 4, false).find((x) => x.priority === 100), { priority: 100, src: '192.0.2.0', srclen: 24, table: '100' });
  await deleteRuleAsync(s, { priority: 100 });
  t.is((await runAsync(s, listRules(4))).filter((x) => x.priority === 100).length, 0);
  t.true((await fixupRulesAsync(s)).changed);
  t.false((await fixupRulesAsync(s)).changed);
});
