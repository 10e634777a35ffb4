import test, { type ExecutionContext } from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageBuilder, getIPv4, parseAttributes, NETLINK_ROUTE, NLMSG_DONE, NLM_F_DUMP_INTR, NLM_F_MULTI, parseMessages } from '@vrfctl/netlink';
import { DumpInterrupted, Exchange, openNetlink } from '../src/index.js';
import { RTM_NEWADDR, addrDump, ip, tempNetns } from './helpers.js';

/**
 * A netns with 2000 stable addresses on lo, and a child process that keeps adding and deleting
 * another one: dumps taken meanwhile are likely to be marked NLM_F_DUMP_INTR.
 */
async function churningNetns(t: ExecutionContext): Promise<{ ns: string; child: ChildProcess }> {
  const ns = tempNetns(t);
  const stable = Array.from({ length: 2000 }, (_, i) => `10.7.${i >> 8}.${i & 255}`);
  const file = join(tmpdir(), `${ns}.batch`);
  writeFileSync(file, stable.map((a) => `address add ${a}/32 dev lo`).join('\n') + '\n');
  ip(ns, '-batch', file);
  const churn = Array.from({ length: 200_000 }, (_, i) => `address ${i % 2 ? 'del' : 'add'} 10.8.0.1/32 dev lo`).join('\n');
  writeFileSync(file, churn + '\n');
  const child = spawn('ip', ['-n', ns, '-force', '-batch', file], { stdio: 'ignore' });
  t.teardown(() => {
    child.kill();
    rmSync(file, { force: true });
  });
  await new Promise((r) => setTimeout(r, 50));
  return { ns, child };
}

test('a dump interrupted by concurrent address changes is retried and comes back complete', async (t) => {
  const { ns, child } = await churningNetns(t);
  // A small receive buffer splits the dump into many pieces: more chances for a change between them.
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  let dumps = 0;
  while (s.stats.dumpRetries === 0 && dumps < 500 && child.exitCode === null) {
    // Retries without a practical bound: under load the churn can interrupt a hundred attempts in a
    // row (seen in CI), but it is finite, so a retried dump completes at the latest when it stops.
    const msgs = s.dump(addrDump, { retries: 1_000_000 });
    dumps++;
    const ours = msgs
      .filter((m) => m.header.type === RTM_NEWADDR)
      .map((m) => parseAttributes(m.payload, 8).find((a) => a.type === 1 /* IFA_ADDRESS */))
      .map((a) => (a ? getIPv4(a.value) : ''))
      .filter((a) => a.startsWith('10.7.'));
    // Complete and consistent: every stable address exactly once.
    t.is(new Set(ours).size, 2000, `dump ${dumps}`);
    t.is(ours.length, 2000, `dump ${dumps}`);
  }
  t.log(`${dumps} dumps, ${s.stats.dumpRetries} restarted after NLM_F_DUMP_INTR`);
  t.true(s.stats.dumpRetries > 0, 'the kernel marked at least one dump interrupted and it was retried');
});

test('recorded replies: NLM_F_DUMP_INTR anywhere marks the exchange; DONE completes it', (t) => {
  const b = new MessageBuilder();
  b.begin(RTM_NEWADDR, NLM_F_MULTI, 7, 1);
  b.reserve(8);
  b.end();
  b.begin(RTM_NEWADDR, NLM_F_MULTI | NLM_F_DUMP_INTR, 7, 1);
  b.reserve(8);
  b.end();
  b.begin(NLMSG_DONE, NLM_F_MULTI, 7, 1);
  b.reserve(4);
  b.end();
  const ex = new Exchange(7, 'dump');
  const settled = parseMessages(b.finish()).map((m) => ex.feed(m));
  t.deepEqual(settled, [false, false, true]);
  t.true(ex.interrupted);
  t.is(ex.replies.length, 2);
  t.is(ex.error, undefined);
  t.true(new DumpInterrupted(4).message.includes('4'));
});

test('recorded replies: an error in NLMSG_DONE fails the dump with its extended ACK', (t) => {
  const b = new MessageBuilder();
  b.begin(NLMSG_DONE, NLM_F_MULTI | 0x200, 9, 1); // NLM_F_ACK_TLVS
  const at = b.reserve(4);
  b.raw.writeInt32LE(-22, at);
  b.string(1, 'Invalid header for address dump request');
  b.end();
  const ex = new Exchange(9, 'dump');
  t.true(ex.feed(parseMessages(b.finish())[0]));
  t.is((ex.error as { code?: string }).code, 'EINVAL');
  t.is((ex.error as { extack?: { message?: string } }).extack?.message, 'Invalid header for address dump request');
});

test('dumpEach never hands out a message marked NLM_F_DUMP_INTR: it throws DumpInterrupted instead', async (t) => {
  const { ns, child } = await churningNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns, rcvbuf: 1 });
  t.teardown(() => s.close());
  let interrupted = 0;
  for (let i = 0; i < 500 && interrupted === 0 && child.exitCode === null; i++) {
    let n = 0;
    try {
      s.dumpEach(addrDump, (m) => {
        t.is(m.header.flags & NLM_F_DUMP_INTR, 0);
        if (m.header.type === RTM_NEWADDR) n++;
      });
      t.true(n >= 2000);
    } catch (err) {
      t.true(err instanceof DumpInterrupted);
      interrupted++;
    }
  }
  t.true(interrupted > 0, 'the kernel marked at least one dump interrupted');
  // The interrupted dump was abandoned and drained: a buffered dump still works. The churn is stopped
  // first: while it runs, a hundred attempts in a row can all be interrupted (seen in CI).
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  }
  t.true(s.dump(addrDump).length > 0);
});
