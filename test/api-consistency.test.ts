// One API shape for agents across links, addresses, neighbours, routes, rules and nexthops: the
// same `{ signal, timeoutMs }` as each call's last argument (sync and async), the same error
// classes naming the operation, and batches that answer `{ ok, spec, error? }` per spec. The
// monitor takes the same options and its iteration ends on abort.
import test from 'ava';
import { ExistsError, NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { AbortError, openMonitor, openNetlink, type CallOptions } from '@vrfctl/socket';
import { RTNLGRP } from '@vrfctl/rtnetlink';
import { links, linksAsync } from '@vrfctl/link';
import { routes, routesAsync } from '@vrfctl/route';
import { rules, rulesAsync } from '@vrfctl/rule';
import { nexthops, nexthopsAsync } from '@vrfctl/nexthop';
import { ip, tempNetns } from './support/netns.js';

function network(t: Parameters<typeof tempNetns>[0]): string {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  ip(ns, 'link', 'set', 'v1', 'up');
  ip(ns, 'addr', 'add', '10.0.0.1/24', 'dev', 'v0');
  ip(ns, 'neigh', 'add', '10.0.0.2', 'lladdr', '02:00:00:00:00:02', 'dev', 'v0');
  ip(ns, 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'table', '100');
  ip(ns, 'rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100');
  ip(ns, 'nexthop', 'add', 'id', '1', 'via', '10.0.0.2', 'dev', 'v0');
  return ns;
}

/** Each object's duplicate add, the operation it names, and its listing, given the per-call options. */
function syncCalls(nl: ReturnType<typeof openNetlink>) {
  const l = links(nl);
  const r = routes(nl);
  const ru = rules(nl);
  const nh = nexthops(nl);
  return [
    { op: 'link add v0 type veth peer v1', add: (c?: CallOptions) => l.createLink({ name: 'v0', kind: 'veth', peer: { name: 'v1' } }, c), list: (c?: CallOptions) => l.listLinks({}, c) },
    { op: 'address add 10.0.0.1/24 dev v0', add: (c?: CallOptions) => l.addAddress({ dev: 'v0', local: '10.0.0.1/24' }, c), list: (c?: CallOptions) => l.listAddresses({}, c) },
    { op: 'neighbour add 10.0.0.2 dev v0', add: (c?: CallOptions) => l.addNeighbour({ dev: 'v0', dst: '10.0.0.2', lladdr: '02:00:00:00:00:02' }, c), list: (c?: CallOptions) => l.listNeighbours({}, c) },
    { op: 'route add 10.9.0.0/16 table 100', add: (c?: CallOptions) => r.add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 }, c), list: (c?: CallOptions) => r.list({ table: 100 }, c) },
    { op: 'rule add pref 100 from 192.0.2.0/24 lookup 100', add: (c?: CallOptions) => ru.add({ priority: 100, src: '192.0.2.0/24', table: 100 }, c), list: (c?: CallOptions) => ru.list(4, c) },
    { op: 'nexthop add id 1', add: (c?: CallOptions) => nh.add({ id: 1, gateway: '10.0.0.2', dev: 'v0' }, c), list: (c?: CallOptions) => nh.list({}, c) },
  ];
}

function asyncCalls(nl: ReturnType<typeof openNetlink>) {
  const l = linksAsync(nl);
  const r = routesAsync(nl);
  const ru = rulesAsync(nl);
  const nh = nexthopsAsync(nl);
  return [
    { op: 'link add v0 type veth peer v1', add: (c?: CallOptions) => l.createLink({ name: 'v0', kind: 'veth', peer: { name: 'v1' } }, c), list: (c?: CallOptions) => l.listLinks({}, c) },
    { op: 'address add 10.0.0.1/24 dev v0', add: (c?: CallOptions) => l.addAddress({ dev: 'v0', local: '10.0.0.1/24' }, c), list: (c?: CallOptions) => l.listAddresses({}, c) },
    { op: 'neighbour add 10.0.0.2 dev v0', add: (c?: CallOptions) => l.addNeighbour({ dev: 'v0', dst: '10.0.0.2', lladdr: '02:00:00:00:00:02' }, c), list: (c?: CallOptions) => l.listNeighbours({}, c) },
    { op: 'route add 10.9.0.0/16 table 100', add: (c?: CallOptions) => r.add({ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 }, c), list: (c?: CallOptions) => r.list({ table: 100 }, c) },
    { op: 'rule add pref 100 from 192.0.2.0/24 lookup 100', add: (c?: CallOptions) => ru.add({ priority: 100, src: '192.0.2.0/24', table: 100 }, c), list: (c?: CallOptions) => ru.list(4, c) },
    { op: 'nexthop add id 1', add: (c?: CallOptions) => nh.add({ id: 1, gateway: '10.0.0.2', dev: 'v0' }, c), list: (c?: CallOptions) => nh.list({}, c) },
  ];
}

