// Faults in the socket layer: recorded reply sequences fed to Exchange, and the real kernel
// provoked into sending stale, oversized, interrupted and buffer-starved answers.
import test from 'ava';
import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DecodeError,
  MessageBuilder,
  NETLINK_ROUTE,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_OVERRUN,
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NetlinkError,
  buildErrorReply,
  getIPv4,
  parseAttributes,
  parseMessages,
  type Message,
} from '@vrfctl/netlink';
import { RTM, RT_TABLE } from '@vrfctl/rtnetlink';
import { DumpInterrupted, Exchange, OverrunError, TimeoutError, openNetlink, type Request } from '@vrfctl/socket';
import { ip, tempNetns } from './helpers.js';

const { NEWLINK: RTM_NEWLINK, GETLINK: RTM_GETLINK, NEWADDR: RTM_NEWADDR, GETADDR: RTM_GETADDR, NEWROUTE: RTM_NEWROUTE, GETROUTE: RTM_GETROUTE } = RTM;
const RT_TABLE_MAIN = RT_TABLE.main;

// ---- recorded replies through Exchange ----

function newaddr(b: MessageBuilder, seq: number, flags = NLM_F_MULTI): void {
  b.begin(RTM_NEWADDR, flags, seq, 77);
  b.reserve(8);
  b.end();
}

function feedAll(ex: Exchange, buf: Buffer): boolean[] {
  return parseMessages(buf).map((m) => ex.feed(m));
}

test('recorded: an NLMSG_ERROR in the middle of a multipart dump fails it; later parts are ignored', (t) => {
  const b = new MessageBuilder();
  newaddr(b, 5);
  newaddr(b, 5);
  buildErrorReply(b, {
    errno: 16, // EBUSY
    request: { length: 16 + 8, type: RTM_GETADDR, flags: NLM_F_REQUEST | 0x300, seq: 5, pid: 77 },
    extack: { message: 'dump already running' },
  });
  newaddr(b, 5);
  b.begin(NLMSG_DONE, NLM_F_MULTI, 5, 77);
  b.reserve(4);
  b.end();
  const ex = new Exchange(5, 'dump');
  t.deepEqual(feedAll(ex, b.finish()), [false, false, true, false, false]);
  t.true(ex.error instanceof NetlinkError);
  t.is((ex.error as NetlinkError).code, 'EBUSY');
  t.is((ex.error as NetlinkError).extack.message, 'dump already running');
  t.is(ex.replies.length, 2, 'nothing after the error was collected');
});

test('recorded: NLMSG_DONE with an error and every extended-ACK attribute', (t) => {
  const b = new MessageBuilder();
  newaddr(b, 9);
  b.begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 9, 77);
  b.raw.writeInt32LE(-95, b.reserve(4)); // EOPNOTSUPP
  b.string(1, 'Unsupported filter');
  b.u32(2, 24);
  b.u32(5, 3); // NLMSGERR_ATTR_MISS_TYPE
  b.u32(6, 2); // NLMSGERR_ATTR_MISS_NEST
  b.end();
  const ex = new Exchange(9, 'dump');
  t.deepEqual(feedAll(ex, b.finish()), [false, true]);
  const err = ex.error as NetlinkError;
  t.true(err instanceof NetlinkError);
  t.is(err.code, 'EOPNOTSUPP');
  t.deepEqual({ ...err.extack }, { message: 'Unsupported filter', offset: 24, missingType: 3, missingNest: 2 });
});

test('recorded: DONE with an error but no NLM_F_ACK_TLVS ignores trailing bytes', (t) => {
  const b = new MessageBuilder();
  b.begin(NLMSG_DONE, NLM_F_MULTI, 3, 77);
  b.raw.writeInt32LE(-22, b.reserve(4));
  b.string(1, 'not to be read');
  b.end();
  const ex = new Exchange(3, 'dump');
  t.true(ex.feed(parseMessages(b.finish())[0]));
  t.is((ex.error as NetlinkError).code, 'EINVAL');
  t.is((ex.error as NetlinkError).extack.message, undefined);
});

