// `vrfctl nexthop` against `ip nexthop` on the real kernel: the same commands leave the same
// state (twin namespaces), bad input is refused before anything is sent, batch lines are
// pipelined, monitor shows nexthop events, and the BGP-unnumbered shape of the seed works end to
// end: IPv4 routes over an IPv6 link-local nexthop object, the permanent 169.254.0.1 neighbour
// to the peer's MAC, loopback /32s, and traffic between the loopbacks.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { routes, routeSpecOf } from '@vrfctl/route';
import { openNetlink } from '@vrfctl/socket';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';
import { VRFCTL_BIN, vrfctl } from './cli.js';
import { vrfctlNexthop } from './nexthop-helpers.js';
import { vrfctlRoute } from './route-helpers.js';
import { basicNetwork, ip, ipRun, tempNetns } from '../../route/test/netns.js';

/** Everything a nexthop command can change, as ip reports it. */
function state(ns: string): string {
  return ['nexthop show', 'route show table all', '-6 route show table all', 'nexthop bucket show']
    .map((c) => ip(ns, ...c.split(' ')).replace(/idle_time [0-9.e+-]+/g, 'idle_time X')).join('\n--\n');
}

const SCRIPT = [
  'add id 1 via 10.0.0.2 dev v0',
  'add id 2 via 10.0.0.3 dev v0 proto static',
  'add id 3 via 2001:db8::3 dev v0',
  'add id 4 blackhole',
  'add id 5 via fe80::a1 dev v0',
  'add id 6 via 169.254.0.1 dev v0 onlink proto 186',
  'add id 7 dev v0',
  'add id 8 encap ip id 5 dst 10.1.1.1 via 10.0.0.2 dev v0',
  'add id 10 group 1,3/2',
  'add id 11 group 1/2/7 type resilient buckets 6 idle_timer 10 unbalanced_timer 20',
  'add id 12 group 1/2 type mpath',
  'add id 20 via 10.0.0.4 fdb',
  'add id 21 group 20 fdb',
  'replace id 1 via 10.0.0.5 dev v0',
  'replace id 10 group 1/2,4',
  'del id 12',
  'flush dev v1',
  'flush id 7',
];

test('the same nexthop commands through ip and vrfctl leave the same kernel state', (t) => {
  const a = tempNetns(t);
  const b = tempNetns(t);
  basicNetwork(a);
  basicNetwork(b);
  for (const line of SCRIPT) {
    const words = line.split(' ');
    ip(a, 'nexthop', ...words);
    const r = vrfctlNexthop(['-n', b, 'nexthop', ...words]);
    t.is(r.code, 0, `${line}: ${r.stderr}`);
    t.is(state(b), state(a), `after "${line}"`);
  }
  for (const line of ['add 10.9.0.0/16 nhid 10', 'add 1.1.1.1/32 nhid 5', 'add 10.8.0.0/16 nhid 11 table 100', 'add 10.7.0.0/16 nhid 4']) {
    ip(a, 'route', ...line.split(' '));
    t.is(vrfctlRoute(['-n', b, 'route', ...line.split(' ')]).code, 0);
    t.is(state(b), state(a), `after "route ${line}"`);
  }
  // Shown the same way, text and JSON, routes with nhid included.
  t.is(vrfctlNexthop(['-n', b, 'nexthop', 'show']).stdout, ip(a, 'nexthop', 'show'));
  t.deepEqual(JSON.parse(vrfctlNexthop(['-n', b, '-j', 'nexthop', 'show']).stdout), JSON.parse(ip(a, '-j', 'nexthop', 'show')));
  t.is(vrfctlRoute(['-n', b, 'route', 'show']).stdout, ip(a, 'route', 'show'));
  t.deepEqual(JSON.parse(vrfctlRoute(['-n', b, '-j', 'route', 'show', 'table', 'all']).stdout), JSON.parse(ip(a, '-j', 'route', 'show', 'table', 'all')));
  // The flush with no selector: groups first, then the rest, and the routes go with them.
  const fa = ip(a, 'nexthop', 'flush');
  const fb = vrfctlNexthop(['-n', b, 'nexthop', 'flush']);
  t.is(fb.stdout, fa);
  t.is(state(b), state(a));
  t.is(ip(b, 'nexthop', 'show'), '');
});

