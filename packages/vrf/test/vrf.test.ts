// Host tests of the VRF operations. The host kernel has no vrf driver, so what needs a VRF in
// the kernel is checked against FakeNetlink (scripted dumps, recorded changes) or, for reads
// and refusals, a real socket in a throwaway netns. The same operations run for real in test-lab/.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { RecordingNetlink, openNetlink, runSync, type Plan } from '@vrfctl/socket';
import {
  ArgumentError, VrfError, createVrf, deleteVrf, enslave, listVrfs, release, l3mdevRuleChanges, showVrf, sshLocalAddress, validateVrfTable,
} from '@vrfctl/vrf';
import { FakeNetlink, attrs, portLink, vrfLink } from './vrf-fake.js';

function tempNetns(t: { teardown: (fn: () => void) => void }): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => execFileSync('ip', ['netns', 'del', name]));
  return name;
}

/** Runs a plan against a recorder with no socket: any read or change would be recorded or throw. */
function nothingSent<T>(plan: Plan<T>): { error: unknown; recorded: number } {
  const rec = new RecordingNetlink();
  try {
    runSync(rec, plan);
    return { error: undefined, recorded: rec.recorded.length };
  } catch (error) {
    return { error, recorded: rec.recorded.length };
  }
}

test('tables: 1…2³²−1 accepted, 0 / 253 / 254 / 255 / out of range / junk refused', (t) => {
  for (const ok of [1, 10, 252, 256, 1000, 0xffffffff, '66', '0x10']) t.is(validateVrfTable(ok), Number(ok));
  for (const bad of [0, 253, 254, 255, 0x100000000, -1, 1.5, '', 'main', '10x', ' 10']) {
    t.throws(() => validateVrfTable(bad), { instanceOf: ArgumentError }, String(bad));
  }
  t.throws(() => validateVrfTable(254), { message: /reserved for the "main" table/ });
});

test('createVrf refuses bad names and tables before sending or reading anything', (t) => {
  const cases: Array<[string, number | string]> = [
    ['', 10], ['x'.repeat(16), 10], ['a/b', 10], ['default', 10], ['a b', 10], ['..', 10],
    ['red', 0], ['red', 253], ['red', 254], ['red', 255], ['red', 2 ** 32], ['red', 'ten'],
  ];
  for (const [name, table] of cases) {
    const r = nothingSent(createVrf(name, table));
    t.true(r.error instanceof ArgumentError, `${name} ${table}: ${String(r.error)}`);
    t.is(r.recorded, 0);
  }
  const badTableName = nothingSent(createVrf('red', 10, { rtTablesName: '../etc/passwd' }));
  t.true(badTableName.error instanceof ArgumentError);
  t.is(badTableName.recorded, 0);
});

test('createVrf refuses a table another VRF uses, and an existing name, with nothing sent', (t) => {
  const nl = new FakeNetlink([portLink(1, 'lo'), vrfLink(5, 'blue', 66)]);
  t.throws(() => runSync(nl, createVrf('red', 66)), { instanceOf: VrfError, message: 'table 66 is already used by VRF "blue"' });
  t.throws(() => runSync(nl, createVrf('blue', 67)), { instanceOf: VrfError, message: /already exists/ });
  t.deepEqual(nl.sent, []);
});

test('createVrf sends link, up, unreachable defaults (v4, v6), addresses, then the rule fixup', (t) => {
  const nl = new FakeNetlink([portLink(1, 'lo')]);
  const vrf = runSync(nl, createVrf('red', 10, { loopback: true }));
  t.is(vrf.ifindex, 100);
  t.is(vrf.table, 10);
  t.deepEqual(nl.types, [
    // The fake has no rules at all: l3mdev and local (32765) for each family.
    'RTM_NEWLINK', 'RTM_NEWLINK', 'RTM_NEWROUTE', 'RTM_NEWROUTE', 'RTM_NEWADDR', 'RTM_NEWADDR',
    'RTM_NEWRULE', 'RTM_NEWRULE', 'RTM_NEWRULE', 'RTM_NEWRULE',
  ]);
  t.deepEqual(vrf.ruleChanges.map((c) => c.command), [
    'ip rule add l3mdev pref 1000', 'ip rule add pref 32765 table local', 'ip -6 rule add l3mdev pref 1000', 'ip -6 rule add pref 32765 table local',
  ]);
  const [create, up, v4, v6, a4, a6] = nl.sent;
  t.deepEqual(attrs(create), [
    { type: 'IFLA_IFNAME', value: 'red' },
    { type: 'IFLA_LINKINFO', value: [{ type: 'IFLA_INFO_KIND', value: 'vrf' }, { type: 'IFLA_INFO_DATA', value: [{ type: 'IFLA_VRF_TABLE', value: 10 }] }] },
  ]);
  t.like(up, { ifinfomsg: { index: 100, flags: 1, change: 1 } });
  for (const [m, family] of [[v4, 'inet'], [v6, 'inet6']] as const) {
    t.like(m, { rtmsg: { family, table: 10, type: 7, dst_len: 0 } });
    t.deepEqual(attrs(m), [{ type: 'RTA_PRIORITY', value: 4278198272 }]);
  }
  t.like(a4, { ifaddrmsg: { family: 'inet', prefixlen: 8, index: 100 } });
  t.like(a6, { ifaddrmsg: { family: 'inet6', prefixlen: 128, index: 100 } });
});

