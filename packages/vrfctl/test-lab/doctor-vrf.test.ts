// doctor in the lab (vrf driver): one scenario per finding about VRF devices, tables, rules and
// routes. Each builds a correct VRF with ip, breaks one thing as an operator would, checks that
// doctor reports exactly that finding with its fix, runs the fix as printed (or --fix), and
// checks the finding is gone. Serial, one guest: see doctor-helpers.ts for where time goes.
import test from 'ava';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_DOCTOR_ERRORS, EXIT_REFUSED } from 'vrfctl';
import { MOVED_LOCAL_RULES, UNREACHABLE_METRIC, baseState, doctorFix, doctorFixRaw, findings, goodVrf, ids, ip, ipBatch, requireLab, runFix, scenario } from './doctor-helpers.js';

test.before(requireLab);

test.serial('the base state (a VRF built right with ip) has no findings', (t) => {
  const s = scenario(t);
  baseState(s);
  t.deepEqual(findings(s).map((f) => `${f.id}: ${f.message}`), []);
});

test.serial('vrf-down: VRF set down; `link set up` clears it (and --fix puts back the ::1 the kernel dropped)', async (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'link', 'set', 'mgmt', 'down');
  // The kernel deletes a loopback address (::1) of a device going down even with keep_addr_on_down=1.
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => [x.id, x.subject]), [['vrf-no-loopback', 'mgmt inet6']]);
  t.like(f, { id: 'vrf-down', severity: 'error', vrfs: ['mgmt'], fix: `vrfctl -n ${s.ns} link set mgmt up`, safe: true });
  t.is(f.message, 'VRF mgmt is down: nothing is routed in table 1000 and its ports pass no traffic for it');
  await runFix(f.fix);
  t.deepEqual(findings(s).map((x) => [x.id, x.subject]), [['vrf-no-loopback', 'mgmt inet6']]);
  t.deepEqual(doctorFix(s).json.findings, []);
});

test.serial('vrf-no-ports: a VRF with no port; enslaving one (the fix with DEV filled in) clears it', async (t) => {
  const s = scenario(t);
  ipBatch(s.ns, goodVrf(s, 'mgmt', 1000, 'eth0', '192.0.2.2/24', '2001:db8::2/64') + MOVED_LOCAL_RULES + `
    link set eth0 nomaster
    link add eth1 type dummy
    link set eth1 up`);
  const [f, ...rest] = findings(s, ['mgmt']);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'vrf-no-ports', severity: 'warning', fix: `vrfctl -n ${s.ns} enslave mgmt DEV`, safe: false });
  await runFix(f.fix.replace('DEV', 'eth1'));
  t.deepEqual(ids(findings(s)), []);
});

test.serial('port-down: a port set down; --fix sets it up', (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'link', 'set', 'eth0', 'down');
  const list = findings(s);
  t.deepEqual(list.map((f) => [f.id, f.severity, f.subject, f.fix, f.safe]), [['port-down', 'warning', 'eth0', `vrfctl -n ${s.ns} link set eth0 up`, true]]);
  const r = doctorFix(s);
  t.deepEqual([r.code, r.json.fixed, r.json.findings], [0, ['~ link eth0 up'], []]);
});

test.serial('vrf-no-loopback: 127.0.0.1/8 and ::1 removed; the IPv4 fix command, then --fix for IPv6', async (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'addr', 'del', '127.0.0.1/8', 'dev', 'mgmt');
  ip(s.ns, '-6', 'addr', 'del', '::1/128', 'dev', 'mgmt');
  const list = findings(s);
  t.deepEqual(list.map((f) => [f.id, f.subject, f.fix]), [
    ['vrf-no-loopback', 'mgmt inet', `vrfctl -n ${s.ns} addr add 127.0.0.1/8 dev mgmt`],
    ['vrf-no-loopback', 'mgmt inet6', `vrfctl -n ${s.ns} addr add ::1/128 dev mgmt`],
  ]);
  t.regex(list[0].message, /^VRF mgmt has no 127\.0\.0\.1\/8: from inside mgmt, 127\.0\.0\.1 and 127\.0\.0\.53 are not local/);
  await runFix(list[0].fix);
  t.regex(ip(s.ns, 'addr', 'show', 'mgmt'), /inet 127\.0\.0\.1\/8 scope host/);
  t.deepEqual(findings(s).map((f) => f.subject), ['mgmt inet6']);
  t.deepEqual(doctorFix(s).json.findings, []);
});

