// Thousands of concurrent address and neighbour changes on one socket: every promise ends with
// the kernel's own answer, the kernel's state is what the promises say, and the socket is usable
// afterwards. The device is named, so each change first looks it up (RTM_GETLINK), with the
// default receive buffer and with the smallest the kernel allows: a lookup's reply alone is more
// than such a buffer holds, so it is asked without an ACK (as ip does) and lookups queued
// together share one answer. Every 10th spec repeats the one before it (EEXIST, then ENOENT).
import test, { type ExecutionContext } from 'ava';
import { ExistsError, NETLINK_ROUTE, NotFoundError } from '@vrfctl/netlink';
import { UnknownOutcomeError, openNetlink, type NetlinkSocket } from '@vrfctl/socket';
import { linksAsync, type AddressSpec, type NeighbourSpec } from '../src/index.js';
import { ip, tempNetns } from '../../../test/support/netns.js';

const ADDRESSES = 3000;
const NEIGHBOURS = 10_000;

function ipv4(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function mac(n: number): string {
  return `02:00:00:${[(n >> 16) & 255, (n >> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;
}

/** n for spec i: every 10th spec repeats the one before it. */
function nth(i: number): number {
  return i % 10 === 9 ? i : i + 1;
}

/** Which promises resolved; the others must be the kernel's refusal of the given class. */
function settle<S>(t: ExecutionContext, specs: S[], results: PromiseSettledResult<void>[], refusal: typeof ExistsError): S[] {
  const ok: S[] = [];
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') ok.push(specs[i]);
    else {
      t.false(r.reason instanceof UnknownOutcomeError, String(r.reason));
      t.true(r.reason instanceof refusal && (r.reason as ExistsError).fromKernel, String(r.reason));
    }
  });
  return ok;
}

const BUFFERS = [
  { label: 'default receive buffer', rcvbuf: undefined },
  { label: 'smallest receive buffer', rcvbuf: 1 },
];

function setup(t: ExecutionContext, rcvbuf: number | undefined): { ns: string; nl: NetlinkSocket } {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf });
  t.teardown(() => nl.close());
  if (rcvbuf !== undefined) t.true(nl.rcvbufBytes < 8192, `rcvbuf ${nl.rcvbufBytes}`);
  return { ns, nl };
}

function socketClean(t: ExecutionContext, nl: NetlinkSocket): void {
  t.is(nl.stats.overruns, 0);
  t.is(nl.stats.unknownOutcomes, 0);
  t.true(nl.stats.sharedRequests > 0, 'concurrent lookups of v0 shared answers');
  t.log(`rcvbuf ${nl.rcvbufBytes} B, ${nl.stats.paced} paced, ${nl.stats.sharedRequests} lookups shared, ${nl.stats.sendCalls} sendto (loaded machine)`);
}

for (const c of BUFFERS) test.serial(`${ADDRESSES} concurrent address adds then deletes naming the device, every 10th a repeat (${c.label})`, async (t) => {
  const { ns, nl } = setup(t, c.rcvbuf);
  const l = linksAsync(nl);
  const specs: AddressSpec[] = Array.from({ length: ADDRESSES }, (_, i) => ({ dev: 'v0', local: `${ipv4(nth(i))}/32` }));
  const added = settle(t, specs, await Promise.allSettled(specs.map((s) => l.addAddress(s))), ExistsError);
  t.is(added.length, ADDRESSES - ADDRESSES / 10);
  const rows = JSON.parse(ip(ns, '-4', '-j', 'addr', 'show', 'dev', 'v0')) as Array<{ addr_info: Array<{ local: string }> }>;
  t.deepEqual(rows[0].addr_info.map((a) => `${a.local}/32`).sort(), added.map((s) => s.local).sort());
  const deleted = settle(t, specs, await Promise.allSettled(specs.map((s) => l.deleteAddress(s))), NotFoundError);
  t.deepEqual(deleted.map((s) => s.local).sort(), added.map((s) => s.local).sort());
  t.is((await l.listAddresses({ dev: 'v0', family: 4 })).length, 0);
  await l.addAddress({ dev: 'v0', local: '192.0.2.1/24' });
  socketClean(t, nl);
});

/**
 * Neighbours as sorted `dst lladdr state` lines. A dump walks the neighbour hash table, whose
 * order is neither the order of the adds nor stable across dumps: comparing a Map or Set with
 * ava's deepEqual (which compares entries in order) reports a mismatch where there is none.
 */
function lines(entries: Iterable<{ dst: string; lladdr?: string | null; state?: string }>): string[] {
  return [...entries].map((e) => `${e.dst} ${e.lladdr ?? '-'} ${e.state ?? 'permanent'}`).sort();
}

/** The kernel's neighbours on v0, every state (`nud all`). */
function kernelNeighbours(ns: string): string[] {
  const rows = JSON.parse(ip(ns, '-4', '-j', 'neigh', 'show', 'nud', 'all', 'dev', 'v0')) as Array<{ dst: string; lladdr?: string; state: string[] }>;
  return lines(rows.map((r) => ({ dst: r.dst, lladdr: r.lladdr, state: r.state.join(',').toLowerCase() })));
}

for (const c of BUFFERS) test.serial(`${NEIGHBOURS} concurrent neighbour adds then deletes naming the device, every 10th a repeat (${c.label})`, async (t) => {
  const { ns, nl } = setup(t, c.rcvbuf);
  const l = linksAsync(nl);
  const specs: NeighbourSpec[] = Array.from({ length: NEIGHBOURS }, (_, i) => ({ dev: 'v0', dst: ipv4(nth(i)), lladdr: mac(nth(i)) }));
  const added = settle(t, specs, await Promise.allSettled(specs.map((s) => l.addNeighbour(s))), ExistsError);
  // The first of each repeated pair went in, the repeat was refused.
  t.is(added.length, NEIGHBOURS - NEIGHBOURS / 10);
  t.deepEqual(kernelNeighbours(ns), lines(added), 'the kernel has exactly the neighbours whose add() resolved');
  const deleted = settle(t, specs, await Promise.allSettled(specs.map((s) => l.deleteNeighbour(s))), NotFoundError);
  t.deepEqual(lines(deleted), lines(added));
  t.is(kernelNeighbours(ns).length, 0, 'every neighbour whose delete() resolved is gone, and nothing else was there');
  await l.addNeighbour({ dev: 'v0', dst: '192.0.2.9', lladdr: '02:00:00:00:00:09' });
  t.deepEqual(kernelNeighbours(ns), ['192.0.2.9 02:00:00:00:00:09 permanent']);
  socketClean(t, nl);
});