test('defaultUnreachable: false sends no route', (t) => {
  const nl = new FakeNetlink([]);
  runSync(nl, createVrf('red', 10, { defaultUnreachable: false }));
  t.false(nl.types.includes('RTM_NEWROUTE'));
});

// The kernel cannot be made to fail the IPv6 route on this host (no vrf driver): the fake
// refuses it, and the plan must undo the IPv4 route and the link. The lab test does the same
// with a real kernel and a real failing step.
test('rollback: a failing later step deletes the route and the link made before it', (t) => {
  const nl = new FakeNetlink([], (m) => (m.header.type === 'RTM_NEWROUTE' && (m.rtmsg as { family: string }).family === 'inet6' ? new NetlinkError(13) : undefined));
  const err = t.throws(() => runSync(nl, createVrf('red', 10)), { instanceOf: NetlinkError });
  t.is(err?.code, 'EACCES');
  t.deepEqual(nl.types, ['RTM_NEWLINK', 'RTM_NEWLINK', 'RTM_NEWROUTE', 'RTM_NEWROUTE', 'RTM_DELROUTE', 'RTM_DELLINK']);
  t.like(nl.sent[4], { rtmsg: { family: 'inet', table: 10, type: 7 } });
  t.like(nl.sent[5], { ifinfomsg: { index: 100 } });
});

test('rollback: a failing rt_tables write undoes the link and both routes', (t) => {
  const nl = new FakeNetlink([]);
  t.throws(() => runSync(nl, createVrf('red', 10, { rtTablesName: true, rtTablesDir: '/proc/version' })), { code: 'ENOTDIR' });
  t.deepEqual(nl.types.slice(-3), ['RTM_DELROUTE', 'RTM_DELROUTE', 'RTM_DELLINK']);
});

test('listVrfs: kind vrf only, table from IFLA_VRF_TABLE, ports by IFLA_MASTER', (t) => {
  const nl = new FakeNetlink([portLink(1, 'lo'), vrfLink(4, 'red', 10), portLink(2, 'eth1', 4), portLink(3, 'eth2', 4), vrfLink(5, 'blue', 66, false), portLink(6, 'eth3')]);
  t.deepEqual(runSync(nl, listVrfs()), [
    { name: 'red', ifindex: 4, table: 10, state: 'UP', up: true, ports: [{ name: 'eth1', ifindex: 2, state: 'UP' }, { name: 'eth2', ifindex: 3, state: 'UP' }] },
    { name: 'blue', ifindex: 5, table: 66, state: 'DOWN', up: false, ports: [] },
  ]);
});

test('enslave: checks every device before the first change', (t) => {
  const links = [portLink(1, 'lo'), vrfLink(4, 'red', 10), vrfLink(5, 'blue', 66), portLink(2, 'eth1'), portLink(7, 'br0'), portLink(8, 'eth9', 7)];
  links[0].flags.push('LOOPBACK');
  links[4].linkinfo = { kind: 'bridge', unknown: [] };
  const cases: Array<[string, string[], RegExp]> = [
    ['red', ['eth1', 'nope'], /Cannot find device "nope"/],
    ['red', ['eth1', 'blue'], /VRFs do not nest/],
    ['red', ['eth1', 'lo'], /loopback/],
    ['red', ['eth1', 'eth9'], /port of bridge "br0"/],
    ['red', ['eth1', 'eth1'], /named twice/],
    ['red', ['eth1', 'a/b'], /invalid device name/],
    ['nope', ['eth1'], /VRF "nope" does not exist/],
    ['eth1', ['eth9'], /"eth1" is not a VRF device/],
  ];
  for (const [vrf, devs, message] of cases) {
    const nl = new FakeNetlink(links);
    t.throws(() => runSync(nl, enslave(vrf, devs, { sshConnection: '' })), { message }, `${vrf} ${devs.join(' ')}`);
    t.deepEqual(nl.sent, []);
  }
});