test.serial('vrf-no-unreachable-default: both families, an error each (main has routes to leak to); each fix command adds it back', async (t) => {
  const s = scenario(t);
  baseState(s);
  // Without the unreachable defaults a network of the default VRF is where mgmt's lookups end up.
  ipBatch(s.ns, `
    link add eth1 type dummy
    link set eth1 up
    addr add 198.51.100.2/24 dev eth1
    addr add 2001:db8:1::2/64 dev eth1 nodad`);
  ip(s.ns, 'route', 'del', 'unreachable', 'default', 'metric', String(UNREACHABLE_METRIC), 'table', '1000');
  ip(s.ns, '-6', 'route', 'del', 'unreachable', 'default', 'metric', String(UNREACHABLE_METRIC), 'table', '1000');
  const list = findings(s);
  t.deepEqual(list.map((f) => [f.id, f.severity, f.fix]), [
    ['vrf-no-unreachable-default', 'error', `vrfctl -n ${s.ns} route add unreachable default metric ${UNREACHABLE_METRIC} vrf mgmt`],
    ['vrf-no-unreachable-default', 'error', `vrfctl -n ${s.ns} -6 route add unreachable default metric ${UNREACHABLE_METRIC} vrf mgmt`],
  ]);
  t.is(list[0].message, "table 1000 of VRF mgmt has no IPv4 default route: lookups that miss it fall through to the next rules (the main table), so mgmt's IPv4 traffic leaks into the default VRF (out of eth1)");
  for (const f of list) await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
  t.regex(ip(s.ns, '-6', 'route', 'show', 'table', '1000'), /^unreachable default dev lo metric 4278198272/m);
});

test.serial('table-unnamed: the rt_tables.d entry removed; the echo line, then --fix, name it', async (t) => {
  const s = scenario(t);
  baseState(s);
  const file = join(s.iproute2Dir, 'rt_tables.d', 'mgmt.conf');
  rmSync(file);
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'table-unnamed', severity: 'note', subject: '1000', fix: `echo '1000 mgmt' > ${file}`, safe: true });
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
  rmSync(file);
  const r = doctorFix(s);
  t.deepEqual([r.json.fixed, r.json.findings], [['+ rt_tables.d/mgmt.conf: 1000 mgmt'], []]);
});

test.serial('duplicate-table: a second VRF on table 1000 (strict_mode 0); the fix moves it to a free table and sets strict_mode', async (t) => {
  const s = scenario(t);
  baseState(s);
  ipBatch(s.ns, `
    link add blue type vrf table 1000
    link set blue up
    addr add 127.0.0.1/8 dev blue
    addr add ::1/128 dev blue
    link add eth1 type dummy
    link set eth1 master blue
    link set eth1 up`);
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'duplicate-table', severity: 'error', vrfs: ['mgmt', 'blue'], subject: '1000' });
  t.is(f.message, 'VRFs mgmt and blue share table 1000 (net.vrf.strict_mode is 0): their routes mix, each reaches the other\'s networks and neither is isolated');
  const v = (w: string) => `vrfctl -n ${s.ns} ${w}`;
  t.is(f.fix, `${v('del blue')} && ${v('add blue table 1001 --loopback')} && ${v('sysctl set net.vrf.strict_mode=1')}`);
  await runFix(f.fix);
  const after = findings(s);
  t.false(ids(after).includes('duplicate-table'));
  // What the hint says is left: blue has no port any more and its new table has no name yet.
  t.deepEqual(ids(after), ['vrf-no-ports', 'table-unnamed']);
});

