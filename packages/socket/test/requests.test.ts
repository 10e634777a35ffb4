import test from 'ava';
import { NETLINK_ROUTE, NLMSG_NOOP, NLM_F_ACK, NLM_F_REQUEST, NetlinkError, MessageBuilder, type Message } from '@vrfctl/netlink';
import * as libc from '../src/libc.js';
import { AbortError, SystemError, TimeoutError, openNetlink } from '../src/index.js';
import {
  RTM_NEWLINK,
  RTNLGRP_IPV4_ROUTE,
  linkDump,
  linkNames,
  newRoute,
  newVeth,
  openFdCount,
  tempNetns,
} from './helpers.js';

test('a link dump in a fresh netns returns lo (sync, async and streamed)', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  t.true(s.portId > 0);
  t.deepEqual(linkNames(s.dump(linkDump)), ['lo']);
  t.deepEqual(linkNames(await s.dumpAsync(linkDump)), ['lo']);
  const streamed = [];
  for await (const m of s.dumpIterator(linkDump)) streamed.push(m);
  t.deepEqual(linkNames(streamed), ['lo']);
  t.is(s.stats.staleDropped, 0);
});

test('creating the same veth pair twice fails with a typed EEXIST', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  s.ack(newVeth('va0', 'vb0'));
  const err = t.throws(() => s.ack(newVeth('va0', 'vb0')), { instanceOf: NetlinkError });
  t.is(err?.code, 'EEXIST');
  t.is(err?.errno, 17);
  const asyncErr = await t.throwsAsync(s.ackAsync(newVeth('va0', 'vb0')), { instanceOf: NetlinkError });
  t.is(asyncErr?.code, 'EEXIST');
  t.deepEqual(linkNames(s.dump(linkDump)).sort(), ['lo', 'va0', 'vb0']);
});

test('a route through an unreachable gateway carries the kernel extended ACK text', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const req = newRoute({ dst: '192.0.2.0', len: 24, gateway: '10.9.9.9', table: 100 });
  const err = t.throws(() => s.ack(req), { instanceOf: NetlinkError });
  t.is(err?.code, 'ENETUNREACH');
  t.is(err?.extack.message, 'Nexthop has invalid gateway');
  const asyncErr = await t.throwsAsync(s.ackAsync(req), { instanceOf: NetlinkError });
  t.is(asyncErr?.extack.message, 'Nexthop has invalid gateway');
});

test('without NETLINK_EXT_ACK the same error has no text', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, extAck: false });
  t.teardown(() => s.close());
  const err = t.throws(() => s.ack(newRoute({ dst: '192.0.2.0', len: 24, gateway: '10.9.9.9', table: 100 })), {
    instanceOf: NetlinkError,
  });
  t.is(err?.extack.message, undefined);
});

test('a unicast from another netlink socket is refused by the kernel; a forged multicast is dropped and counted', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, groups: [RTNLGRP_IPV4_ROUTE] });
  const other = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => {
    s.close();
    other.close();
  });
  // A forged "reply": it even claims to be RTM_NEWLINK for the seq we will use next.
  const b = new MessageBuilder();
  b.begin(RTM_NEWLINK, 0x2, 0, s.portId);
  b.reserve(16);
  b.end();
  const to = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
  to.writeUInt16LE(libc.AF_NETLINK, 0);
  to.writeUInt32LE(s.portId, 4);
  // Our socket is connected to the kernel: the kernel refuses unicast from anyone else (#19).
  t.is(libc.sendto(other.fd, b.bytes, b.length, 0, to, to.length), -1);
  t.is(libc.errno(), 111); // ECONNREFUSED
  // Root may still send to a multicast group: the sender check drops what the kernel did not send.
  to.writeUInt32LE(0, 4);
  to.writeUInt32LE(1 << (RTNLGRP_IPV4_ROUTE - 1), 8);
  t.is(libc.sendto(other.fd, b.bytes, b.length, 0, to, to.length), b.length);
  t.deepEqual(linkNames(s.dump(linkDump)), ['lo']);
  t.is(s.stats.foreignDropped, 1);
});

/** Fills the receive queue with ACKs of NOOPs so the kernel drops the next answer (silently: NO_ENOBUFS). */
function fillReceiveQueue(fd: number, count: number): void {
  const b = new MessageBuilder();
  for (let i = 0; i < count; i++) {
    b.begin(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 0);
    b.end();
  }
  const k = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
  k.writeUInt16LE(libc.AF_NETLINK, 0);
  libc.sendto(fd, b.bytes, b.length, 0, k, k.length);
}

