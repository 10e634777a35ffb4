// Host tests against the real kernel: the BPF program on a throwaway cgroup (bound to a
// veth, since the host has no vrf driver), and identify/pids on vrf/<name> cgroups.
import test from 'ava';
import { openSync, closeSync, constants, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import {
  VrfError, attachSockCreate, bindDevProgram, formatPids, identify, loadBindDevProgram, loadCgroupSockProgram, pids,
  querySockCreate,
} from '@vrfctl/vrf';
import { exists, firstLine, sh, startIn, stop, throwawayCgroup, waitForCgroup } from './exec-helpers.js';

function veth(t: { teardown: (f: () => void) => void }, suffix: string): { name: string; ifindex: number } {
  const name = `vx${suffix}${process.pid}`.slice(0, 15);
  const r = sh(`ip link add ${name} type veth peer name ${name.slice(0, 13)}p`);
  if (r.status !== 0) throw new Error(r.stderr);
  t.teardown(() => sh(`ip link del ${name}`));
  return { name, ifindex: Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')) };
}

function openDir(dir: string): number {
  return openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
}

test('bindDevProgram: four instructions storing ifindex at bound_dev_if and returning 1', (t) => {
  const p = bindDevProgram(0x01020304);
  t.is(p.length, 32);
  t.is(p.toString('hex'), [
    'b702000004030201', // r2 = 0x01020304
    '6321000000000000', // *(u32 *)(r1 + 0) = r2
    'b700000001000000', // r0 = 1
    '9500000000000000', // exit
  ].join(''));
  t.throws(() => bindDevProgram(0), { instanceOf: VrfError });
});

test('a verifier refusal comes back as a one-line reason', (t) => {
  const justExit = Buffer.from('9500000000000000', 'hex'); // r0 never set
  const err = t.throws(() => loadCgroupSockProgram(justExit), { instanceOf: VrfError });
  t.regex(err.message, /^failed to load BPF program: Permission denied: R0 !read_ok$/);
  t.is(err.errno, 13);
});

test.serial('the program loads, attaches (replacing, not stacking) and binds new sockets to the device', async (t) => {
  const dev = veth(t, 'b');
  const cg = throwawayCgroup();
  t.teardown(cg.remove);
  const fd = openDir(cg.dir);
  t.teardown(() => closeSync(fd));

  const prog = loadBindDevProgram(dev.ifindex);
  t.true(prog > 2);
  attachSockCreate(prog, fd);
  const [first, ...more] = querySockCreate(fd);
  t.deepEqual(more, []);
  t.true(typeof first === 'number' && first > 0);
  // Flags 0 as iproute2: a second attach replaces the program.
  const prog2 = loadBindDevProgram(dev.ifindex);
  attachSockCreate(prog2, fd);
  const after = querySockCreate(fd);
  t.is(after.length, 1);
  t.not(after[0], first);
  closeSync(prog);
  closeSync(prog2);

  // A listener created inside the cgroup is bound to the device: ss shows "addr%dev:port".
  const listen = 'require("net").createServer().listen(0, "127.0.0.1", function () { console.log(this.address().port) })';
  const child = startIn(cg.dir, [process.execPath, '-e', listen]);
  t.teardown(() => stop(child));
  const port = await firstLine(child);
  const ss = sh(`ss -Hltn 'sport = :${port}'`).stdout;
  t.regex(ss, new RegExp(`127\\.0\\.0\\.1%${dev.name}:${port}\\b`));
  // ...while one outside is not.
  const outside = sh('ss -Hltn').stdout.split('\n').filter((l) => l.includes('%') && !l.includes(`:${port} `));
  t.false(outside.some((l) => l.includes(`%${dev.name}:`)));
  await stop(child);
});

test.serial('identify() and pids() see a process in <cgroup>/vrf/<name>, and agree with ip vrf identify', async (t) => {
  const cg = throwawayCgroup();
  t.teardown(cg.remove);
  const name = `t${process.pid}`.slice(0, 15);
  const dir = posix.join(cg.dir, 'vrf', name);
  sh(`mkdir -p '${dir}'`);
  const child = startIn(dir, ['sleep', '60']);
  t.teardown(() => stop(child));
  const pid = child.pid ?? t.fail('no pid');
  await waitForCgroup(pid, (l) => l.endsWith(`/vrf/${name}`));
  await waitForComm(pid, 'sleep');

  t.is(identify(pid), name);
  t.is(identify(), '');
  t.is(sh(`ip vrf identify ${pid}`).stdout, `${name}\n`);

  const list = pids(name, { requireVrf: false });
  t.deepEqual(list, [{ pid, comm: 'sleep' }]);
  t.is(formatPids(list), `${String(pid).padStart(5)}  sleep\n`);
  t.deepEqual(pids(`${name}x`, { requireVrf: false }), []);
  // Without a VRF device of that name, pids refuses as `ip vrf pids` does.
  t.throws(() => pids(name), { instanceOf: VrfError, message: `VRF "${name}" does not exist` });

  await stop(child);
  t.deepEqual(pids(name, { requireVrf: false }), []);
  cg.remove();
  t.false(exists(cg.dir));
});

test('identify() of a process that does not exist fails like ip vrf identify', (t) => {
  t.throws(() => identify(0x3fffffff), { instanceOf: VrfError, message: 'Failed to lookup vrf association: No such file or directory' });
  const ip = sh(`ip vrf identify ${0x3fffffff}`);
  t.is(ip.stderr.trim(), 'Failed to lookup vrf association: No such file or directory');
});

test('formatPids marks a vanished process as iproute2 does', (t) => {
  t.is(formatPids([{ pid: 7, comm: undefined }, { pid: 123456, comm: 'ssh' }]), '    7  <terminated?>\n123456  ssh\n');
});

test('pids() with a bad name is refused before any lookup', (t) => {
  t.throws(() => pids('../x', { requireVrf: false }), { instanceOf: VrfError });
});

async function waitForComm(pid: number, comm: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${pid} never became ${comm}`);
}