test('recorded: a malformed terminator fails the exchange with DecodeError instead of throwing', (t) => {
  // DONE whose ext-ack TLV claims more bytes than there are.
  const b = new MessageBuilder();
  newaddr(b, 4);
  b.begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS, 4, 77);
  const at = b.reserve(8);
  b.raw.writeInt32LE(-22, at);
  b.raw.writeUInt16LE(200, at + 4);
  b.raw.writeUInt16LE(1, at + 6);
  b.end();
  const dump = new Exchange(4, 'dump');
  let settled = 0;
  dump.onSettle = () => settled++;
  t.deepEqual(feedAll(dump, b.finish()), [false, true]);
  t.true(dump.done);
  t.true(dump.error instanceof DecodeError);
  t.is(settled, 1);
  // NLMSG_ERROR too short to hold the errno and the echoed header.
  const e = new MessageBuilder();
  e.begin(NLMSG_ERROR, 0, 6, 77);
  e.reserve(8);
  e.end();
  const ack = new Exchange(6, 'ack');
  t.true(ack.feed(parseMessages(e.finish())[0]));
  t.true(ack.error instanceof DecodeError);
});

test('recorded: NLMSG_OVERRUN fails with OverrunError; DUMP_INTR on DONE alone marks the dump', (t) => {
  const b = new MessageBuilder();
  newaddr(b, 8);
  b.begin(NLMSG_OVERRUN, 0, 8, 77);
  b.end();
  const ex = new Exchange(8, 'dump');
  t.deepEqual(feedAll(ex, b.finish()), [false, true]);
  t.true(ex.error instanceof OverrunError);

  const c = new MessageBuilder();
  newaddr(c, 2);
  c.begin(NLMSG_DONE, NLM_F_MULTI | NLM_F_DUMP_INTR, 2, 77);
  c.reserve(4);
  c.end();
  const intr = new Exchange(2, 'dump');
  t.deepEqual(feedAll(intr, c.finish()), [false, true]);
  t.true(intr.interrupted);
  t.is(intr.error, undefined);
});

// ---- the real kernel ----

function ifinfomsg(b: MessageBuilder, index = 0): void {
  b.raw.writeInt32LE(index, b.reserve(16) + 4);
}

const getLo: Request = { type: RTM_GETLINK, flags: 0, encode: (b) => ifinfomsg(b, 1) };
const routeDump: Request = { type: RTM_GETROUTE, flags: 0, encode: (b) => void (b.raw[b.reserve(12)] = 2) };
const linkDump: Request = { type: RTM_GETLINK, flags: 0, encode: (b) => ifinfomsg(b) };
const addrDump: Request = { type: RTM_GETADDR, flags: 0, encode: (b) => void (b.raw[b.reserve(8)] = 2) };

test('kernel: replies with a seq nobody waits for are dropped and counted; the right one completes', async (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  // Requests sent behind the socket's back with seqs it never allocated: their answers
  // (a NEWLINK and an ACK each) arrive first and must not be taken for ours.
  const b = new MessageBuilder();
  for (const seq of [1, 0xfffffff0, 12345]) {
    b.begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, seq, 0);
    ifinfomsg(b, 1);
    b.end();
    s.sendRaw(Buffer.from(b.bytes.subarray(0, b.length)));
    b.reset();
  }
  const replies = s.request(getLo);
  t.is(replies.length, 1, 'exactly our answer, not one of the stale ones');
  t.is(replies[0].header.type, RTM_NEWLINK);
  t.is(s.stats.staleDropped, 6);
  // The same through the event loop.
  b.begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_ACK, 777, 0);
  ifinfomsg(b, 1);
  b.end();
  s.sendRaw(Buffer.from(b.bytes.subarray(0, b.length)));
  t.is((await s.requestAsync(getLo)).length, 1);
  t.is(s.stats.staleDropped, 8);
});

