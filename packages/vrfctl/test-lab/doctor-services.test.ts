// doctor in the lab: the findings about services and processes (the resolver of resolv.conf,
// listeners against the l3mdev_accept sysctls, the SSH session, processes left in the cgroup
// of a deleted VRF), each with real sockets or a real `ip vrf exec`, and the seeds' correctly
// built scenarios (management VRF of seed 000, the four VRFs of seed 001) with no errors.
import test from 'ava';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setVrfSysctls } from '@vrfctl/vrf';
import { diagnose } from 'vrfctl';
import {
  MOVED_LOCAL_RULES, UNREACHABLE_METRIC, baseState, findings, ids, ip, ipBatch, listen, requireLab, runFix, scenario,
} from './doctor-helpers.js';

test.before(requireLab);

test.serial('dns-resolver-outside-vrf: resolv.conf says 127.0.0.53, a UDP listener on 127.0.0.53%lo serves it; editing the file clears it', async (t) => {
  const s = scenario(t);
  baseState(s);
  writeFileSync(s.resolvConf, '# managed by man:systemd-resolved(8)\nnameserver 127.0.0.53\noptions edns0 trust-ad\n');
  const resolver = await listen(t, s.ns, [{ proto: 'udp', addr: '127.0.0.53', port: 53, dev: 'lo' }]);
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'dns-resolver-outside-vrf', severity: 'error', vrfs: ['mgmt'], safe: false });
  t.is(f.message, `DNS from VRF mgmt will fail: 127.0.0.53 (${s.resolvConf}) is served by python3 (udp 127.0.0.53%lo:53) bound to lo, which is in the default VRF`);
  t.is(f.fix, `edit ${s.resolvConf}: replace "nameserver 127.0.0.53" by a server reachable from mgmt`);
  // The fix, as an operator does it (seed 000): the upstream server instead of the stub.
  writeFileSync(s.resolvConf, readFileSync(s.resolvConf, 'utf8').replace('nameserver 127.0.0.53', 'nameserver 192.0.2.53'));
  t.deepEqual(ids(findings(s)), []);
  // A resolver bound to the VRF itself serves it: no finding with a loopback nameserver then.
  // (127.0.0.1 here: 127.0.0.1/8 on a VRF device makes only 127.0.0.1 local in the VRF, not .53.)
  resolver.kill();
  writeFileSync(s.resolvConf, 'nameserver 127.0.0.1\n');
  await listen(t, s.ns, [{ proto: 'udp', addr: '0.0.0.0', port: 53, dev: 'mgmt' }]);
  t.deepEqual(ids(findings(s)), []);
});

test.serial('tcp/udp/raw-l3mdev-accept: listeners in the default VRF with the sysctls 0; each sysctl fix clears its own finding', async (t) => {
  const s = scenario(t);
  baseState(s);
  setVrfSysctls(['net.ipv4.raw_l3mdev_accept=0'], { netns: s.ns });
  await listen(t, s.ns, [
    { proto: 'tcp', addr: '0.0.0.0', port: 8080 },
    { proto: 'udp', family: 6, addr: '::', port: 5000 },
    { proto: 'raw', addr: '0.0.0.0', port: 89 },
    // Loopback-only and VRF-bound listeners are not stranded: no finding for these.
    { proto: 'tcp', addr: '127.0.0.1', port: 9090 },
    { proto: 'udp', addr: '0.0.0.0', port: 6000, dev: 'mgmt' },
  ]);
  const list = findings(s);
  t.deepEqual(list.map((f) => [f.id, f.severity, f.fix]), [
    ['raw-l3mdev-accept', 'warning', `vrfctl -n ${s.ns} sysctl set net.ipv4.raw_l3mdev_accept=1`],
    ['tcp-l3mdev-accept', 'warning', `vrfctl -n ${s.ns} sysctl set net.ipv4.tcp_l3mdev_accept=1`],
    ['udp-l3mdev-accept', 'warning', `vrfctl -n ${s.ns} sysctl set net.ipv4.udp_l3mdev_accept=1`],
  ]);
  t.is(list[1].message, 'net.ipv4.tcp_l3mdev_accept is 0: python3 (tcp 0.0.0.0:8080) listens in the default VRF and cannot be reached through the ports of VRF mgmt');
  t.is(list[2].message, 'net.ipv4.udp_l3mdev_accept is 0: python3 (udp [::]:5000) listens in the default VRF and cannot be reached through the ports of VRF mgmt');
  t.is(list[0].message, 'net.ipv4.raw_l3mdev_accept is 0: python3 (raw 0.0.0.0:89) listens in the default VRF and cannot be reached through the ports of VRF mgmt');
  for (const [i, f] of list.entries()) {
    await runFix(f.fix);
    t.deepEqual(ids(findings(s)), ids(list.slice(i + 1)), `after ${f.fix}`);
  }
});

