// The CNI seed scenario (seed 004) as a plugin would run it on the library, async API only: a
// veth pair whose container end is created in the pod's network namespace, the pod's address
// and routes set up there most specific first (the /32 to the host before the default via it),
// and on the host the uplink's address copied to the bridge, the uplink enslaved and its routes
// moved to the bridge most specific first. State checked with `ip -j` in both namespaces.
import test from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink } from '@vrfctl/socket';
import { addressSpecOf, linksAsync } from '@vrfctl/link';
import { routeSpecOf, routesAsync, type Route } from '@vrfctl/route';
import { ip, tempNetns } from './support/netns.js';

function prefixLength(r: Route): number {
  return r.dst === undefined ? 0 : Number(r.dst.split('/')[1]);
}

function json<T>(ns: string, ...args: string[]): T {
  return JSON.parse(ip(ns, '-j', ...args)) as T;
}

test('CNI: veth into the pod netns, pod address and routes, uplink moved under the bridge (async API)', async (t) => {
  const host = tempNetns(t);
  const pod = tempNetns(t);
  // The host as the seed has it: an uplink with its address and routes.
  for (const args of [
    ['link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'lan0'],
    ['link', 'set', 'lan0', 'up'],
    ['link', 'set', 'eth0', 'up'],
    ['addr', 'add', '192.168.2.125/24', 'dev', 'eth0'],
    ['route', 'add', 'default', 'via', '192.168.2.1', 'dev', 'eth0', 'metric', '203'],
    ['route', 'add', '10.20.0.0/16', 'via', '192.168.2.254', 'dev', 'eth0'],
  ]) ip(host, ...args);

  const hostNl = openNetlink(NETLINK_ROUTE, { netns: host });
  const podNl = openNetlink(NETLINK_ROUTE, { netns: pod });
  t.teardown(() => {
    hostNl.close();
    podNl.close();
  });
  const signal = AbortSignal.timeout(20_000);
  const hl = linksAsync(hostNl, { signal });
  const hr = routesAsync(hostNl, { signal });
  const pl = linksAsync(podNl, { signal });
  const pr = routesAsync(podNl, { signal });

  // The bridge, and the veth pair with its container end created straight in the pod.
  await hl.createLink({ name: 'cni0', kind: 'bridge', up: true });
  await hl.createLink({ name: 'veth0c90ef73', kind: 'veth', master: 'cni0', up: true, peer: { name: 'eth0', netns: pod } });

  // Pod side: address, link up, then its routes replaced by a /32 to the host and a default via
  // it, in one pipelined batch, most specific first (the kernel takes them in order).
  await pl.addAddress({ dev: 'eth0', local: '192.168.2.167/24' });
  await pl.setLink('eth0', { up: true });
  for (const r of await pr.list({ dev: 'eth0', family: 4 })) await pr.delete(routeSpecOf(r));
  const podRoutes = await pr.batch('add', [
    { dst: '192.168.2.125', dev: 'eth0', scope: 'link' },
    { dst: 'default', gateway: '192.168.2.125', prefsrc: '192.168.2.167', dev: 'eth0' },
  ]);
  t.deepEqual(podRoutes.map((r) => r.ok), [true, true]);

  // Host side: copy the uplink's IPv4 address to the bridge unless it is there.
  const uplinkAddr = (await hl.listAddresses({ dev: 'eth0', family: 4 }))[0];
  if (!(await hl.listAddresses({ dev: 'cni0', family: 4 })).some((a) => a.local === uplinkAddr.local)) {
    await hl.addAddress({ ...addressSpecOf(uplinkAddr), dev: 'cni0', local: `${uplinkAddr.local}/32` });
  }
  // Enslave the uplink unless another master has it.
  const uplink = await hl.getLink('eth0');
  const bridge = await hl.getLink('cni0');
  t.true(uplink.master === undefined || uplink.master === bridge.index);
  await hl.setLink('eth0', { master: 'cni0' });
  // Its routes moved to the bridge, most specific first.
  const moving = (await hr.list({ dev: 'eth0', family: 4 })).sort((a, b) => prefixLength(b) - prefixLength(a));
  t.deepEqual(moving.map((r) => r.dst ?? 'default'), ['192.168.2.0/24', '10.20.0.0/16', 'default']);
  for (const r of moving) {
    await hr.delete(routeSpecOf(r));
    await hr.add({ ...routeSpecOf(r), dev: 'cni0' });
  }

  // The pod, as ip sees it.
  type IpLink = { ifname: string; operstate: string; link_netnsid?: number; master?: string };
  const podLinks = json<IpLink[]>(pod, 'link', 'show');
  t.deepEqual(podLinks.map((l) => l.ifname).sort(), ['eth0', 'lo']);
  t.is(typeof podLinks.find((l) => l.ifname === 'eth0')?.link_netnsid, 'number');
  const podAddrs = json<Array<{ ifname: string; addr_info: Array<{ local: string; prefixlen: number }> }>>(pod, '-4', 'addr', 'show', 'dev', 'eth0');
  t.deepEqual(podAddrs[0].addr_info.map((a) => `${a.local}/${a.prefixlen}`), ['192.168.2.167/24']);
  const podTable = json<Array<Record<string, unknown>>>(pod, 'route', 'show');
  t.deepEqual(podTable.map((r) => [r.dst, r.gateway, r.dev, r.prefsrc, r.scope]), [
    ['default', '192.168.2.125', 'eth0', '192.168.2.167', undefined],
    ['192.168.2.125', undefined, 'eth0', undefined, 'link'],
  ]);

  // The host, as ip sees it.
  const hostLinks = json<IpLink[]>(host, 'link', 'show');
  const byName = new Map(hostLinks.map((l) => [l.ifname, l]));
  t.is(byName.get('veth0c90ef73')?.master, 'cni0');
  t.is(byName.get('eth0')?.master, 'cni0');
  t.is(typeof byName.get('veth0c90ef73')?.link_netnsid, 'number');
  t.false(byName.has('eth0') && byName.get('eth0')?.link_netnsid !== undefined, 'the uplink never left the host');
  const hostTable = json<Array<Record<string, unknown>>>(host, 'route', 'show');
  t.deepEqual(hostTable.filter((r) => r.dev === 'eth0'), []);
  t.deepEqual(hostTable.filter((r) => r.dev === 'cni0').map((r) => [r.dst, r.gateway, r.protocol, r.prefsrc, r.metric]), [
    ['default', '192.168.2.1', undefined, undefined, 203],
    ['10.20.0.0/16', '192.168.2.254', undefined, undefined, undefined],
    ['192.168.2.0/24', undefined, 'kernel', '192.168.2.125', undefined],
  ]);
  const bridgeAddrs = json<Array<{ addr_info: Array<{ local: string; prefixlen: number }> }>>(host, '-4', 'addr', 'show', 'dev', 'cni0');
  t.deepEqual(bridgeAddrs[0].addr_info.map((a) => `${a.local}/${a.prefixlen}`), ['192.168.2.125/32']);
});
