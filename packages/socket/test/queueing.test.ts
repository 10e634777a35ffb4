// Dumps and batches queue behind each other instead of failing with EBUSY; the monitor ends on
// abort; errors are typed and name the message type.
import test from 'ava';
import { BusyError, NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { AbortError, TimeoutError, messageTypeName, openMonitor, openNetlink } from '../src/index.js';
import { RTNLGRP_IPV4_ROUTE, linkDump, linkNames, newVeth, tempNetns } from './helpers.js';

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
