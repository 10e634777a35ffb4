// The bridge-CNI scenario (seed 004): the uplink's IPv4 address is copied to the bridge, the
// uplink is enslaved, and its routes move to the bridge most specific first (a default route
// via a gateway can only be added once the gateway's subnet route is there). Also the pod side:
// all routes of the container link replaced by a /32 to the host and a default via it.
// Links and addresses with @vrfctl/link, routes with @vrfctl/route, on the host kernel.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { openNetlink } from '@vrfctl/socket';
import { addressPrefix, linksSync } from '@vrfctl/link';
import { routes, type Route } from '@vrfctl/route';

function netns(t: ExecutionContext, setup: string[][]): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => {
    spawnSync('ip', ['netns', 'del', name]);
  });
  for (const args of [['link', 'set', 'lo', 'up'], ...setup]) execFileSync('ip', ['-n', name, ...args]);
  return name;
}

const HOST = [
  ['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'lan0'],
  ['link', 'set', 'lan0', 'up'],
  ['link', 'set', 'eth0', 'up'],
  ['addr', 'add', '192.168.2.125/24', 'dev', 'eth0'],
  ['route', 'add', 'default', 'via', '192.168.2.1', 'dev', 'eth0', 'metric', '203'],
  ['route', 'add', '10.20.0.0/16', 'via', '192.168.2.254', 'dev', 'eth0'],
  ['link', 'add', 'cni0', 'type', 'bridge'],
  ['link', 'set', 'cni0', 'up'],
];

function prefixLength(r: Route): number {
  return r.dst === undefined ? 0 : Number(r.dst.split('/')[1]);
}

/** Moves every IPv4 main-table route of `from` to `to`, in the order given. */
function moveRoutes(ns: string, list: Route[], to: string): void {
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  try {
    const r = routes(s);
    for (const route of list) {
      const spec = {
        dst: route.dst ?? 'default',
        gateway: route.gateway,
        prefsrc: route.prefsrc,
        metric: route.priority,
        protocol: route.protocol,
        scope: route.scope,
        table: route.table,
      };
      r.delete({ ...spec, dev: route.oif });
      r.add({ ...spec, dev: to });
    }
  } finally {
    s.close();
  }
}

test('CNI bridge: copy the uplink address, enslave it, move its routes most specific first', (t) => {
  const ns = netns(t, HOST);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const links = linksSync(s);

  // Copy the uplink's first IPv4 address to the bridge unless it is already there.
  const uplinkAddrs = links.listAddresses({ dev: 'eth0', family: 4 });
  const gwIp = uplinkAddrs[0].local!;
  t.is(gwIp, '192.168.2.125');
  if (!links.listAddresses({ dev: 'cni0', family: 4 }).some((a) => a.local === gwIp)) {
    links.addAddress({ local: `${gwIp}/32`, dev: 'cni0' });
  }

  // Enslave the uplink unless it already belongs to another master.
  const uplink = links.getLink('eth0');
  const bridge = links.getLink('cni0');
  t.true(uplink.master === undefined || uplink.master === bridge.index);
  links.setLink('eth0', { master: 'cni0' });

  // The uplink's routes, most specific first, moved to the bridge.
  const list = routes(s).list({ dev: 'eth0', family: 4 }).sort((a, b) => prefixLength(b) - prefixLength(a));
  t.deepEqual(list.map((r) => r.dst ?? 'default'), ['192.168.2.0/24', '10.20.0.0/16', 'default']);
  moveRoutes(ns, list, 'cni0');

  t.deepEqual(routes(s).list({ dev: 'eth0', family: 4 }), []);
  const moved = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'route', 'show', 'dev', 'cni0'], { encoding: 'utf8' })) as Array<Record<string, unknown>>;
  t.deepEqual(moved.map((r) => [r.dst, r.gateway, r.protocol, r.prefsrc, r.metric]), [
    // ip -j leaves out "protocol" for boot, the protocol the routes were added with.
    ['default', '192.168.2.1', undefined, undefined, 203],
    ['10.20.0.0/16', '192.168.2.254', undefined, undefined, undefined],
    ['192.168.2.0/24', undefined, 'kernel', '192.168.2.125', undefined],
  ]);
  t.is(links.getLink('eth0').master, bridge.index);
  t.deepEqual(links.listLinks({ master: 'cni0' }).map((l) => l.ifname), ['eth0']);
  t.deepEqual(links.listAddresses({ dev: 'cni0', family: 4 }).map(addressPrefix), ['192.168.2.125/32']);
});

test('CNI bridge: least specific first fails, because the gateway is not reachable yet', (t) => {
  const ns = netns(t, HOST);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const list = routes(s).list({ dev: 'eth0', family: 4 }).sort((a, b) => prefixLength(a) - prefixLength(b));
  t.is(list[0].dst, undefined);
  const err = t.throws(() => moveRoutes(ns, list, 'cni0'), { instanceOf: NetlinkError });
  t.is(err?.code, 'ENETUNREACH');
});

test('CNI pod side: replace the container link routes by a /32 to the host and a default via it', (t) => {
  const ns = netns(t, [
    ['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'veth0c90ef73'],
    ['link', 'set', 'veth0c90ef73', 'up'],
    ['link', 'set', 'eth0', 'up'],
    ['addr', 'add', '192.168.2.167/24', 'dev', 'eth0'],
  ]);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const links = linksSync(s);
  const r = routes(s);
  const container = links.getLink('eth0');
  for (const route of r.list({ dev: container.index, family: 4 })) {
    r.delete({ dst: route.dst ?? 'default', dev: container.index, protocol: route.protocol, scope: route.scope, table: route.table });
  }
  t.deepEqual(r.list({ dev: 'eth0', family: 4 }), []);
  r.add({ dst: '192.168.2.125', dev: container.index, scope: 'link' });
  r.add({ dst: 'default', gateway: '192.168.2.125', prefsrc: '192.168.2.167', dev: container.index });
  const shown = execFileSync('ip', ['-n', ns, 'route', 'show'], { encoding: 'utf8' });
  t.is(shown, 'default via 192.168.2.125 dev eth0 src 192.168.2.167 \n192.168.2.125 dev eth0 scope link \n');
});
