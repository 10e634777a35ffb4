// `vrfctl apply` with nexthop objects: `nexthops:` by id (members before groups, before the routes
// that use them), routes by `nhid` (the BGP-unnumbered shape: an IPv4 route over an IPv6
// link-local nexthop), replace when the file changes, --prune of apply's own (protocol 240) only,
// never an id or a route of another protocol, and rollback of nexthops when a later step fails.
import test from 'ava';
import { ipIn, lanNetns, nonEmpty, snapshot, tempFile, vrfctlIn } from './batch-helpers.js';

const FILE = `
nexthops:
  - id: 1
    via: 192.0.2.1
    dev: v0
  - id: 2
    via: 192.0.2.3
    dev: v0
  - id: 5
    via: fe80::a1
    dev: v0
  - id: 6
    via: 169.254.0.1
    dev: v0
    onlink: true
  - id: 10
    group: "1,3/2"
  - id: 11
    group: [1, {id: 2, weight: 2}]
    type: resilient
    buckets: 8
    idle_timer: 10
routes:
  - to: 10.9.0.0/16
    nhid: 10
  - to: 1.1.1.1/32
    nhid: 5
  - to: 10.8.0.0/16
    nhid: 11
    table: 100
`;

interface IpNexthop { id: number; gateway?: string; dev?: string; group?: Array<{ id: number; weight?: number }>; protocol?: string; flags: string[] }
const nexthopsIn = (ns: string): IpNexthop[] => JSON.parse(ipIn(ns, '-j', 'nexthop', 'show')) as IpNexthop[];

test('apply adds nexthops (members first) and nhid routes; diff shows them; a second apply changes nothing', (t) => {
  const ns = lanNetns(t);
  const file = tempFile('nh.yaml', FILE);
  const d = vrfctlIn(ns, ['diff', file]);
  t.is(d.code, 0, d.stderr);
  t.deepEqual(nonEmpty(d.stdout), [
    '+ nexthop id 1 via 192.0.2.1 dev v0',
    '+ nexthop id 2 via 192.0.2.3 dev v0',
    '+ nexthop id 5 via fe80::a1 dev v0',
    '+ nexthop id 6 via 169.254.0.1 dev v0 onlink',
    '+ nexthop id 10 group 1,3/2',
    '+ nexthop id 11 group 1/2,2 type resilient buckets 8 idle_timer 10',
    '+ route 10.9.0.0/16 nhid 10',
    '+ route 1.1.1.1/32 nhid 5',
    '+ route 10.8.0.0/16 nhid 11 table 100',
  ]);
  t.deepEqual(nexthopsIn(ns), [], 'diff changed nothing');
  const a = vrfctlIn(ns, ['apply', file]);
  t.is(a.code, 0, a.stderr);
  const nh = nexthopsIn(ns);
  t.deepEqual(nh.map((n) => n.id), [1, 2, 5, 6, 10, 11]);
  for (const n of nh) t.is(n.protocol, '240', `nexthop ${n.id} carries apply's protocol`);
  t.deepEqual(nh.find((n) => n.id === 10)!.group, [{ id: 1, weight: 3 }, { id: 2 }]);
  t.deepEqual(nh.find((n) => n.id === 6)!.flags, ['onlink']);
  t.regex(ipIn(ns, 'route', 'show', '1.1.1.1'), /^1\.1\.1\.1 nhid 5 via inet6 fe80::a1 dev v0 proto 240 $/m);
  t.regex(ipIn(ns, 'route', 'show', 'table', '100'), /^10\.8\.0\.0\/16 nhid 11 proto 240 /m);
  const again = vrfctlIn(ns, ['apply', file]);
  t.deepEqual([again.code, again.stdout], [0, 'no changes\n'], again.stderr);
});