test('bad input is refused before anything is sent, one line naming it; kernel refusals carry the errno', (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  for (const [words, message] of [
    ['add id 1 via 10.0.0.2 dev v0 bogus', /unknown argument "bogus"/],
    ['add id x via 10.0.0.2', /invalid id value "x"/],
    ['add id 1 group 1,300', /"weight" is invalid: "300"/],
    ['add id 1 group 1 type fancy', /"type" value is invalid/],
    ['add id 1 via nowhere dev v0', /invalid gateway "nowhere"/],
    ['add id 1 dev v0 via 2001:db8::2', /address family mismatch/],
    ['add id 1 blackhole via 10.0.0.2', /a blackhole nexthop takes no "via"/],
    ['add id 1 via 10.0.0.2 dev v0 proto nosuchproto', /invalid protocol "nosuchproto"/],
    ['del', /needs "id ID"/],
    ['get', /needs "id ID"/],
    ['bucket get id 1', /needs "id ID index INDEX"/],
    ['show bogus', /unknown selector "bogus"/],
    ['frobnicate', /unknown nexthop command "frobnicate"/],
  ] as const) {
    const r = vrfctlNexthop(['-n', ns, 'nexthop', ...words.split(' ')]);
    t.is(r.code, EXIT_USAGE, `${words}: ${r.stderr}`);
    t.regex(r.stderr, message, words);
    t.is(r.stderr.trim().split('\n').length, 1, 'one line');
  }
  const nodev = vrfctlNexthop(['-n', ns, 'nexthop', 'add', 'id', '1', 'via', '10.0.0.2', 'dev', 'nosuch']);
  t.regex(nodev.stderr, /Cannot find device "nosuch"/);
  t.is(ip(ns, 'nexthop', 'show'), '', 'nothing was added');
  ip(ns, 'nexthop', 'add', 'id', '1', 'via', '10.0.0.2', 'dev', 'v0');
  const exists = vrfctlNexthop(['-n', ns, 'nexthop', 'add', 'id', '1', 'via', '10.0.0.2', 'dev', 'v0']);
  t.is(exists.code, EXIT_REFUSED);
  t.regex(exists.stderr, /EEXIST/);
  const missing = vrfctlNexthop(['-n', ns, 'nexthop', 'add', 'id', '10', 'group', '1/99']);
  t.is(missing.code, EXIT_REFUSED);
  t.regex(missing.stderr, /EINVAL.*Invalid nexthop id/);
});

test('nexthop lines in vrfctl batch are pipelined with routes that use them; a bad line changes nothing', (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  const lines = [
    ...Array.from({ length: 8 }, (_, i) => `nexthop add id ${i + 1} via 10.0.0.${i + 2} dev v0`),
    'nexthop add id 100 group 1/2/3/4',
    'nexthop add id 101 group 5,2/6/7/8 type resilient buckets 16',
    ...Array.from({ length: 50 }, (_, i) => `route add 10.50.${i}.0/24 nhid ${100 + (i % 2)}`),
    'nexthop replace id 100 group 5/6',
    'nexthop show groups',
  ];
  const bad = vrfctl(['-n', ns, 'batch', '-'], [...lines.slice(0, 3), 'nexthop add id 9 group 1,0'].join('\n'));
  t.is(bad.code, EXIT_USAGE);
  t.regex(bad.stderr, /line 4: nexthop add id 9 group 1,0: "weight" is invalid/);
  t.is(ip(ns, 'nexthop', 'show'), '');
  const r = vrfctl(['-n', ns, 'batch', '-'], lines.join('\n'));
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, /applied 62 of 62 lines, 0 failed/);
  t.is(r.stdout, ip(ns, 'nexthop', 'show', 'groups'));
  t.regex(ip(ns, 'route', 'show', '10.50.0.0/24'), /nhid 100\s+nexthop via 10\.0\.0\.6 dev v0 weight 1\s+nexthop via 10\.0\.0\.7/);
  // Dry run: the bytes each line would send, as `vrfctl --dry-run --hex nexthop …` prints them alone.
  const dry = vrfctl(['-n', ns, '--dry-run', '--hex', 'batch', '-'], 'nexthop add id 30 via 10.0.0.9 dev v0\nnexthop add id 31 group 30');
  const alone = vrfctlNexthop(['-n', ns, '--dry-run', '--hex', 'nexthop', 'add', 'id', '30', 'via', '10.0.0.9', 'dev', 'v0']);
  t.is(dry.stdout.split('\n')[0], alone.stdout.trim());
});

