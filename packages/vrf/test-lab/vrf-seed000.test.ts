// Seed 000 (management VRF on Ubuntu): mgmt on table 1000 with eth0 enslaved, the default
// route moved into the VRF, the local rule moved 0 → 32765, loopback addresses on the VRF
// device, `ip route get vrf mgmt 127.0.0.53`. Plus: a real failing step rolls back, bad input
// changes nothing, and interop with `ip link … type vrf` / `ip vrf` both ways.
import test from 'ava';
import { VrfError, createVrf, deleteVrf, enslave, listVrfs, release } from '@vrfctl/vrf';
import { ip, ipBatch, ipJson, mustVrfctl, requireLab, session, snapshot, tempNetns, vrfctl } from './vrf-helpers.js';

test.before(requireLab);

interface IpRule { priority: number; table?: string; l3mdev?: boolean }

function eth0(ns: string): void {
  ipBatch(ns, `
    link add eth0 type dummy
    addr add 10.0.0.2/24 dev eth0
    link set eth0 up
    route add default via 10.0.0.254 dev eth0`);
}

test.serial('management VRF: table 1000, eth0 in it, default route and local rule moved, loopback addresses', (t) => {
  const ns = tempNetns(t);
  eth0(ns);
  const s = session(t, ns);
  const vrf = s.run(createVrf('mgmt', 1000, { loopback: true }));
  t.is(vrf.table, 1000);
  t.deepEqual(vrf.ruleChanges.map((c) => c.command), [
    'ip rule add pref 32765 table local', 'ip rule del pref 0 table local', 'ip -6 rule add pref 32765 table local', 'ip -6 rule del pref 0 table local',
  ]);
  const r = s.run(enslave('mgmt', ['eth0'], { moveDefaultRoute: true, sshConnection: '192.0.2.9 50000 10.0.0.2 22' }));
  t.is(r.warnings.length, 2);
  t.regex(r.warnings[0], /eth0 carries the route "default via 10\.0\.0\.254 dev eth0"/);
  t.regex(r.warnings[1], /SSH session .* arrives on eth0 \(10\.0\.0\.2\)/);

  t.deepEqual(ipJson(ns, 'route', 'show', 'default'), []);
  const inVrf = ipJson<Array<{ type?: string; dst: string; gateway?: string; dev?: string }>>(ns, 'route', 'show', 'vrf', 'mgmt');
  t.true(inVrf.some((x) => x.dst === 'default' && x.gateway === '10.0.0.254' && x.dev === 'eth0'));
  t.true(inVrf.some((x) => x.dst === '10.0.0.0/24' && x.dev === 'eth0'));
  for (const family of ['-4', '-6']) {
    const rules = ipJson<IpRule[]>(ns, family, 'rule', 'show');
    t.deepEqual(rules.filter((x) => x.table === 'local').map((x) => x.priority), [32765], family);
    t.deepEqual(rules.filter((x) => x.priority === 1000).map((x) => ('l3mdev' in x) || x.table === '[l3mdev-table]'), [true], JSON.stringify(rules));
  }
  const addrs = ipJson<Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>>(ns, 'addr', 'show', 'dev', 'mgmt');
  t.deepEqual(addrs[0].addr_info.map((a) => `${a.local}/${a.prefixlen}`), ['127.0.0.1/8', '::1/128']);
  const got = ipJson<Array<{ dst: string; dev: string }>>(ns, 'route', 'get', 'vrf', 'mgmt', '127.0.0.53');
  t.like(got[0], { dst: '127.0.0.53', dev: 'mgmt' });
  t.regex(mustVrfctl('-n', ns, 'show', 'mgmt'), /^ {4}default via 10\.0\.0\.254 dev eth0$/m);

  // A second createVrf finds the rules in place and changes none.
  t.deepEqual(s.run(createVrf('blue', 1001)).ruleChanges, []);
  // Release, then delete with the table flushed: nothing of table 1000 remains.
  s.run(release(['eth0'], { sshConnection: '' }));
  t.is(ipJson<Array<{ master?: string }>>(ns, 'link', 'show', 'eth0')[0].master, undefined);
  s.run(deleteVrf('mgmt', { flushTable: true }));
  t.is(ip(ns, 'route', 'show', 'table', '1000'), '');
  t.is(ip(ns, '-6', 'route', 'show', 'table', '1000'), '');
});

