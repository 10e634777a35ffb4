// The library through its conveniences: nexthops(nl) synchronously and nexthopsAsync(nl) on the
// event loop, in a throwaway namespace, checked against what `ip` sees there.
import test from 'ava';
import { NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { openNetlink } from '@vrfctl/socket';
import { ArgumentError, DeviceNotFoundError } from '@vrfctl/iproute2';
import { nexthops, nexthopsAsync } from '../src/index.js';
import { basicNetwork, basicSocket, ip, tempNetns } from '../../route/test/netns.js';

const ipJson = (ns: string, ...args: string[]) => JSON.parse(ip(ns, '-j', ...args)) as Array<Record<string, unknown>>;

test('sync: add objects and groups, list with kernel-side filters, get, replace, delete', (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge');
  ip(ns, 'link', 'set', 'v1', 'master', 'br0');
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const nh = nexthops(nl);

  nh.add({ id: 1, gateway: '10.0.0.2', dev: 'v0' });
  nh.add({ id: 2, gateway: '2001:db8::2', dev: 'v0', protocol: 'bgp' });
  nh.add({ id: 3, dev: 'v1' });
  nh.add({ id: 4, blackhole: true });
  nh.add({ id: 10, group: [{ id: 1, weight: 3 }, { id: 3 }] });
  nh.add({ id: 11, group: [{ id: 1 }, { id: 3 }], groupType: 'resilient', resilient: { buckets: 16, idleTimer: 5 } });
  nh.add({ id: 20, gateway: '10.0.0.4', fdb: true });
  t.deepEqual(ipJson(ns, 'nexthop', 'show', 'id', '10'), [{ id: 10, group: [{ id: 1, weight: 3 }, { id: 3 }], flags: [] }]);

  const all = nh.list();
  t.deepEqual(all.map((n) => n.id), [1, 2, 3, 4, 10, 11, 20]);
  t.like(nh.get(2), { family: 'inet6', gateway: '2001:db8::2', protocol: 'bgp' });
  t.deepEqual(nh.list({ groups: true }).map((n) => n.id), [10, 11]);
  t.deepEqual(nh.list({ dev: 'v0' }).map((n) => n.id), [1, 2]);
  t.deepEqual(nh.list({ master: 'br0' }).map((n) => n.id), [3]);
  t.deepEqual(nh.list({ fdb: true }).map((n) => n.id), [20]);
  t.deepEqual(nh.list({ protocol: 'bgp' }).map((n) => n.id), [2]);
  t.deepEqual(nh.list({ id: 4 }).map((n) => n.blackhole), [true]);
  t.like(nh.get(11).resilient, { buckets: 16, idleTimer: 500 });

  const buckets = nh.buckets({ id: 11 });
  t.is(buckets.length, 16);
  t.true(buckets.every((b) => b.id === 11 && [1, 3].includes(b.bucket!.nhId!)));
  t.deepEqual(nh.buckets({ nhid: 3 }).map((b) => b.bucket!.nhId), Array(8).fill(3));
  t.is(nh.bucket(11, 5).bucket!.index, 5);

  // One replace moves every route that uses the group.
  ip(ns, 'route', 'add', '10.9.0.0/16', 'nhid', '10');
  nh.replace({ id: 10, group: [{ id: 1 }] });
  t.regex(ip(ns, 'route', 'show', '10.9.0.0/16'), /^10\.9\.0\.0\/16 nhid 10 via 10\.0\.0\.2 dev v0 $/m);

  nh.delete(2);
  t.throws(() => nh.get(2), { instanceOf: NetlinkError, message: /ENOENT/ });
  t.is(t.throws(() => nh.add({ id: 1, gateway: '10.0.0.2', dev: 'v0' }), { instanceOf: NetlinkError })?.code, 'EEXIST');
  t.throws(() => nh.add({ id: 5, gateway: '10.0.0.2', dev: 'nosuch' }), { instanceOf: DeviceNotFoundError });
  t.throws(() => nh.add({ id: 5, gateway: 'not-an-ip', dev: 'v0' }), { instanceOf: ArgumentError });
  t.throws(() => nh.add({ id: 5, blackhole: true, dev: 'v0' }), { instanceOf: ArgumentError });
  t.deepEqual(ipJson(ns, 'nexthop', 'show').map((n) => n.id), [1, 3, 4, 10, 11, 20], 'refused adds changed nothing');
});

test('flush: groups first with no selector, by device, by id; batch pipelines many changes', (t) => {
  const { ns, nl } = basicSocket(t);
  const nh = nexthops(nl);
  const results = nh.batch([
    ...Array.from({ length: 8 }, (_, i) => ({ op: 'add' as const, spec: { id: i + 1, gateway: `10.0.0.${i + 2}`, dev: 'v0' } })),
    { op: 'add', spec: { id: 100, group: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 4 }] } },
    { op: 'add', spec: { id: 101, group: [{ id: 5 }, { id: 6 }, { id: 7 }, { id: 8 }] } },
    { op: 'add', spec: { id: 1, gateway: '10.0.0.2', dev: 'v0' } },
  ]);
  t.deepEqual(results.map((r) => r.ok), [...Array(10).fill(true), false]);
  t.is(ipJson(ns, 'nexthop', 'show').length, 10);
  t.deepEqual(nh.flush({ id: 101 }).deleted.map((n) => n.id), [101]);
  t.deepEqual(nh.flush({ dev: 'v0', protocol: 'static' }), { deleted: [], failed: [] });
  const flushed = nh.flush();
  t.deepEqual(flushed.deleted.map((n) => n.id), [100, 1, 2, 3, 4, 5, 6, 7, 8]);
  t.deepEqual(flushed.failed, []);
  t.deepEqual(ipJson(ns, 'nexthop', 'show'), []);
});

test('async: the same operations on the event loop', async (t) => {
  const { ns, nl } = basicSocket(t);
  const nh = nexthopsAsync(nl);
  await nh.add({ id: 1, gateway: '10.0.0.2', dev: 'v0' });
  await nh.add({ id: 2, gateway: 'fe80::a1', dev: 'v0' });
  await nh.add({ id: 10, group: [{ id: 1 }], groupType: 'resilient', resilient: { buckets: 4 } });
  t.deepEqual((await nh.list()).map((n) => n.id), [1, 2, 10]);
  t.is((await nh.get(2)).gateway, 'fe80::a1');
  t.is((await nh.buckets({ id: 10 })).length, 4);
  await nh.replace({ id: 1, gateway: '10.0.0.3', dev: 'v0' });
  t.is(ipJson(ns, 'nexthop', 'show', 'id', '1')[0].gateway, '10.0.0.3');
  await nh.delete({ id: 2 });
  await t.throwsAsync(nh.get(2), { instanceOf: NetlinkError });
  t.deepEqual((await nh.flush()).deleted.map((n) => n.id), [10, 1]);
});
