// Lab test (vrf driver): `vrfctl monitor nexthop` prints the events `ip monitor nexthop` prints, in
// the same order, for nexthops and groups added, replaced and deleted, on a VRF's port and off it,
// the group updates the kernel sends when a member goes, and (nothing, as ip) for what releasing
// the port and a link going down remove. Two differences are by design and normalised here: vrfctl labels every event
// ("[NEXTHOP] ", as `ip monitor label` does but with a space) and trims the trailing space ip
// leaves. `-j` events carry what `ip -j nexthop show` shows for the same nexthop.
// Run: npx tsc -p tsconfig.lab.json && tools/lab/run --rw -- node node_modules/ava/entrypoints/cli.mjs
//        --config ava.lab.config.mjs build/lab/packages/vrfctl/test-lab/monitor-nexthop-vrf.test.js
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ip, tempNetns } from '../../route/test/netns.js';
import { vrfNetwork } from './vrf-network.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the vrf driver');
});

/** A process whose stdout is collected as it comes. */
function collect(cmd: string, args: readonly string[]): { child: ChildProcess; out: () => string } {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += `stderr: ${d.toString()}`));
  return { child, out: () => out };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lines from the first that starts with `from` to the first after it that starts with `to`. */
function between(lines: readonly string[], from: string, to: string): string[] {
  const a = lines.findIndex((l) => l.startsWith(from));
  const b = lines.findIndex((l, i) => i > a && l.startsWith(to));
  return a === -1 || b === -1 ? [] : lines.slice(a, b + 1);
}

// Changes on a VRF port (v0 in blue), on a port of the main table (w0), groups of both, a member
// deleted (the kernel updates its groups), the VRF port released and w0 taken down (the kernel
// removes their nexthops and what used them).
const SCRIPT = [
  'add id 1 via 10.0.0.2 dev v0',
  'add id 2 via 10.0.0.3 dev v0 proto zebra',
  'add id 3 via 2001:db8::2 dev v0',
  'add id 4 via 10.1.0.2 dev w0',
  'add id 5 dev v0',
  'add id 6 via 169.254.0.1 dev v0 onlink proto 186',
  'add id 10 group 1/2',
  'add id 11 group 1,2/2/5 type resilient buckets 8 idle_timer 5 unbalanced_timer 10',
  'add id 12 group 4/6',
  'replace id 10 group 1,3/5',
  'replace id 1 via 10.0.0.4 dev v0',
  'replace id 2 via 10.0.0.5 dev v0 proto zebra',
  'replace id 12 group 4',
  'del id 5',
  'del id 10',
];

test('monitor nexthop: the events ip monitor nexthop prints, for a VRF port and off it; -j as ip -j nexthop show', async (t) => {
  const ns = tempNetns(t);
  ip(ns, 'link', 'set', 'lo', 'up');
  vrfNetwork(ns);

  const theirs = collect('ip', ['-n', ns, 'monitor', 'nexthop']);
  const ours = collect(process.execPath, [BIN, '-n', ns, 'monitor', 'nexthop']);
  const oursJ = collect(process.execPath, [BIN, '-n', ns, '-j', 'monitor', 'nexthop']);
  const all = [theirs, ours, oursJ];
  t.teardown(() => all.forEach((p) => p.child.kill('SIGKILL')));

  // Until every monitor listens, probes are missed: repeat one until all three have seen it.
  const end = Date.now() + 180_000;
  const seen = (id: number) => theirs.out().includes(`id ${id} blackhole`) && ours.out().includes(`id ${id} blackhole`)
    && oursJ.out().includes(`"id":${id},`);
  let probe = 1000;
  for (; !seen(probe); probe++) {
    if (Date.now() > end) throw new Error(`monitors did not start: ${all.map((p) => p.out()).join(' | ')}`);
    ip(ns, 'nexthop', 'replace', 'id', String(probe + 1), 'blackhole');
    await sleep(1000);
  }
  ip(ns, 'nexthop', 'add', 'id', '900', 'blackhole');
  for (const line of SCRIPT) ip(ns, 'nexthop', ...line.split(' '));
  // Routes over them in the VRF and in main: removed with their nexthops below.
  ip(ns, 'route', 'add', '10.9.0.0/16', 'nhid', '11', 'vrf', 'blue');
  ip(ns, 'route', 'add', '10.6.0.0/16', 'nhid', '12');
  const shown = JSON.parse(ip(ns, '-j', 'nexthop', 'show')) as Array<{ id: number }>;
  ip(ns, 'link', 'set', 'v0', 'nomaster');
  ip(ns, 'link', 'set', 'w0', 'down');
  const afterRelease = JSON.parse(ip(ns, '-j', 'nexthop', 'show')) as Array<{ id: number }>;
  ip(ns, 'nexthop', 'del', 'id', '900');
  while (!(theirs.out().includes('Deleted id 900') && ours.out().includes('Deleted id 900') && oursJ.out().includes('"action":"deleted","id":900'))) {
    if (Date.now() > end) break;
    await sleep(200);
  }

  const ipLines = between(theirs.out().split('\n').map((l) => l.trimEnd()), 'id 900 ', 'Deleted id 900 ');
  const ourLines = between(ours.out().split('\n').map((l) => l.replace(/^\[NEXTHOP\] /, '')), 'id 900 ', 'Deleted id 900 ');
  t.log(ipLines.join('\n'));
  t.true(ipLines.length >= SCRIPT.length + 2, `ip printed the script's events: ${theirs.out()}`);
  t.deepEqual(ourLines, ipLines, 'the same events, in the same order, as ip prints them');
  t.true(ours.out().split('\n').filter((l) => l !== '').every((l) => l.startsWith('[NEXTHOP] ')), 'every line labelled');
  // What the kernel sent for the VRF port's nexthops: the device, and no master attribute.
  t.true(ipLines.includes('id 2 via 10.0.0.5 dev v0 scope link proto zebra'));
  // Releasing the VRF port and taking w0 down removed their nexthops (and the groups and routes
  // over them) without an event from the kernel: neither monitor printed one (compared above).
  t.deepEqual(afterRelease.map((n) => n.id).filter((id) => id < 1000), [900]);

  // -j: each nexthop's last event is what ip -j nexthop show showed before the release.
  const events = oursJ.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const releasedAt = events.findIndex((e) => e.action === 'deleted' && e.id === 900);
  t.true(releasedAt > 0);
  // A resilient group's unbalanced_time is a clock reading: it moves between the event and the show.
  const unclocked = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/"unbalanced_time":[0-9.e+-]+/g, '"unbalanced_time":0')) as unknown;
  const mismatches: unknown[] = [];
  // (The probes before every monitor listened are not all in the -j stream.)
  for (const nh of shown.filter((n) => n.id < 1000)) {
    const last = events.slice(0, releasedAt).filter((e) => e.id === nh.id).at(-1);
    const { object, action, ...rest } = last ?? {};
    if (object !== 'nexthop' || action !== 'new' || !isDeepStrictEqual(unclocked(rest), unclocked(nh))) mismatches.push({ ours: last, theirs: nh });
  }
  t.deepEqual(mismatches, []);
  t.deepEqual(shown.map((n) => n.id).filter((id) => id < 1000), [1, 2, 3, 4, 6, 11, 12, 900]);
});
