// #19 item 10: root flooding our port with forged netlink messages from another socket made 2 of 9
// 100k-route dumps fail with ENOBUFS (the forgeries filled the receive buffer before the user-space
// sender filter could drop them). Our sockets are connected to the kernel (nl_pid 0), so the
// kernel refuses every unicast from another socket (ECONNREFUSED) and none reaches the buffer.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink } from '../src/index.js';
import { RTM_NEWROUTE, ip, routeDump, tempNetns } from './helpers.js';

const ROUTES = 20_000;
const FLOOD_MS = 2500;

/**
 * A child process with its own netlink socket in `ns` sending forged 4 KiB "replies" to `port` as
 * fast as the kernel takes them, for `ms`; it prints "ready", then its counts as JSON.
 */
function flooder(ns: string, port: number, ms: number): ChildProcess {
  const dist = (f: string): string => JSON.stringify(pathToFileURL(join(process.cwd(), 'packages/socket/dist', f)).href);
  const script = `
    import * as libc from ${dist('libc.js')};
    import { openNetlink } from ${dist('index.js')};
    const s = openNetlink(0, { netns: ${JSON.stringify(ns)}, sndbuf: 4 << 20 });
    const msg = Buffer.alloc(4096);
    msg.writeUInt32LE(msg.length, 0);
    msg.writeUInt16LE(${RTM_NEWROUTE}, 4);
    msg.writeUInt16LE(0x2, 6); // NLM_F_MULTI: it claims to be part of a dump
    const to = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
    to.writeUInt16LE(libc.AF_NETLINK, 0);
    to.writeUInt32LE(${port}, 4);
    const counts = { sent: 0, refused: 0, full: 0, other: 0 };
    console.log('ready');
    const end = Date.now() + ${ms};
    while (Date.now() < end) {
      for (let i = 0; i < 64; i++) {
        if (libc.sendto(s.fd, msg, msg.length, 0, to, to.length) >= 0) { counts.sent++; continue; }
        const e = libc.errno();
        if (e === 111) counts.refused++; else if (e === 11 || e === 105) counts.full++; else counts.other++;
      }
    }
    console.log(JSON.stringify(counts));
  `;
  return spawn(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

function lines(child: ChildProcess): { next: () => Promise<string> } {
  let buf = '';
  const waiting: Array<(l: string) => void> = [];
  const queued: string[] = [];
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(l);
      else queued.push(l);
    }
  });
  return { next: () => (queued.length > 0 ? Promise.resolve(queued.shift()!) : new Promise((r) => waiting.push(r))) };
}

test('route dumps under a flood of forged messages from another socket all complete; the kernel refuses the forgeries', async (t) => {
  const ns = tempNetns(t);
  const file = join(tmpdir(), `${ns}.batch`);
  writeFileSync(file, Array.from({ length: ROUTES }, (_, i) => `route add blackhole 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32`).join('\n') + '\n');
  t.teardown(() => rmSync(file, { force: true }));
  ip(ns, '-batch', file);

  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const child = flooder(ns, s.portId, FLOOD_MS);
  t.teardown(() => child.kill('SIGKILL'));
  const out = lines(child);
  t.is(await out.next(), 'ready');

  let dumps = 0;
  const end = Date.now() + FLOOD_MS - 300;
  do {
    // Synchronous: the flood keeps going in the other process while this one reads.
    const routes = s.dump(routeDump).filter((m) => m.header.type === RTM_NEWROUTE).length;
    dumps++;
    t.true(routes >= ROUTES, `dump ${dumps}: ${routes} routes`);
  } while (Date.now() < end);
  const counts = JSON.parse(await out.next()) as { sent: number; refused: number; full: number; other: number };
  t.log(`${dumps} dumps of ${ROUTES} routes during the flood; flooder: ${JSON.stringify(counts)}; stats: ${JSON.stringify(s.stats)}`);
  t.true(counts.refused > 0, 'the flooder was never refused');
  t.is(counts.sent, 0, 'a forged message was queued to our socket');
  t.is(s.stats.foreignDropped, 0);
  t.is(s.stats.overruns, 0);
});
