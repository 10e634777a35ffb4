// `vrfctl route show|get|flush` and the error paths against `ip route` on the same kernel.
import test from 'ava';
import { ip, ipRun, routeState } from '../../route/test/netns.js';
import { lines, vrfctlRoute } from './route-helpers.js';
import { same, sameOutput, twins } from './route-twins.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

test('show selectors print as ip prints them (hidden keys included)', (t) => {
  const [ns] = twins(t, [
    ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'metric', '20'],
    ['route', 'add', '10.6.0.0/16', 'via', '192.0.2.1', 'dev', 'v0', 'onlink', 'proto', 'static'],
    ['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100'],
    ['route', 'add', 'unreachable', 'default', 'table', '100', 'metric', '4278198272'],
    ['route', 'add', 'blackhole', '192.0.2.0/24', 'table', '1000', 'proto', '200'],
    ['route', 'add', '10.7.0.0/16', 'nexthop', 'via', '10.0.0.2', 'nexthop', 'via', '192.168.7.2'],
    ['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2'],
  ]);
  const selectors: Array<{ words: string[]; family?: 4 | 6 }> = [
    { words: [] },
    { words: ['list'] },
    { words: ['show', 'dev', 'br0'] },
    { words: ['show', 'proto', 'kernel'] },
    { words: ['show', 'proto', 'static'] },
    { words: ['show', 'table', '100'] },
    { words: ['show', 'table', '1000'] },
    { words: ['show', 'table', 'all'] },
    { words: ['show', 'type', 'unreachable', 'table', 'all'] },
    { words: ['show', 'scope', 'link'] },
    { words: ['show', 'scope', 'link', 'table', 'all'] },
    { words: ['show', '10.9.0.0/16'] },
    { words: ['show', 'exact', '10.9.0.0/16'] },
    { words: ['show', 'root', '10.0.0.0/8'] },
    { words: ['show', 'match', '10.9.1.1'] },
    { words: ['show', 'via', '10.0.0.2'] },
    { words: ['show', 'via', '10.0.0.0/24'] },
    { words: ['show', 'src', '10.0.0.1'] },
    { words: ['show', 'metric', '20'] },
    { words: ['show', 'default', 'table', '100'] },
    { words: ['show', 'table', 'local'] },
    { words: ['show'], family: 6 },
    { words: ['show', 'table', 'local'], family: 6 },
  ];
  for (const s of selectors) sameOutput(t, ns, s.words, s.family);
});

test('route get prints what ip route get prints, text and -j', (t) => {
  const [ns] = twins(t, [
    ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'mtu', 'lock', '1400'],
    ['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100'],
    ['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2'],
    ['rule', 'add', 'fwmark', '7', 'lookup', '100'],
  ]);
  const queries: Array<{ words: string[]; family?: 4 | 6 }> = [
    { words: ['get', '10.0.0.2'] },
    { words: ['get', '10.9.1.1'] },
    { words: ['get', 'to', '10.9.1.1', 'from', '10.0.0.1'] },
    { words: ['get', '10.9.1.1', 'oif', 'v0'] },
    { words: ['get', '10.8.1.1', 'mark', '7'] },
    { words: ['get', '10.9.1.1', 'mark', '20'] },
    { words: ['get', '10.9.1.1', 'ipproto', 'tcp', 'sport', '1000', 'dport', '80'] },
    { words: ['get', '10.9.1.1', 'uid', '1000'] },
    { words: ['get', 'fibmatch', '10.9.1.1'] },
    { words: ['get', '10.0.0.1'] },
    { words: ['get', '10.0.0.255'] },
    { words: ['get', '192.168.7.9', 'from', '10.0.0.1'] },
    { words: ['get', '2001:db8:1::1'], family: 6 },
    { words: ['get', '2001:db8:1::1'] },
    { words: ['get', 'fibmatch', '2001:db8:1::1'] },
  ];
  for (const q of queries) sameOutput(t, ns, q.words, q.family);
});

