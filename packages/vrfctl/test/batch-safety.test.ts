// Issue #19 item 7 (and 8 for batch): every line is checked, names included, before the first
// send; a last line ending in '\' is an error; a signal stops the sending and the summary says
// how far it got; --continue-from makes a re-run after a kill converge; a huge line is refused
// without filling memory or being echoed.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE } from '../src/errors.js';
import { VRFCTL_BIN } from './cli.js';
import { lanNetns, nonEmpty, tempFile, vrfctlIn } from './batch-helpers.js';

const routes = (from: number, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `route add 10.${(from + i) >> 8 & 255}.${(from + i) & 255}.0/24 via 192.0.2.1 table 100`);
/** Routes in table 100 (ip refuses to list a table that does not exist yet: none). */
const count = (ns: string): number => {
  const r = spawnSync('ip', ['-n', ns, 'route', 'show', 'table', '100'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return r.status === 0 ? nonEmpty(r.stdout).length : 0;
};

test('a bad device name on line 1001 is refused before the first send', (t) => {
  const ns = lanNetns(t);
  const r = vrfctlIn(ns, ['batch', '-'], [...routes(0, 1000), 'route add 10.200.0.0/24 dev a/b table 100', ...routes(2000, 5)].join('\n'));
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /^vrfctl: batch[^:]*: line 1001: route add 10\.200\.0\.0\/24 dev a\/b table 100: invalid device name "a\/b"/m);
  t.is(count(ns), 0, 'nothing was sent');
  const rule = vrfctlIn(ns, ['batch', '-'], 'rule add pref 10 iif "x\u001by" lookup 100\n');
  t.is(rule.code, EXIT_USAGE);
  t.regex(rule.stderr, /invalid iif "x\\u001by"/);
});

test('a bad last line of a 1M-line file is refused before the first send (the first pass keeps nothing)', (t) => {
  const ns = lanNetns(t);
  const good = Array.from({ length: 1_000_000 }, (_, i) => `route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev v0 table 100\n`).join('');
  // A prefix the fast path leaves to the full parser, and a device name only the fast path's check sees.
  for (const [bad, message] of [['route add 10.0.0.300/32 dev v0 table 100', /invalid prefix "10\.0\.0\.300\/32"/], ['route add 10.0.0.1/32 dev a/b table 100', /invalid device name "a\/b"/]] as const) {
    const f = tempFile('big.batch', `${good}${bad}\n`);
    const r = vrfctlIn(ns, ['batch', f]);
    t.is(r.code, EXIT_USAGE, r.stderr);
    t.regex(r.stderr, /^vrfctl: batch[^:]*: line 1000001: /m);
    t.regex(r.stderr, message);
    t.is(count(ns), 0, 'nothing was sent');
  }
});

test('a last line ending in a backslash is an error, not a line that vanishes', (t) => {
  const ns = lanNetns(t);
  for (const text of ['route add 10.0.0.0/24 \\', 'route add 10.0.0.0/24 via 192.0.2.1 table 100\nroute add 10.0.1.0/24 \\\n']) {
    const r = vrfctlIn(ns, ['batch', '-'], text);
    t.is(r.code, EXIT_USAGE);
    t.regex(r.stderr, /^vrfctl: batch[^:]*: line \d: the last line ends with '\\': nothing follows to continue it$/m);
  }
  t.is(count(ns), 0);
});

test('a 10 MB line is refused as too long, and not echoed', (t) => {
  const ns = lanNetns(t);
  const f = tempFile('long.batch', `route add ${'x'.repeat(10_000_000)}\n`);
  const r = vrfctlIn(ns, ['batch', f]);
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /^vrfctl: batch[^:]*: line 1: longer than 65536 characters$/m);
  t.true(r.stderr.length < 200);
});

test('standard input without end (/dev/zero) is refused once 128 MiB were read, and its spool file removed', (t) => {
  const ns = lanNetns(t);
  const zero = openSync('/dev/zero', 'r');
  t.teardown(() => closeSync(zero));
  // A TMPDIR of its own: other test files' batches from stdin spool into the shared one meanwhile.
  const tmp = mkdtempSync(join(tmpdir(), 'vrfctl-t-spool-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, [VRFCTL_BIN, '-n', ns, 'batch', '-'], { stdio: [zero, 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
  t.is(r.status, EXIT_USAGE, r.stderr);
  t.regex(r.stderr, /^vrfctl: batch[^:]*: standard input larger than 134217728 bytes$/m);
  t.deepEqual(readdirSync(tmp), [], 'a spool directory was left');
  t.is(count(ns), 0);
});

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  test.serial(`${signal} mid-batch: sending stops, the summary says how far it got, --continue-from converges`, async (t) => {
    const ns = lanNetns(t);
    const total = 30_000;
    const f = tempFile('many.batch', routes(0, total).join('\n') + '\n');
    // One request per exchange: slow enough for the signal to land mid-batch.
    const child = spawn(process.execPath, [VRFCTL_BIN, '-n', ns, 'batch', '--chunk', '1', f]);
    const closed = new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Signal once routes are going in.
    const deadline = Date.now() + 120_000;
    while (count(ns) < 500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill(signal);
    const code = await closed;
    const applied = count(ns);
    t.true(applied < total, `the batch ended (${applied} of ${total}) before the signal: make it larger`);
    const m = /applied (\d+) of 30000 lines, 0 failed; stopped by (SIG\w+), (\d+) not run; last line applied: (\d+) \(vrfctl batch --continue-from (\d+) goes on\)/.exec(stderr);
    t.truthy(m, stderr);
    if (!m) return;
    t.is(m[2], signal);
    t.is(Number(m[1]), applied, 'the summary counts what the kernel has');
    t.is(Number(m[4]), applied, 'lines are applied in order: the last applied is the count');
    t.true(code !== 0);
    const again = vrfctlIn(ns, ['batch', '--continue-from', m[5], f]);
    t.is(again.code, 0, again.stderr.slice(0, 300));
    t.regex(again.stderr, new RegExp(`applied ${total - applied} of 30000 lines, 0 failed, ${applied} skipped`));
    t.is(count(ns), total);
  });
}

test('a re-run without --continue-from stops at its first line with a hint', (t) => {
  const ns = lanNetns(t);
  const f = tempFile('two.batch', routes(0, 2).join('\n'));
  t.is(vrfctlIn(ns, ['batch', f]).code, 0);
  const r = vrfctlIn(ns, ['batch', f]);
  t.is(r.code, 1);
  t.regex(r.stderr, /line 1: .*EEXIST: File exists \(applied by an earlier run\? vrfctl batch --continue-from 2 goes on after it\)/);
  writeFileSync(f, routes(0, 3).join('\n'));
  t.is(vrfctlIn(ns, ['batch', '--continue-from', '3', f]).code, 0);
  t.is(count(ns), 3);
});
