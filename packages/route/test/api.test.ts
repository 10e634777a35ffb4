// The library through its conveniences: routes(nl) synchronously, routesAsync(nl) and runAsync
// on the event loop, checked against what `ip` sees in the namespace.
import test from 'ava';
import { NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { openNetlink, runAsync } from '@vrfctl/socket';
import { ArgumentError, DeviceNotFoundError } from '@vrfctl/iproute2';
import { addRoute, listRoutes, routes, routesAsync } from '../src/index.js';
import { basicNetwork, basicSocket, ip, routeState, tempNetns } from './netns.js';

function ipJson(ns: string, ...args: string[]): Array<Record<string, unknown>> {
  return JSON.parse(ip(ns, '-j', ...args)) as Array<Record<string, unknown>>;
}

test('sync: add, list, get, change, delete as ip sees them', (t) => {
  const { ns, nl } = basicSocket(t);
  const r = routes(nl);

  r.add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100, metric: 5 });
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '100'), [{ dst: '10.9.0.0/16', gateway: '10.0.0.2', dev: 'v0', metric: 5, flags: [] }]);

  const listed = r.list({ table: 100 });
  t.is(listed.length, 1);
  t.like(listed[0], { dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100, priority: 5, protocol: 'boot', type: 'unicast' });

  // Table 100 is not consulted without a rule; the lookup goes by main.
  t.like(r.get({ to: '10.0.0.2', from: '10.0.0.1' }), { dst: '10.0.0.2/32', src: '10.0.0.1/32', gateway: undefined });
  t.like(r.get({ to: '10.0.0.7', fibmatch: true }), { dst: '10.0.0.0/24', protocol: 'kernel' });
  t.throws(() => r.get({ to: '10.9.1.1' }), { instanceOf: NetlinkError, message: /ENETUNREACH/ });
  t.is(r.get({ to: '10.0.0.2' }).prefsrc, '10.0.0.1');

  r.replace({ dst: '10.9.0.0/16', gateway: '10.0.0.3', table: 100, metric: 5 });
  t.is(ipJson(ns, 'route', 'show', 'table', '100')[0].gateway, '10.0.0.3');

  const err = t.throws(() => r.add({ dst: '10.9.0.0/16', gateway: '10.0.0.3', table: 100, metric: 5 }), { instanceOf: NetlinkError });
  t.is(err?.code, 'EEXIST');

  r.delete({ dst: '10.9.0.0/16', table: 100 });
  t.deepEqual(r.list({ table: 100 }), []);
});

test('sync: devices by name or index, VRF and device errors are typed', (t) => {
  const { ns, nl } = basicSocket(t);
  const r = routes(nl);
  r.add({ dst: '10.7.0.0/16', dev: 'v0' });
  const v0 = r.list({ exact: '10.7.0.0/16' })[0].oif;
  t.truthy(v0);
  r.add({ dst: '10.6.0.0/16', dev: v0! });
  t.deepEqual(r.list({ dev: 'v0', family: 4 }).map((x) => x.dst), ['10.0.0.0/24', '10.6.0.0/16', '10.7.0.0/16']);
  const before = routeState(ns);
  t.throws(() => r.add({ dst: '10.5.0.0/16', dev: 'nosuch' }), { instanceOf: DeviceNotFoundError, message: 'Cannot find device "nosuch"' });
  t.throws(() => r.add({ dst: '10.5.0.0/16', gateway: '10.0.0.2', vrf: 'v0' }), { instanceOf: ArgumentError, message: /not a VRF/ });
  t.throws(() => r.add({ dst: '10.5.0.0/33', dev: 'v0' }), { instanceOf: ArgumentError, message: /"10\.5\.0\.0\/33"/ });
  t.deepEqual(routeState(ns), before);
});

test('list: filters the kernel cannot apply are applied here (type, scope, prefixes, vrf-like hiding)', (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  for (const argv of [
    ['route', 'add', 'unreachable', '192.0.2.0/24', 'table', '100'],
    ['route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100', 'proto', 'static'],
    ['route', 'add', 'local', '10.8.1.1', 'dev', 'v0', 'table', '100'],
    ['route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2', 'table', '100'],
  ]) ip(ns, ...argv);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const r = routes(nl);
  t.deepEqual(r.list({ table: 100 }).map((x) => x.dst).sort(), ['10.8.0.0/16', '10.8.1.1/32', '192.0.2.0/24', '2001:db8:1::/48']);
  t.deepEqual(r.list({ table: 100, family: 6 }).map((x) => x.dst), ['2001:db8:1::/48']);
  t.deepEqual(r.list({ table: 100, type: 'unreachable' }).map((x) => x.dst), ['192.0.2.0/24']);
  t.deepEqual(r.list({ table: 100, protocol: 'static' }).map((x) => x.dst), ['10.8.0.0/16']);
  t.deepEqual(r.list({ table: 100, scope: 'host' }).map((x) => x.dst), ['10.8.1.1/32']);
  t.deepEqual(r.list({ table: 100, root: '10.8.0.0/16' }).map((x) => x.dst).sort(), ['10.8.0.0/16', '10.8.1.1/32']);
  t.deepEqual(r.list({ table: 100, match: '10.8.1.1' }).map((x) => x.dst).sort(), ['10.8.0.0/16', '10.8.1.1/32']);
  t.deepEqual(r.list({ table: 'all', via: '10.0.0.2' }).map((x) => x.dst), ['10.8.0.0/16']);
});

test('async: the same plans through runAsync and routesAsync, flush pipelined', async (t) => {
  const { ns, nl } = basicSocket(t);
  await runAsync(nl, addRoute({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 1000 }));
  const r = routesAsync(nl);
  await r.add({ dst: '2001:db8:9::/48', dev: 'v0', table: 1000 });
  for (let i = 0; i < 50; i++) await r.add({ dst: `10.10.${i}.0/24`, dev: 'v0', table: 1000, protocol: 'static' });
  t.is((await runAsync(nl, listRoutes({ table: 1000 }))).length, 52);
  t.deepEqual(ipJson(ns, '-6', 'route', 'show', 'table', '1000'), [{ dst: '2001:db8:9::/48', dev: 'v0', metric: 1024, flags: [], pref: 'medium' }]);

  const flushed = await r.flush({ table: 1000, protocol: 'static' });
  t.is(flushed.deleted.length, 50);
  t.deepEqual(flushed.failed, []);
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '1000').map((x) => x.dst), ['10.9.0.0/16']);

  const all = await r.flush({ table: 1000 });
  t.is(all.deleted.length, 2);
  t.deepEqual(await r.list({ table: 1000 }).catch(() => []), []);
  const got = await r.get({ to: '10.0.0.2' });
  t.is(got.oif, (await r.list({ exact: '10.0.0.0/24' }))[0].oif);
});
