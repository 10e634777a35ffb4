// `vrfctl monitor` as a child process in a netns: changes made with `ip` come out as lines
// (text and -j), SIGINT/SIGTERM end it with exit 0, and an overrun is reported and resynced.
import test from 'ava';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { VRFCTL_BIN } from './cli.js';
import { ipIn, lanNetns } from './batch-helpers.js';

interface Watched {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startMonitor(ns: string, args: string[]): Watched {
  const child = spawn(process.execPath, [VRFCTL_BIN, '-n', ns, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits until the monitor is listening: adds probe routes until one shows up. */
async function ready(ns: string, m: Watched): Promise<void> {
  for (let i = 1; ; i++) {
    ipIn(ns, 'route', 'replace', `198.18.${i}.0/24`, 'via', '192.0.2.1', 'table', '999');
    try {
      await until('the monitor to start', () => m.stdout().includes(`198.18.${i}.0/24`), 1000);
      return;
    } catch {
      if (i > 60 || m.child.exitCode !== null) throw new Error(`monitor did not start: ${m.stderr()}`);
    }
  }
}

test('route, addr, rule, link and neigh events as lines; SIGINT ends with exit 0', async (t) => {
  const ns = lanNetns(t);
  const m = startMonitor(ns, ['monitor']);
  t.teardown(() => m.child.kill('SIGKILL'));
  await ready(ns, m);
  ipIn(ns, 'route', 'add', '10.77.0.0/24', 'via', '192.0.2.1', 'table', '100');
  ipIn(ns, 'addr', 'add', '192.0.2.51/32', 'dev', 'v0');
  ipIn(ns, 'rule', 'add', 'pref', '201', 'from', '10.1.0.0/16', 'lookup', '100');
  ipIn(ns, 'neigh', 'add', '192.0.2.77', 'lladdr', '02:00:00:00:00:77', 'dev', 'v0');
  ipIn(ns, 'link', 'add', 'br8', 'type', 'bridge');
  ipIn(ns, 'route', 'del', '10.77.0.0/24', 'table', '100');
  await until('the last event', () => m.stdout().includes('[ROUTE] Deleted 10.77.0.0/24'));
  const out = m.stdout();
  t.regex(out, /^\[ROUTE\] 10\.77\.0\.0\/24 via 192\.0\.2\.1 dev v0 table 100$/m);
  t.regex(out, /^\[ADDR\] \d+: v0 +inet 192\.0\.2\.51\/32 scope global v0/m);
  t.regex(out, /^\[RULE\] 201:\tfrom 10\.1\.0\.0\/16 lookup 100/m);
  t.regex(out, /^\[NEIGH\] 192\.0\.2\.77 dev v0 lladdr 02:00:00:00:00:77 PERMANENT$/m);
  t.regex(out, /^\[LINK\] \d+: br8: <BROADCAST,MULTICAST> mtu 1500/m);
  t.regex(out, /^\[ROUTE\] Deleted 10\.77\.0\.0\/24 via 192\.0\.2\.1 dev v0 table 100$/m);
  m.child.kill('SIGINT');
  t.is(await m.exited, 0);
  t.is(m.stderr(), '');
});

test('-j monitor route: one JSON object per line; only the objects asked for; SIGTERM exits 0', async (t) => {
  const ns = lanNetns(t);
  const m = startMonitor(ns, ['-j', 'monitor', 'route']);
  t.teardown(() => m.child.kill('SIGKILL'));
  await ready(ns, m);
  ipIn(ns, 'addr', 'add', '192.0.2.52/32', 'dev', 'v0');
  ipIn(ns, 'route', 'add', '10.78.0.0/24', 'via', '192.0.2.1', 'table', '100');
  await until('the route event', () => m.stdout().includes('10.78.0.0/24'));
  const events = m.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  t.true(events.every((e) => e.object === 'route'), 'no address events');
  const mine = events.find((e) => e.dst === '10.78.0.0/24');
  t.like(mine, { object: 'route', action: 'new', dst: '10.78.0.0/24', gateway: '192.0.2.1', dev: 'v0', table: '100' });
  m.child.kill('SIGTERM');
  t.is(await m.exited, 0);
});

test('an overrun (tiny --rcvbuf, a flood of routes) is reported, resynced from a dump, and the monitor goes on', async (t) => {
  const ns = lanNetns(t);
  const m = startMonitor(ns, ['monitor', 'route', '--rcvbuf', '4096']);
  t.teardown(() => m.child.kill('SIGKILL'));
  await ready(ns, m);
  // Stop the monitor while the kernel queues thousands of notifications into 4 KiB.
  m.child.kill('SIGSTOP');
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(`route add 10.200.${i >> 8}.${i & 255}/32 via 192.0.2.1 table 400`);
  const r = spawnSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  m.child.kill('SIGCONT');
  await until('the resync', () => /resync done/.test(m.stderr()));
  // Seen from the ENOBUFS, or (as the kernel queues that error after the messages) from its drop counter first.
  t.regex(m.stderr(), /\d+ events lost: (the receive buffer overran \(ENOBUFS\)|the kernel dropped them without an ENOBUFS report \(its drop counter rose\)); resyncing from a dump/);
  // Said in the stream too, with the kernel's own count of what it dropped.
  const lost = [...m.stdout().matchAll(/^\[LOST\] (\d+)$/gm)].map((x) => Number(x[1]));
  t.is(lost.length, 1, m.stdout().slice(0, 300));
  // Every flooded route reaches the reader exactly once: as its event, or in the resync's difference.
  const flood = /^(\[RESYNC\] )?\[ROUTE\] (10\.200\.\d+\.\d+) via 192\.0\.2\.1 dev v0 table 400$/;
  const seen = m.stdout().split('\n').map((l) => flood.exec(l)).filter((x) => x !== null);
  const events = seen.filter((x) => x[1] === undefined).length;
  if (seen.length !== 3000) t.log(m.stdout().split('\n').filter((l) => !l.startsWith('[RESYNC]')).join('\n'), m.stderr());
  t.is(seen.length, 3000, `${seen.length} flooded routes printed`);
  t.is(new Set(seen.map((x) => x[2])).size, 3000, 'a route printed twice');
  // The count is exact: one notification per route added, each either printed or counted lost.
  t.is(lost[0] + events, 3000, `lost ${lost[0]}, printed as events ${events}`);
  // What the monitor had printed before the flood is not repeated by the resync.
  t.false(/^\[RESYNC\] \[ROUTE\] 198\.18\./m.test(m.stdout()), 'the probe routes were printed again');
  // And it keeps following events afterwards.
  ipIn(ns, 'route', 'add', '10.201.0.0/24', 'via', '192.0.2.1', 'table', '400');
  await until('an event after the resync', () => m.stdout().includes('[ROUTE] 10.201.0.0/24'));

  // #19 item 5: losses after a resync went unreported. A second overrun, of deletions this time
  // (ip route flush), is reported again and every deletion still reaches the reader exactly once.
  const mark = m.stdout().length;
  m.child.kill('SIGSTOP');
  const flush = spawnSync('ip', ['-n', ns, 'route', 'flush', 'table', '400'], { encoding: 'utf8' });
  t.is(flush.status, 0, flush.stderr);
  m.child.kill('SIGCONT');
  await until('the second resync', () => (m.stderr().match(/resync done/g) ?? []).length === 2);
  const after = m.stdout().slice(mark);
  const lost2 = [...after.matchAll(/^\[LOST\] (\d+)$/gm)].map((x) => Number(x[1]));
  t.is(lost2.length, 1, after.slice(0, 300));
  const deleted = /^(\[RESYNC\] )?\[ROUTE\] Deleted (10\.20[01]\.\d+\.\d+(?:\/24)?) via 192\.0\.2\.1 dev v0 table 400$/;
  const gone = after.split('\n').map((l) => deleted.exec(l)).filter((x) => x !== null);
  t.is(gone.length, 3001, `${gone.length} deletions printed`);
  t.is(new Set(gone.map((x) => x[2])).size, 3001, 'a deletion printed twice');
  t.is(lost2[0] + gone.filter((x) => x[1] === undefined).length, 3001, `lost ${lost2[0]}`);
  m.child.kill('SIGINT');
  t.is(await m.exited, 0);
});