test('kernel: an answer larger than the receive buffer is an OverrunError, never partial; the socket recovers', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, sndbuf: 1 << 20 });
  t.teardown(() => s.close());
  // A 120 kB request the kernel refuses: its error ACK echoes it whole (no NETLINK_CAP_ACK),
  // a datagram larger than the 64 KiB the socket reads into at first.
  const huge: Request = {
    type: RTM_GETLINK,
    flags: 0,
    encode: (b) => {
      ifinfomsg(b);
      for (let i = 0; i < 3; i++) b.binary(0x3ff, Buffer.alloc(40_000, i));
    },
  };
  const err = t.throws(() => s.ack(huge, { timeoutMs: 5000 }), { instanceOf: OverrunError });
  t.regex(err?.message ?? '', /did not fit/);
  t.is(s.stats.overruns, 1);
  // The buffer grew: the same answer now arrives whole and is the kernel's real refusal.
  const again = t.throws(() => s.ack(huge, { timeoutMs: 5000 }), { instanceOf: NetlinkError });
  t.is(again?.code, 'EINVAL');
  t.is(s.request(getLo).length, 1);
});

test('kernel: DUMP_INTR past the retry budget is DumpInterrupted, never an inconsistent result', async (t) => {
  const ns = tempNetns(t);
  const stable = Array.from({ length: 2000 }, (_, i) => `10.7.${i >> 8}.${i & 255}`);
  const file = join(tmpdir(), `${ns}.batch`);
  t.teardown(() => rmSync(file, { force: true }));
  writeFileSync(file, stable.map((a) => `address add ${a}/32 dev lo`).join('\n') + '\n');
  ip(ns, '-batch', file);
  writeFileSync(file, Array.from({ length: 400_000 }, (_, i) => `address ${i % 2 ? 'del' : 'add'} 10.8.0.1/32 dev lo`).join('\n') + '\n');
  const child = spawn('ip', ['-n', ns, '-force', '-batch', file], { stdio: 'ignore' });
  t.teardown(() => child.kill());
  await new Promise((r) => setTimeout(r, 50));
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  const ours = (msgs: Message[]) =>
    msgs
      .filter((m) => m.header.type === RTM_NEWADDR)
      .map((m) => getIPv4(parseAttributes(m.payload, 8).find((a) => a.type === 1)!.value))
      .filter((a) => a.startsWith('10.7.'));
  let complete = 0;
  let interruptedSync = 0;
  let interruptedStream = 0;
  const until = performance.now() + 15_000;
  while ((interruptedSync === 0 || interruptedStream === 0) && performance.now() < until && child.exitCode === null) {
    try {
      const got = ours(s.dump(addrDump, { retries: 0 }));
      t.is(got.length, 2000);
      t.is(new Set(got).size, 2000);
      complete++;
    } catch (e) {
      t.true(e instanceof DumpInterrupted, String(e));
      t.is((e as DumpInterrupted).attempts, 1);
      interruptedSync++;
    }
    const streamed: Message[] = [];
    try {
      for await (const m of s.dumpIterator(addrDump)) streamed.push(m);
      t.is(ours(streamed).length, 2000);
      complete++;
    } catch (e) {
      t.true(e instanceof DumpInterrupted, String(e));
      interruptedStream++;
    }
  }
  t.log(`${complete} complete dumps, ${interruptedSync} sync and ${interruptedStream} streamed gave up with DumpInterrupted`);
  t.true(interruptedSync > 0, 'the kernel interrupted a dump with no retries left');
  t.true(interruptedStream > 0, 'the iterator ended with DumpInterrupted');
  t.is(s.stats.dumpRetries, 0, 'retries: 0 means none');
});

test('kernel: 5000 routes dumped with the smallest receive buffer: all of them or a typed error', async (t) => {
  const ns = tempNetns(t);
  const file = join(tmpdir(), `${ns}.routes`);
  t.teardown(() => rmSync(file, { force: true }));
  writeFileSync(file, Array.from({ length: 5000 }, (_, i) => `route add 10.20.${i >> 8}.${i & 255}/32 dev lo`).join('\n') + '\n');
  ip(ns, '-batch', file);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  const expectedMin = s.rcvbufBytes;
  t.true(expectedMin < 8192, `rcvbuf clamped to the kernel minimum (${expectedMin})`);
  const mine = (msgs: Message[]) =>
    msgs.filter((m) => m.header.type === RTM_NEWROUTE && m.payload[4] === RT_TABLE_MAIN && m.payload[1] === 32).length;
  const check = (label: string, f: () => number) => {
    try {
      t.is(f(), 5000, label);
    } catch (e) {
      t.true(e instanceof OverrunError || e instanceof DumpInterrupted, `${label}: ${String(e)}`);
    }
  };
  for (let i = 0; i < 3; i++) check(`sync dump ${i}`, () => mine(s.dump(routeDump)));
  const viaAsync = await s.dumpAsync(routeDump).then(mine, (e: unknown) => e);
  if (typeof viaAsync === 'number') t.is(viaAsync, 5000);
  else t.true(viaAsync instanceof OverrunError, String(viaAsync));
  let streamed = 0;
  for await (const m of s.dumpIterator(routeDump)) if (mine([m]) === 1) streamed++;
  t.is(streamed, 5000);
  t.log(`rcvbuf ${expectedMin} bytes, ${s.stats.datagrams} datagrams, ${s.stats.overruns} overruns`);
});

