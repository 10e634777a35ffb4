// Lab (vrf driver): the same VRFs written as our YAML, as netplan YAML and as networkd files
// leave the same kernel state when applied, and each form's `diff` says "no changes" against
// the state another form made. export then re-import applies to the same state too.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asSet } from '../../../test/support/sets.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

function ip(ns: string, ...args: string[]): string {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function netns(t: { teardown(fn: () => void): void }): string {
  const ns = `vrfctl-f-${randomBytes(5).toString('hex')}`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  ip(ns, 'link', 'set', 'lo', 'up');
  spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.addr_gen_mode=1']);
  for (const [a, b] of [['eth1', 'p1'], ['eth2', 'p2']]) {
    ip(ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b);
    ip(ns, 'link', 'set', a, 'up');
    ip(ns, 'link', 'set', b, 'up');
  }
  ip(ns, 'addr', 'add', '192.0.2.2/24', 'dev', 'eth1');
  return ns;
}

function vrfctl(ns: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '-n', ns, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'vrfctl-f-'));
}

function file(text: string, name = 'vrfs.yaml'): string {
  const p = join(dir(), name);
  writeFileSync(p, text);
  return p;
}

function networkd(files: Record<string, string>): string {
  const d = dir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(d, name), text);
  return d;
}

function snapshot(ns: string): unknown {
  return ['route show table all', '-6 route show table all', 'rule show', '-6 rule show', 'link show', 'addr show'].map((c) => {
    const rows = JSON.parse(ip(ns, '-j', ...c.split(' '))) as Record<string, unknown>[];
    // ifindex numbers and random MACs differ between two namespaces: compare what was configured.
    return asSet(rows.map((r) => ({ ...r, ifindex: undefined, link_index: undefined, address: undefined })));
  });
}

const OURS = `
vrfs:
  blue:
    table: 1001
    ports: [eth1]
    routes:
      - to: 10.20.0.0/16
        via: 192.0.2.254
        dev: eth1
        metric: 50
      - to: 198.51.100.0/24
        type: blackhole
    rules:
      - priority: 100
        from: 203.0.113.0/24
  green:
    table: 1002
    ports: [eth2]
    loopback: true
`;

const NETWORKD = {
  'blue.netdev': '[NetDev]\nName=blue\nKind=vrf\n[VRF]\nTable=1001\n',
  'green.netdev': '[NetDev]\nName=green\nKind=vrf\n[VRF]\nTable=1002\n',
  'blue.network': '[Match]\nName=blue\n[Route]\nDestination=198.51.100.0/24\nType=blackhole\n[RoutingPolicyRule]\nFrom=203.0.113.0/24\nPriority=100\nTable=1001\n',
  'green.network': '[Match]\nName=green\n[Address]\nAddress=127.0.0.1/8\n[Address]\nAddress=::1/128\n',
  'eth1.network': '[Match]\nName=eth1\n[Network]\nVRF=blue\n[Route]\nDestination=10.20.0.0/16\nGateway=192.0.2.254\nMetric=50\n',
  'eth2.network': '[Match]\nName=eth2\n[Network]\nVRF=green\n',
};

// netplan's vrfs: routes carry no device and VRFs no addresses: the same VRFs without those.
const OURS_NETPLAN_SHAPED = OURS.replace('        dev: eth1\n', '').replace('    loopback: true\n', '');
const NETPLAN = `
network:
  version: 2
  vrfs:
    blue:
      table: 1001
      interfaces: [eth1]
      routes:
        - {to: 10.20.0.0/16, via: 192.0.2.254, metric: 50}
        - {to: 198.51.100.0/24, type: blackhole}
      routing-policy:
        - {from: 203.0.113.0/24, priority: 100, table: 1001}
    green:
      table: 1002
      interfaces: [eth2]
`;

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
});

test('ours and networkd: applying either gives the same kernel state, and each diff says no changes against the other', (t) => {
  const a = netns(t);
  const b = netns(t);
  const ours = file(OURS);
  const nd = networkd(NETWORKD);
  t.is(vrfctl(a, 'apply', ours).code, 0);
  const applied = vrfctl(b, 'apply', nd);
  t.is(applied.code, 0, applied.stderr);
  t.deepEqual(snapshot(b), snapshot(a));
  t.is(vrfctl(a, 'diff', nd).stdout, 'no changes\n');
  t.is(vrfctl(b, 'diff', ours).stdout, 'no changes\n');
  t.regex(ip(b, 'route', 'show', 'vrf', 'blue'), /^10\.20\.0\.0\/16 via 192\.0\.2\.254 dev eth1 proto 240 metric 50/m);
  t.regex(ip(b, 'addr', 'show', 'green'), /inet 127\.0\.0\.1\/8/);
});

test('ours and netplan: the same kernel state and no changes across forms; netplan drift is shown', (t) => {
  const a = netns(t);
  const b = netns(t);
  const ours = file(OURS_NETPLAN_SHAPED);
  const np = file(NETPLAN, '60-vrfs.yaml');
  t.is(vrfctl(a, 'apply', ours).code, 0);
  const applied = vrfctl(b, 'apply', np);
  t.is(applied.code, 0, applied.stderr);
  t.deepEqual(snapshot(b), snapshot(a));
  t.is(vrfctl(a, 'diff', np).stdout, 'no changes\n');
  // Drift: a route removed by hand is what diff of the netplan file shows, without netplan apply.
  ip(b, 'route', 'del', '10.20.0.0/16', 'table', '1001');
  t.is(vrfctl(b, 'diff', np).stdout, '+ route 10.20.0.0/16 via 192.0.2.254 metric 50 table 1001\n');
});

test('export networkd and export netplan, applied, reach the state of the file they came from', (t) => {
  const a = netns(t);
  const b = netns(t);
  const c = netns(t);
  const ours = file(OURS);
  const out = join(dir(), 'network');
  t.is(vrfctl(a, 'export', 'networkd', ours, out).code, 0);
  t.is(vrfctl(a, 'apply', ours).code, 0);
  t.is(vrfctl(b, 'apply', out).code, 0);
  t.deepEqual(snapshot(b), snapshot(a));
  const plain = file(OURS_NETPLAN_SHAPED);
  const exported = vrfctl(c, 'export', 'netplan', plain);
  t.is(exported.code, 0, exported.stderr);
  t.is(vrfctl(c, 'apply', file(exported.stdout)).code, 0);
  t.is(vrfctl(c, 'diff', plain).stdout, 'no changes\n');
});
