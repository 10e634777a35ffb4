// `route show` of a large table through the real binary: many datagrams, many output chunks,
// printed straight from the wire bytes; and a reader that stops early.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip, tempNetns } from '../../../test/support/netns.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const bin = join(root, 'packages/vrfctl/bin/vrfctl.js');
const ROUTES = 20_000;

/** A namespace with ROUTES /32s in table 100, some with a metric, some v6 with a gateway. */
function bigTable(t: Parameters<typeof tempNetns>[0]): string {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  ip(ns, 'link', 'set', 'v1', 'up');
  ip(ns, 'addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
  const lines: string[] = [];
  for (let i = 0; i < ROUTES; i++) {
    const dst = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`;
    lines.push(`route add ${dst} dev lo table 100${i % 7 === 0 ? ' metric 20 proto static' : ''}`);
  }
  for (let i = 0; i < 500; i++) lines.push(`route add 2001:db8:${i.toString(16)}::/48 via 2001:db8::2 dev v0 table 100`);
  const file = join(tmpdir(), `${ns}.batch`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  ip(ns, '-batch', file);
  return ns;
}

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('route show of a 20k-route table prints exactly what ip prints, as text and as JSON', (t) => {
  const ns = bigTable(t);
  for (const fmt of [[], ['-j'], ['-4'], ['-6', '-j']]) {
    const ours = run(['--netns', ns, ...fmt, 'route', 'show', 'table', '100']);
    t.is(ours.status, 0, ours.stderr);
    const theirs = spawnSync('ip', ['-n', ns, ...fmt, 'route', 'show', 'table', '100'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    t.true(theirs.length > 10_000, `ip printed ${theirs.length} bytes for ${fmt.join(' ')}`);
    t.is(ours.stdout, theirs, `output of ${fmt.join(' ') || 'text'}`);
  }
  // A selector the wire printer does not check itself still selects the same routes.
  const ours = run(['--netns', ns, '-j', 'route', 'show', 'table', '100', 'root', '10.0.16.0/20']);
  const theirs = ip(ns, '-j', 'route', 'show', 'table', '100', 'root', '10.0.16.0/20');
  t.is(JSON.parse(ours.stdout).length, 4096);
  t.is(ours.stdout, theirs);
});

test('a reader that closes the pipe early ends vrfctl quietly with the SIGPIPE status, as ip', async (t) => {
  const ns = bigTable(t);
  const child = spawn(process.execPath, [bin, '--netns', ns, 'route', 'show', 'table', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const firstLine = await new Promise<string>((resolve) => {
    child.stdout.once('data', (d: Buffer) => {
      resolve(d.toString().split('\n')[0]);
      child.stdout.destroy();
    });
  });
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  t.is(firstLine, '10.0.0.0 dev lo proto static scope link metric 20 ');
  t.is(status, 141);
  t.is(stderr, '');
});

// Standard output is written with write(2) (src/stdout.ts). A descriptor another program left
// non-blocking says EAGAIN when the pipe is full: the rest must still arrive whole and in order.
test('a non-blocking standard output that fills up still gets every byte, in order', async (t) => {
  const ns = bigTable(t);
  const koffi = join(root, 'packages/vrfctl/node_modules/koffi');
  const wrapper = join(tmpdir(), `${ns}-nonblocking.cjs`);
  writeFileSync(wrapper, [
    `const koffi = require(${JSON.stringify(koffi)});`,
    "const fcntl = koffi.load('libc.so.6').func('int fcntl(int, int, ...)');",
    'const F_GETFL = 3, F_SETFL = 4, O_NONBLOCK = 0o4000;',
    "fcntl(1, F_SETFL, 'int', fcntl(1, F_GETFL) | O_NONBLOCK);",
    "if (fcntl(1, F_GETFL) & O_NONBLOCK) process.stderr.write('stdout is non-blocking\\n');",
    `process.argv.splice(1, 1, ${JSON.stringify(bin)});`,
    `require(${JSON.stringify(bin)});`,
  ].join('\n'));
  const child = spawn(process.execPath, [wrapper, '--netns', ns, 'route', 'show', 'table', '100'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Not read for a while: the 64 KiB pipe fills and vrfctl's writes meet EAGAIN.
  child.stdout.pause();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const chunks: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => chunks.push(d));
  child.stdout.resume();
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const theirs = spawnSync('ip', ['-n', ns, 'route', 'show', 'table', '100'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
  t.is(stderr, 'stdout is non-blocking\n');
  t.is(status, 0);
  t.true(theirs.length > 256 * 1024, `ip printed ${theirs.length} bytes`);
  t.is(Buffer.concat(chunks).toString(), theirs);
});