test('kernel: a timeout during a multicast flood fires on time and the socket stays usable', async (t) => {
  const ns = tempNetns(t);
  const file = join(tmpdir(), `${ns}.churn`);
  t.teardown(() => rmSync(file, { force: true }));
  writeFileSync(file, Array.from({ length: 400_000 }, (_, i) => `route ${i % 2 ? 'del' : 'add'} 10.9.0.1/32 dev lo`).join('\n') + '\n');
  const child = spawn('ip', ['-n', ns, '-force', '-batch', file], { stdio: 'ignore' });
  t.teardown(() => child.kill());
  await new Promise((r) => setTimeout(r, 100));
  // Joined to the route group, so events keep arriving; the queue is filled with stale ACKs
  // first so that the kernel drops our answer and only the timeout can end the wait.
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1, noEnobufs: true, groups: [7] });
  t.teardown(() => s.close());
  const noops = new MessageBuilder();
  for (let i = 0; i < 200; i++) {
    noops.begin(1 /* NLMSG_NOOP */, NLM_F_REQUEST | NLM_F_ACK, 0, 0);
    noops.end();
  }
  s.sendRaw(Buffer.from(noops.bytes.subarray(0, noops.length)));
  const started = performance.now();
  t.throws(() => s.ack({ type: RTM_NEWLINK, flags: 0x600, encode: (b) => { ifinfomsg(b); b.string(3, 'tmo0'); } }, { timeoutMs: 300 }), {
    instanceOf: TimeoutError,
  });
  const elapsed = performance.now() - started;
  t.true(elapsed >= 290 && elapsed < 2000, `timed out after ${Math.round(elapsed)} ms`);
  t.true(s.stats.multicastDropped > 0, 'events were arriving during the wait');
  t.true(child.exitCode === null, 'the flood was still going');
  // With the smallest buffer and NO_ENOBUFS, queued events silently crowd out any answer (that
  // is what NO_ENOBUFS asks for); once the flood stops and the queue is read, the socket answers.
  child.kill();
  await new Promise((r) => child.once('exit', r));
  while (s.pollSync(0)) {
    /* drop the queued events */
  }
  // Dumps, because the kernel paces them to the buffer; a request's answer plus its ACK do not
  // both fit the minimum buffer (next test).
  const links = (msgs: Message[]) => msgs.filter((m) => m.header.type === RTM_NEWLINK).length;
  t.is(links(s.dump(linkDump, { timeoutMs: 5000 })), 1);
  t.is(links(await s.dumpAsync(linkDump, { timeoutMs: 5000 })), 1);
});

test('kernel: at the minimum rcvbuf an answer plus ACK overflow the queue: OverrunError, not a hang', (t) => {
  const ns = tempNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  // A GET asked as a request goes without NLM_F_ACK (as ip asks): its one answer always fits.
  t.is(s.request(getLo, { timeoutMs: 10_000 }).filter((m) => m.header.type === RTM_NEWLINK).length, 1);
  t.is(s.stats.overruns, 0);
  // Asked with an ACK, the answer fills the queue and the kernel drops the ACK.
  const started = performance.now();
  t.throws(() => s.ack(getLo, { timeoutMs: 10_000 }), { instanceOf: OverrunError });
  t.true(performance.now() - started < 5000, 'failed at once, not at the timeout');
  t.is(s.stats.overruns, 1);
  t.deepEqual(s.dump(linkDump).filter((m) => m.header.type === RTM_NEWLINK).length, 1);
});
