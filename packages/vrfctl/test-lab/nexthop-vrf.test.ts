// Nexthop objects where a VRF exists (the lab kernel): nexthops on a VRF's port, routes by nhid in
// the VRF's table, resilient groups and their buckets, the vrf/master selectors of show, flush and
// bucket show, `vrfctl del` of a VRF whose routes use nexthop objects, and `vrfctl apply` of a VRF
// whose routes name nexthops. Twin namespaces: what ip does in one, vrfctl does in the other, and
// the kernel state (as ip shows it) must be the same; shows must print what ip prints. Serial:
// concurrently, under TCG on a loaded host, none finished within ava's 5-minute idle timeout.
// Run: npx tsc -p tsconfig.lab.json && tools/lab/run --rw -- node node_modules/ava/entrypoints/cli.mjs
//        --config ava.lab.config.mjs build/lab/packages/vrfctl/test-lab/nexthop-vrf.test.js
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ip, tempNetns } from '../../route/test/netns.js';
import { vrfNetwork } from './vrf-network.js';
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { vrfctlNexthop } from '../test/nexthop-helpers.js';
import { vrfctlRoute } from '../test/route-helpers.js';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the vrf driver');
});

/** Bucket idle times move with the clock: masked in text and dropped from JSON. */
function maskIdle(text: string): string {
  return text.replace(/idle_time [0-9.e+-]+/g, 'idle_time X').replace(/"idle_time":[0-9.e+-]+,?/g, '');
}

/** Everything the commands below can change, as ip shows it. */
function state(ns: string): string {
  return ['nexthop show', 'route show table all', '-6 route show table all', 'nexthop bucket show', '-br link show']
    .map((c) => maskIdle(ip(ns, ...c.split(' ')))).join('\n--\n')
    // A VRF device's MAC address is random.
    .replace(/^(blue +\S+ +)\S+/m, '$1MAC');
}

const SCRIPT: string[][] = [
  ['nexthop', 'add', 'id', '1', 'via', '10.0.0.2', 'dev', 'v0'],
  ['nexthop', 'add', 'id', '2', 'via', '10.0.0.3', 'dev', 'v0', 'proto', 'zebra'],
  ['nexthop', 'add', 'id', '3', 'via', '10.1.0.2', 'dev', 'w0'],
  ['nexthop', 'add', 'id', '4', 'via', '2001:db8::2', 'dev', 'v0'],
  ['nexthop', 'add', 'id', '5', 'dev', 'v0'],
  ['nexthop', 'add', 'id', '6', 'blackhole'],
  ['nexthop', 'add', 'id', '10', 'group', '1/2'],
  ['nexthop', 'add', 'id', '11', 'group', '1,2/2/5', 'type', 'resilient', 'buckets', '8', 'idle_timer', '5', 'unbalanced_timer', '10'],
  ['route', 'add', '10.9.0.0/16', 'nhid', '10', 'vrf', 'blue'],
  ['route', 'add', '10.8.0.0/16', 'nhid', '11', 'vrf', 'blue', 'proto', 'bgp', 'metric', '20'],
  ['route', 'add', '10.7.0.0/16', 'nhid', '6', 'vrf', 'blue'],
  ['-6', 'route', 'add', '2001:db8:9::/48', 'nhid', '4', 'vrf', 'blue'],
  ['route', 'add', '10.6.0.0/16', 'nhid', '3'],
  ['route', 'add', '10.5.0.0/16', 'nhid', '5', 'table', '10'],
  ['nexthop', 'replace', 'id', '10', 'group', '2/5'],
  ['nexthop', 'replace', 'id', '1', 'via', '10.0.0.4', 'dev', 'v0'],
];

// Lab tests run compiled (build/lab/…) from the repository root: the CLI is the built one there.
const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

