// Batches of specs for every object: names looked up once, every spec checked before anything
// is sent, a result per spec whose error names it; errors are typed and name the operation.
import test from 'ava';
import { ExistsError, NETLINK_ROUTE, NotFoundError } from '@vrfctl/netlink';
import { AbortError, openNetlink } from '@vrfctl/socket';
import { ArgumentError, DeviceNotFoundError } from '@vrfctl/iproute2';
import { linksAsync } from '@vrfctl/link';
import { rulesAsync } from '@vrfctl/rule';
import { routeChangeRequest, routesAsync } from '../src/index.js';
import { basicSocket, ip, tempNetns } from './netns.js';

function ipJson(ns: string, ...args: string[]): Array<Record<string, unknown>> {
  return JSON.parse(ip(ns, '-j', ...args)) as Array<Record<string, unknown>>;
}

test('routes: batch resolves dev once, gives a result per spec, and each failure names its route', async (t) => {
  const { ns, nl } = basicSocket(t);
  const r = routesAsync(nl);
  const specs = [
    { dst: '10.9.0.0/16', gateway: '10.0.0.2', dev: 'v0', table: 100 },
    { dst: '10.8.0.0/16', dev: 'v0', table: 100 },
    { dst: '10.9.0.0/16', gateway: '10.0.0.2', dev: 'v0', table: 100 },
  ];
  const results = await r.batch('add', specs);
  t.deepEqual(results.map((x) => x.ok), [true, true, false]);
  const failed = results[2];
  if (!failed.ok) {
    t.true(failed.error instanceof ExistsError);
    t.is(failed.error.name, 'ExistsError');
    t.is(failed.error.message, 'route add 10.9.0.0/16 dev v0 table 100: File exists (EEXIST)');
    t.is(failed.spec, specs[2]);
  }
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '100').map((x) => [x.dst, x.dev]), [['10.8.0.0/16', 'v0'], ['10.9.0.0/16', 'v0']]);

  // Bad input changes nothing: a bad spec or an unknown name fails before anything is sent.
  await t.throwsAsync(r.batch('add', [{ dst: '10.7.0.0/16', dev: 'v0', table: 100 }, { dst: '10.6.0.0/33', table: 100 }]), {
    instanceOf: ArgumentError,
    message: /^spec 2 of 2 \(route add 10\.6\.0\.0\/33 table 100\): /,
  });
  await t.throwsAsync(r.batch('add', [{ dst: '10.7.0.0/16', dev: 'v0', table: 100 }, { dst: '10.6.0.0/16', dev: 'nope0', table: 100 }]), {
    instanceOf: DeviceNotFoundError,
  });
  await t.throwsAsync(r.batch('add', [{ dst: '10.7.0.0/16', vrf: 'blue' }]), { instanceOf: ArgumentError, message: /blue/ });
  t.is(ipJson(ns, 'route', 'show', 'table', '100').length, 2);
  t.is(ipJson(ns, 'route', 'show', '10.7.0.0/16').length, 0, 'nothing went to main');
});

test('the encoder refuses a spec whose names were not looked up instead of dropping them', (t) => {
  t.throws(() => routeChangeRequest('add', { dst: '10.0.0.0/24', dev: 'eth0' }, { hopIndexes: [] }), { instanceOf: ArgumentError, message: /dev "eth0" not resolved/ });
  t.throws(() => routeChangeRequest('add', { dst: '10.0.0.0/24', vrf: 'blue' }, { hopIndexes: [] }), { instanceOf: ArgumentError, message: /vrf "blue" not resolved/ });
  t.throws(() => routeChangeRequest('add', { dst: '10.0.0.0/24', nexthops: [{ gateway: '10.0.0.2', dev: 'eth0' }] }, { hopIndexes: [] }), {
    instanceOf: ArgumentError,
    message: /nexthop 1 dev "eth0"/,
  });
});

test('list({table}) without a family is ENOENT for a table the kernel does not have, as ip says', async (t) => {
  const ns = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const r = routesAsync(nl);
  const err = await t.throwsAsync(r.list({ table: 4242 }), { instanceOf: NotFoundError });
  t.is(err?.code, 'ENOENT');
  await r.add({ dst: '2001:db8:1::/48', type: 'blackhole', table: 4242 });
  t.deepEqual((await r.list({ table: 4242 })).map((x) => x.dst), ['2001:db8:1::/48'], 'a table of one family is listed');
});

test('rules, addresses, neighbours and links: batch with a result per spec', async (t) => {
  const { ns, nl } = basicSocket(t);
  const rules = await rulesAsync(nl).batch('add', [
    { priority: 100, src: '192.0.2.0/24', table: 100 },
    { priority: 101, src: '198.51.100.0/24', table: 100 },
    { priority: 100, src: '192.0.2.0/24', table: 100 },
  ]);
  t.deepEqual(rules.map((x) => x.ok), [true, true, false]);
  t.regex(rules[2].ok ? '' : rules[2].error.message, /^rule add pref 100 from 192\.0\.2\.0\/24 lookup 100: File exists \(EEXIST\)/);

  const l = linksAsync(nl);
  const addrs = await l.batchAddresses('add', [
    { dev: 'v0', local: '10.1.0.1/24' },
    { dev: 'v1', local: '10.1.1.1/24' },
    { dev: 'v0', local: '10.1.0.1/24' },
  ]);
  t.deepEqual(addrs.map((x) => x.ok), [true, true, false]);
  t.regex(addrs[2].ok ? '' : addrs[2].error.message, /^address add 10\.1\.0\.1\/24 dev v0: /);
  const neigh = await l.batchNeighbours('add', [{ dev: 'v0', dst: '10.0.0.9', lladdr: '02:00:00:00:00:09' }]);
  t.true(neigh[0].ok);
  t.is(ipJson(ns, 'neigh', 'show', 'dev', 'v0').filter((n) => n.dst === '10.0.0.9').length, 1);
  const links = await l.batchLinks({ op: 'create', specs: [{ name: 'va0', kind: 'veth', peer: { name: 'vb0' } }, { name: 'v0', kind: 'veth', peer: { name: 'vc0' } }] });
  t.deepEqual(links.map((x) => x.ok), [true, false]);
  const dels = await l.batchLinks({ op: 'delete', specs: ['va0'] });
  t.true(dels[0].ok);

  // One options shape everywhere: an aborted signal stops the call before anything is sent.
  await t.throwsAsync(linksAsync(nl, { signal: AbortSignal.abort() }).listLinks(), { instanceOf: AbortError });
  await t.throwsAsync(routesAsync(nl).list({}, { signal: AbortSignal.abort() }), { instanceOf: AbortError });
});