test('route get with iif (a forwarded packet) equals ip route get', (t) => {
  const [ns] = twins(t, [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']]);
  ip(ns, 'addr', 'add', '10.0.1.1/24', 'dev', 'v1');
  for (const v of ['all', 'v1']) {
    ip(ns, 'netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.conf.${v}.forwarding=1`);
  }
  sameOutput(t, ns, ['get', '10.9.1.1', 'iif', 'v1', 'from', '10.0.1.2']);
});

test('route get of an unreachable destination fails like ip (EHOSTUNREACH), one line', (t) => {
  const [ns] = twins(t, [['route', 'add', 'unreachable', '192.0.2.0/24']]);
  const r = vrfctlRoute(['-n', ns, 'route', 'get', '192.0.2.1']);
  t.is(r.code, EXIT_REFUSED);
  t.is(lines(r.stderr).length, 1);
  t.regex(r.stderr, /EHOSTUNREACH: No route to host/);
  t.regex(ipRun(ns, 'route', 'get', '192.0.2.1').stderr, /No route to host/);
});

test('flush table 100 leaves what ip route flush table 100 leaves', (t) => {
  const extra = [
    ['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100'],
    ['route', 'add', '10.7.0.0/16', 'dev', 'v0', 'table', '100'],
    ['route', 'add', 'unreachable', 'default', 'table', '100'],
    ['route', 'add', '10.6.0.0/16', 'via', '10.0.0.2', 'table', '101'],
    ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2'],
  ];
  same(t, ['flush', 'table', '100'], { extra });
});

test('flush by device and protocol, and of v6 routes, as ip does', (t) => {
  const extra = [
    ['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'proto', 'static'],
    ['route', 'add', '10.7.0.0/16', 'dev', 'v0'],
    ['route', 'add', '10.6.0.0/16', 'dev', 'br0'],
    ['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2'],
    ['route', 'add', '2001:db8:2::/48', 'dev', 'br0'],
  ];
  same(t, ['flush', 'dev', 'v0'], { extra });
  same(t, ['flush', 'proto', 'static'], { extra });
  same(t, ['flush', 'table', 'main'], { extra, family: 6 });
});

test('flush of a table that does not exist: the kernel\'s "FIB table does not exist", EXIT_REFUSED as ip, nothing changed', (t) => {
  const [ns] = twins(t);
  const before = routeState(ns);
  const r = vrfctlRoute(['-n', ns, 'route', 'flush', 'table', '4242']);
  t.is(r.code, EXIT_REFUSED, r.stderr);
  t.regex(r.stderr, /^vrfctl: route flush: ENOENT: [^\n]*FIB table does not exist\n$/);
  t.deepEqual(routeState(ns), before);
});

test('an existing route: EEXIST on one line, EXIT_REFUSED as ip, nothing changed', (t) => {
  const [ns] = twins(t, [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']]);
  const before = routeState(ns);
  const r = vrfctlRoute(['-n', ns, 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']);
  t.is(r.code, EXIT_REFUSED);
  t.is(r.stderr, 'vrfctl: route add: EEXIST: File exists\n');
  t.deepEqual(routeState(ns), before);
});

test('a missing device: ip\'s "Cannot find device" line, EXIT_USAGE as ip, nothing changed', (t) => {
  const [ns] = twins(t);
  const before = routeState(ns);
  const r = vrfctlRoute(['-n', ns, 'route', 'add', '10.9.0.0/16', 'dev', 'nosuch']);
  t.is(r.code, ipRun(ns, 'route', 'add', '10.9.0.0/16', 'dev', 'nosuch').status);
  t.is(r.code, EXIT_USAGE);
  t.is(r.stderr, 'vrfctl: route add: Cannot find device "nosuch"\n');
  t.deepEqual(routeState(ns), before);
});

test('an unreachable gateway: the kernel\'s ext-ack text, EXIT_REFUSED, nothing changed', (t) => {
  const [ns] = twins(t);
  const before = routeState(ns);
  const r = vrfctlRoute(['-n', ns, 'route', 'add', '192.0.2.0/24', 'via', '10.9.9.9', 'table', '100']);
  t.is(r.code, EXIT_REFUSED);
  t.is(lines(r.stderr).length, 1);
  t.regex(r.stderr, /Nexthop has invalid gateway/);
  t.deepEqual(routeState(ns), before);
});

test('a /33: EXIT_USAGE naming the prefix, nothing sent, nothing changed', (t) => {
  const [ns] = twins(t);
  const before = routeState(ns);
  const r = vrfctlRoute(['-n', ns, 'route', 'add', '10.0.0.0/33', 'dev', 'v0']);
  t.is(r.code, EXIT_USAGE);
  t.is(lines(r.stderr).length, 1);
  t.regex(r.stderr, /"10\.0\.0\.0\/33"/);
  t.deepEqual(routeState(ns), before);
  // With --dry-run the bad prefix is refused too, before anything is printed.
  const d = vrfctlRoute(['-n', ns, '--dry-run', 'route', 'add', '10.0.0.0/33', 'dev', 'v0']);
  t.is(d.code, EXIT_USAGE);
  t.is(d.stdout, '');
});

test('other argument errors are one line, EXIT_USAGE, naming the word', (t) => {
  const [ns] = twins(t);
  const bad: Array<[string[], RegExp]> = [
    [['add', '10.9.0.0/16', 'via', 'fe80::1'], /"fe80::1"/],
    [['add', '10.9.0.0/16', 'table', 'nosuchtable'], /"nosuchtable"/],
    [['add', '10.9.0.0/16', 'via', '10.0.0.2', 'metric', 'x'], /metric "x"/],
    [['add', '10.9.0.0/16', 'nexthop', 'via', '10.0.0.2', 'weight', '0'], /weight "0"/],
    [['add', 'via', '10.0.0.2'], /destination/],
    [['add', '10.9.0.0/16', 'via', '10.0.0.2', 'proto', 'nosuchproto'], /"nosuchproto"/],
    [['frobnicate'], /"frobnicate"/],
    [['get'], /destination/],
    [['flush'], /selector/],
  ];
  for (const [words, re] of bad) {
    const r = vrfctlRoute(['-n', ns, 'route', ...words]);
    t.is(r.code, EXIT_USAGE, words.join(' '));
    t.is(lines(r.stderr).length, 1, r.stderr);
    t.regex(r.stderr, re);
  }
});

test('--dry-run prints one readable line per request and changes nothing', (t) => {
  const [ns] = twins(t, [['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100']]);
  const before = routeState(ns);
  const r = vrfctlRoute(['-n', ns, '--dry-run', 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'dev', 'v0', 'table', '1000']);
  t.is(r.code, 0, r.stderr);
  const out = lines(r.stdout);
  t.is(out.length, 1);
  const msg = JSON.parse(out[0]) as { header: { type: string } };
  t.is(msg.header.type, 'RTM_NEWROUTE');
  t.regex(out[0], /RTA_TABLE/);
  const f = vrfctlRoute(['-n', ns, '--dry-run', 'route', 'flush', 'table', '100']);
  t.is(f.code, 0, f.stderr);
  t.is(lines(f.stdout).length, 1);
  t.regex(f.stdout, /RTM_DELROUTE/);
  t.deepEqual(routeState(ns), before);
});