test('a sync call whose answer never comes raises TimeoutError and the socket stays usable', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1, noEnobufs: true });
  t.teardown(() => s.close());
  fillReceiveQueue(s.fd, 200);
  const started = performance.now();
  const err = t.throws(() => s.ack(newVeth('ta0', 'tb0'), { timeoutMs: 300 }), { instanceOf: TimeoutError });
  t.true(performance.now() - started >= 290);
  t.is(err?.timeoutMs, 300);
  t.true(s.stats.staleDropped > 0, 'the queued ACKs of the NOOPs were dropped as stale');
  // The request itself was executed by the kernel (only its ACK was lost); the socket still works.
  t.deepEqual(linkNames(s.dump(linkDump)).sort(), ['lo', 'ta0', 'tb0']);
});

test('async: an AbortSignal rejects with AbortError and leaves the socket usable', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1, noEnobufs: true });
  t.teardown(() => s.close());
  fillReceiveQueue(s.fd, 200); // the answer will never come: only the abort can end the wait
  const ac = new AbortController();
  const p = s.ackAsync(newVeth('aa0', 'ab0'), { signal: ac.signal });
  setTimeout(() => ac.abort(new Error('user gave up')), 50);
  const err = await t.throwsAsync(p, { instanceOf: AbortError });
  t.is((err?.cause as Error).message, 'user gave up');
});

test('async: the answer to an aborted request arrives later and is dropped as stale', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  await t.throwsAsync(s.ackAsync(newVeth('ac0', 'ad0'), { signal: AbortSignal.abort() }), { instanceOf: AbortError });
  t.is(s.stats.staleDropped, 0);
  await s.ackAsync(newVeth('ae0', 'af0'));
  t.is(s.stats.staleDropped, 1, 'the ACK for the abandoned seq was read and dropped');
  t.deepEqual(linkNames(await s.dumpAsync(linkDump)).sort(), ['ac0', 'ad0', 'ae0', 'af0', 'lo']);
});

// Serial: the synchronous tests of this file would otherwise block the event loop it measures.
test.serial('async: timeoutMs rejects with TimeoutError without blocking the event loop', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1, noEnobufs: true });
  t.teardown(() => s.close());
  fillReceiveQueue(s.fd, 200);
  let ticks = 0;
  const iv = setInterval(() => ticks++, 10);
  await t.throwsAsync(s.ackAsync(newVeth('xa0', 'xb0'), { timeoutMs: 200 }), { instanceOf: TimeoutError });
  clearInterval(iv);
  t.true(ticks >= 5, `event loop kept running (${ticks} ticks)`);
});

test('10,000 open/close cycles leave the fd count unchanged; close is idempotent', (t) => {
  const before = openFdCount();
  for (let i = 0; i < 10_000; i++) {
    const s = openNetlink();
    s.close();
    s.close();
  }
  t.is(openFdCount(), before);
});

test('socket() failures are SystemErrors naming the call and errno', (t) => {
  const err = t.throws(() => openNetlink(9999), { instanceOf: SystemError });
  t.is(err?.code, 'EPROTONOSUPPORT');
  t.regex(err?.message ?? '', /^socket\(AF_NETLINK, 9999\): EPROTONOSUPPORT/);
});

test('sendRaw and receiveRaw pass datagrams through unchanged', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const b = new MessageBuilder();
  b.begin(NLMSG_NOOP, NLM_F_REQUEST | NLM_F_ACK, 4242);
  b.end();
  s.sendRaw(b.finish());
  const d = s.receiveRaw(1000);
  t.truthy(d);
  t.is(d!.pid, 0);
  t.is(d!.data.readUInt16LE(4), 2); // NLMSG_ERROR
  t.is(d!.data.readUInt32LE(8), 4242);
  t.is(d!.data.readInt32LE(16), 0); // errno 0: an ACK
  t.is(s.receiveRaw(20), null);
});

test('dumpEach hands out messages one by one; a throwing callback ends it and the socket stays usable', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const seen: Message[] = [];
  s.dumpEach(linkDump, (m) => seen.push(m));
  t.deepEqual(linkNames(seen), ['lo']);
  t.throws(() => s.dumpEach(linkDump, () => { throw new Error('consumer failed'); }), { message: 'consumer failed' });
  // The rest of the abandoned dump is drained: the next dump does not get EBUSY.
  t.deepEqual(linkNames(s.dump(linkDump)), ['lo']);
});
