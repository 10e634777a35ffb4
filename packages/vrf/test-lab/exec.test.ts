// Lab tests (Debian 6.1 kernel with the vrf driver): `vrf exec/identify/pids` against a
// real VRF, and interop with iproute2's `ip vrf` in both directions.
import test from 'ava';
import { spawn } from 'node:child_process';
import { findCgroup2Mount, formatPids, identify, pids, vrfCgroupPath } from '@vrfctl/vrf';
import { firstLine, inheritedFds, run, sh, stop, tsArgv, waitForCgroup } from '../test/exec-helpers.js';

const VRF = 'mgmt';
const PEER_NS = 'peer';
const PORT = 7777;

function must(script: string): void {
  const r = sh(script);
  if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
}

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
  must(`ip link add ${VRF} type vrf table 1000 && ip link set ${VRF} up`);
  // vv0 (10.1.1.1) is in the VRF; its peer (10.1.1.2) in another netns. The connected route
  // goes to table 1000 only, so 10.1.1.2 is reachable from inside the VRF and nowhere else.
  must(`ip netns add ${PEER_NS} && ip link add vv0 type veth peer name vv1 && ip link set vv1 netns ${PEER_NS}`);
  must(`ip link set vv0 master ${VRF} && ip addr add 10.1.1.1/24 dev vv0 && ip link set vv0 up`);
  must(`ip -n ${PEER_NS} addr add 10.1.1.2/24 dev vv1 && ip -n ${PEER_NS} link set vv1 up && ip -n ${PEER_NS} link set lo up`);
  must('ip link add d0 type dummy');
  must('ip netns add n1 && ip -n n1 link add v2 type vrf table 2 && ip -n n1 link set v2 up');
});

const inVrf = (argv: readonly string[], name = VRF): string[] =>
  tsArgv(`try { process.exit(vrf.execInVrf(${JSON.stringify(name)}, ${JSON.stringify(argv)})) } catch (e) { console.error(e.message); process.exit(255) }`);

test.serial('same cgroup as ip vrf exec, and vrfCgroupPath names it', (t) => {
  const theirs = run(['ip', 'vrf', 'exec', VRF, 'cat', '/proc/self/cgroup']);
  const ours = run(inVrf(['cat', '/proc/self/cgroup']));
  t.is(theirs.stdout, `0::/vrf/${VRF}\n`);
  t.is(ours.stdout, theirs.stdout, ours.stderr);
  t.is(vrfCgroupPath(VRF), `${findCgroup2Mount()}/vrf/${VRF}`);
});

test.serial('ours seen by theirs: ip vrf identify/pids find a process started by execInVrf', async (t) => {
  const child = spawn(inVrf(['sleep', '60'])[0]!, inVrf(['sleep', '60']).slice(1), { stdio: 'ignore' });
  t.teardown(() => stop(child));
  const pid = child.pid!;
  await waitForCgroup(pid, (l) => l === `0::/vrf/${VRF}`);
  await waitForExec(pid, 'sleep');
  t.is(sh(`ip vrf identify ${pid}`).stdout, `${VRF}\n`);
  t.regex(sh(`ip vrf pids ${VRF}`).stdout, new RegExp(`^\\s*${pid}  sleep$`, 'm'));
  t.is(identify(pid), VRF);
  t.deepEqual(pids(VRF), [{ pid, comm: 'sleep' }]);
  await stop(child);
});

test.serial('theirs seen by ours: identify/pids find a process started by ip vrf exec', async (t) => {
  const child = spawn('ip', ['vrf', 'exec', VRF, 'sleep', '60'], { stdio: 'ignore' });
  t.teardown(() => stop(child));
  const pid = child.pid!;
  await waitForCgroup(pid, (l) => l === `0::/vrf/${VRF}`);
  await waitForExec(pid, 'sleep');
  t.is(identify(pid), VRF);
  t.deepEqual(pids(VRF), [{ pid, comm: 'sleep' }]);
  t.is(formatPids(pids(VRF)), sh(`ip vrf pids ${VRF}`).stdout);
  await stop(child);
});

