// Host tests (no vrf driver here): names, cgroup paths, and the exec step itself.
import test from 'ava';
import { posix } from 'node:path';
import {
  VrfError, findCgroup2Mount, validateNewVrfName, validateVrfName, vrfBaseCgroup, vrfCgroupPath, vrfDeviceIndex,
} from '@vrfctl/vrf';
import { inheritedFds, run, sh, startIn, throwawayCgroup, firstLine, stop, tsArgv } from './exec-helpers.js';

test('validateVrfName accepts device names of 1..15 bytes', (t) => {
  for (const ok of ['mgmt', 'a', 'x'.repeat(15), 'vrf-blue_1.0', 'default', '...']) t.is(validateVrfName(ok), ok);
});

test('validateVrfName refuses what no device can be called', (t) => {
  const bad = ['', 'x'.repeat(16), 'é'.repeat(8), 'a/b', '/', '.', '..', '../../x', 'a b', 'a\tb', 'a\nb', 'a\0b', 'a:b'];
  for (const name of bad) t.throws(() => validateVrfName(name), { instanceOf: VrfError }, JSON.stringify(name));
});

test('validateNewVrfName also refuses "default"', (t) => {
  t.throws(() => validateNewVrfName('default'), { instanceOf: VrfError, message: /reserved/ });
  t.is(validateNewVrfName('mgmt'), 'mgmt');
});

test('vrfCgroupPath never leaves <cgroup>/vrf/', (t) => {
  for (const name of ['../../x', 'a/b', '..', '.', '../vrf']) {
    t.throws(() => vrfCgroupPath(name), { instanceOf: VrfError }, name);
  }
  const mnt = findCgroup2Mount() ?? t.fail('no cgroup2 mount');
  const p = vrfCgroupPath('mgmt');
  t.is(posix.basename(p), 'mgmt');
  t.is(posix.basename(posix.dirname(p)), 'vrf');
  t.true(p.startsWith(`${mnt}/`));
  t.is(vrfCgroupPath('default'), posix.dirname(p));
});

test('vrfBaseCgroup cuts like iproute2', (t) => {
  t.is(vrfBaseCgroup('/', ''), '/');
  t.is(vrfBaseCgroup('/vrf', ''), '/');
  t.is(vrfBaseCgroup('/vrf/mgmt', ''), '/');
  t.is(vrfBaseCgroup('/user.slice/s-1.scope', ''), '/user.slice/s-1.scope');
  t.is(vrfBaseCgroup('/a/vrf/mgmt', ''), '/a');
  t.is(vrfBaseCgroup('/a/vrfd.service', ''), '/a'); // iproute2 cuts at any "/vrf"
  t.is(vrfBaseCgroup('/blue-ns/vrf/mgmt', 'blue-ns'), '/');
  t.is(vrfBaseCgroup('/a/blue-ns', 'blue-ns'), '/a');
  t.is(vrfBaseCgroup('/a/red-ns', 'blue-ns'), '/a/red-ns');
});

test.serial('vrfCgroupPath follows the calling process: its cgroup, not nested in vrf/', async (t) => {
  const cg = throwawayCgroup();
  t.teardown(cg.remove);
  const print = tsArgv('console.log(vrf.vrfCgroupPath("mgmt")); setInterval(() => {}, 1000);');
  for (const [where, expected] of [
    [cg.dir, `${cg.dir}/vrf/mgmt`],
    [`${cg.dir}/vrf/other`, `${cg.dir}/vrf/mgmt`],
    [`${cg.dir}/vrf`, `${cg.dir}/vrf/mgmt`],
  ] as const) {
    sh(`mkdir -p '${where}'`);
    const child = startIn(where, print);
    try {
      t.is(await firstLine(child), expected, where);
    } finally {
      await stop(child);
    }
  }
});

