// `vrfctl batch`: lines checked before anything is sent, changes pipelined, failures named by
// line, stop/--force/--chunk semantics, names resolved after the lines that create them.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { ipIn, lanNetns, nonEmpty, tempFile, vrfctlIn } from './batch-helpers.js';
import { EXIT_BATCH_FAILED, EXIT_USAGE } from '../src/errors.js';
import { KEEP_LINES } from '../src/batch-kept.js';

/** The routes of a table as ip prints them; none when the table does not exist (yet). */
function table(ns: string, id: number, family: 4 | 6 = 4): string[] {
  try {
    return nonEmpty(ipIn(ns, `-${family}`, 'route', 'show', 'table', String(id))).map((l) => l.trim());
  } catch (err) {
    if (/FIB table does not exist/.test((err as Error).message)) return [];
    throw err;
  }
}

test('route, rule, addr and link lines are applied, from a file and from stdin', (t) => {
  const ns = lanNetns(t);
  const file = tempFile('b.txt', [
    '# routes for table 100',
    'route add 10.0.0.0/24 via 192.0.2.1 table 100',
    '',
    'route add 10.0.1.0/24 dev v0 table 100   # a comment after the words',
    'route add 2001:db8:1::/64 via 2001:db8:f::1 table 100',
    'rule add pref 100 from 198.51.100.0/24 lookup 100',
    'addr add 192.0.2.9/32 dev v0',
    'link set v1 mtu 1400',
  ].join('\n'));
  const r = vrfctlIn(ns, ['batch', file]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '');
  t.is(r.stderr, 'vrfctl: batch: applied 6 of 6 lines, 0 failed\n');
  t.deepEqual(table(ns, 100), ['10.0.0.0/24 via 192.0.2.1 dev v0', '10.0.1.0/24 dev v0 scope link']);
  t.deepEqual(table(ns, 100, 6), ['2001:db8:1::/64 via 2001:db8:f::1 dev v0 metric 1024 pref medium']);
  t.regex(ipIn(ns, 'rule', 'show'), /^100:\tfrom 198\.51\.100\.0\/24 lookup 100 *$/m);
  t.regex(ipIn(ns, 'addr', 'show', 'dev', 'v0'), /inet 192\.0\.2\.9\/32/);
  t.regex(ipIn(ns, 'link', 'show', 'v1'), /mtu 1400/);

  const s = vrfctlIn(ns, ['batch', '-'], 'route add 10.0.2.0/24 via 192.0.2.1 table 100\n');
  t.is(s.code, 0, s.stderr);
  t.is(table(ns, 100).length, 3);
});

test('a bad line is a usage error naming it, and nothing at all is sent', (t) => {
  const ns = lanNetns(t);
  const file = tempFile('b.txt', 'route add 10.0.0.0/24 via 192.0.2.1 table 100\nrule add pref 5 from 198.51.100.0/24 lookup 100\nroute add 10.0.0.0/33 via 192.0.2.1\n');
  const r = vrfctlIn(ns, ['batch', file]);
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /line 3: route add 10\.0\.0\.0\/33 via 192\.0\.2\.1: invalid prefix/);
  t.deepEqual(table(ns, 100), []);
  t.notRegex(ipIn(ns, 'rule', 'show'), /198\.51\.100/);

  const unknown = vrfctlIn(ns, ['batch', '-'], 'route add 10.0.0.0/24 via 192.0.2.1 table 100\nfrobnicate now\n');
  t.is(unknown.code, EXIT_USAGE);
  t.regex(unknown.stderr, /line 2: frobnicate now: unknown command "frobnicate"/);
  const nested = vrfctlIn(ns, ['batch', '-'], 'monitor route\n');
  t.is(nested.code, EXIT_USAGE);
  t.deepEqual(table(ns, 100), []);
});

test('stops at the first failure: --chunk 1 sends nothing after it, the default chunk reports what went with it', (t) => {
  const ns = lanNetns(t);
  const text = [
    'route add 10.0.1.0/24 via 192.0.2.1 table 100',
    'route add 10.0.1.0/24 via 192.0.2.1 table 100',
    'route add 10.0.2.0/24 via 192.0.2.1 table 100',
    'route show table 100',
    'route add 10.0.3.0/24 via 192.0.2.1 table 100',
  ].join('\n');
  const strict = vrfctlIn(ns, ['batch', '--chunk', '1', '-'], text);
  t.is(strict.code, EXIT_BATCH_FAILED);
  t.is(nonEmpty(strict.stderr)[0], 'vrfctl: batch: line 2: route add 10.0.1.0/24 via 192.0.2.1 table 100: EEXIST: File exists');
  t.regex(strict.stderr, /applied 1 of 5 lines, 1 failed; stopped at line 2, 3 not run/);
  t.deepEqual(table(ns, 100), ['10.0.1.0/24 via 192.0.2.1 dev v0']);
  t.is(strict.stdout, '', 'the show after the failure did not run');

  const ns2 = lanNetns(t);
  const chunked = vrfctlIn(ns2, ['batch', '-'], text);
  t.is(chunked.code, EXIT_BATCH_FAILED);
  // Lines 1–3 went out together; line 3 was applied although line 2 failed, and the summary says so.
  t.regex(chunked.stderr, /applied 2 of 5 lines, 1 failed; stopped at line 2, 2 not run \(--force goes on\); 1 line after it had been sent in the same chunk/);
  t.deepEqual(table(ns2, 100), ['10.0.1.0/24 via 192.0.2.1 dev v0', '10.0.2.0/24 via 192.0.2.1 dev v0']);
  t.is(chunked.stdout, '');
});