test.serial('sockets of the exec\'d command are bound to the VRF: 10.1.1.2 reachable only through it', async (t) => {
  const serve = `require("net").createServer((s) => s.end("hello")).listen(${PORT}, "10.1.1.2", () => console.log("up"))`;
  const server = spawn('ip', ['netns', 'exec', PEER_NS, process.execPath, '-e', serve], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => stop(server));
  t.is(await firstLine(server), 'up');
  const client = `const s = require("net").connect(${PORT}, "10.1.1.2"); s.on("data", (d) => process.stdout.write(d)); s.on("error", (e) => { console.log(e.code); process.exit(1) })`;

  const plain = run([process.execPath, '-e', client]);
  t.is(plain.stdout.trim(), 'ENETUNREACH');
  const viaUs = run(inVrf([process.execPath, '-e', client]));
  t.deepEqual([viaUs.status, viaUs.stdout], [0, 'hello'], viaUs.stderr);
  const viaThem = run(['ip', 'vrf', 'exec', VRF, process.execPath, '-e', client]);
  t.deepEqual([viaThem.status, viaThem.stdout], [0, 'hello']);
  // Inside, the command can ask iproute2 where it is.
  t.is(run(inVrf(['ip', 'vrf', 'identify'])).stdout, `${VRF}\n`);
  await stop(server);
});

test.serial('under ip netns exec: the same <netns>-ns/vrf/<name> cgroup as iproute2', (t) => {
  const theirs = run(['ip', 'netns', 'exec', 'n1', 'ip', 'vrf', 'exec', 'v2', 'cat', '/proc/self/cgroup']);
  const ours = run(['ip', 'netns', 'exec', 'n1', ...inVrf(['cat', '/proc/self/cgroup'], 'v2')]);
  t.is(theirs.stdout, '0::/n1-ns/vrf/v2\n');
  t.is(ours.stdout, theirs.stdout, ours.stderr);
  t.is(run(['ip', 'netns', 'exec', 'n1', ...inVrf(['ip', 'vrf', 'identify'], 'v2')]).stdout, 'v2\n');
  // mgmt is not a device in n1.
  const wrong = run(['ip', 'netns', 'exec', 'n1', ...inVrf(['true'], VRF)]);
  t.deepEqual([wrong.status, wrong.stderr], [255, `VRF "${VRF}" does not exist\n`]);
});

test.serial('"default" leaves the VRF, as ip vrf exec default does', (t) => {
  const ours = run(['ip', 'vrf', 'exec', VRF, ...inVrf(['cat', '/proc/self/cgroup'], 'default')]);
  const theirs = run(['ip', 'vrf', 'exec', VRF, 'ip', 'vrf', 'exec', 'default', 'cat', '/proc/self/cgroup']);
  t.is(theirs.stdout, '0::/vrf\n');
  t.is(ours.stdout, theirs.stdout, ours.stderr);
});

test.serial('exec in a VRF: no descriptor leaks, exit codes pass through, failures are clear', (t) => {
  t.is(run(inVrf(['ls', '/proc/self/fd'])).stdout, inheritedFds());
  t.is(run(inVrf(['sh', '-c', 'exit 42'])).status, 42);
  const missing = run(inVrf(['/nonexistent']));
  t.deepEqual([missing.status, missing.stderr], [127, 'vrfctl: exec: /nonexistent: No such file or directory\n']);
  const dummy = run(inVrf(['true'], 'd0'));
  t.deepEqual([dummy.status, dummy.stderr], [255, '"d0" is not a VRF device (driver dummy)\n']);
  const none = run(inVrf(['true'], 'nosuch'));
  t.deepEqual([none.status, none.stderr], [255, 'VRF "nosuch" does not exist\n']);
  const traversal = run(inVrf(['true'], '../x'));
  t.is(traversal.status, 255);
  t.regex(traversal.stderr, /^invalid VRF name "\.\.\/x"/);
});

async function waitForExec(pid: number, comm: string): Promise<void> {
  // Generous: a Node child under TCG takes seconds to get to execvp.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (sh(`cat /proc/${pid}/comm`).stdout.trim() === comm) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${pid} never became ${comm}`);
}
