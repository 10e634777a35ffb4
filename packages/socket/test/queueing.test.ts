// Dumps and batches queue behind each other instead of failing with EBUSY; the monitor ends on
// abort; errors are typed and name the message type.
import test from 'ava';
import { BusyError, NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { AbortError, TimeoutError, messageTypeName, openMonitor, openNetlink, type Request } from '../src/index.js';
import { IFLA_IFNAME, RTM_GETLINK, RTNLGRP_IPV4_ROUTE, ifinfomsg, linkDump, linkNames, newVeth, tempNetns } from './helpers.js';

test('a sync dump while a streamed dump is open waits for it instead of EBUSY; so does an async one', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  for (let i = 0; i < 20; i++) s.ack(newVeth(`qa${i}`, `qb${i}`));
  const it = s.dumpIterator(linkDump);
  const first = await it.next();
  t.false(first.done);
  // The streamed dump is still running in the kernel (the buffer is tiny).
  t.is(linkNames(s.dump(linkDump)).length, 41);
  const [a, b] = await Promise.all([s.dumpAsync(linkDump), s.dumpAsync(linkDump)]);
  t.is(linkNames(a).length, 41);
  t.is(linkNames(b).length, 41);
  let rest = 1;
  for await (const _ of it) rest++;
  t.true(rest >= 41, `the stream still delivered its messages (${rest})`);
});

test('a sync batch while an async one runs is refused with BusyError; async batches queue', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const running = s.batchAsync([newVeth('ba0', 'bb0')]);
  const err = t.throws(() => s.batch([newVeth('bc0', 'bd0')]), { instanceOf: BusyError });
  t.regex(err?.message ?? '', /batch of 1: a batch is already running/);
  const [one, two] = await Promise.all([running, s.batchAsync([newVeth('ba0', 'bb0')])]);
  t.true(one[0].ok);
  t.false(two[0].ok);
  if (!two[0].ok) t.is(two[0].error.message, 'RTM_NEWLINK request 1 of 1: File exists (EEXIST)');
});

test('errors are one family: name is the class, message names the message type', async (t) => {
  t.is(messageTypeName(NETLINK_ROUTE, 24), 'RTM_NEWROUTE');
  t.is(messageTypeName(NETLINK_ROUTE, 104), 'RTM_NEWNEXTHOP');
  t.is(messageTypeName(NETLINK_ROUTE, 2), 'NLMSG_ERROR');
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const aborted = await t.throwsAsync(s.dumpAsync(linkDump, { signal: AbortSignal.abort() }), { instanceOf: AbortError });
  t.true(aborted instanceof NetlinkError);
  t.is(aborted?.name, 'AbortError');
  t.is(aborted?.message, 'RTM_GETLINK dump: aborted');
  t.throws(() => s.ack(newVeth('ea0', 'eb0'), { signal: AbortSignal.abort() }), { instanceOf: AbortError });
  t.is(new TimeoutError('x', 5).name, 'TimeoutError');
});

test('the monitor is an async iterator that ends when its AbortSignal fires', async (t) => {
  const ns = tempNetns(t);
  const stop = new AbortController();
  const m = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns, signal: stop.signal });
  setTimeout(() => stop.abort(), 200);
  const started = performance.now();
  let events = 0;
  for await (const _ of m) events++;
  t.is(events, 0);
  t.true(performance.now() - started < 5000);
  t.true(m.socket.isClosed);
  const idle = openMonitor([RTNLGRP_IPV4_ROUTE], { netns: ns, timeoutMs: 100 });
  t.teardown(() => idle.close());
  await t.throwsAsync(idle.next(), { instanceOf: TimeoutError });
});

/** RTM_GETLINK of one link by name (a lookup, as LinkNames sends it). */
function getLink(name: string): Request {
  return {
    type: RTM_GETLINK,
    flags: 0,
    encode: (b) => {
      ifinfomsg(b);
      b.string(IFLA_IFNAME, name);
    },
  };
}

test('a GET is answered by its one reply, no ACK; identical GETs queued last share it, never across a change queued between them', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  s.ack(newVeth('ga0', 'gb0'));
  // The reply alone is more than the receive buffer holds: with an ACK behind it, one was lost.
  t.deepEqual(linkNames(s.request(getLink('ga0'))), ['ga0']);
  t.is(s.stats.overruns, 0);

  // One goes out at once (the queue is empty); the second waits; the third and fourth join it.
  const stop = new AbortController();
  const calls = [s.requestAsync(getLink('ga0')), s.requestAsync(getLink('ga0'), { signal: stop.signal }), s.requestAsync(getLink('ga0')), s.requestAsync(getLink('ga0'))];
  t.is(s.stats.sharedRequests, 2);
  // The caller of the shared one gives up: it is still sent for the others.
  stop.abort();
  const [a, b, c, d] = await Promise.allSettled(calls);
  t.true(b.status === 'rejected' && b.reason instanceof AbortError);
  for (const r of [a, c, d]) t.deepEqual(r.status === 'fulfilled' ? linkNames(r.value) : r.reason, ['ga0']);

  // A change queued between two identical GETs: the second is sent after it and sees it.
  const first = s.requestAsync(getLink('gc0'));
  const created = s.ackAsync(newVeth('gc0', 'gd0'));
  const second = s.requestAsync(getLink('gc0'));
  t.is(s.stats.sharedRequests, 2, 'nothing shared across the change');
  await t.throwsAsync(first, { instanceOf: NetlinkError, message: /ENODEV/ });
  await created;
  t.deepEqual(linkNames(await second), ['gc0']);
  t.is(s.stats.overruns, 0);
  t.is(s.stats.unknownOutcomes, 0);
});
