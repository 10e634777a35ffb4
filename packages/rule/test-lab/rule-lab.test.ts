// Lab tests (Debian 6.1 kernel with the vrf driver): rules next to a real VRF device. The vrf
// driver adds its own l3mdev rule (protocol kernel) when the first VRF appears; fixup must keep
// it, move only the local rule, and the golden l3mdev request must still match byte for byte.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NETLINK_ROUTE, toHex } from '@vrfctl/netlink';
import { RecordingNetlink, openNetlink, runSync } from '@vrfctl/socket';
import { addRule, fixupRules, formatRule, isLocalRule, listRules, parseRuleArgs, ruleToJson } from '@vrfctl/rule';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
});

function ip(ns: string, ...args: string[]): string {
  return execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
}

function netnsWithVrf(t: { teardown(fn: () => void): void }): string {
  const ns = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  t.teardown(() => execFileSync('ip', ['netns', 'del', ns]));
  ip(ns, 'link', 'set', 'lo', 'up');
  ip(ns, 'link', 'add', 'blue', 'type', 'vrf', 'table', '10');
  ip(ns, 'link', 'set', 'blue', 'up');
  return ns;
}

test('the vrf driver adds l3mdev rules; fixup keeps them and only moves the local rule', (t) => {
  const ns = netnsWithVrf(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  for (const f of [4, 6] as const) {
    const l3 = runSync(s, listRules(f)).filter((r) => r.l3mdev);
    t.deepEqual(l3.map((r) => [r.priority, r.protocol, r.action, r.table]), [[1000, 'kernel', 'lookup', 0]], `IPv${f} driver rule`);
  }
  const result = runSync(s, fixupRules());
  t.deepEqual(result.steps.map((st) => st.command), [
    'ip rule add pref 32765 table local', 'ip rule del pref 0 table local',
    'ip -6 rule add pref 32765 table local', 'ip -6 rule del pref 0 table local',
  ]);
  for (const f of [4, 6] as const) {
    const rules = runSync(s, listRules(f));
    t.is(rules.filter((r) => r.l3mdev).length, 1);
    t.deepEqual(rules.filter(isLocalRule).map((r) => r.priority), [32765]);
    t.deepEqual(rules.map(ruleToJson), JSON.parse(ip(ns, `-${f}`, '-j', 'rule', 'show')));
    t.deepEqual(rules.map(formatRule), ip(ns, `-${f}`, 'rule', 'show').trimEnd().split('\n'));
  }
  t.false(runSync(s, fixupRules()).changed);
});

test('golden vrf/rule-l3mdev with its full setup: same bytes as ip, and the same state', (t) => {
  const fx = JSON.parse(readFileSync(join(process.cwd(), 'test/golden/fixtures/vrf/rule-l3mdev.json'), 'utf8')) as {
    command: string[]; setup: string[][]; requests: string[];
  };
  const make = (): string => {
    const ns = `vrfctl-t-${randomBytes(5).toString('hex')}`;
    execFileSync('ip', ['netns', 'add', ns]);
    t.teardown(() => execFileSync('ip', ['netns', 'del', ns]));
    for (const argv of fx.setup) execFileSync('ip', ['netns', 'exec', ns, ...argv]);
    return ns;
  };
  const ours = make();
  const theirs = make();
  const s = openNetlink(NETLINK_ROUTE, { netns: ours });
  t.teardown(() => s.close());
  const spec = parseRuleArgs(fx.command.slice(fx.command.indexOf('rule') + 2));
  const rec = new RecordingNetlink(s);
  runSync(rec, addRule(spec));
  const want = Buffer.from(fx.requests[0], 'hex');
  want.fill(0, 8, 16);
  t.is(toHex(rec.recorded[0]), toHex(want));
  runSync(s, addRule(spec));
  execFileSync('ip', ['netns', 'exec', theirs, ...fx.command]);
  t.deepEqual(JSON.parse(ip(ours, '-d', '-j', 'rule', 'show')), JSON.parse(ip(theirs, '-d', '-j', 'rule', 'show')));
});
