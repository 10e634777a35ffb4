import test from 'ava';
import { NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { openNetlink, type BatchResult, type Request } from '../src/index.js';
import { hostAddress, newRoute, routeDump, tempNetns, RTM_NEWROUTE } from './helpers.js';

/** 1000 route adds where every 10th repeats the one before it (so it must fail with EEXIST). */
function routesWithDuplicates(): { reqs: Request[]; duplicate: boolean[] } {
  const reqs: Request[] = [];
  const duplicate: boolean[] = [];
  let n = 0;
  for (let i = 0; i < 1000; i++) {
    const dup = i % 10 === 9;
    if (!dup) n++;
    reqs.push(newRoute({ dst: hostAddress(n), len: 32, oif: 1 }));
    duplicate.push(dup);
  }
  return { reqs, duplicate };
}

function check(t: import('ava').ExecutionContext, results: BatchResult[], duplicate: boolean[]): void {
  t.is(results.length, duplicate.length);
  results.forEach((r, i) => {
    if (duplicate[i]) {
      t.false(r.ok, `request ${i} should fail`);
      if (!r.ok) {
        t.true(r.error instanceof NetlinkError);
        t.is(r.error.code, 'EEXIST');
      }
    } else {
      t.true(r.ok, `request ${i} should succeed`);
    }
  });
}

function countRoutes(s: ReturnType<typeof openNetlink>): number {
  // Host routes in table main that we added (10.0.0.0/8, /32).
  return s.dump(routeDump).filter((m) => m.header.type === RTM_NEWROUTE && m.payload[1] === 32 && m.payload[4] === 254).length;
}

test('batch: 1000 route adds with duplicates give per-request results in order', (t) => {
  const ns = tempNetns(t);
  // A small receive buffer forces many chunks: the window must keep ACKs from overflowing it.
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 64 * 1024 });
  t.teardown(() => s.close());
  const { reqs, duplicate } = routesWithDuplicates();
  check(t, s.batch(reqs), duplicate);
  t.true(s.stats.sendCalls > 1, `chunked into ${s.stats.sendCalls} sends`);
  t.true(s.stats.sendCalls < 100);
  t.is(s.stats.overruns, 0);
  // ACKs are read many per recvmmsg call, not one recvfrom each.
  t.true(s.stats.recvCalls * 4 < s.stats.datagrams, `${s.stats.recvCalls} reads for ${s.stats.datagrams} datagrams`);
  t.is(countRoutes(s), 900);
});

/** The same route over and over (all but the first fail with EEXIST), padded to about size bytes. */
function largeFailingRequests(count: number, size: number): Request[] {
  const base = newRoute({ dst: '10.2.0.1', len: 32, oif: 1 });
  const req: Request = {
    ...base,
    encode: (b) => {
      base.encode?.(b);
      // An attribute type rtnetlink ignores, so the kernel reads it, fails with EEXIST and
      // echoes the whole request in the error ACK.
      const at = b.reserve(size);
      b.raw.fill(0, at, at + size);
      b.raw.writeUInt16LE(size, at);
      b.raw.writeUInt16LE(1000, at + 2);
    },
  };
  return Array.from({ length: count }, () => req);
}

for (const size of [1000, 20_000]) {
  test(`batch: error ACKs echoing ${size}-byte requests do not overrun the default receive buffer`, async (t) => {
    const ns = tempNetns(t);
    const s = openNetlink(NETLINK_ROUTE, { netns: ns });
    t.teardown(() => s.close());
    const count = size > 10_000 ? 100 : 1000;
    for (const results of [s.batch(largeFailingRequests(count, size)), await s.batchAsync(largeFailingRequests(count, size))]) {
      t.is(results.length, count);
      t.is(results.filter((r) => !r.ok && r.error instanceof NetlinkError && r.error.code === 'EEXIST').length, results[0].ok ? count - 1 : count);
    }
    t.is(s.stats.overruns, 0);
  });
}

test('batchAsync: same results through the event loop', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 64 * 1024 });
  t.teardown(() => s.close());
  const { reqs, duplicate } = routesWithDuplicates();
  check(t, await s.batchAsync(reqs), duplicate);
  t.is(s.stats.overruns, 0);
  t.is(countRoutes(s), 900);
});

test('batch: failed requests carry their extended ACK text', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const results = s.batch([
    newRoute({ dst: '10.1.0.1', len: 32, oif: 1 }),
    newRoute({ dst: '192.0.2.0', len: 24, gateway: '10.9.9.9', table: 100 }),
    newRoute({ dst: '10.1.0.2', len: 32, oif: 1 }),
  ]);
  t.deepEqual(results.map((r) => r.ok), [true, false, true]);
  const r = results[1];
  t.is(r.ok ? undefined : r.error.extack.message, 'Nexthop has invalid gateway');
  t.deepEqual(s.batch([]), []);
});
