// Issue #19 on the host kernel: apply holds the host lock (a second vrfctl waits for it), keeps a
// journal that a killed run leaves behind and the next run reports and finishes, and refuses
// --prune of a file that declares nothing unless --force says so.
import test, { type ExecutionContext } from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE } from '../src/errors.js';
import { journalPath } from '../src/apply/journal.js';
import { VRFCTL_BIN } from './cli.js';
import { ipIn, lanNetns, tempFile, vrfctlIn } from './batch-helpers.js';

const ROUTE = `
routes:
  - to: 10.19.0.0/16
    type: blackhole
    table: 100
`;

/**
 * A /run/vrfctl of the test's own: a tmpfs in a mount namespace kept by a sleeping process, which
 * the holder and the vrfctl runs under test enter with nsenter. Holding the real host lock for
 * seconds would make every other test file running meanwhile wait and print the waiting note.
 */
async function lockSandbox(t: ExecutionContext): Promise<{ argv: (cmd: string[]) => string[]; path: (p: string) => string }> {
  mkdirSync('/run/vrfctl', { recursive: true });
  const keeper = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs vrfctl-lock-test /run/vrfctl && echo ready && exec sleep 600'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void keeper.kill());
  await new Promise<void>((resolve, reject) => {
    keeper.stdout.once('data', () => resolve());
    keeper.once('exit', (code) => reject(new Error(`unshare -m (a private /run/vrfctl for the lock tests) failed: ${code}`)));
  });
  const pid = String(keeper.pid);
  return { argv: (cmd) => ['nsenter', '-t', pid, '-m', '--', ...cmd], path: (p) => `/proc/${pid}/root${p}` };
}

/** Resolves once util-linux flock holds the sandbox's host lock, which it keeps for 4 s. */
async function holdLockFor4s(box: { argv: (cmd: string[]) => string[] }): Promise<void> {
  const holder = spawnArgv(box.argv(['flock', '-x', '/run/vrfctl/lock', '-c', 'echo held; sleep 4']), { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()));
}

/** spawn of argv[0] with the rest. */
const spawnArgv = (argv: string[], opts: Parameters<typeof spawn>[2]): ChildProcess => spawn(argv[0], argv.slice(1), opts);

// Serial: the other tests' spawnSync calls block this worker's event loop, which would see "held" late.
test.serial('apply waits for the host lock another vrfctl holds, then applies', async (t) => {
  const ns = lanNetns(t);
  const box = await lockSandbox(t);
  // A holder for 4 s (util-linux flock on the same file): apply must not plan meanwhile. Long
  // enough that apply, however slow node starts on a loaded machine, waits more than the second
  // after which the wait is said.
  await holdLockFor4s(box);
  const started = Date.now();
  const argv = box.argv([process.execPath, VRFCTL_BIN, '-n', ns, 'apply', tempFile('lock.yaml', ROUTE)]);
  const run = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  const r = { code: run.status, stderr: run.stderr };
  const waited = Date.now() - started;
  t.is(r.code, 0, r.stderr);
  t.true(waited >= 3500, `apply went ahead after ${waited} ms while the lock was held`);
  // A wait this long is said, once, so that it does not look like a hang.
  t.is(r.stderr.match(/^vrfctl: apply: waiting for \/run\/vrfctl\/lock: another vrfctl is changing this host$/gm)?.length, 1, r.stderr);
  t.regex(ipIn(ns, 'route', 'show', 'table', '100'), /blackhole 10\.19\.0\.0\/16/);
});

