// Seed 003 (the kernel's VRF documentation): its vrf_create script (mgmt, red, blue, green and
// their ports) built with the library and with the CLI, and every show command it lists
// compared with what iproute2 prints for the same kernel state.
import test from 'ava';
import { createVrf, enslave, listVrfs, showVrf } from '@vrfctl/vrf';
import { ipBatch, ipJson, mustVrfctl, requireLab, session, tempNetns } from './vrf-helpers.js';

test.before(requireLab);

const VRFS: Array<[string, number, string[]]> = [['mgmt', 1, ['eth0']], ['red', 10, ['eth1', 'eth2', 'eth5']], ['blue', 66, ['eth3']], ['green', 81, ['eth4']]];

// The ports and addresses of the document; eth5 stays down, as in its output.
const PORTS = `
  link add eth0 type dummy
  link add eth1 address 02:00:00:00:02:02 type dummy
  link add eth2 address 02:00:00:00:02:03 type dummy
  link add eth3 type dummy
  link add eth4 type dummy
  link add eth5 address 02:00:00:00:02:06 type dummy
  addr add 10.0.0.2/24 dev eth0
  addr add 10.2.1.2/24 dev eth1
  addr add 10.2.2.2/24 dev eth2
  addr add 10.2.3.2/24 dev eth3
  addr add 10.2.4.2/24 dev eth4
  link set eth0 up
  link set eth1 up
  link set eth2 up
  link set eth3 up
  link set eth4 up`;

// After enslaving: the kernel cycles a port when it joins a VRF, and a port going down loses
// its global IPv6 addresses (net.ipv6.conf.*.keep_addr_on_down = 0).
const NEIGHBOURS = `
  addr add 2002:1::2/120 dev eth1 nodad
  addr add 2002:2::2/120 dev eth2 nodad
  neigh add 10.2.1.254 lladdr a6:d9:c7:4f:06:23 dev eth1 nud permanent
  neigh add 10.2.2.254 lladdr 5e:54:01:6a:ee:80 dev eth2 nud reachable
  neigh add 2002:1::64 lladdr a6:d9:c7:4f:06:23 dev eth1 nud permanent`;

interface IpRoute { type?: string; dst: string; dev?: string; metric?: number; gateway?: string; prefsrc?: string }

const byKey = <T>(xs: T[], key: (x: T) => string): T[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)));

test.serial('library: vrf_create, then every `ip … show vrf` agrees with showVrf', (t) => {
  const ns = tempNetns(t);
  ipBatch(ns, PORTS);
  const s = session(t, ns);
  for (const [name, table, ports] of VRFS) {
    // The document's script leaves mgmt without the unreachable default.
    s.run(createVrf(name, table, { defaultUnreachable: name !== 'mgmt' }));
    s.run(enslave(name, ports, { sshConnection: '' }));
  }
  ipBatch(ns, NEIGHBOURS);

  // ip vrf show
  const ipVrfs = ipJson<Array<{ name: string; table: number }>>(ns, 'vrf', 'show');
  const ours = s.run(listVrfs());
  t.deepEqual(ours.map((v) => ({ name: v.name, table: v.table })), ipVrfs);
  t.deepEqual(ours.map((v) => [v.name, v.state, v.ports.map((p) => p.name)]), [
    ['mgmt', 'UP', ['eth0']], ['red', 'UP', ['eth1', 'eth2', 'eth5']], ['blue', 'UP', ['eth3']], ['green', 'UP', ['eth4']],
  ]);

  const red = s.run(showVrf('red'));
  // ip link show vrf red
  const links = ipJson<Array<{ ifindex: number; ifname: string; operstate: string; address: string; master: string }>>(ns, 'link', 'show', 'vrf', 'red');
  t.deepEqual(red.ports.map((p) => ({ ifindex: p.ifindex, ifname: p.name, operstate: p.state, address: p.address, master: 'red' })),
    links.map((l) => ({ ifindex: l.ifindex, ifname: l.ifname, operstate: l.operstate, address: l.address, master: l.master })));
  t.deepEqual(links.map((l) => l.ifname), ['eth1', 'eth2', 'eth5']);

  // ip addr show vrf red
  const addrs = ipJson<Array<{ ifname: string; addr_info: Array<{ family: string; local: string; prefixlen: number; scope: string }> }>>(ns, 'addr', 'show', 'vrf', 'red');
  const theirs = addrs.flatMap((l) => l.addr_info.map((a) => `${l.ifname} ${a.family} ${a.local}/${a.prefixlen} ${a.scope}`));
  const mine = red.addresses.filter((a) => a.dev !== 'red').map((a) => `${a.dev} ${a.family === 6 ? 'inet6' : 'inet'} ${a.local}/${a.prefixlen} ${a.scope}`);
  t.deepEqual(byKey(mine, (x) => x), byKey(theirs, (x) => x));
  t.deepEqual(theirs.filter((x) => x.includes(' 10.2.1.2/') || x.includes(' 2002:2::2/')), ['eth1 inet 10.2.1.2/24 global', 'eth2 inet6 2002:2::2/120 global'], JSON.stringify(theirs));

  // ip route show vrf red, IPv4 and IPv6
  const devName = (i: number | undefined): string | undefined => (i === undefined ? undefined : i === 1 ? 'lo' : [red, ...red.ports].find((p) => ('ifindex' in p ? p.ifindex : 0) === i)?.name);
  for (const [family, flag] of [['inet', '-4'], ['inet6', '-6']] as const) {
    const ipRoutes = ipJson<IpRoute[]>(ns, flag, 'route', 'show', 'vrf', 'red')
      .map((r) => `${r.type ?? 'unicast'} ${r.dst} ${r.dev ?? '-'} ${r.metric ?? '-'}`);
    const ourRoutes = red.routes.filter((r) => r.family === family)
      .map((r) => `${r.type} ${r.dst ?? 'default'} ${devName(r.oif) ?? '-'} ${r.priority ?? '-'}`);
    t.deepEqual(byKey(ourRoutes, (x) => x), byKey(ipRoutes, (x) => x), family);
    t.true(ipRoutes.some((r) => r.startsWith('unreachable default') && r.endsWith(' 4278198272')), family);
  }

  // ip neigh show vrf red (both families)
  const neigh = ipJson<Array<{ dst: string; dev: string; lladdr?: string; state: string[] }>>(ns, 'neigh', 'show', 'vrf', 'red');
  t.deepEqual(byKey(red.neighbours.map((n) => ({ dst: n.dst, dev: n.dev, lladdr: n.lladdr, state: n.state })), (n) => n.dst),
    byKey(neigh.map((n) => ({ dst: n.dst, dev: n.dev, lladdr: n.lladdr, state: n.state })), (n) => n.dst));
  t.is(neigh.length, 3);

  // ip route get 10.2.1.40 vrf red: resolves in table 10 through eth1.
  const got = ipJson<Array<{ dev: string; table?: string; prefsrc: string }>>(ns, 'route', 'get', '10.2.1.40', 'vrf', 'red');
  t.like(got[0], { dev: 'eth1', prefsrc: '10.2.1.2' });
});