test.serial('local-rule-first: the local rule back at pref 0; `rule fixup` moves it', async (t) => {
  const s = scenario(t);
  baseState(s);
  ipBatch(s.ns, `
    rule add pref 0 table local
    rule del pref 32765`);
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'local-rule-first', severity: 'warning', subject: 'inet', fix: `vrfctl -n ${s.ns} rule fixup`, safe: true });
  t.regex(f.message, /^the IPv4 local rule is at pref 0, before the l3mdev rule \(1000\)/);
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
});

test.serial('l3mdev-rule-missing: the l3mdev rule deleted; --fix adds it back', (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'rule', 'del', 'pref', '1000');
  const list = findings(s);
  t.deepEqual(list.map((f) => [f.id, f.severity, f.subject, f.fix]), [['l3mdev-rule-missing', 'error', 'inet', `vrfctl -n ${s.ns} rule fixup`]]);
  const r = doctorFix(s);
  t.deepEqual([r.code, r.json.findings], [0, []]);
  t.regex(ip(s.ns, 'rule', 'show'), /^1000:\tfrom all lookup \[l3mdev-table\]/m);
});

test.serial('rule-empty-table: a rule to a table with no routes; its rule del clears it', async (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'rule', 'add', 'pref', '100', 'from', '198.51.100.0/24', 'lookup', '300');
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'rule-empty-table', severity: 'warning', fix: `vrfctl -n ${s.ns} rule del pref 100 from 198.51.100.0/24 lookup 300` });
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
});

test.serial('main-default-via-port: a default route left in main through the port; the fix moves it into the VRF', async (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth0', 'onlink');
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'main-default-via-port', severity: 'error', vrfs: ['mgmt'] });
  t.regex(f.message, /^the main table's default route \(default via 192\.0\.2\.1 dev eth0\) goes out eth0, a port of VRF mgmt/);
  t.is(f.fix, `vrfctl -n ${s.ns} route add default via 192.0.2.1 dev eth0 vrf mgmt && vrfctl -n ${s.ns} route del default via 192.0.2.1 dev eth0`);
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
  t.regex(ip(s.ns, 'route', 'show', 'vrf', 'mgmt'), /^default via 192\.0\.2\.1 dev eth0/m);
  t.is(ip(s.ns, 'route', 'show', 'default'), '');
});

test.serial('route-via-outside-dev: a route in the VRF table through a device of the default VRF is a note; route del clears it', async (t) => {
  const s = scenario(t);
  baseState(s);
  ipBatch(s.ns, `
    link add eth1 type dummy
    link set eth1 up
    route add 10.9.0.0/16 dev eth1 table 1000`);
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'route-via-outside-dev', severity: 'note', fix: `vrfctl -n ${s.ns} route del 10.9.0.0/16 dev eth1 table 1000` });
  t.is(f.message, 'route 10.9.0.0/16 dev eth1 in table 1000 of VRF mgmt leaves through eth1, which is in the default VRF: traffic leaks out of mgmt (fine if that is the intent)');
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
});

test.serial('ipv6-addr-lost: a port enslaved with keep_addr_on_down 0 loses its IPv6 address; the sysctl fix clears it', async (t) => {
  const s = scenario(t);
  ipBatch(s.ns, goodVrf(s, 'mgmt', 1000, 'eth0', '192.0.2.2/24', '2001:db8::2/64') + MOVED_LOCAL_RULES + `
    link add eth1 type dummy
    addr add 198.51.100.2/24 dev eth1
    addr add 2001:db8:1::2/64 dev eth1 nodad
    link set eth1 up
    link set eth1 master mgmt`);
  t.notRegex(ip(s.ns, 'addr', 'show', 'eth1'), /2001:db8:1::2/);
  const [f, ...rest] = findings(s);
  t.deepEqual(rest.map((x) => x.id), []);
  t.like(f, { id: 'ipv6-addr-lost', severity: 'note', subject: 'eth1', fix: `vrfctl -n ${s.ns} sysctl set net.ipv6.conf.all.keep_addr_on_down=1` });
  await runFix(f.fix);
  t.deepEqual(ids(findings(s)), []);
});

