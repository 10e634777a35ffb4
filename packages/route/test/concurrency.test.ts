// Many concurrent async requests on one socket: the socket paces them to its receive queue, so
// every promise ends with the kernel's own answer and the kernel's state is what they say.
import test, { type ExecutionContext } from 'ava';
import { MessageBuilder, NETLINK_ROUTE, NLMSG_NOOP, NLM_F_ACK, NLM_F_REQUEST, NetlinkError, ExistsError, NotFoundError } from '@vrfctl/netlink';
import { UnknownOutcomeError, openNetlink, type NetlinkSocket } from '@vrfctl/socket';
import { routesAsync, type RouteSpec } from '../src/index.js';
import { ip, tempNetns } from './netns.js';

const COUNT = 10_000;
const TABLE = 100;

/**
 * COUNT routes in TABLE; every 10th repeats the one before it (the kernel says EEXIST). Blackholes
 * name nothing; with dev every add() and delete() first looks the device up (RTM_GETLINK).
 */
function specs(dev?: string): RouteSpec[] {
  const out: RouteSpec[] = [];
  let n = 0;
  for (let i = 0; i < COUNT; i++) {
    if (i % 10 !== 9) n++;
    const dst = `10.${(n >> 8) & 255}.${n & 255}.0/24`;
    out.push(dev === undefined ? { dst, type: 'blackhole', table: TABLE } : { dst, dev, table: TABLE });
  }
  return out;
}

/** The table's destinations, sorted: ava's deepEqual compares Sets in order, and a dump's order is the kernel's. */
function kernelTable(ns: string): string[] {
  const rows = JSON.parse(ip(ns, '-j', 'route', 'show', 'table', String(TABLE))) as Array<{ dst: string }>;
  return rows.map((r) => r.dst).sort();
}

/** Outcomes of settled promises: which specs the kernel took, and how the others failed. */
function outcomes(t: ExecutionContext, all: RouteSpec[], settled: PromiseSettledResult<void>[], expected: typeof ExistsError) {
  const ok = new Set<string>();
  let refused = 0;
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      ok.add(all[i].dst);
      return;
    }
    const e: unknown = s.reason;
    t.false(e instanceof UnknownOutcomeError, `request ${i}: ${String(e)}`);
    t.true(e instanceof expected && (e as NetlinkError).fromKernel, `request ${i}: ${String(e)}`);
    refused++;
  });
  return { ok, refused };
}

async function addThenDelete(t: ExecutionContext, nl: NetlinkSocket, ns: string, dev?: string): Promise<void> {
  const r = routesAsync(nl);
  const all = specs(dev);
  const started = performance.now();
  const added = outcomes(t, all, await Promise.allSettled(all.map((s) => r.add(s))), ExistsError);
  const addMs = performance.now() - started;
  // The kernel went in order: the first of each repeated pair was added, the repeat refused.
  t.is(added.refused, COUNT / 10);
  t.is(added.ok.size, COUNT - COUNT / 10);
  t.deepEqual(kernelTable(ns), [...added.ok].sort(), 'the kernel has exactly the routes whose add() resolved');

  const deleted = outcomes(t, all, await Promise.allSettled(all.map((s) => r.delete(s))), NotFoundError);
  // Each repeated pair's second delete finds nothing (ESRCH).
  t.is(deleted.refused, COUNT / 10);
  t.deepEqual([...deleted.ok].sort(), [...added.ok].sort());
  t.is(kernelTable(ns).length, 0, 'every route whose delete() resolved is gone, and nothing else was there');

  // The socket is usable afterwards.
  await r.add({ dst: '192.0.2.0/24', type: 'blackhole', table: TABLE });
  t.deepEqual(kernelTable(ns), ['192.0.2.0/24']);
  t.is(nl.stats.overruns, 0);
  t.is(nl.stats.unknownOutcomes, 0);
  t.log(`rcvbuf ${nl.rcvbufBytes} B: ${COUNT} adds in ${Math.round(addMs)} ms, ${nl.stats.paced} paced, ${nl.stats.sharedRequests} lookups shared, ${nl.stats.sendCalls} sendto, ${nl.stats.recvCalls} reads (loaded machine)`);
}

test.serial(`${COUNT} concurrent add() then ${COUNT} delete() on one socket: every answer is the kernel's`, async (t) => {
  const ns = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  await addThenDelete(t, nl, ns);
});

test.serial(`the same with the smallest receive buffer the kernel allows`, async (t) => {
  const ns = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => nl.close());
  t.true(nl.rcvbufBytes < 8192, `rcvbuf ${nl.rcvbufBytes}`);
  await addThenDelete(t, nl, ns);
});

test.serial(`the same with the smallest receive buffer, each route naming its device (a lookup before every change)`, async (t) => {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => nl.close());
  t.true(nl.rcvbufBytes < 8192, `rcvbuf ${nl.rcvbufBytes}`);
  // A lookup's reply (RTM_NEWLINK) alone is more than such a buffer holds: it comes without an
  // ACK (as ip asks), and identical lookups queued together share one answer.
  await addThenDelete(t, nl, ns, 'v0');
  t.true(nl.stats.sharedRequests > COUNT, `${nl.stats.sharedRequests} lookups shared`);
  // A name that does not exist is refused by its lookup, the kernel's ENODEV, on the same socket.
  await t.throwsAsync(routesAsync(nl).add({ dst: '192.0.2.0/24', dev: 'nosuch', table: TABLE }), { message: /nosuch/ });
});

test.serial('an answer the kernel dropped is an UnknownOutcomeError naming the request; the socket stays usable', async (t) => {
  const ns = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => nl.close());
  // Fill the queue behind the socket's back (answers it did not ask for, so it cannot pace them).
  const b = new MessageBuilder();
  for (let i = 0; i < 200; i++) {
    b.begin(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 0);
    b.end();
  }
  nl.sendRaw(Buffer.from(b.bytes.subarray(0, b.length)));
  const r = routesAsync(nl);
  const err = await t.throwsAsync(r.add({ dst: '10.1.0.0/24', type: 'blackhole', table: TABLE }), { instanceOf: UnknownOutcomeError });
  t.is(err?.name, 'UnknownOutcomeError');
  t.regex(err?.message ?? '', /^route add 10\.1\.0\.0\/24 table 100: /);
  t.is(nl.stats.unknownOutcomes, 1);
  // The kernel did apply it: only reading its state tells.
  t.deepEqual(kernelTable(ns), ['10.1.0.0/24']);
  const again = await t.throwsAsync(r.add({ dst: '10.1.0.0/24', type: 'blackhole', table: TABLE }), { instanceOf: ExistsError });
  t.is(again?.message, 'route add 10.1.0.0/24 table 100: File exists (EEXIST)');
  await r.delete({ dst: '10.1.0.0/24', table: TABLE });
  t.is(kernelTable(ns).length, 0);
});