test('a changed nexthop is replaced in place; --prune removes only what apply made, groups and routes first', (t) => {
  const ns = lanNetns(t);
  t.is(vrfctlIn(ns, ['apply', tempFile('nh.yaml', FILE)]).code, 0);
  // Another protocol's nexthop, and a route of another protocol through one of apply's: both stay.
  ipIn(ns, 'nexthop', 'add', 'id', '50', 'via', '192.0.2.9', 'dev', 'v0', 'proto', 'bgp');
  ipIn(ns, 'route', 'add', '10.7.0.0/16', 'nhid', '2', 'proto', 'bgp');
  const next = tempFile('nh2.yaml', `
nexthops:
  - id: 1
    via: 192.0.2.4
    dev: v0
  - id: 5
    via: fe80::a1
    dev: v0
  - id: 10
    group: [1]
routes:
  - to: 10.9.0.0/16
    nhid: 10
  - to: 1.1.1.1/32
    nhid: 5
`);
  const d = vrfctlIn(ns, ['diff', '--prune', next]);
  t.is(d.code, 0, d.stderr);
  t.deepEqual(nonEmpty(d.stdout), [
    '~ nexthop id 1 via 192.0.2.4 dev v0 (now via 192.0.2.1 dev v0)',
    '~ nexthop id 10 group 1 (now group 1,3/2)',
    '- route 10.8.0.0/16 nhid 11 table 100',
    '- nexthop id 11 group 1/2,2 type resilient buckets 8 idle_timer 10 unbalanced_timer 0',
    '- nexthop id 6 via 169.254.0.1 dev v0 onlink',
  ]);
  const a = vrfctlIn(ns, ['apply', '--prune', next]);
  t.is(a.code, 0, a.stderr);
  const nh = nexthopsIn(ns);
  // 2 stays: the bgp route 10.7.0.0/16 still uses it.
  t.deepEqual(nh.map((n) => n.id), [1, 2, 5, 10, 50]);
  t.is(nh.find((n) => n.id === 1)!.gateway, '192.0.2.4');
  t.regex(ipIn(ns, 'route', 'show'), /^10\.7\.0\.0\/16 nhid 2 /m);
  t.is(ipIn(ns, 'route', 'show', 'table', '100'), '');
});

test('an id that another protocol owns is refused before anything changes', (t) => {
  const ns = lanNetns(t);
  ipIn(ns, 'nexthop', 'add', 'id', '1', 'via', '192.0.2.9', 'dev', 'v0', 'proto', 'zebra');
  const before = { ...snapshot(ns), nexthops: nexthopsIn(ns) };
  const r = vrfctlIn(ns, ['apply', tempFile('nh.yaml', FILE)]);
  t.not(r.code, 0);
  t.regex(r.stderr, /nexthops\[0\]\.id: nexthop 1 belongs to protocol zebra, not to vrfctl \(240\)/);
  t.deepEqual({ ...snapshot(ns), nexthops: nexthopsIn(ns) }, before);
});

test('file errors about nexthops and nhid routes name their path', (t) => {
  const ns = lanNetns(t);
  const r = vrfctlIn(ns, ['apply', tempFile('bad.yaml', `
nexthops:
  - via: 192.0.2.1
    dev: v0
  - id: 3
    group: [3]
  - id: 4
    blackhole: true
    via: 192.0.2.1
  - id: 5
    group: "1,300"
    type: resilient
routes:
  - to: 10.9.0.0/16
    nhid: 3
    via: 192.0.2.1
`)]);
  t.not(r.code, 0);
  const lines = nonEmpty(r.stderr);
  for (const want of [
    'nexthops[0].id: missing', 'nexthops[1].group[0]: a group cannot contain itself', 'nexthops[2]: a blackhole takes no "via" or "dev"',
    'nexthops[3].group[0].weight: not a whole number from 1 to 256', 'nexthops[3].buckets: missing',
    'routes[0]: a route with "nhid" takes no "via", "dev" or "onlink"',
  ]) t.true(lines.some((l) => l.includes(want)), `${want}\n${r.stderr}`);
  t.deepEqual(nexthopsIn(ns), []);
});

test('when a step fails, the nexthops added before it are deleted again', (t) => {
  const ns = lanNetns(t);
  const before = { ...snapshot(ns), nexthops: nexthopsIn(ns) };
  // The kernel refuses a group that mixes fdb and ordinary nexthops: step 3 fails.
  const r = vrfctlIn(ns, ['apply', tempFile('mix.yaml', `
nexthops:
  - id: 1
    via: 192.0.2.1
    dev: v0
  - id: 20
    via: 192.0.2.4
    fdb: true
  - id: 21
    group: [1, 20]
`)]);
  t.not(r.code, 0);
  t.regex(r.stderr, /step 3 \(add nexthop id 21 group 1\/20\)/);
  t.regex(r.stderr, /rolled back 2 of 2 completed steps; the host is as it was/);
  t.deepEqual({ ...snapshot(ns), nexthops: nexthopsIn(ns) }, before);
});
