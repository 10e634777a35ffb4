// #19 item 9 end to end: `vrfctl exec` made the VRF cgroup under the caller's own cgroup and used
// existing directories as they were, so with a cgroup delegated to nobody, nobody could move a
// process of `vrfctl exec red` out of the VRF (identify went from red to nothing), and a vrf/red
// directory pre-made by nobody was used as is. Now: from a delegated subtree exec is refused and
// nothing is made under it; a foreign vrf/<name> is refused; in root's own tree nobody cannot move
// the exec'd process out.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { findCgroup2Mount } from '@vrfctl/vrf';
import { EXIT_REFUSED } from '../src/errors.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');
const NOBODY = 65534;

function must(...argv: string[]): void {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

/** argv run from inside cgroup dir (the shell joins it, then execs argv). */
function runIn(dir: string, argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', dir, ...argv], { encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const vrfctl = (...args: string[]): string[] => [process.execPath, BIN, ...args];

let mnt = '';
test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
  const m = findCgroup2Mount();
  if (m === undefined) throw new Error('no cgroup2 mount in the lab');
  mnt = m;
  for (const [name, table] of [['esc1', '1101'], ['esc2', '1102']] as const) {
    must('ip', 'link', 'add', name, 'type', 'vrf', 'table', table);
    must('ip', 'link', 'set', name, 'up');
  }
});

test.serial('from a cgroup delegated to nobody, exec is refused and no VRF cgroup is made under the delegated subtree', (t) => {
  // Delegated as systemd and the cgroup v2 documentation do: the directory and its interface files.
  // (Its name must not start with "vrf": iproute2, and we with it, cut the own cgroup at "/vrf".)
  const deleg = join(mnt, 'lab-deleg.slice');
  mkdirSync(deleg);
  t.teardown(() => rmSync(join(deleg, 'vrf'), { recursive: true, force: true }));
  for (const f of ['', 'cgroup.procs', 'cgroup.subtree_control', 'cgroup.threads']) chownSync(join(deleg, f), NOBODY, NOBODY);
  const r = runIn(deleg, vrfctl('exec', 'esc1', '--', 'cat', '/proc/self/cgroup'));
  t.is(r.status, EXIT_REFUSED, r.stdout + r.stderr);
  t.is(r.stdout, '', 'the command ran');
  t.regex(r.stderr, /^vrfctl: exec[^:]*: refusing VRF cgroup \S+\/lab-deleg\.slice\/vrf\/esc1: \S+\/lab-deleg\.slice is owned by uid 65534 /);
  t.is(r.stderr.trim().split('\n').length, 1);
  t.false(existsSync(join(deleg, 'vrf')), 'a vrf/ directory was made under the delegated subtree');
  // Back in root's own cgroup the same exec works, in <mount>/vrf/esc1 as ip vrf exec puts it.
  const ok = runIn(mnt, vrfctl('exec', 'esc1', '--', 'cat', '/proc/self/cgroup'));
  t.is(ok.status, 0, ok.stderr);
  t.is(ok.stdout, '0::/vrf/esc1\n');
});

test.serial('a vrf/<name> directory pre-made by nobody is refused, not used', (t) => {
  const premade = join(mnt, 'vrf', 'esc2');
  mkdirSync(premade, { recursive: true, mode: 0o755 });
  chownSync(premade, NOBODY, NOBODY);
  const r = runIn(mnt, vrfctl('exec', 'esc2', '--', 'cat', '/proc/self/cgroup'));
  t.is(r.status, EXIT_REFUSED, r.stdout + r.stderr);
  t.is(r.stdout, '', 'the command ran in the foreign directory');
  t.regex(r.stderr, /^vrfctl: exec[^:]*: refusing VRF cgroup \S+\/vrf\/esc2: \S+\/vrf\/esc2 is owned by uid 65534 /);
  // Once root owns it again, exec uses it.
  chownSync(premade, 0, 0);
  const ok = runIn(mnt, vrfctl('exec', 'esc2', '--', 'cat', '/proc/self/cgroup'));
  t.is(ok.status, 0, ok.stderr);
  t.is(ok.stdout, '0::/vrf/esc2\n');
});

test.serial('nobody cannot move a process of vrfctl exec out of the VRF: identify still says esc1', async (t) => {
  const child = spawn('sh', ['-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"', mnt, ...vrfctl('exec', 'esc1', '--', 'sleep', '600')], { stdio: 'ignore' });
  t.teardown(() => child.kill('SIGKILL'));
  const pid = String(child.pid);
  // Under TCG node takes seconds to get to execvp.
  const deadline = Date.now() + 120_000;
  while (spawnSync('cat', [`/proc/${pid}/comm`], { encoding: 'utf8' }).stdout.trim() !== 'sleep') {
    if (Date.now() > deadline) throw new Error('vrfctl exec never ran sleep');
    await new Promise((r) => setTimeout(r, 100));
  }
  t.is(spawnSync(process.execPath, [BIN, 'identify', pid], { encoding: 'utf8' }).stdout, 'esc1\n');
  // As nobody: write the pid into the root cgroup (and into a directory nobody may own elsewhere).
  const move = spawnSync('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', 'sh', '-c', `echo ${pid} > "${mnt}/cgroup.procs"`], { encoding: 'utf8' });
  t.not(move.status, 0, 'nobody moved the process');
  t.regex(move.stderr, /Permission denied/);
  t.is(spawnSync(process.execPath, [BIN, 'identify', pid], { encoding: 'utf8' }).stdout, 'esc1\n');
});