/** A CLI run in the background: its exit code and stderr. */
function background(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Issue #19 item 2: two vrfctl runs that change the host must not interleave. The first apply is
// held by strace inside its route step (its only RTM_NEWROUTE send delayed on entry) while it holds
// the lock; a second apply and a batch started then wait for it, and `ip monitor` shows the first
// one's route reaching the kernel before either of theirs.
test.serial('a second apply and a batch started while an apply holds the host lock wait for it; their changes come after its own', async (t) => {
  const ns = lanNetns(t);
  const first = tempFile('first.yaml', ROUTE);
  const second = tempFile('second.yaml', ROUTE.replace('10.19.0.0/16', '10.20.0.0/16'));
  // Which sendto carries the first apply's route: from a traced run in a twin namespace.
  const twin = lanNetns(t);
  const trace = join(mkdtempSync(join(tmpdir(), 'vrfctl-t-')), 'trace');
  const traced = spawnSync('strace', ['-f', '-qq', '-s', '64', '-o', trace, '-e', 'trace=sendto', process.execPath, VRFCTL_BIN, '-n', twin, 'apply', first], { encoding: 'utf8' });
  t.is(traced.status, 0, `strace is needed to hold apply inside a step: ${traced.stderr}`);
  const n = readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('sendto(')).findIndex((l) => /nlmsg_type=(0x18|RTM_NEWROUTE)\b/.test(l)) + 1;
  t.true(n > 0, 'no RTM_NEWROUTE send in the traced apply');

  const monitor = spawn('ip', ['-n', ns, 'monitor', 'route'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let events = '';
  monitor.stdout.setEncoding('utf8').on('data', (d: string) => (events += d));
  t.teardown(() => void monitor.kill());
  await sleep(300);

  const box = await lockSandbox(t);
  const journal = box.path(journalPath(ns));
  const held = background(spawnArgv(box.argv(['strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=sendto', '-e', `inject=sendto:delay_enter=5000000:when=${n}`,
    process.execPath, VRFCTL_BIN, '-n', ns, 'apply', first]), { stdio: ['ignore', 'ignore', 'pipe'] }));
  // Inside its step: the journal names it (written under the lock, before the step's first send).
  const deadline = Date.now() + 30_000;
  while (!(existsSync(journal) && readFileSync(journal, 'utf8').includes('"step":1'))) {
    if (Date.now() > deadline) throw new Error('the held apply never started its step');
    await sleep(20);
  }
  const applying = background(spawnArgv(box.argv([process.execPath, VRFCTL_BIN, '-n', ns, 'apply', second]), { stdio: ['ignore', 'ignore', 'pipe'] }));
  const batch = spawnArgv(box.argv([process.execPath, VRFCTL_BIN, '-n', ns, 'batch', '-']), { stdio: ['pipe', 'ignore', 'pipe'] });
  batch.stdin?.end('route add 10.21.0.0/16 via 192.0.2.1\n');
  const batching = background(batch);
  await sleep(2000);
  t.is(ipIn(ns, 'route', 'show', 'table', 'all', 'match', '10.0.0.0/8').trim(), '', 'a route reached the kernel while the first apply held the lock');

  const [a, b, c] = await Promise.all([held, applying, batching]);
  t.is(a.code, 0, a.stderr);
  t.is(b.code, 0, b.stderr);
  t.is(c.code, 0, c.stderr);
  t.regex(b.stderr, /^vrfctl: apply: waiting for \/run\/vrfctl\/lock: another vrfctl is changing this host$/m);
  t.regex(c.stderr, /^vrfctl: batch: waiting for \/run\/vrfctl\/lock: another vrfctl is changing this host$/m);
  await sleep(300);
  const order = events.split('\n').map((l) => /^(?:Deleted )?(?:blackhole )?(10\.(?:19|20|21)\.0\.0\/16)/.exec(l)?.[1]).filter((d) => d !== undefined);
  t.is(order[0], '10.19.0.0/16', events);
  t.deepEqual([...order].sort(), ['10.19.0.0/16', '10.20.0.0/16', '10.21.0.0/16'], events);
});

// Issue #19: every other command that changes the host takes the same lock before it looks at
// the kernel. On the host kernel (no vrf driver) add is then refused by the kernel and del,
// enslave and release find no VRF: what counts here is that each waited, and said so, first.
test.serial('add, del, enslave, release, rule fixup and doctor --fix wait for the host lock too', async (t) => {
  const ns = lanNetns(t);
  const box = await lockSandbox(t);
  await holdLockFor4s(box);
  const started = Date.now();
  const commands: Array<[string, string[]]> = [
    ['add', ['add', 't1', 'table', '1001']], ['del', ['del', 'nosuch']], ['enslave', ['enslave', 'blue', 'lo']],
    ['release', ['release', 'lo']], ['rule', ['rule', 'fixup']], ['doctor', ['doctor', '--fix']],
  ];
  const runs = await Promise.all(commands.map(async ([name, args]) => {
    const r = await background(spawnArgv(box.argv([process.execPath, VRFCTL_BIN, '-n', ns, ...args]), { stdio: ['ignore', 'ignore', 'pipe'] }));
    return { name, waited: Date.now() - started, ...r };
  }));
  for (const r of runs) {
    t.true(r.waited >= 3500, `${r.name} ended after ${r.waited} ms while the lock was held: ${r.stderr}`);
    t.is(r.stderr.match(new RegExp(`^vrfctl: ${r.name}: waiting for /run/vrfctl/lock: another vrfctl is changing this host$`, 'gm'))?.length, 1, `${r.name}: ${r.stderr}`);
  }
  // rule fixup then did its work: the l3mdev rule is in, the local rule moved off pref 0.
  const rules = ipIn(ns, 'rule', 'show');
  t.regex(rules, /^1000:\s+from all lookup \[l3mdev-table\]/m, rules);
  t.regex(rules, /^32765:\s+from all lookup local/m, rules);
});

test('a journal left by a killed apply is reported and finished; the next apply leaves none', (t) => {
  const ns = lanNetns(t);
  const path = journalPath(ns);
  mkdirSync('/run/vrfctl', { recursive: true });
  // What apply writes before its second step when it is killed there.
  writeFileSync(path, `${JSON.stringify({ pid: 4242, file: 'x.yaml', total: 3 })}\n${JSON.stringify({ step: 1, title: 'add route blackhole 10.19.0.0/16 table 100' })}\n`);
  t.teardown(() => spawnSync('rm', ['-f', path]));
  const file = tempFile('journal.yaml', ROUTE);
  const d = vrfctlIn(ns, ['diff', file]);
  t.regex(d.stderr, /^vrfctl: diff: an earlier apply of x\.yaml \(pid 4242\) was interrupted during step 1 of 3 \(add route blackhole 10\.19\.0\.0\/16 table 100\); apply will finish it$/m);
  const a = vrfctlIn(ns, ['apply', file]);
  t.is(a.code, 0, a.stderr);
  t.regex(a.stderr, /^vrfctl: apply: an earlier apply .* was interrupted during step 1 of 3 .*; finishing it$/m);
  t.false(existsSync(path), 'journal left after the apply that finished the work');
  t.is(vrfctlIn(ns, ['diff', file]).stdout, 'no changes\n');
});

test('apply --prune of a file that declares nothing is refused without --force; nothing removed', (t) => {
  const ns = lanNetns(t);
  t.is(vrfctlIn(ns, ['apply', tempFile('one.yaml', ROUTE)]).code, 0);
  const empty = tempFile('empty.yaml', 'vrfs: {}\n');
  const r = vrfctlIn(ns, ['apply', '--prune', empty]);
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /^vrfctl: apply: .*empty\.yaml declares nothing: --prune would remove every VRF, route and rule apply made \(add --force to mean it\)$/m);
  t.regex(ipIn(ns, 'route', 'show', 'table', '100'), /blackhole 10\.19\.0\.0\/16/);
  const forced = vrfctlIn(ns, ['apply', '--prune', '--force', empty]);
  t.is(forced.code, 0, forced.stderr);
  t.is(ipIn(ns, 'route', 'show', 'table', '100'), '');
});
