// Routes in VRFs, where a VRF can exist (the lab kernel: tools/lab/run). Run with
//   npx tsc -p tsconfig.lab.json && tools/lab/run -- node node_modules/ava/entrypoints/cli.mjs --config ava.lab.config.mjs build/lab/packages/route/test-lab/route-vrf.test.js
// vrf NAME resolves to the VRF's table (add, del, show) or to its device (get), as in ip.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applySetup, basicNetwork, ip, routeState, settle, tempNetns } from '../test/netns.js';
import { lines, maskSeqPid, splitMessages, vrfctlRoute } from '../../vrfctl/test/route-helpers.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../../vrfctl/src/errors.js';

// Lab tests run compiled under build/lab, from the repository root.
const root = process.cwd();

function vrfNetwork(ns: string): void {
  basicNetwork(ns);
  ip(ns, 'link', 'add', 'blue', 'type', 'vrf', 'table', '10');
  ip(ns, 'link', 'set', 'blue', 'up');
  ip(ns, 'link', 'set', 'v0', 'master', 'blue');
  ip(ns, 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'vrf', 'blue');
  ip(ns, 'route', 'add', 'unreachable', 'default', 'vrf', 'blue', 'metric', '4278198272');
  settle(ns);
}

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the vrf driver');
});

for (const name of ['route-add-vrf', 'route-del-vrf', 'route-add-unreachable-default']) {
  test(`golden vrf/${name} with the real VRF`, (t) => {
    const fx = JSON.parse(readFileSync(join(root, 'test/golden/fixtures/vrf', `${name}.json`), 'utf8')) as {
      command: string[]; setup: string[][]; requests: string[];
    };
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    const words = fx.command.slice(fx.command.indexOf('route') + 1);
    const r = vrfctlRoute(['-n', ns, '--dry-run', '--hex', 'route', ...words]);
    t.is(r.code, 0, r.stderr);
    const expected = fx.requests.flatMap(splitMessages).filter((m) => [24, 25].includes(m.readUInt16LE(4))).map((m) => maskSeqPid(m.toString('hex')));
    t.deepEqual(lines(r.stdout), expected);
  });
}

test('route add/del vrf NAME change what ip changes', (t) => {
  const a = tempNetns(t);
  const b = tempNetns(t);
  vrfNetwork(a);
  vrfNetwork(b);
  t.is(vrfctlRoute(['-n', a, 'route', 'add', '10.7.0.0/16', 'via', '10.0.0.3', 'vrf', 'blue']).code, 0);
  ip(b, 'route', 'add', '10.7.0.0/16', 'via', '10.0.0.3', 'vrf', 'blue');
  t.deepEqual(routeState(a), routeState(b));
  t.is(vrfctlRoute(['-n', a, 'route', 'del', '10.9.0.0/16', 'vrf', 'blue']).code, 0);
  ip(b, 'route', 'del', '10.9.0.0/16', 'vrf', 'blue');
  t.deepEqual(routeState(a), routeState(b));
});

test('route show vrf NAME prints what ip prints (local and broadcast hidden)', (t) => {
  const ns = tempNetns(t);
  vrfNetwork(ns);
  for (const words of [['show', 'vrf', 'blue'], ['show', 'table', '10'], ['show', 'table', 'all']]) {
    const text = vrfctlRoute(['-n', ns, 'route', ...words]);
    t.is(text.code, 0, text.stderr);
    t.is(text.stdout, ip(ns, 'route', ...words), words.join(' '));
    const json = vrfctlRoute(['-n', ns, '-j', 'route', ...words]);
    t.deepEqual(JSON.parse(json.stdout), JSON.parse(ip(ns, '-j', 'route', ...words)), words.join(' '));
  }
  t.regex(ip(ns, 'route', 'show', 'table', '10'), /local 10\.0\.0\.1/);
  t.notRegex(vrfctlRoute(['-n', ns, 'route', 'show', 'vrf', 'blue']).stdout, /local/);
});

test('route get vrf NAME looks up in the VRF, as ip does', (t) => {
  const ns = tempNetns(t);
  vrfNetwork(ns);
  for (const words of [['get', '10.9.1.1', 'vrf', 'blue'], ['get', 'fibmatch', '10.9.1.1', 'vrf', 'blue'], ['get', '10.0.0.5', 'vrf', 'blue']]) {
    const ours = vrfctlRoute(['-n', ns, '-j', 'route', ...words]);
    const theirs = JSON.parse(ip(ns, '-j', 'route', ...words)) as unknown;
    t.is(ours.code, 0, ours.stderr);
    t.deepEqual(JSON.parse(ours.stdout), theirs, words.join(' '));
  }
  // The VRF's unreachable default: both refuse the lookup.
  const refused = vrfctlRoute(['-n', ns, 'route', 'get', '192.0.2.1', 'vrf', 'blue']);
  t.is(refused.code, EXIT_REFUSED);
  t.regex(refused.stderr, /EHOSTUNREACH/);
  t.throws(() => ip(ns, 'route', 'get', '192.0.2.1', 'vrf', 'blue'), { message: /No route to host/ });
  t.is(vrfctlRoute(['-n', ns, 'route', 'get', '10.9.1.1', 'vrf', 'v0']).code, EXIT_USAGE);
});