test('monitor prints nexthop events as ip monitor nexthop does, and as JSON', async (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  const child = spawn(process.execPath, [VRFCTL_BIN, '-n', ns, 'monitor', 'nexthop'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const childJ = spawn(process.execPath, [VRFCTL_BIN, '-n', ns, '-j', 'monitor', 'nexthop'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => {
    child.kill('SIGKILL');
    childJ.kill('SIGKILL');
  });
  let out = '';
  let outJ = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  childJ.stdout!.on('data', (d: Buffer) => (outJ += d.toString()));
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // Probe until both monitors listen.
  for (let i = 1; !(out.includes(`id ${1000 + i - 1} `) && outJ.includes(`"id":${1000 + i - 1}`)); i++) {
    if (i > 120) t.fail(`monitors did not start: ${out} ${outJ}`);
    ip(ns, 'nexthop', 'replace', 'id', String(1000 + i), 'blackhole');
    await sleep(500);
  }
  ip(ns, 'nexthop', 'add', 'id', '1', 'via', '10.0.0.2', 'dev', 'v0');
  ip(ns, 'nexthop', 'add', 'id', '10', 'group', '1,2');
  ip(ns, 'nexthop', 'del', 'id', '10');
  const end = Date.now() + 30_000;
  while (!(out.includes('Deleted id 10') && outJ.includes('"action":"deleted","id":10')) && Date.now() < end) await sleep(100);
  t.regex(out, /^\[NEXTHOP\] id 1 via 10\.0\.0\.2 dev v0 scope link$/m);
  t.regex(out, /^\[NEXTHOP\] id 10 group 1,2$/m);
  t.regex(out, /^\[NEXTHOP\] Deleted id 10 group 1,2$/m);
  const events = outJ.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.like(events.find((e) => e.id === 10 && e.action === 'new'), { object: 'nexthop', group: [{ id: 1, weight: 2 }] });
  t.truthy(events.find((e) => e.id === 10 && e.action === 'deleted'));
});

/** A node one-liner run in a namespace (the test's own Node: no other tools needed). */
function nodeIn(ns: string, code: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('BGP unnumbered (the seed): IPv4 loopbacks over an IPv6 link-local nexthop object, onlink, 169.254.0.1 neighbour', async (t) => {
  const host = tempNetns(t);
  const tor = tempNetns(t);
  for (const ns of [host, tor]) spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
  ip(host, 'link', 'add', 'ens3', 'address', '02:00:00:00:00:a0', 'type', 'veth', 'peer', 'name', 'swp1', 'netns', tor);
  ip(tor, 'link', 'set', 'swp1', 'address', '02:00:00:00:00:a1');
  ip(host, 'link', 'set', 'ens3', 'up');
  ip(tor, 'link', 'set', 'swp1', 'up');
  ip(tor, 'addr', 'add', 'fe80::a1/64', 'dev', 'swp1', 'nodad');
  ip(host, 'addr', 'add', 'fe80::a0/64', 'dev', 'ens3', 'nodad');
  ip(tor, 'addr', 'add', '1.1.1.1/32', 'dev', 'lo');
  spawnSync('ip', ['netns', 'exec', tor, 'sysctl', '-qw', 'net.ipv4.conf.all.forwarding=1']);
  // The peer's side, as the switch would have it: the host loopback via the host's link-local.
  ip(tor, 'route', 'add', '2.2.2.2/32', 'via', 'inet6', 'fe80::a0', 'dev', 'swp1');
  ip(tor, 'neigh', 'add', '169.254.0.1', 'lladdr', '02:00:00:00:00:a0', 'dev', 'swp1', 'nud', 'permanent');

  // The host side, all through vrfctl, as FRR's zebra would install it.
  const steps = [
    ['addr', 'add', '2.2.2.2/32', 'dev', 'lo'],
    ['nexthop', 'add', 'id', '100', 'via', 'fe80::a1', 'dev', 'ens3', 'proto', 'zebra'],
    ['nexthop', 'add', 'id', '101', 'via', '169.254.0.1', 'dev', 'ens3', 'onlink', 'proto', 'zebra'],
    ['neigh', 'add', '169.254.0.1', 'lladdr', '02:00:00:00:00:a1', 'dev', 'ens3', 'nud', 'permanent'],
    ['route', 'add', '1.1.1.1/32', 'nhid', '100', 'proto', 'bgp', 'src', '2.2.2.2'],
    ['route', 'add', '1.1.1.0/24', 'nhid', '101', 'proto', 'bgp', 'metric', '20'],
  ];
  for (const s of steps) {
    const r = vrfctl(['-n', host, ...s]);
    t.is(r.code, 0, `${s.join(' ')}: ${r.stderr}`);
  }
  t.is(ip(host, 'route', 'show', '1.1.1.1'), '1.1.1.1 nhid 100 via inet6 fe80::a1 dev ens3 proto bgp src 2.2.2.2 \n');
  t.is(vrfctl(['-n', host, 'route', 'show', '1.1.1.1']).stdout, ip(host, 'route', 'show', '1.1.1.1'));
  t.is(ip(host, 'nexthop', 'show', 'id', '101'), 'id 101 via 169.254.0.1 dev ens3 scope link proto zebra onlink \n');
  t.regex(ip(host, 'neigh', 'show', '169.254.0.1'), /169\.254\.0\.1 dev ens3 lladdr 02:00:00:00:00:a1 PERMANENT/);
  t.regex(ip(host, 'route', 'get', '1.1.1.1'), /1\.1\.1\.1 via inet6 fe80::a1 dev ens3 src 2\.2\.2\.2/);

  // IPv4 traffic between the loopbacks crosses the link with only IPv6 link-locals on it.
  const server = spawn('ip', ['netns', 'exec', tor, process.execPath, '-e',
    "require('net').createServer((s)=>{s.end('hello from 1.1.1.1\\n')}).listen(7007,'1.1.1.1',()=>console.log('up'))"], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => server.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', () => resolve());
    server.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  const client = nodeIn(host, "const s=require('net').connect({host:'1.1.1.1',port:7007,localAddress:'2.2.2.2'});" +
    "s.on('data',(d)=>{process.stdout.write(d);s.end()});s.on('error',(e)=>{console.error(e.message);process.exit(1)})");
  t.is(client.stdout, 'hello from 1.1.1.1\n', client.stderr);
  // And through the onlink 169.254.0.1 nexthop object too: move the /32 onto it.
  t.is(vrfctl(['-n', host, 'route', 'replace', '1.1.1.1/32', 'nhid', '101', 'proto', 'bgp', 'src', '2.2.2.2']).code, 0);
  t.regex(ipRun(host, 'route', 'get', '1.1.1.1').stdout, /via 169\.254\.0\.1 dev ens3/);
  const again = nodeIn(host, "const s=require('net').connect({host:'1.1.1.1',port:7007,localAddress:'2.2.2.2'});" +
    "s.on('data',(d)=>{process.stdout.write(d);s.end()});s.on('error',(e)=>{console.error(e.message);process.exit(1)})");
  t.is(again.stdout, 'hello from 1.1.1.1\n', again.stderr);
});

test('route flush deletes routes of nexthop objects (ip 6.1 resends their resolved hops and is refused)', (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  for (const line of ['nexthop add id 1 via 10.0.0.2 dev v0', 'nexthop add id 2 via 10.0.0.3 dev v0', 'nexthop add id 3 via 2001:db8::2 dev v0',
    'nexthop add id 6 blackhole', 'nexthop add id 10 group 1/2', 'route add 10.7.0.0/16 nhid 1 table 10', 'route add 10.8.0.0/16 nhid 10 table 10',
    'route add 10.6.0.0/16 nhid 6 table 10', 'route add 10.5.0.0/16 via 10.0.0.2 table 10', '-6 route add 2001:db8:9::/48 nhid 3 table 10']) {
    ip(ns, ...line.split(' '));
  }
  // routeSpecOf names a route over a blackhole nexthop as it was added (unicast, nhid), not as
  // dumped (blackhole): a delete by that spec finds it (what vrfctl del --flush-table does).
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  try {
    const r = routes(nl);
    ip(ns, 'route', 'add', '10.4.0.0/16', 'nhid', '6', 'table', '10');
    const listed = r.list({ table: 10 }).find((x) => x.dst === '10.4.0.0/16');
    t.truthy(listed);
    if (listed) r.delete(routeSpecOf(listed));
    t.notRegex(ip(ns, 'route', 'show', 'table', '10'), /10\.4\.0\.0/);
  } finally {
    nl.close();
  }
  // What ip does with them: EINVAL "Nexthop specification and nexthop id are mutually exclusive".
  const theirs = ipRun(ns, 'route', 'flush', 'table', '10');
  t.not(theirs.status, 0, 'iproute2 6.1 cannot flush routes by nhid');
  t.regex(ip(ns, 'route', 'show', 'table', '10'), /nhid 1 /);
  const ours = vrfctlRoute(['-n', ns, 'route', 'flush', 'table', '10']);
  t.is(ours.code, 0, ours.stderr);
  t.is(ip(ns, 'route', 'show', 'table', '10'), '', 'the gateway route, the nhid routes (single, group, blackhole) are gone');
  t.is(vrfctlRoute(['-n', ns, '-6', 'route', 'flush', 'table', '10']).code, 0);
  t.is(ip(ns, '-6', 'route', 'show', 'table', '10'), '');
  t.is(ip(ns, 'nexthop', 'show', 'id', '10'), 'id 10 group 1/2 \n', 'the nexthop objects stay');
});