test.serial('in a named netns the path gets "<netns>-ns/", as with ip netns exec', (t) => {
  const ns = `vrfctl-t${process.pid}`;
  t.is(sh(`ip netns add ${ns}`).status, 0);
  t.teardown(() => sh(`ip netns del ${ns}`));
  // ip netns exec remounts /sys, so no cgroup2 is visible: like iproute2 we mount one.
  const r = run(['ip', 'netns', 'exec', ns, ...tsArgv('console.log(vrf.vrfCgroupPath("mgmt", { mount: true }))')]);
  t.is(r.status, 0, r.stderr);
  const own = sh('sed -n "s/^0:://p" /proc/self/cgroup').stdout.trim();
  const base = own === '/' ? '' : own.replace(/\/vrf.*$/, '');
  t.is(r.stdout.trim(), posix.join('/var/run/cgroup2', base, `${ns}-ns`, 'vrf', 'mgmt'));
});

test('vrfDeviceIndex: a missing device and a non-VRF device are refused clearly', (t) => {
  t.throws(() => vrfDeviceIndex('vrfctl-nosuch'), { instanceOf: VrfError, message: 'VRF "vrfctl-nosuch" does not exist' });
  t.throws(() => vrfDeviceIndex('lo'), { instanceOf: VrfError, message: '"lo" is not a VRF device' });
  const veth = `vxt${process.pid}`;
  t.is(sh(`ip link add ${veth} type veth peer name ${veth}p`).status, 0);
  t.teardown(() => sh(`ip link del ${veth}`));
  t.throws(() => vrfDeviceIndex(veth), { instanceOf: VrfError, message: `"${veth}" is not a VRF device (driver veth)` });
});

test('execInVrf refuses a device that is not a VRF before touching anything', (t) => {
  const r = run(tsArgv('try { vrf.execInVrf("lo", ["true"]) } catch (e) { console.log(e.message); process.exit(3) }'));
  t.is(r.status, 3);
  t.is(r.stdout.trim(), '"lo" is not a VRF device');
});

test('execCommand replaces the process: the exit status is the command\'s', (t) => {
  const r = run(tsArgv('process.exit(vrf.execCommand(["sh", "-c", "echo out; echo err >&2; exit 7"]))'));
  t.deepEqual([r.status, r.stdout, r.stderr], [7, 'out\n', 'err\n']);
});

test('execCommand: a signal that kills the command kills "us"', (t) => {
  const r = run(tsArgv('process.exit(vrf.execCommand(["sh", "-c", "kill -TERM $$"]))'));
  t.is(r.signal, 'SIGTERM');
  t.is(r.status, null);
});

test('execCommand: the pid stays the same (exec, not spawn)', (t) => {
  const r = run(tsArgv('console.log(process.pid); process.exit(vrf.execCommand(["sh", "-c", "echo $$"]))'));
  const [before, after] = r.stdout.trim().split('\n');
  t.truthy(before);
  t.is(after, before);
});

test('execCommand: not found is 127 with a shell-like message', (t) => {
  const r = run(tsArgv('process.exit(vrf.execCommand(["vrfctl-no-such-command", "x"]))'));
  t.is(r.status, 127);
  t.is(r.stderr, 'vrfctl: exec: vrfctl-no-such-command: No such file or directory\n');
  const d = run(tsArgv('process.exit(vrf.execCommand(["/"]))'));
  t.is(d.status, 126);
  t.is(d.stderr, 'vrfctl: exec: /: Permission denied\n');
});

test('execCommand: stdio is inherited and no other descriptor leaks', (t) => {
  const baseline = inheritedFds();
  t.regex(baseline, /^0\n1\n2\n/);
  // ls lists its own descriptors: what it inherited plus the one it reads the directory with.
  const r = run(tsArgv('process.exit(vrf.execCommand(["ls", "/proc/self/fd"]))'));
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, baseline);
});

test('execCommand: the command gets default SIGPIPE/SIGXFSZ, not Node\'s SIG_IGN', (t) => {
  const r = run(tsArgv('process.exit(vrf.execCommand(["sh", "-c", "sed -n \'s/^SigIgn:\\\\t//p\' /proc/$$/status"]))'));
  t.is(r.status, 0, r.stderr);
  const ignored = BigInt(`0x${r.stdout.trim()}`);
  t.is(ignored & (1n << 12n), 0n, 'SIGPIPE');
  t.is(ignored & (1n << 24n), 0n, 'SIGXFSZ');
});

test('execCommand refuses an empty argv', (t) => {
  const r = run(tsArgv('try { vrf.execCommand([]) } catch (e) { console.log(e.message) }'));
  t.is(r.stdout.trim(), 'no command specified');
});