test.serial('ssh-session-on-port: the session arrives on a VRF port, sshd listens in the default VRF, tcp_l3mdev_accept 0; its fix clears it', async (t) => {
  const s = scenario(t);
  baseState(s);
  await listen(t, s.ns, [{ proto: 'tcp', addr: '0.0.0.0', port: 22 }]);
  const gather = { ...s.gather, sshConnection: '198.51.100.9 50022 192.0.2.2 22' };
  const list = diagnose(gather);
  // The session is the error; the same listener is also the tcp-l3mdev-accept warning.
  t.deepEqual(ids(list), ['ssh-session-on-port', 'tcp-l3mdev-accept']);
  t.like(list[0], { severity: 'error', vrfs: ['mgmt'], subject: '192.0.2.2:22', fix: `vrfctl -n ${s.ns} sysctl set net.ipv4.tcp_l3mdev_accept=1` });
  t.is(list[0].message, 'this SSH session arrives on eth0 (192.0.2.2), which is in VRF mgmt, but python3 (tcp 0.0.0.0:22) listens in the default VRF and net.ipv4.tcp_l3mdev_accept is 0: new SSH connections to 192.0.2.2 are refused');
  await runFix(list[0].fix);
  t.deepEqual(ids(diagnose(gather)), []);
});

test.serial('orphan-vrf-cgroup: a process started with `ip vrf exec red` outlives VRF red; moving it out clears it', async (t) => {
  const s = scenario(t);
  baseState(s);
  ipBatch(s.ns, `
    link add red type vrf table 2000
    link set red up`);
  const child = spawn('ip', ['-n', s.ns, 'vrf', 'exec', 'red', 'sleep', '600'], { stdio: 'ignore' });
  t.teardown(() => void child.kill());
  // ip execs sleep: same pid. Wait (by deadline, TCG is slow) until it sits in the VRF's cgroup.
  const deadline = Date.now() + 60_000;
  while (!readFileSync(`/proc/${child.pid}/cgroup`, 'utf8').includes('/vrf/red')) {
    if (Date.now() > deadline) throw new Error('ip vrf exec did not join the cgroup in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // red is bare (no port, loopback, defaults): only mgmt's findings, and the host-wide ones, matter here.
  t.deepEqual(ids(findings(s, ['mgmt'])), []);
  ip(s.ns, 'link', 'del', 'red');
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'orphan-vrf-cgroup', severity: 'error', vrfs: [] });
  t.regex(f.subject, new RegExp(`/${s.ns}-ns/vrf/red$`));
  t.is(f.message, `process ${child.pid} (sleep) runs in the cgroup of VRF red, which no longer exists: its new sockets are bound to a deleted device and cannot send or receive`);
  t.is(f.fix, `echo ${child.pid} > ${f.subject.replace(/\/vrf\/red$/, '')}/cgroup.procs`);
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
});

