// netplan and systemd-networkd as apply/diff inputs and export targets: the same VRFs written
// three ways give the same Desired and the same `diff`, exports read back to what they came
// from, and every key we do not map is an error naming it. (The kernel side, apply in each
// form, is in test-lab/formats-vrf.test.ts.)
import test from 'ava';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSource } from '../src/apply/formats/read.js';
import { SchemaError, type Desired } from '../src/apply/schema.js';
import { EXIT_USAGE } from '../src/errors.js';
import { ipIn, lanNetns, vrfctlIn } from './batch-helpers.js';
import { vrfctl } from './cli.js';

// What all three forms can say: VRFs, ports, routes without a device, rules.
const OURS = `
vrfs:
  blue:
    table: 1001
    ports: [eth1]
    routes:
      - to: 198.51.100.0/24
        type: blackhole
      - to: 203.0.113.0/24
        type: unreachable
        metric: 50
      - to: 2001:db8:20::/48
        type: prohibit
    rules:
      - priority: 100
        from: 192.0.2.0/24
  green:
    table: 1002
    ports: [eth2, eth3]
`;

const NETPLAN_EQUIVALENT = `
network:
  version: 2
  renderer: networkd
  vrfs:
    blue:
      table: 1001
      interfaces: [eth1]
      routes:
        - to: 198.51.100.0/24
          type: blackhole
        - to: 203.0.113.0/24
          type: unreachable
          metric: 50
        - to: 2001:db8:20::/48
          type: prohibit
      routing-policy:
        - priority: 100
          from: 192.0.2.0/24
          table: 1001
    green:
      table: 1002
      interfaces: [eth2, eth3]
`;

const NETWORKD_EQUIVALENT: Record<string, string> = {
  'blue.netdev': '[NetDev]\nName=blue\nKind=vrf\n\n[VRF]\nTable=1001\n',
  'green.netdev': '# an older networkd spelling\n[NetDev]\nName=green\nKind=vrf\n[VRF]\nTableId=1002\n',
  'blue.network': '[Match]\nName=blue\n\n[Route]\nDestination=198.51.100.0/24\nType=blackhole\n\n[Route]\nDestination=203.0.113.0/24\nType=unreachable\nMetric=50\n' +
    '[Route]\nDestination=2001:db8:20::/48\nType=prohibit\n\n[RoutingPolicyRule]\nFrom=192.0.2.0/24\nPriority=100\nTable=1001\n',
  '10-eth1.network': '[Match]\nName=eth1\n[Network]\nVRF=blue\n',
  'eth2.network': '[Match]\nName=eth2\n[Network]\nVRF=green\n',
  'eth3.network': '[Match]\nName=eth3\n[Network]\nVRF=green\n',
};

// Routes through a gateway: netplan's vrfs routes name no device, networkd's always sit on one.
const OURS_VIA = `
vrfs:
  blue:
    table: 1001
    ports: [eth1]
    routes:
      - to: default
        via: 192.0.2.1
      - to: 10.20.0.0/16
        via: 192.0.2.254
        metric: 50
        onlink: true
      - to: 2001:db8:30::/48
        via: 2001:db8:f::1
        src: 2001:db8:f::2
`;
const NETPLAN_VIA = `
network:
  vrfs:
    blue:
      table: 1001
      interfaces: [eth1]
      routes:
        - {to: default, via: 192.0.2.1}
        - {to: 10.20.0.0/16, via: 192.0.2.254, metric: 50, on-link: true}
        - {to: "2001:db8:30::/48", via: "2001:db8:f::1", from: "2001:db8:f::2"}
`;
const OURS_DEV = OURS_VIA.replace(/(\n {8}via: [^\n]*)/g, '$1\n        dev: eth1');
const NETWORKD_DEV: Record<string, string> = {
  'blue.netdev': '[NetDev]\nName=blue\nKind=vrf\n[VRF]\nTable=1001\n',
  'eth1.network': '[Match]\nName=eth1\n[Network]\nVRF=blue\n[Route]\nGateway=192.0.2.1\n' +
    '[Route]\nDestination=10.20.0.0/16\nGateway=192.0.2.254\nMetric=50\nGatewayOnLink=yes\n' +
    '[Route]\nDestination=2001:db8:30::/48\nGateway=2001:db8:f::1\nPreferredSource=2001:db8:f::2\n',
};

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vrfctl-formats-'));
}

function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function networkdDir(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) write(dir, name, text);
  return dir;
}

/** What apply acts on, without the source paths (which name each format's own keys). */
function content(d: Desired): unknown {
  const strip = <T extends { path: string }>(xs: T[]) => xs.map(({ path: _p, ...rest }) => JSON.stringify(rest)).sort();
  return { vrfs: strip(d.vrfs), routes: strip(d.routes), rules: strip(d.rules), sysctls: strip(d.sysctls) };
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof SchemaError) return err.problems;
    throw err;
  }
  return [];
}