test('sync: every object takes { signal } per call, and a refusal is ExistsError naming the operation', (t) => {
  const ns = network(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  for (const c of syncCalls(nl)) {
    const aborted = AbortSignal.abort();
    const sent = nl.stats.sendCalls;
    t.throws(() => c.list({ signal: aborted }), { instanceOf: AbortError }, c.op);
    t.is(nl.stats.sendCalls, sent, `${c.op}: an aborted call sends nothing`);
    t.true(c.list({ timeoutMs: 5000 }).length > 0, c.op);
    const err = t.throws(() => c.add({ timeoutMs: 5000 }), { instanceOf: ExistsError }, c.op);
    t.true(err instanceof NetlinkError);
    t.is(err?.name, 'ExistsError');
    t.is(err?.message.split(': ')[0], c.op);
  }
});

test('async: the same shapes as Promises', async (t) => {
  const ns = network(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  for (const c of asyncCalls(nl)) {
    await t.throwsAsync(c.list({ signal: AbortSignal.abort() }), { instanceOf: AbortError }, c.op);
    t.true((await c.list({ timeoutMs: 5000 })).length > 0, c.op);
    const err = await t.throwsAsync(c.add({ signal: AbortSignal.timeout(5000) }), { instanceOf: ExistsError }, c.op);
    t.is(err?.message.split(': ')[0], c.op);
  }
});

test('batches answer { ok, spec, error } per spec for every object, errors naming the spec', async (t) => {
  const ns = network(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  const results = [
    await l.batchAddresses('add', [{ dev: 'v0', local: '10.0.0.1/24' }, { dev: 'v0', local: '10.0.0.5/24' }]),
    await l.batchNeighbours('add', [{ dev: 'v0', dst: '10.0.0.2', lladdr: '02:00:00:00:00:02' }, { dev: 'v0', dst: '10.0.0.3', lladdr: '02:00:00:00:00:03' }]),
    await l.batchLinks({ op: 'create', specs: [{ name: 'v0', kind: 'veth', peer: { name: 'v1' } }, { name: 'v5', kind: 'veth', peer: { name: 'v6' } }] }),
    await routesAsync(nl).batch('add', [{ dst: '10.9.0.0/16', gateway: '10.0.0.2', table: 100 }, { dst: '10.8.0.0/16', gateway: '10.0.0.2', table: 100 }]),
    await rulesAsync(nl).batch('add', [{ priority: 100, src: '192.0.2.0/24', table: 100 }, { priority: 101, src: '192.0.2.0/24', table: 100 }]),
    await nexthopsAsync(nl).batch([{ op: 'add', spec: { id: 1, gateway: '10.0.0.2', dev: 'v0' } }, { op: 'add', spec: { id: 2, gateway: '10.0.0.2', dev: 'v0' } }]),
  ];
  const ops = ['address add', 'neighbour add', 'link add', 'route add', 'rule add', 'nexthop add'];
  results.forEach((r, i) => {
    t.deepEqual(r.map((x) => x.ok), [false, true], ops[i]);
    const first = r[0];
    t.true('spec' in first, ops[i]);
    t.true(!first.ok && first.error instanceof ExistsError && first.error.message.startsWith(`${ops[i]} `), ops[i]);
  });
});

test('the monitor takes the same options; its iteration ends when the signal fires', async (t) => {
  const ns = tempNetns(t);
  const ac = new AbortController();
  const mon = openMonitor([RTNLGRP.LINK], { netns: ns, signal: ac.signal });
  const seen: string[] = [];
  const done = (async () => {
    for await (const ev of mon) {
      if (ev.kind === 'message') seen.push(String(ev.message.header.type));
      if (seen.length > 0) ac.abort();
    }
  })();
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  await done;
  t.true(seen.length > 0, 'an event came, then the abort ended the loop');

  const idle = openMonitor([RTNLGRP.LINK], { netns: ns, timeoutMs: 50 });
  t.teardown(() => idle.close());
  await t.throwsAsync(idle.next(), { name: 'TimeoutError' });
});