function vrfctl(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** One command through vrfctl, in this process (nexthop, route) or the binary (everything else). */
function vrfctlIn(ns: string, words: readonly string[]): { code: number; stdout: string; stderr: string } {
  const at = words.findIndex((w) => !w.startsWith('-'));
  const [globals, rest] = [words.slice(0, at), words.slice(at)];
  if (rest[0] === 'nexthop') return vrfctlNexthop(['-n', ns, ...globals, ...rest]);
  if (rest[0] === 'route') return vrfctlRoute(['-n', ns, ...globals, ...rest]);
  return vrfctl(['-n', ns, ...globals, ...rest]);
}

/** Both namespaces built the same way: a by ip, b by vrfctl. */
function twins(t: ExecutionContext): [string, string] {
  const a = tempNetns(t);
  const b = tempNetns(t);
  vrfNetwork(a);
  vrfNetwork(b);
  for (const words of SCRIPT) {
    ip(a, ...words);
    const r = vrfctlIn(b, words);
    t.is(r.code, 0, `${words.join(' ')}: ${r.stderr}`);
  }
  return [a, b];
}

test.serial('nexthops on a VRF port and routes by nhid in its table: the same state as ip, shown as ip shows it', (t) => {
  const [a, b] = twins(t);
  t.is(state(b), state(a));
  t.regex(ip(b, 'route', 'show', 'vrf', 'blue'), /^10\.9\.0\.0\/16 nhid 10 \n\tnexthop via 10\.0\.0\.3 dev v0 weight 1 \n\tnexthop dev v0 weight 1 $/m);
  const mismatches: unknown[] = [];
  let checked = 0;
  for (const words of [
    ['nexthop', 'show'], ['nexthop', 'show', 'vrf', 'blue'], ['nexthop', 'show', 'master', 'blue'], ['nexthop', 'show', 'dev', 'v0'],
    ['nexthop', 'show', 'dev', 'w0'], ['nexthop', 'show', 'groups'], ['nexthop', 'show', 'id', '11'], ['nexthop', 'get', 'id', '10'],
    ['nexthop', 'bucket', 'show', 'vrf', 'blue'], ['nexthop', 'bucket', 'show', 'nhid', '2'], ['nexthop', 'bucket', 'show', 'dev', 'v0'],
    ['nexthop', 'bucket', 'get', 'id', '11', 'index', '3'],
    ['route', 'show', 'vrf', 'blue'], ['route', 'show', 'table', '10'], ['route', 'show', 'table', 'all'], ['-6', 'route', 'show', 'vrf', 'blue'],
    ['route', 'show', 'vrf', 'blue', 'proto', 'bgp'], ['route', 'get', '10.9.1.1', 'vrf', 'blue'], ['route', 'get', '10.8.1.1', 'vrf', 'blue'],
  ]) {
    const text = vrfctlIn(b, words);
    const ours = vrfctlIn(b, ['-j', ...words]);
    // Every difference at once (ava reports only a test's first failed assertion).
    if (text.code !== 0 || ours.code !== 0) mismatches.push({ command: words.join(' '), failed: text.stderr + ours.stderr });
    const theirs = maskIdle(ip(a, ...words));
    if (maskIdle(text.stdout) !== theirs) mismatches.push({ command: words.join(' '), ours: maskIdle(text.stdout), theirs });
    const theirsJ = JSON.parse(maskIdle(ip(a, '-j', ...words)) || '[]') as unknown;
    const oursJ = JSON.parse(maskIdle(ours.stdout) || '[]') as unknown;
    if (!isDeepStrictEqual(oursJ, theirsJ)) mismatches.push({ command: `-j ${words.join(' ')}`, ours: oursJ, theirs: theirsJ });
    checked++;
  }
  if (mismatches.length > 0) t.log(JSON.stringify(mismatches, null, 1));
  t.deepEqual(mismatches, [], 'vrfctl prints what ip prints, text and -j');
  t.is(checked, 19);
  // The resilient group has its 8 buckets over members of the VRF port, weights 2:1:1 at most.
  const buckets = JSON.parse(ip(b, '-j', 'nexthop', 'bucket', 'show', 'id', '11')) as Array<{ bucket: { index: number; nhid: number } }>;
  t.is(buckets.length, 8);
  t.deepEqual([...new Set(buckets.map((x) => x.bucket.nhid))].sort(), [1, 2, 5]);
});

test.serial('flush by protocol, dev, vrf, then all removes what ip removes (routes by nhid go with their nexthops)', (t) => {
  // One after the other on one pair of namespaces (each twin pair costs seconds in the lab).
  const [a, b] = twins(t);
  // ip's selector takes a protocol number only (vrfctl also takes the name).
  for (const selector of [['protocol', '11'], ['dev', 'w0'], ['vrf', 'blue'], []]) {
    const theirs = ip(a, 'nexthop', 'flush', ...selector);
    const ours = vrfctlNexthop(['-n', b, 'nexthop', 'flush', ...selector]);
    t.is(ours.code, 0, ours.stderr);
    t.is(ours.stdout, theirs, `flush ${selector.join(' ')}: the same report`);
    t.is(state(b), state(a), `after flush ${selector.join(' ')}`);
  }
  t.is(ip(b, 'nexthop', 'show'), '');
});

test.serial('vrfctl del of a VRF whose routes use nexthop objects leaves what ip link del leaves; --flush-table also empties the table', (t) => {
  const [a, b] = twins(t);
  ip(a, 'link', 'del', 'blue');
  const del = vrfctl(['-n', b, 'del', 'blue']);
  t.is(del.code, 0, del.stderr);
  t.is(state(b), state(a));
  // Releasing v0 cycled it: the kernel dropped the nexthops on it, the groups over them and the
  // routes using them. What has no device in the VRF stays: the blackhole and its route, w0's.
  t.deepEqual(JSON.parse(ip(b, '-j', 'nexthop', 'show')).map((n: { id: number }) => n.id), [3, 6]);
  t.is(ip(b, 'route', 'show', 'table', '10'), 'blackhole 10.7.0.0/16 nhid 6 dev lo \n');
  t.regex(ip(b, 'route', 'show'), /^10\.6\.0\.0\/16 nhid 3 via 10\.1\.0\.2 dev w0/m);

  const [c, d] = twins(t);
  ip(c, 'link', 'del', 'blue');
  // Not `ip route flush table 10`: ip resends the route as dumped, RTA_OIF (lo) beside RTA_NH_ID,
  // and the kernel refuses that pair (EINVAL); vrfctl deletes an nhid route by its id. Nor
  // `del blackhole …`: the route is unicast, the blackhole is its nexthop's (ESRCH).
  ip(c, 'route', 'del', '10.7.0.0/16', 'table', '10');
  const flushed = vrfctl(['-n', d, '-j', 'del', 'blue', '--flush-table']);
  t.is(flushed.code, 0, flushed.stderr);
  t.like(JSON.parse(flushed.stdout), { name: 'blue', table: 10, routes_deleted: 1 });
  t.is(state(d), state(c));
  t.is(ip(d, 'route', 'show', 'table', '10'), '');
  t.deepEqual(JSON.parse(ip(d, '-j', 'nexthop', 'show')).map((n: { id: number }) => n.id), [3, 6], 'del --flush-table removes routes, never nexthop objects');
});

test.serial('apply: a VRF whose routes use nexthops on its port (ports before nexthops); second apply no changes; --prune removes them', (t) => {
  const ns = tempNetns(t);
  vrfNetwork(ns, { vrf: false });
  ip(ns, 'nexthop', 'add', 'id', '50', 'via', '10.1.0.2', 'dev', 'w0', 'proto', 'zebra');
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-t-'));
  const file = join(dir, 'nh.yaml');
  writeFileSync(file, `
vrfs:
  blue:
    table: 10
    ports: [v0]
    routes:
      - to: 10.9.0.0/16
        nhid: 10
      - to: 10.8.0.0/16
        nhid: 11
nexthops:
  - id: 1
    via: 10.0.0.2
    dev: v0
  - id: 2
    via: 10.0.0.3
    dev: v0
  - id: 10
    group: "1/2,3"
  - id: 11
    group: [1, 2]
    type: resilient
    buckets: 4
`);
  const applied = vrfctl(['-n', ns, 'apply', file]);
  t.is(applied.code, 0, applied.stderr);
  t.regex(ip(ns, 'link', 'show', 'v0'), /master blue/);
  t.is(ip(ns, 'route', 'show', 'vrf', 'blue', 'proto', '240').replace(/ +\n/g, '\n'),
    '10.8.0.0/16 nhid 11\n\tnexthop via 10.0.0.2 dev v0 weight 1\n\tnexthop via 10.0.0.3 dev v0 weight 1\n10.9.0.0/16 nhid 10\n\tnexthop via 10.0.0.2 dev v0 weight 1\n\tnexthop via 10.0.0.3 dev v0 weight 3\n');
  t.is(JSON.parse(ip(ns, '-j', 'nexthop', 'bucket', 'show', 'id', '11')).length, 4);
  t.regex(ip(ns, 'nexthop', 'show', 'id', '1'), /proto 240/);
  const again = vrfctl(['-n', ns, 'apply', file]);
  t.deepEqual([again.code, again.stdout], [0, 'no changes\n'], again.stderr);
  const empty = join(dir, 'empty.yaml');
  writeFileSync(empty, 'vrfs: {}\n');
  const pruned = vrfctl(['-n', ns, 'apply', '--prune', '--force', empty]);
  t.is(pruned.code, 0, pruned.stderr);
  t.deepEqual(JSON.parse(ip(ns, '-j', 'link', 'show', 'type', 'vrf').trim() || '[]'), [], 'the VRF apply made is gone');
  t.deepEqual(JSON.parse(ip(ns, '-j', 'nexthop', 'show')).map((n: { id: number }) => n.id), [50], 'only the other protocol\'s nexthop stays');
});