test('the same VRFs as ours, netplan and networkd give the same Desired', (t) => {
  const dir = tempDir();
  const ours = readSource(write(dir, 'ours.yaml', OURS));
  const netplan = readSource(write(dir, 'netplan.yaml', NETPLAN_EQUIVALENT));
  const networkd = readSource(networkdDir(NETWORKD_EQUIVALENT));
  t.deepEqual([ours.format, netplan.format, networkd.format], ['vrfctl', 'netplan', 'networkd']);
  t.is(ours.desired.vrfs.length, 2);
  t.is(ours.desired.routes.length, 3);
  t.deepEqual(content(netplan.desired), content(ours.desired));
  t.deepEqual(content(networkd.desired), content(ours.desired));
});

test('routes through a gateway: netplan as ours without dev, networkd as ours with the device its file is for', (t) => {
  const dir = tempDir();
  t.deepEqual(content(readSource(write(dir, 'np.yaml', NETPLAN_VIA)).desired), content(readSource(write(dir, 'ours.yaml', OURS_VIA)).desired));
  const viaDev = readSource(write(dir, 'ours-dev.yaml', OURS_DEV)).desired;
  t.is(viaDev.routes.filter((r) => r.dev === 'eth1').length, 3);
  t.deepEqual(content(readSource(networkdDir(NETWORKD_DEV)).desired), content(viaDev));
});

test('export netplan then read back gives the same Desired (and the netplan text is netplan)', (t) => {
  const dir = tempDir();
  // netplan routes take no device: ours without dev:, as netplan would hold it.
  const src = write(dir, 'ours.yaml', OURS + OURS_VIA.replace('vrfs:\n  blue:\n    table: 1001\n    ports: [eth1]\n', '  red:\n    table: 1003\n    ports: [eth4]\n'));
  const r = vrfctl(['export', 'netplan', src]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /^network:\n {2}version: 2\n {2}vrfs:\n {4}blue:\n {6}table: 1001\n {6}interfaces:\n/);
  t.notRegex(r.stdout, /dev:/);
  const back = readSource(write(dir, 'back.yaml', r.stdout));
  t.is(back.format, 'netplan');
  t.deepEqual(content(back.desired), content(readSource(src).desired));
});

test('export networkd writes .netdev/.network files (0644) that read back to the same Desired', (t) => {
  const dir = tempDir();
  const out = join(dir, 'network');
  const src = write(dir, 'ours.yaml', `${OURS}    loopback: true\n` + OURS_DEV.replace('vrfs:\n  blue:\n    table: 1001\n    ports: [eth1]\n', '  red:\n    table: 1003\n    ports: [eth1]\n').replace(/eth1/g, 'eth4'));
  const r = vrfctl(['export', 'networkd', src, out]);
  t.is(r.code, 0, r.stderr);
  t.deepEqual(readdirSync(out).sort(), ['blue.netdev', 'blue.network', 'eth1.network', 'eth2.network', 'eth3.network', 'eth4.network', 'green.netdev', 'green.network', 'red.netdev', 'red.network']);
  t.is(statSync(join(out, 'blue.netdev')).mode & 0o777, 0o644);
  t.is(readFileSync(join(out, 'blue.netdev'), 'utf8'), '[NetDev]\nName=blue\nKind=vrf\n\n[VRF]\nTable=1001\n');
  t.is(readFileSync(join(out, 'eth1.network'), 'utf8'), '[Match]\nName=eth1\n\n[Network]\nVRF=blue\n');
  t.regex(readFileSync(join(out, 'eth4.network'), 'utf8'), /^\[Match\]\nName=eth4\n\n\[Network\]\nVRF=red\n\n\[Route\]\nDestination=0\.0\.0\.0\/0\nGateway=192\.0\.2\.1\n/);
  t.regex(readFileSync(join(out, 'green.network'), 'utf8'), /\[Address\]\nAddress=127\.0\.0\.1\/8\n\n\[Address\]\nAddress=::1\/128\n/);
  const back = readSource(out);
  t.is(back.format, 'networkd');
  t.true(back.desired.vrfs.find((v) => v.name === 'green')?.loopback);
  t.deepEqual(content(back.desired), content(readSource(src).desired));
});