test.serial('CLI: the same script through vrfctl gives the kernel state the library gives', (t) => {
  const ns = tempNetns(t);
  ipBatch(ns, PORTS);
  const s = session(t, ns);
  // red and blue through the CLI, mgmt and green through the library (each CLI run costs
  // seconds under TCG; the library path is the one the first test checks in full).
  for (const [name, table, ports] of VRFS) {
    if (name === 'red' || name === 'blue') {
      mustVrfctl('-n', ns, 'add', name, 'table', String(table));
      mustVrfctl('-n', ns, 'enslave', name, ...ports);
    } else {
      s.run(createVrf(name, table, { defaultUnreachable: name !== 'mgmt' }));
      s.run(enslave(name, ports, { sshConnection: '' }));
    }
  }
  t.deepEqual(ipJson(ns, 'vrf', 'show'), VRFS.map(([name, table]) => ({ name, table })));
  t.deepEqual(JSON.parse(mustVrfctl('-n', ns, '-j', 'list')), [
    { name: 'mgmt', table: 1, ifindex: 8, state: 'UP', ports: ['eth0'] },
    { name: 'red', table: 10, ifindex: 9, state: 'UP', ports: ['eth1', 'eth2', 'eth5'] },
    { name: 'blue', table: 66, ifindex: 10, state: 'UP', ports: ['eth3'] },
    { name: 'green', table: 81, ifindex: 11, state: 'UP', ports: ['eth4'] },
  ]);
  const human = mustVrfctl('-n', ns, 'list').split('\n');
  t.regex(human[0], /^Name\s+Table\s+State\s+Ports$/);
  t.regex(human[3], /^red\s+10\s+UP\s+eth1 eth2 eth5$/);
  t.false(ipJson<IpRoute[]>(ns, 'route', 'show', 'vrf', 'mgmt').some((r) => r.type === 'unreachable'));
  t.true(ipJson<IpRoute[]>(ns, 'route', 'show', 'vrf', 'blue').some((r) => r.type === 'unreachable'));
  const text = mustVrfctl('-n', ns, 'show', 'red');
  t.regex(text, /^vrf red table 10 ifindex 9 state UP$/m);
  t.deepEqual(text.split('ports:\n')[1].split('\n').slice(0, 3).map((l) => l.trim().split(/\s+/)[0]), ['eth1', 'eth2', 'eth5']);
  t.regex(text, /^ {4}unreachable default metric 4278198272$/m);
  t.regex(text, /^ {4}10\.2\.1\.0\/24 dev eth1 proto kernel scope link src 10\.2\.1\.2$/m);
  t.regex(text, /^ {4}1000:\tfrom all lookup \[l3mdev-table\]$/m);
});