test('--force goes on after failures and counts them', (t) => {
  const ns = lanNetns(t);
  const text = ['route add 10.0.1.0/24 via 192.0.2.1 table 100', 'route add 10.0.1.0/24 via 192.0.2.1 table 100',
    'route del 10.9.9.0/24 table 100', 'route show table 100', 'route add 10.0.3.0/24 via 192.0.2.1 table 100'].join('\n');
  const r = vrfctlIn(ns, ['batch', '--force', '-'], text);
  t.is(r.code, EXIT_BATCH_FAILED);
  t.regex(r.stderr, /line 2: .*EEXIST/);
  t.regex(r.stderr, /line 3: route del 10\.9\.9\.0\/24 table 100: ESRCH/);
  t.regex(r.stderr, /applied 3 of 5 lines, 2 failed\n$/);
  // The show ran in line order: after lines 1–3, before line 5.
  t.is(r.stdout, '10.0.1.0/24 via 192.0.2.1 dev v0 \n');
  t.is(table(ns, 100).length, 2);
});

test('a device created by an earlier line resolves in later lines; an unknown device fails its line', (t) => {
  const ns = lanNetns(t);
  const text = [
    'link add br9 type bridge',
    'link set br9 up',
    'addr add 203.0.113.1/24 dev br9',
    'route add 10.5.0.0/16 dev br9 table 100',
    'link add name vx0 type veth peer name vx1',
    'link set vx0 master br9',
    'route add 10.6.0.0/16 dev nosuch0 table 100',
    'route add 10.7.0.0/16 dev br9 table 100',
  ].join('\n');
  const r = vrfctlIn(ns, ['batch', '-'], text);
  t.is(r.code, EXIT_BATCH_FAILED);
  t.regex(r.stderr, /line 7: route add 10\.6\.0\.0\/16 dev nosuch0 table 100: .*Cannot find device "nosuch0"/);
  t.regex(r.stderr, /applied 6 of 8 lines, 1 failed; stopped at line 7, 1 not run/);
  // "linkdown" follows the bridge's carrier, which depends on timing: not what this test is about.
  t.deepEqual(table(ns, 100).map((r) => r.replace(/ linkdown$/, '')), ['10.5.0.0/16 dev br9 scope link']);
  t.regex(ipIn(ns, 'link', 'show', 'vx0'), /master br9/);
  t.regex(ipIn(ns, 'addr', 'show', 'br9'), /203\.0\.113\.1\/24/);
});

test('20000 routes go through in one run, pipelined', (t) => {
  const ns = lanNetns(t);
  const lines: string[] = [];
  for (let i = 0; i < 20000; i++) lines.push(`route add 10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255} via 192.0.2.1 dev v0 table 300`);
  const file = tempFile('bulk.txt', lines.join('\n') + '\n');
  const started = Date.now();
  const r = vrfctlIn(ns, ['batch', file]);
  const ms = Date.now() - started;
  t.is(r.code, 0, r.stderr);
  t.is(r.stderr, 'vrfctl: batch: applied 20000 of 20000 lines, 0 failed\n');
  t.is(table(ns, 300).length, 20000);
  t.log(`20000 routes in ${ms} ms`);
});

test('--dry-run prints the requests in line order and changes nothing', (t) => {
  const ns = lanNetns(t);
  const r = vrfctlIn(ns, ['--dry-run', 'batch', '-'], 'route add 10.0.1.0/24 via 192.0.2.1 table 100\nrule add pref 7 lookup 100\n');
  t.is(r.code, 0, r.stderr);
  const out = nonEmpty(r.stdout);
  t.is(out.length, 2);
  t.regex(out[0], /NEWROUTE/i);
  t.regex(out[1], /NEWRULE/i);
  t.deepEqual(table(ns, 100), []);
});

// A batch within KeptBatch's limits is read and parsed once and sent from what the first pass
// kept; a longer one is read again to send. Both sides of the limit, with a failure on each.
test('a batch longer than the lines the first pass keeps is read again and sent whole, failures named by their own text', (t) => {
  const ns = lanNetns(t);
  const n = KEEP_LINES + 5000;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev v0 table 100`);
  lines.splice(10, 0, 'route add 10.0.0.1/32 dev v0 table 100 # again');
  lines.push('route add 10.0.0.2/32 dev v0 table 100');
  const file = tempFile('long.batch', lines.join('\n') + '\n');
  const r = vrfctlIn(ns, ['batch', '--force', file]);
  t.is(r.code, EXIT_BATCH_FAILED);
  t.deepEqual(nonEmpty(r.stderr), [
    'vrfctl: batch: line 11: route add 10.0.0.1/32 dev v0 table 100 # again: EEXIST: File exists',
    `vrfctl: batch: line ${n + 2}: route add 10.0.0.2/32 dev v0 table 100: EEXIST: File exists`,
    `vrfctl: batch: applied ${n} of ${n + 2} lines, 2 failed`,
  ]);
  const shown = spawnSync('ip', ['-n', ns, 'route', 'show', 'table', '100'], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout;
  t.is(nonEmpty(shown).length, n);

  // Within the limits: the same lines and failures, sent from what the first pass kept.
  const ns2 = lanNetns(t);
  const short = [...lines.slice(0, 1000), 'route add 10.0.0.2/32 dev v0 table 100'];
  const s = vrfctlIn(ns2, ['batch', '--force', tempFile('short.batch', short.join('\n') + '\n')]);
  t.deepEqual(nonEmpty(s.stderr), [
    'vrfctl: batch: line 11: route add 10.0.0.1/32 dev v0 table 100 # again: EEXIST: File exists',
    'vrfctl: batch: line 1001: route add 10.0.0.2/32 dev v0 table 100: EEXIST: File exists',
    'vrfctl: batch: applied 999 of 1001 lines, 2 failed',
  ]);
  t.is(table(ns2, 100).length, 999);
});