test.serial('seed 000 built right (management VRF, eth0 and its default route moved, local rule moved, loopback, tcp_l3mdev_accept, upstream DNS): no errors', async (t) => {
  const s = scenario(t);
  writeFileSync(join(s.iproute2Dir, 'rt_tables.d', 'mgmt.conf'), '1000 mgmt\n');
  setVrfSysctls(['net.ipv4.tcp_l3mdev_accept=1'], { netns: s.ns });
  // The seed's commands (ip link set … master for `vrf`), then the kernel documentation's unreachable defaults (seed 003).
  ipBatch(s.ns, `
    link set lo up
    link add eth0 type dummy
    addr add 157.245.160.132/20 dev eth0
    link set eth0 up
    route add default via 157.245.160.1 dev eth0
    link add mgmt type vrf table 1000
    link set mgmt up
    link set eth0 master mgmt
    route add vrf mgmt default via 157.245.160.1
    addr add dev mgmt 127.0.0.1/8
    addr add dev mgmt ::1/128
    route add unreachable default metric ${UNREACHABLE_METRIC} table 1000
    route add unreachable ::/0 metric ${UNREACHABLE_METRIC} table 1000` + MOVED_LOCAL_RULES);
  await listen(t, s.ns, [{ proto: 'tcp', addr: '0.0.0.0', port: 22 }]);
  const list = diagnose({ ...s.gather, sshConnection: '198.51.100.9 50022 157.245.160.132 22' });
  for (const f of list) t.log(`${f.severity} ${f.id}: ${f.message}`);
  t.deepEqual(list.filter((f) => f.severity === 'error').map((f) => f.id), []);
  // What remains is the port's IPv6 (it never had one here): a note, not a problem of the seed.
  t.deepEqual(ids(list), ['ipv6-addr-lost']);
});

test.serial('seed 001 built right (four VRFs, a default gateway each, rt_tables.d names, l3mdev_accept sysctls, services on INADDR_ANY; dummies for its bridges): no errors', async (t) => {
  const s = scenario(t);
  writeFileSync(join(s.iproute2Dir, 'rt_tables.d', 'vrf.conf'), '1 mgmt\n10 pub\n20 storacc\n30 storrepl\n');
  setVrfSysctls(['net.ipv4.tcp_l3mdev_accept=1', 'net.ipv4.udp_l3mdev_accept=1', 'net.ipv6.conf.all.keep_addr_on_down=1'], { netns: s.ns });
  const nets: Array<[string, number, string, string, string]> = [
    ['mgmt', 1, 'mgmtbr0', '192.168.0.10/24', '192.168.0.1'],
    ['pub', 10, 'pubbr0', '172.16.0.10/24', '172.16.0.1'],
    ['storacc', 20, 'storaccbr0', '10.10.4.10/24', '10.10.4.1'],
    ['storrepl', 30, 'storreplbr0', '10.10.5.10/24', '10.10.5.1'],
  ];
  ipBatch(s.ns, 'link set lo up\n' + nets.map(([vrf, table, port, addr, gw]) => `
    link add ${vrf} type vrf table ${table}
    link set ${vrf} up
    addr add 127.0.0.1/8 dev ${vrf}
    addr add ::1/128 dev ${vrf}
    route add unreachable default metric ${UNREACHABLE_METRIC} table ${table}
    route add unreachable ::/0 metric ${UNREACHABLE_METRIC} table ${table}
    link add ${port} type dummy
    link set ${port} master ${vrf}
    link set ${port} up
    addr add ${addr} dev ${port}
    route add table ${table} default via ${gw}`).join('\n'));
  await listen(t, s.ns, [{ proto: 'tcp', addr: '0.0.0.0', port: 22 }, { proto: 'udp', addr: '0.0.0.0', port: 123 }]);
  const list = findings(s);
  for (const f of list) t.log(`${f.severity} ${f.id}: ${f.message}`);
  t.deepEqual(list.filter((f) => f.severity === 'error').map((f) => f.id), []);
  // The seed keeps the local rule at pref 0 (a warning per family); nothing else.
  t.deepEqual(ids(list), ['local-rule-first', 'local-rule-first']);
});
