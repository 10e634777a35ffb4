import test, { type ExecutionContext } from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openMonitor, openNetlink, type Monitor, type MonitorEvent, type NetlinkSocket } from '../src/index.js';
import { RTM_NEWROUTE, RTNLGRP_IPV4_ROUTE, hostAddress, newRoute, tempNetns } from './helpers.js';

/** A monitor of IPv4 route events and a socket to make them, in a new netns. */
function routeMonitor(t: ExecutionContext): { mon: Monitor; s: NetlinkSocket } {
  const ns = tempNetns(t);
  const mon = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns });
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => {
    mon.close();
    s.close();
  });
  return { mon, s };
}

test('a monitor sees route events', async (t) => {
  const { mon, s } = routeMonitor(t);
  const first = mon.next();
  await s.ackAsync(newRoute({ dst: '10.5.0.1', len: 32, oif: 1 }));
  const ev = (await first).value as MonitorEvent;
  t.is(ev.kind, 'message');
  if (ev.kind === 'message') {
    t.is(ev.message.header.type, RTM_NEWROUTE);
    t.deepEqual([...ev.message.payload.subarray(0, 2)], [2, 32]);
  }
});

test('a small-buffer monitor flooded with route events reports an overrun, and close() ends it', async (t) => {
  const ns = tempNetns(t);
  const mon = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns, rcvbuf: 1 });
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  // The batch runs synchronously, so the monitor cannot read meanwhile: its buffer overflows.
  const results = s.batch(Array.from({ length: 2000 }, (_, i) => newRoute({ dst: hostAddress(i + 1), len: 32, oif: 1 })));
  t.true(results.every((r) => r.ok));
  let messages = 0;
  let overruns = 0;
  for await (const ev of mon) {
    if (ev.kind === 'overrun') overruns++;
    else messages++;
    if (overruns > 0 && messages > 0) break; // break calls return(): closes the monitor
  }
  t.true(overruns >= 1, 'the loss was reported');
  t.true(messages >= 1);
  t.true(messages < 2000, `only ${messages} of 2000 events fit`);
  t.true(mon.socket.isClosed);
  t.deepEqual(await mon.next(), { value: undefined, done: true });
});

// #19 item 5: a monitor lost tens of thousands of events with no report. The kernel reports
// ENOBUFS once until the queue empties (and never with NETLINK_NO_ENOBUFS); its drop counter
// (SO_MEMINFO) counts every lost notification, reported or not.
test('kernelDrops counts every notification lost, also those no ENOBUFS reported', (t) => {
  const ns = tempNetns(t);
  const mon = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns, rcvbuf: 1, noEnobufs: true });
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => {
    mon.close();
    s.close();
  });
  t.is(mon.socket.kernelDrops, 0);
  const results = s.batch(Array.from({ length: 2000 }, (_, i) => newRoute({ dst: hostAddress(i + 1), len: 32, oif: 1 })));
  t.true(results.every((r) => r.ok));
  let messages = 0;
  let overruns = 0;
  for (let ev = mon.receiveSync(200); ev !== undefined; ev = mon.receiveSync(200)) {
    if (ev.kind === 'overrun') overruns++;
    else messages++;
  }
  t.is(overruns, 0, 'NETLINK_NO_ENOBUFS: no overrun reported');
  // One notification per route: each one either arrived or was counted as dropped.
  t.is(messages + mon.socket.kernelDrops, 2000, `${messages} arrived, ${mon.socket.kernelDrops} dropped`);
  t.true(mon.socket.kernelDrops > 0);
});

test('close() ends a pending next()', async (t) => {
  const ns = tempNetns(t);
  const mon = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns });
  const p = mon.next();
  setTimeout(() => mon.close(), 20);
  t.deepEqual(await p, { value: undefined, done: true });
});

test('receiveSync gets events without the event loop', (t) => {
  const { mon, s } = routeMonitor(t);
  t.is(mon.receiveSync(10), undefined);
  s.ack(newRoute({ dst: '10.6.0.1', len: 32, oif: 1 }));
  const ev = mon.receiveSync(1000);
  t.is(ev?.kind, 'message');
});

test('a monitor with a sized buffer keeps up with 20,000 route events: all seen, no overrun', async (t) => {
  const ns = tempNetns(t);
  const count = 20_000;
  const mon = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns, rcvbuf: 32 * 1024 * 1024 });
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => {
    mon.close();
    s.close();
  });
  // The install runs on the event loop too (batchAsync), so the monitor reads as events arrive.
  const install = s.batchAsync(Array.from({ length: count }, (_, i) => newRoute({ dst: hostAddress(i + 1), len: 32, oif: 1 })));
  let messages = 0;
  let overruns = 0;
  for await (const ev of mon) {
    if (ev.kind === 'overrun') overruns++;
    else if (ev.message.header.type === RTM_NEWROUTE) messages++;
    if (messages + overruns >= count || overruns > 0) break;
  }
  t.true((await install).every((r) => r.ok));
  t.is(overruns, 0);
  t.is(messages, count);
});