test('enslave: a failing second port puts the first one back', (t) => {
  const nl = new FakeNetlink([vrfLink(4, 'red', 10), portLink(2, 'eth1'), portLink(3, 'eth2', 5), vrfLink(5, 'blue', 66)], (m) =>
    (m.ifinfomsg as { index: number }).index === 3 ? new NetlinkError(16) : undefined);
  t.throws(() => runSync(nl, enslave('red', ['eth1', 'eth2'], { sshConnection: '' })), { instanceOf: NetlinkError });
  const masters = nl.sent.map((m) => [(m.ifinfomsg as { index: number }).index, attrs(m).find((a) => a.type === 'IFLA_MASTER')?.value]);
  t.deepEqual(masters, [[2, 4], [3, 4], [2, 0]]);
});

test('release: only ports of VRFs', (t) => {
  const nl = new FakeNetlink([vrfLink(4, 'red', 10), portLink(2, 'eth1', 4), portLink(3, 'eth2')]);
  t.throws(() => runSync(nl, release(['eth1', 'eth2'], { sshConnection: '' })), { instanceOf: VrfError, message: /"eth2" is not a port of a VRF/ });
  t.deepEqual(nl.sent, []);
  runSync(nl, release(['eth1'], { sshConnection: '' }));
  t.deepEqual(attrs(nl.sent[0]), [{ type: 'IFLA_MASTER', value: 0 }]);
});

test('deleteVrf / showVrf: unknown names are refused without a change', (t) => {
  const nl = new FakeNetlink([vrfLink(4, 'red', 10), portLink(2, 'eth1')]);
  t.throws(() => runSync(nl, deleteVrf('blue')), { instanceOf: VrfError, message: 'VRF "blue" does not exist' });
  t.throws(() => runSync(nl, deleteVrf('eth1')), { instanceOf: VrfError });
  t.throws(() => runSync(nl, showVrf('a/b')), { instanceOf: ArgumentError });
  t.deepEqual(nl.sent, []);
});

test('SSH_CONNECTION: the local address is the third field', (t) => {
  t.is(sshLocalAddress('192.0.2.9 51000 10.0.0.2 22'), '10.0.0.2');
  t.is(sshLocalAddress('::ffff:192.0.2.9 51000 ::ffff:10.0.0.2 22'), '10.0.0.2');
  t.is(sshLocalAddress('2001:db8::9 51000 2001:db8::2 22'), '2001:db8::2');
  t.is(sshLocalAddress(undefined), undefined);
  t.is(sshLocalAddress('garbage'), undefined);
});

test('l3mdev rules (moveLocalRule: false): added when missing, nothing when there', (t) => {
  const base = { action: 'lookup', tos: 0, flags: [], unknown: [] };
  const fresh = [{ ...base, family: 'inet', table: 255 }, { ...base, family: 'inet', table: 254, priority: 32766 }];
  t.deepEqual(l3mdevRuleChanges(6, fresh).map((c) => c.command), ['ip -6 rule add l3mdev pref 1000']);
  t.deepEqual(l3mdevRuleChanges(4, [...fresh, { ...base, family: 'inet', table: 0, l3mdev: true, priority: 1000 }]), []);
  const nl = new FakeNetlink([]);
  runSync(nl, createVrf('red', 10, { moveLocalRule: false }));
  t.deepEqual(nl.types.filter((x) => x.endsWith('RULE')), ['RTM_NEWRULE', 'RTM_NEWRULE']);
});

test('a real kernel without the vrf driver: createVrf fails and leaves the netns as it was', (t) => {
  const ns = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const before = execFileSync('ip', ['-n', ns, '-d', 'link', 'show'], { encoding: 'utf8' });
  const err = t.throws(() => runSync(nl, createVrf('red', 10)), { instanceOf: NetlinkError });
  t.is(err?.code, 'EOPNOTSUPP');
  t.is(execFileSync('ip', ['-n', ns, '-d', 'link', 'show'], { encoding: 'utf8' }), before);
  t.deepEqual(runSync(nl, listVrfs()), []);
});
