// 100k routes streamed through dumpIterator in a child process: peak RSS growth stays bounded
// (the full 1M-route version is tools/bench).
import test from 'ava';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, ip, run, tempNetns } from './helpers.js';

const ROUTES = 100_000;
const BOUND_MB = 100;

// Runs in the child on the built package (dist), as users run it: counts the routes without keeping them, reports VmHWM before and after.
// (with -e, process.argv[1] is the first argument after the code)
const CHILD = `
import { readFileSync } from 'node:fs';
import { openNetlink } from '@vrfctl/socket';
const hwm = () => Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))[1]);
const s = openNetlink(0, { netns: process.argv[1] });
const req = { type: 26, flags: 0, encode: (b) => void (b.raw[b.reserve(12)] = 2) };
let n = 0;
for await (const m of s.dumpIterator(req)) if (m.header.type === 24 && m.payload[1] === 32 && m.payload[4] === 254) n++; // warm-up
const before = hwm();
n = 0;
for await (const m of s.dumpIterator(req)) if (m.header.type === 24 && m.payload[1] === 32 && m.payload[4] === 254) n++;
s.close();
console.log(JSON.stringify({ n, before, after: hwm() }));
`;

test(`${ROUTES / 1000}k routes through dumpIterator: VmHWM grows less than ${BOUND_MB} MB`, (t) => {
  const ns = tempNetns(t);
  const file = join(tmpdir(), `${ns}.routes`);
  t.teardown(() => rmSync(file, { force: true }));
  writeFileSync(file, Array.from({ length: ROUTES }, (_, i) => `route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev lo`).join('\n') + '\n');
  ip(ns, '-batch', file);
  const r = run([process.execPath, '--input-type=module', '-e', CHILD, ns], { timeoutMs: 60_000 });
  t.false(r.timedOut);
  t.is(r.code, 0, r.stderr);
  const { n, before, after } = JSON.parse(r.stdout) as { n: number; before: number; after: number };
  t.is(n, ROUTES);
  const growthMb = (after - before) / 1024;
  t.log(`VmHWM ${Math.round(before / 1024)} → ${Math.round(after / 1024)} MB`);
  t.true(growthMb < BOUND_MB, `VmHWM grew ${growthMb.toFixed(1)} MB`);
});
