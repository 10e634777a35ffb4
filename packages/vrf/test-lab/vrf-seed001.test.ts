// Seed 001 (multi-homing): four VRFs, each network with its own default gateway, the
// l3mdev_accept sysctls, and the policy-routing alternative (`ip rule from SUBNET lookup N`).
import test from 'ava';
import { createVrf, enslave, setVrfSysctls, showVrf, readSysctl } from '@vrfctl/vrf';
import { addRoute } from '@vrfctl/route';
import { addRule } from '@vrfctl/rule';
import { ipBatch, ipJson, requireLab, session, tempNetns } from './vrf-helpers.js';

test.before(requireLab);

const NETS: Array<[string, number, string, string, string]> = [
  // vrf, table, port, address, gateway
  ['mgmt', 1, 'mgmtbr0', '192.168.0.10/24', '192.168.0.1'],
  ['pub', 10, 'pubbr0', '172.16.0.10/24', '172.16.0.1'],
  ['storacc', 20, 'storaccbr0', '10.10.4.10/24', '10.10.4.1'],
  ['storrepl', 30, 'storreplbr0', '10.10.5.10/24', '10.10.5.1'],
];

test.serial('four VRFs, one default gateway each; lookups in each VRF leave through its own gateway', (t) => {
  const ns = tempNetns(t);
  ipBatch(ns, NETS.map(([, , port, addr]) => `link add ${port} type dummy\naddr add ${addr} dev ${port}\nlink set ${port} up`).join('\n'));
  const s = session(t, ns);
  for (const [vrf, table, port, , gw] of NETS) {
    s.run(createVrf(vrf, table, { rtTablesName: false }));
    s.run(enslave(vrf, [port], { sshConnection: '' }));
    const index = ipJson<Array<{ ifindex: number }>>(ns, 'link', 'show', port)[0].ifindex;
    // `ip route add vrf VRF default via GW`, through the route package's plan.
    s.run(addRoute({ dst: 'default', gateway: gw, dev: index, table }));
  }
  t.deepEqual(ipJson(ns, 'route', 'show', 'default'), []);
  for (const [vrf, , port, , gw] of NETS) {
    const got = ipJson<Array<{ gateway?: string; dev: string }>>(ns, 'route', 'get', 'vrf', vrf, '8.8.8.8');
    t.like(got[0], { gateway: gw, dev: port }, vrf);
    t.true(s.run(showVrf(vrf)).routes.some((r) => r.dst === undefined && r.gateway === gw), vrf);
  }
  // Without a VRF, nothing reaches 8.8.8.8: every default gateway lives in a VRF table.
  t.throws(() => ipJson(ns, 'route', 'get', '8.8.8.8'));

  const changes = setVrfSysctls(['net.ipv4.tcp_l3mdev_accept=1', 'net.ipv4.udp_l3mdev_accept=1'], { netns: ns });
  t.deepEqual(changes.map((c) => [c.key, c.previous, c.value]), [['net.ipv4.tcp_l3mdev_accept', 0, 1], ['net.ipv4.udp_l3mdev_accept', 0, 1]]);
  t.is(readSysctl('net.ipv4.udp_l3mdev_accept', { netns: ns }), 1);
  t.is(readSysctl('net.vrf.strict_mode', { netns: ns }), 0);
});

test.serial('policy routing alternative: `rule from SUBNET lookup N` sends that subnet through table N', (t) => {
  const ns = tempNetns(t);
  ipBatch(ns, `
    link add mgmtbr0 type dummy
    addr add 192.168.0.10/24 dev mgmtbr0
    link set mgmtbr0 up
    link add pubbr0 type dummy
    addr add 172.16.0.10/24 dev pubbr0
    link set pubbr0 up
    route add default via 172.16.0.1 dev pubbr0
    route add default via 192.168.0.1 dev mgmtbr0 table 1`);
  const s = session(t, ns);
  s.run(addRule({ priority: 100, src: '192.168.0.0/24', table: 1 }));
  const rules = ipJson<Array<{ priority: number; src?: string; srclen?: number; table: string }>>(ns, 'rule', 'show');
  t.true(rules.some((r) => r.priority === 100 && r.src === '192.168.0.0' && r.srclen === 24 && r.table === '1'));
  const fromMgmt = ipJson<Array<{ gateway?: string; dev: string }>>(ns, 'route', 'get', '8.8.8.8', 'from', '192.168.0.10');
  t.like(fromMgmt[0], { gateway: '192.168.0.1', dev: 'mgmtbr0' });
  const fromPub = ipJson<Array<{ gateway?: string; dev: string }>>(ns, 'route', 'get', '8.8.8.8', 'from', '172.16.0.10');
  t.like(fromPub[0], { gateway: '172.16.0.1', dev: 'pubbr0' });

  // The two combine: a VRF on table 1 shows the rule that also looks its table up.
  ipBatch(ns, 'route del default via 192.168.0.1 dev mgmtbr0 table 1');
  s.run(createVrf('mgmt', 1));
  t.true(s.run(showVrf('mgmt')).rules.some((r) => r.src === '192.168.0.0/24' && r.table === 1));
});
