// Exit codes side by side with iproute2: every failure case the suite has (route, rule, link,
// addr, neigh, VRF, batch, global usage) is run with `ip` in one netns and with the built vrfctl
// binary in a twin; both exit with the same code (ip's 255 is our 1: EXIT_USAGE), and the code
// is the one named here, so a change in either shows. Nothing may change in either netns.
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { EXIT_BATCH_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';
import { vrfctl } from './cli.js';
import { must, tempNetns } from './link-helpers.js';
import { snapshot } from './batch-helpers.js';

interface Case {
  /** `ip -n NS …` words. */
  ip: string[];
  /** `vrfctl -n NS …` words, when not the same. */
  ours?: string[];
  want: number;
  /**
   * ip's code when it differs, with the reason: vrfctl checks some values before sending that
   * ip leaves to the kernel, so it refuses them as input (1) where ip reports the kernel (2).
   */
  ipWant?: { code: number; why: string };
}

/** ip exits 255 where it calls exit(-1); vrfctl says 1 for those (same meaning: usage). */
const normalised = (code: number): number => (code === 255 ? EXIT_USAGE : code);

/** v0/v1 veth with addresses, a route, a rule, a neighbour, a bridge: what the cases refer to. */
function fixture(t: ExecutionContext): string {
  const ns = tempNetns(t);
  const ip = (...w: string[]) => must(['-n', ns, ...w]);
  ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip('link', 'add', 'br0', 'type', 'bridge');
  ip('link', 'set', 'v0', 'up');
  ip('link', 'set', 'v1', 'up');
  ip('addr', 'add', '10.0.0.1/24', 'dev', 'v0');
  ip('addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
  ip('route', 'add', '10.9.0.0/16', 'via', '10.0.0.2');
  ip('route', 'add', 'unreachable', '192.0.2.0/24');
  ip('route', 'add', '10.8.0.0/16', 'via', '10.0.0.2', 'table', '100');
  ip('rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100');
  ip('neigh', 'add', '10.0.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0');
  return ns;
}

function compare(t: ExecutionContext, cases: readonly Case[], netns: () => string): void {
  const theirs = netns();
  const ours = netns();
  const before = snapshot(ours);
  const theirsBefore = snapshot(theirs);
  for (const c of cases) {
    const i = spawnSync('ip', ['-n', theirs, ...c.ip], { encoding: 'utf8' });
    const v = vrfctl(['-n', ours, ...(c.ours ?? c.ip)]);
    const what = `ip ${c.ip.join(' ')} → ${i.status} (${i.stderr.trim()}); vrfctl → ${v.code} (${v.stderr.trim()})`;
    t.is(normalised(i.status ?? -1), c.ipWant?.code ?? c.want, `ip: ${what}${c.ipWant ? ` (${c.ipWant.why})` : ''}`);
    t.is(v.code, c.want, `vrfctl: ${what}`);
    t.is(v.stderr.trim().split('\n').length, 1, `one line: ${what}`);
    t.false(v.stderr.includes('    at '), 'no stack trace');
  }
  t.deepEqual(snapshot(ours), before, 'vrfctl changed nothing');
  t.deepEqual(snapshot(theirs), theirsBefore, 'ip changed nothing');
}

test('route: kernel refusals exit 2, input and names 1, as ip', (t) => {
  compare(t, [
    { ip: ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2'], want: EXIT_REFUSED },
    { ip: ['route', 'del', '10.99.0.0/16'], want: EXIT_REFUSED },
    { ip: ['route', 'add', '10.9.0.0/16', 'dev', 'nosuch'], want: EXIT_USAGE },
    { ip: ['route', 'add', '192.0.2.0/24', 'via', '10.9.9.9', 'table', '100'], want: EXIT_REFUSED },
    { ip: ['route', 'add', '10.0.0.0/33', 'dev', 'v0'], want: EXIT_USAGE },
    { ip: ['route', 'add', '10.9.0.0/16', 'table', 'nosuchtable'], want: EXIT_USAGE },
    { ip: ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'metric', 'x'], want: EXIT_USAGE },
    { ip: ['route', 'add', '10.9.0.0/16', 'nexthop', 'via', '10.0.0.2', 'weight', '0'], want: EXIT_USAGE },
    { ip: ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2', 'proto', 'nosuchproto'], want: EXIT_USAGE },
    { ip: ['route', 'frobnicate'], want: EXIT_USAGE },
    { ip: ['route', 'get'], want: EXIT_USAGE },
    { ip: ['route', 'flush'], want: EXIT_USAGE },
    { ip: ['route', 'get', '192.0.2.1'], want: EXIT_REFUSED },
    { ip: ['route', 'get', 'fibmatch', '198.51.100.1'], want: EXIT_REFUSED },
    { ip: ['route', 'flush', 'table', '4242'], want: EXIT_REFUSED },
    { ip: ['-6', 'route', 'flush', 'table', '4242'], want: EXIT_REFUSED },
    { ip: ['route', 'show', 'table', '4242'], want: EXIT_REFUSED },
    { ip: ['route', 'show', 'dev', 'nosuch'], want: EXIT_USAGE },
  ], () => fixture(t));
});

test('route show of a netns with no routes prints nothing and exits 0, as ip', (t) => {
  // A netns whose loopback never came up has no main table at all.
  const ns = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  must(['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  for (const words of [['route', 'show'], ['-j', 'route', 'show'], ['route', 'show', 'table', 'main']]) {
    const i = spawnSync('ip', ['-n', ns, ...words], { encoding: 'utf8' });
    const v = vrfctl(['-n', ns, ...words]);
    t.is(i.status, EXIT_OK, words.join(' '));
    t.is(v.code, EXIT_OK, `${words.join(' ')}: ${v.stderr}`);
    t.is(v.stdout.trim(), i.stdout.trim(), words.join(' '));
    t.is(v.stderr, '');
  }
  // A flush of the missing main table is an error for ip (only show hides it): the same for us.
  const flush = vrfctl(['-n', ns, 'route', 'flush', 'table', 'main']);
  t.is(flush.code, EXIT_REFUSED);
  t.regex(flush.stderr, /^vrfctl: route flush: ENOENT: .*FIB table does not exist\n$/);
  t.is(spawnSync('ip', ['-n', ns, 'route', 'flush', 'table', 'main']).status, EXIT_REFUSED);
});

test('rule: duplicates and missing rules exit 2, bad values 1, as ip', (t) => {
  compare(t, [
    { ip: ['rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100'], want: EXIT_REFUSED },
    { ip: ['rule', 'del', 'pref', '4242'], want: EXIT_REFUSED },
    { ip: ['rule', 'add', 'fwmark', 'x', 'lookup', '100'], want: EXIT_USAGE },
    { ip: ['rule', 'add', 'uidrange', '5-1', 'lookup', '100'], want: EXIT_USAGE,
      ipWant: { code: EXIT_REFUSED, why: 'ip sends the reversed range and the kernel refuses it' } },
    { ip: ['rule', 'add', 'sport', '5-1', 'lookup', '100'], want: EXIT_USAGE,
      ipWant: { code: EXIT_REFUSED, why: 'ip sends the reversed range and the kernel refuses it' } },
    { ip: ['rule', 'add', 'tos', '0x100', 'lookup', '100'], want: EXIT_USAGE },
    { ip: ['rule', 'add', 'pref', '100', 'lookup', 'nosuchtable'], want: EXIT_USAGE },
    { ip: ['rule', 'add', 'l3mdev', 'pref', '1000', 'table', '10'], want: EXIT_USAGE,
      ipWant: { code: 22, why: 'ip 6.1 returns -EINVAL from its parser here, exit 22: a usage error all the same' } },
    { ip: ['rule', 'frob'], want: EXIT_USAGE },
    // The kernel's checks: tos 0x20 for IPv4, and an ECN bit in dsfield.
    { ip: ['rule', 'add', 'pref', '101', 'tos', '0x20', 'lookup', '100'], want: EXIT_REFUSED },
    { ip: ['rule', 'add', 'pref', '102', 'dsfield', '0x01', 'lookup', '100'], want: EXIT_REFUSED },
  ], () => fixture(t));
});

test('link: existing links and bad values for the kernel exit 2, unknown devices and bad input 1, as ip', (t) => {
  compare(t, [
    { ip: ['link', 'set', 'nosuch', 'up'], want: EXIT_USAGE },
    { ip: ['link', 'del', 'nosuch'], want: EXIT_USAGE },
    { ip: ['link', 'show', 'nosuch'], want: EXIT_USAGE },
    { ip: ['link', 'set', 'v0', 'master', 'nosuch'], want: EXIT_USAGE },
    { ip: ['link', 'add', 'v0', 'type', 'veth'], want: EXIT_REFUSED },
    { ip: ['link', 'add', 'br0', 'type', 'bridge'], want: EXIT_REFUSED },
    { ip: ['link', 'set', 'v0', 'address', '02:zz:00:00:00:01'], want: EXIT_USAGE },
    { ip: ['link', 'set', 'v0', 'mtu', 'abc'], want: EXIT_USAGE },
    { ip: ['link', 'set', 'v0', 'mtu', '10'], want: EXIT_REFUSED },
    { ip: ['link', 'add', 'mv0', 'link', 'nosuch', 'type', 'macvlan'], want: EXIT_USAGE },
    { ip: ['link', 'add', 'vx0', 'type', 'vxlan', 'dstport', '4789'], want: EXIT_USAGE },
  ], () => fixture(t));
});

test('addr and neigh: kernel refusals exit 2, unknown devices and bad input 1, as ip', (t) => {
  compare(t, [
    { ip: ['addr', 'add', '10.0.2.1/24', 'dev', 'nosuch'], want: EXIT_USAGE },
    { ip: ['addr', 'add', '10.0.0.1/24', 'dev', 'v0'], want: EXIT_REFUSED },
    { ip: ['addr', 'del', '10.0.7.1/24', 'dev', 'v0'], want: EXIT_REFUSED },
    { ip: ['addr', 'add', '10.0.0.9/33', 'dev', 'v0'], want: EXIT_USAGE },
    { ip: ['addr', 'add', '10.0.0.9/24'], want: EXIT_USAGE },
    { ip: ['addr', 'add', '10.0.0.9/24', 'dev', 'v0', 'scope', 'bogus'], want: EXIT_USAGE },
    { ip: ['addr', 'add', '10.0.0.9/24', 'dev', 'v0', 'valid_lft', '10'], want: EXIT_USAGE },
    { ip: ['neigh', 'add', '10.0.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'nosuch'], want: EXIT_USAGE },
    { ip: ['neigh', 'add', '10.0.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0'], want: EXIT_REFUSED },
    { ip: ['neigh', 'del', '10.0.0.99', 'dev', 'v0'], want: EXIT_REFUSED },
    { ip: ['neigh', 'add', '10.0.0.9', 'lladdr', '02:zz:00:00:00:05', 'dev', 'v0'], want: EXIT_USAGE },
    { ip: ['neigh', 'add', '10.0.0.9', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0', 'nud', 'bogus'], want: EXIT_USAGE },
    { ip: ['neigh', 'add', '10.0.0.300', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0'], want: EXIT_USAGE },
  ], () => fixture(t));
});

test('VRF commands: the kernel refusing a VRF exits 2, unknown VRFs 1, as ip (host without the vrf driver)', (t) => {
  compare(t, [
    { ip: ['link', 'add', 'red', 'type', 'vrf', 'table', '10'], ours: ['add', 'red', 'table', '10'], want: EXIT_REFUSED },
    { ip: ['link', 'del', 'red'], ours: ['del', 'red'], want: EXIT_USAGE },
    { ip: ['link', 'set', 'v0', 'master', 'red'], ours: ['enslave', 'red', 'v0'], want: EXIT_USAGE },
    { ip: ['link', 'show', 'vrf', 'red'], want: EXIT_USAGE },
  ], () => fixture(t));
});

test('unknown objects, commands and options, and a missing netns: exit 1, one line, as ip', (t) => {
  for (const [theirs, ours, line] of [
    [['frobnicate'], ['frobnicate'], /^vrfctl: unknown command "frobnicate"/],
    [['-frob', 'link'], ['--frob', 'link'], /^vrfctl: unknown option "--frob"/],
    [['-n', 'vrfctl-no-such-netns', 'link', 'show'], ['-n', 'vrfctl-no-such-netns', 'link', 'show'], /vrfctl-no-such-netns/],
  ] as const) {
    const i = spawnSync('ip', theirs, { encoding: 'utf8' });
    const v = vrfctl([...ours]);
    t.is(normalised(i.status ?? -1), EXIT_USAGE, theirs.join(' '));
    t.is(v.code, EXIT_USAGE, ours.join(' '));
    t.is(v.stderr.trim().split('\n').length, 1, v.stderr);
    t.regex(v.stderr, line);
    t.false(v.stderr.startsWith('error:'));
  }
});

test('batch: a failed line exits 1 as ip -batch, whether the kernel refused it or its input was bad', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-exit-'));
  for (const text of ['route add 10.9.0.0/16 via 10.0.0.2\n', 'route add 10.0.0.0/33 dev v0\n']) {
    const file = join(dir, 'b.txt');
    writeFileSync(file, text);
    const theirs = fixture(t);
    const ours = fixture(t);
    const i = spawnSync('ip', ['-n', theirs, '-batch', file], { encoding: 'utf8' });
    const v = vrfctl(['-n', ours, 'batch', file]);
    t.is(i.status, EXIT_BATCH_FAILED, text);
    t.is(v.code, EXIT_BATCH_FAILED, `${text}: ${v.stderr}`);
  }
});

test('--version prints the package version and exits 0', (t) => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const r = vrfctl(['--version']);
  t.is(r.code, EXIT_OK);
  t.is(r.stdout, `${pkg.version}\n`);
});