test.serial('a step that fails for real undoes the earlier ones: no link, no routes left', (t) => {
  const ns = tempNetns(t);
  const s = session(t, ns);
  const before = snapshot(ns);
  // rt_tables.d under a regular file: the last step fails after link, routes and rules exist.
  t.throws(() => s.run(createVrf('red', 10, { rtTablesName: true, rtTablesDir: '/proc/version', moveLocalRule: false })), { code: 'ENOTDIR' });
  t.deepEqual(ipJson(ns, 'link', 'show', 'type', 'vrf'), []);
  t.is(ip(ns, 'route', 'show', 'table', '10'), '');
  t.is(ip(ns, '-6', 'route', 'show', 'table', '10'), '');
  // What remains is the l3mdev rule pair, which the kernel adds with the first VRF anyway.
  const after = snapshot(ns);
  t.is(after.replace(/^1000:\s+from all lookup \[l3mdev-table\] *\n/gm, ''), before);
});

test.serial('bad names, tables and ports change nothing', (t) => {
  const ns = tempNetns(t);
  eth0(ns);
  const s = session(t, ns);
  s.run(createVrf('red', 10));
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge');
  ip(ns, 'link', 'add', 'eth9', 'master', 'br0', 'type', 'dummy');
  const before = snapshot(ns);
  t.throws(() => s.run(createVrf('blue', 10)), { instanceOf: VrfError, message: /already used by VRF "red"/ });
  t.throws(() => s.run(createVrf('red', 11)), { instanceOf: VrfError, message: /already exists/ });
  t.throws(() => s.run(enslave('red', ['eth0', 'nope'], { sshConnection: '' })), { message: /Cannot find device "nope"/ });
  t.throws(() => s.run(enslave('red', ['eth0', 'eth9'], { sshConnection: '' })), { message: /port of bridge "br0"/ });
  t.throws(() => s.run(enslave('red', ['eth0', 'lo'], { sshConnection: '' })), { message: /loopback/ });
  // The CLI's usage errors are tested on the host; these need a VRF in the kernel. (Each CLI run
  // costs seconds under TCG: kept to a few.)
  for (const args of [['add', 'blue', 'table', '10']]) {
    const r = vrfctl('-n', ns, ...args);
    t.not(r.status, 0, args.join(' '));
    t.is(r.stderr.trim().split('\n').length, 1, args.join(' '));
  }
  t.is(snapshot(ns), before);
});

test.serial('interop with ip: each sees the other\'s VRFs and ports', (t) => {
  const ns = tempNetns(t);
  eth0(ns);
  ipBatch(ns, `
    link add blue type vrf table 20
    link set blue up
    link add eth1 type dummy
    link set eth1 master blue`);
  const s = session(t, ns);
  t.deepEqual(s.run(listVrfs()).map((v) => [v.name, v.table, v.ports.map((p) => p.name)]), [['blue', 20, ['eth1']]]);
  mustVrfctl('-n', ns, 'add', 'red', 'table', '10');
  s.run(enslave('red', ['eth0'], { sshConnection: '' }));
  t.deepEqual(ipJson(ns, 'vrf', 'show'), [{ name: 'blue', table: 20 }, { name: 'red', table: 10 }]);
  t.deepEqual(ipJson<Array<{ ifname: string }>>(ns, 'link', 'show', 'vrf', 'red').map((l) => l.ifname), ['eth0']);
  // ip takes a port out of our VRF and deletes it; we see both.
  ip(ns, 'link', 'set', 'eth0', 'nomaster');
  t.deepEqual(s.run(listVrfs()).find((v) => v.name === 'red')?.ports, []);
  ip(ns, 'link', 'del', 'red');
  t.deepEqual(JSON.parse(mustVrfctl('-n', ns, '-j', 'list')).map((v: { name: string }) => v.name), ['blue']);
  // ip's VRF deleted by us, with the routes ip put in its table.
  ip(ns, 'route', 'add', 'table', '20', '192.0.2.0/24', 'dev', 'eth0');
  ip(ns, 'route', 'add', 'table', '20', 'unreachable', 'default', 'metric', '4278198272');
  mustVrfctl('-n', ns, 'del', 'blue', '--flush-table');
  t.is(ip(ns, 'route', 'show', 'table', '20'), '');
  t.deepEqual(s.run(listVrfs()), []);
});