test.serial('--fix with several safe findings at once: one rollback-capable run clears them all, exit 0', (t) => {
  const s = scenario(t);
  baseState(s);
  rmSync(join(s.iproute2Dir, 'rt_tables.d', 'mgmt.conf'));
  // IPv6 first: ip runs -6 lines after the others, and a VRF set down has no ::1 left to delete.
  ipBatch(s.ns, `
    -6 addr del ::1/128 dev mgmt
    -6 route del unreachable default metric ${UNREACHABLE_METRIC} table 1000`);
  ipBatch(s.ns, `
    link set eth0 down
    rule del pref 1000
    link set mgmt down`);
  const before = findings(s);
  t.deepEqual(ids(before).sort(), ['l3mdev-rule-missing', 'port-down', 'table-unnamed', 'vrf-down', 'vrf-no-loopback', 'vrf-no-unreachable-default'].sort());
  const r = doctorFix(s);
  t.is(r.code, 0);
  t.deepEqual(r.json.findings, []);
  t.deepEqual(r.json.fixed, [
    '~ link mgmt up', '~ link eth0 up', '+ address ::1/128 dev mgmt', `+ route unreachable default (IPv6) metric ${UNREACHABLE_METRIC} table 1000`,
    '~ rules IPv4: l3mdev at pref 1000, local at pref 32765', '+ rt_tables.d/mgmt.conf: 1000 mgmt',
  ]);
});

test.serial('--fix leaves unsafe fixes alone and exits EXIT_DOCTOR_ERRORS while errors remain', (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth0', 'onlink');
  ip(s.ns, 'addr', 'del', '127.0.0.1/8', 'dev', 'mgmt');
  const r = doctorFix(s);
  t.deepEqual(r.json.fixed, ['+ address 127.0.0.1/8 dev mgmt']);
  t.deepEqual(r.json.findings.map((f) => f.id), ['main-default-via-port']);
  t.is(r.code, EXIT_DOCTOR_ERRORS);
});

test.serial('--fix rolls back: when a later fix fails, the ones done are undone and the exit is EXIT_REFUSED', (t) => {
  const s = scenario(t);
  baseState(s);
  ip(s.ns, 'link', 'set', 'eth0', 'down');
  ip(s.ns, 'rule', 'del', 'pref', '1000');
  // The table name cannot be written: its rt_tables.d is a file, not a directory.
  rmSync(join(s.iproute2Dir, 'rt_tables.d'), { recursive: true });
  writeFileSync(join(s.iproute2Dir, 'rt_tables.d'), '');
  const before = findings(s);
  t.deepEqual(ids(before), ['l3mdev-rule-missing', 'port-down', 'table-unnamed']);
  const stderr: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((c: string) => (stderr.push(String(c)), true)) as typeof process.stderr.write;
  let r;
  try {
    r = doctorFixRaw(s);
  } finally {
    process.stderr.write = write;
  }
  t.is(r.code, EXIT_REFUSED);
  t.is(r.stdout, '');
  // Other lab files change the host at the same time: a wait for the host lock is said first.
  const said = stderr.join('').replace(/^vrfctl: doctor: waiting for \/run\/vrfctl\/lock: another vrfctl is changing this host\n/m, '');
  t.regex(said, /^vrfctl: doctor: fix 3 \(name table 1000 "mgmt"\): .*\nvrfctl: doctor: rolled back 2 of 2 completed fixes; the host is as it was\n$/);
  // eth0 down again, the l3mdev rule gone again: what doctor saw before, unchanged.
  t.deepEqual(findings(s).map((f) => [f.id, f.subject]), before.map((f) => [f.id, f.subject]));
});