test('netplan keys vrfctl does not map are errors naming them, all at once', (t) => {
  const dir = tempDir();
  const found = problems(() => readSource(write(dir, 'np.yaml', `
network:
  version: 2
  ethernets:
    eth0: {dhcp4: true}
  vrfs:
    blue:
      table: 1001
      mtu: 9000
      routes:
        - to: 10.0.0.0/8
          via: 192.0.2.1
          congestion-window: 10
        - to: 10.1.0.0/16
          via: 192.0.2.1
          table: 1002
      routing-policy:
        - from: 192.0.2.0/24
          priority: 10
          type-of-service: 8
`)));
  t.true(found.some((p) => p.startsWith('network.ethernets: ')), found.join('\n'));
  t.true(found.some((p) => p.startsWith('network.vrfs.blue.mtu: ')));
  t.true(found.some((p) => p.startsWith('network.vrfs.blue.routes[0].congestion-window: ')));
  t.true(found.some((p) => p.startsWith('network.vrfs.blue.routes[1].table: 1002 is not the VRF\'s table')));
  t.true(found.some((p) => p.startsWith('network.vrfs.blue.routing-policy[0].type-of-service: ')));
  t.is(found.length, 5, found.join('\n'));
});

test('networkd files, sections and keys vrfctl does not map are errors naming file and line', (t) => {
  const found = problems(() => readSource(networkdDir({
    'blue.netdev': '[NetDev]\nName=blue\nKind=vrf\nMTUBytes=9000\n[VRF]\nTable=1001\n',
    'bond0.netdev': '[NetDev]\nName=bond0\nKind=bond\n',
    '99-default.link': '[Link]\nNamePolicy=kernel\n',
    'eth0.network': '[Match]\nName=eth0\n[Network]\nDHCP=yes\n',
    'eth1.network': '[Match]\nName=eth1\n[Network]\nVRF=blue\nDNS=192.0.2.53\n',
    'eth2.network': '[Match]\nName=eth2 eth3\n[Network]\nVRF=red\n',
  })));
  const expect = [
    /^blue\.netdev:4: \[NetDev\] MTUBytes=: not mapped/,
    /^bond0\.netdev: Kind=bond: vrfctl maps only Kind=vrf/,
    /^99-default\.link: not a \.netdev or \.network file/,
    /^eth0\.network:4: \[Network\] DHCP=: not mapped/,
    /^eth0\.network: \[Match\] Name=eth0 is neither a VRF nor one of its ports/,
    /^eth1\.network:5: \[Network\] DNS=: not mapped/,
    /^eth2\.network:2: \[Match\] Name=: vrfctl needs one device name/,
  ];
  for (const re of expect) t.true(found.some((p) => re.test(p)), `${re}\n${found.join('\n')}`);
});

test('a .network file given instead of its directory, and syntax errors, are refused with exit 1 naming them', (t) => {
  const dir = networkdDir({ 'blue.netdev': '[NetDev]\nName=blue\nKind=vrf\n[VRF]\nTable=1001\n' });
  const r1 = vrfctl(['diff', join(dir, 'blue.netdev')]);
  t.is(r1.code, EXIT_USAGE);
  t.regex(r1.stderr, /give the directory that holds the networkd files/);
  const bad = networkdDir({ 'x.netdev': 'Name=blue\n' });
  const r2 = vrfctl(['diff', bad]);
  t.is(r2.code, EXIT_USAGE);
  t.is(r2.stderr, 'vrfctl: diff: x.netdev:1: "Name" is outside any [Section]\n');
});

test('export refuses what the target format cannot say, writes nothing, and names our path', (t) => {
  const dir = tempDir();
  const src = write(dir, 'ours.yaml', 'vrfs:\n  mgmt:\n    table: 1000\n    loopback: true\nsysctls:\n  net.ipv4.tcp_l3mdev_accept: 1\n');
  const r = vrfctl(['export', 'netplan', src]);
  t.is(r.code, EXIT_USAGE);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^vrfctl: export: vrfs\.mgmt\.loopback: netplan's vrfs: take no addresses/m);
  t.regex(r.stderr, /^vrfctl: export: sysctls\.net\.ipv4\.tcp_l3mdev_accept: netplan has no sysctls/m);
  const out = join(dir, 'nd');
  mkdirSync(out);
  const r2 = vrfctl(['export', 'networkd', src, out]);
  t.is(r2.code, EXIT_USAGE);
  t.deepEqual(readdirSync(out), []);
  t.is(vrfctl(['export', 'ifupdown', src]).code, EXIT_USAGE);
});

test('diff prints the same plan for the three forms in a namespace (host kernel)', (t) => {
  const ns = lanNetns(t);
  for (const [a, b] of [['eth1', 'p1'], ['eth2', 'p2'], ['eth3', 'p3']]) ipIn(ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b);
  const dir = tempDir();
  const outputs = [write(dir, 'ours.yaml', OURS), write(dir, 'netplan.yaml', NETPLAN_EQUIVALENT), networkdDir(NETWORKD_EQUIVALENT)].map((f) => vrfctlIn(ns, ['diff', f]));
  for (const o of outputs) t.is(o.code, 0, o.stderr);
  t.regex(outputs[0].stdout, /^\+ vrf blue table 1001/m);
  t.is(outputs[1].stdout, outputs[0].stdout);
  t.is(outputs[2].stdout, outputs[0].stdout);
});