test('route flush vrf NAME empties the VRF table but its local routes', (t) => {
  const a = tempNetns(t);
  const b = tempNetns(t);
  vrfNetwork(a);
  vrfNetwork(b);
  t.is(vrfctlRoute(['-n', a, 'route', 'flush', 'vrf', 'blue']).code, 0);
  ip(b, 'route', 'flush', 'vrf', 'blue');
  t.deepEqual(routeState(a), routeState(b));
});

// Only a VRF's IFLA_INFO_DATA holds a table: a VLAN's attribute 1 is its 2-byte id, a bond's is
// its mode, an ipvlan's its 2-byte mode. Reading attribute 1 of any kind as a u32 failed every
// route command on such hosts.
test('route show/add/get vrf NAME with a VLAN, a bond and an ipvlan present, as ip', (t) => {
  const a = tempNetns(t);
  const b = tempNetns(t);
  for (const ns of [a, b]) {
    vrfNetwork(ns);
    // Fixed MACs: the link-local addresses (and so the routes compared) must not differ between a and b.
    ip(ns, 'link', 'add', 'd0', 'address', '02:00:00:00:00:d0', 'type', 'dummy');
    ip(ns, 'link', 'add', 'link', 'd0', 'name', 'd0.7', 'type', 'vlan', 'id', '7');
    ip(ns, 'link', 'add', 'bond0', 'address', '02:00:00:00:00:b0', 'type', 'bond', 'mode', 'active-backup');
    // Left down: it shares d0's MAC, and brings no addresses or routes to compare.
    ip(ns, 'link', 'add', 'link', 'd0', 'name', 'ipv0', 'type', 'ipvlan', 'mode', 'l2');
    ip(ns, 'link', 'set', 'd0', 'up');
    ip(ns, 'link', 'set', 'd0.7', 'up');
    ip(ns, 'addr', 'add', '10.77.0.1/24', 'dev', 'd0.7');
    settle(ns);
  }
  const kinds = JSON.parse(ip(a, '-j', '-d', 'link', 'show')) as Array<{ linkinfo?: { info_kind?: string } }>;
  t.deepEqual(['bond', 'ipvlan', 'vlan', 'vrf'].filter((k) => kinds.some((l) => l.linkinfo?.info_kind === k)), ['bond', 'ipvlan', 'vlan', 'vrf']);
  for (const words of [['show'], ['show', 'table', 'all'], ['show', 'vrf', 'blue'], ['show', 'dev', 'd0.7']]) {
    const text = vrfctlRoute(['-n', a, 'route', ...words]);
    t.is(text.code, 0, text.stderr);
    t.is(text.stdout, ip(a, 'route', ...words), words.join(' '));
    const json = vrfctlRoute(['-n', a, '-j', 'route', ...words]);
    t.deepEqual(JSON.parse(json.stdout), JSON.parse(ip(a, '-j', 'route', ...words)), words.join(' '));
  }
  t.is(vrfctlRoute(['-n', a, 'route', 'add', '10.8.0.0/16', 'via', '10.77.0.2', 'dev', 'd0.7']).code, 0);
  ip(b, 'route', 'add', '10.8.0.0/16', 'via', '10.77.0.2', 'dev', 'd0.7');
  t.is(vrfctlRoute(['-n', a, 'route', 'add', '10.6.0.0/16', 'via', '10.0.0.3', 'vrf', 'blue']).code, 0);
  ip(b, 'route', 'add', '10.6.0.0/16', 'via', '10.0.0.3', 'vrf', 'blue');
  t.deepEqual(routeState(a), routeState(b));
  // A VLAN, a bond or an ipvlan named as a VRF is refused before anything is sent.
  for (const dev of ['d0.7', 'bond0', 'ipv0']) {
    const r = vrfctlRoute(['-n', a, 'route', 'show', 'vrf', dev]);
    t.not(r.code, 0);
    t.regex(r.stderr, new RegExp(`invalid vrf "${dev.replace('.', '\\.')}": not a VRF device`));
  }
  const got = vrfctlRoute(['-n', a, '-j', 'route', 'get', '10.9.1.1', 'vrf', 'blue']);
  t.deepEqual(JSON.parse(got.stdout), JSON.parse(ip(a, '-j', 'route', 'get', '10.9.1.1', 'vrf', 'blue')));
});
