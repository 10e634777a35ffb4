// Issue #19 on the host kernel: apply holds the host lock (a second vrfctl waits for it), keeps a
// journal that a killed run leaves behind and the next run reports and finishes, and refuses
// --prune of a file that declares nothing unless --force says so.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { EXIT_USAGE } from '../src/errors.js';
import { journalPath } from '../src/apply/journal.js';
import { ipIn, lanNetns, tempFile, vrfctlIn } from './batch-helpers.js';

const ROUTE = `
routes:
  - to: 10.19.0.0/16
    type: blackhole
    table: 100
`;

// Serial: the other tests' spawnSync calls block this worker's event loop, which would see "held" late.
test.serial('apply waits for the host lock another vrfctl holds, then applies', async (t) => {
  const ns = lanNetns(t);
  mkdirSync('/run/vrfctl', { recursive: true });
  // A holder for 2 s (util-linux flock on the same file): apply must not plan meanwhile.
  const holder = spawn('flock', ['-x', '/run/vrfctl/lock', '-c', 'echo held; sleep 2']);
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  const started = Date.now();
  const r = vrfctlIn(ns, ['apply', tempFile('lock.yaml', ROUTE)]);
  const waited = Date.now() - started;
  t.is(r.code, 0, r.stderr);
  t.true(waited >= 1500, `apply went ahead after ${waited} ms while the lock was held`);
  // A wait this long is said, once, so that it does not look like a hang.
  t.is(r.stderr.match(/^vrfctl: apply: waiting for \/run\/vrfctl\/lock: another vrfctl is changing this host$/gm)?.length, 1, r.stderr);
  t.regex(ipIn(ns, 'route', 'show', 'table', '100'), /blackhole 10\.19\.0\.0\/16/);
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
