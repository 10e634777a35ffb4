// Host tests of the VRF commands through the built CLI (bin/vrfctl.js): usage errors exit 1
// (EXIT_USAGE) and change nothing, kernel refusals exit 2 (EXIT_REFUSED) with one line, output shapes of list and sysctl.
// The host has no vrf driver; the commands' real work is tested in packages/vrf/test-lab.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const BIN = fileURLToPath(new URL('../bin/vrfctl.js', import.meta.url));

function tempNetns(t: { teardown: (fn: () => void) => void }): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => execFileSync('ip', ['netns', 'del', name]));
  return name;
}

function vrfctl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SSH_CONNECTION: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const snapshot = (ns: string): string =>
  ['-d link show', 'addr show', 'route show table all', '-6 route show table all', 'rule show', '-6 rule show']
    .map((c) => execFileSync('ip', ['-n', ns, ...c.split(' ')], { encoding: 'utf8' })).join('\n');

test('list in an empty netns: JSON [] and the ip-like message', (t) => {
  const ns = tempNetns(t);
  t.deepEqual(JSON.parse(vrfctl('-n', ns, '-j', 'list').stdout), []);
  const human = vrfctl('-n', ns, 'list');
  t.is(human.status, 0);
  t.is(human.stdout, 'No VRF has been configured\n');
});

test('bad input exits EXIT_USAGE with one line and changes nothing', (t) => {
  const ns = tempNetns(t);
  const before = snapshot(ns);
  const cases: Array<[string[], RegExp]> = [
    [['add', 'red', 'table', '254'], /reserved for the "main" table/],
    [['add', 'red', 'table', '0'], /reserved/],
    [['add', 'red', 'table', '4294967296'], /invalid table/],
    [['add', 'default', 'table', '10'], /reserved/],
    [['add', 'a/b', 'table', '10'], /invalid VRF name/],
    [['add', 'x'.repeat(16), 'table', '10'], /1 to 15 bytes/],
    [['add', 'red', '10'], /usage: vrfctl add/],
    [['add', 'red', 'table', '10', '--bogus'], /unknown option "--bogus"/],
    [['add', 'red', 'table', '10', '--rt-tables-name=../x'], /invalid rt_tables name/],
    // #19 item 6: a reserved name would shadow main (ip route add … table main landing in 2001).
    [['add', 't1', 'table', '2001', '--rt-tables-name=main'], /table name "main" is reserved/],
    [['add', 't1', 'table', '2001', '--rt-tables-name=local'], /table name "local" is reserved/],
    [['del'], /usage: vrfctl del/],
    [['enslave', 'red'], /usage: vrfctl enslave/],
    [['enslave', 'red', 'a/b'], /invalid/],
    [['release'], /usage: vrfctl release/],
    [['show', 'a/b'], /invalid VRF name/],
    [['sysctl', 'set', 'net.ipv4.ip_forward=1'], /unknown sysctl/],
    [['sysctl', 'set', 'net.ipv4.tcp_l3mdev_accept=2'], /must be one of 0, 1/],
    [['exec', 'red'], /usage: vrfctl exec/],
    [['identify', 'abc'], /invalid PID/],
    [['pids', 'a/b'], /invalid VRF name/],
  ];
  for (const [args, message] of cases) {
    const r = vrfctl('-n', ns, ...args);
    t.is(r.status, EXIT_USAGE, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message, args.join(' '));
    t.is(r.stderr.trim().split('\n').length, 1, args.join(' '));
  }
  t.is(snapshot(ns), before);
});

test('the kernel refuses a VRF with no vrf driver (EXIT_REFUSED); unknown VRFs are refused before sending (EXIT_USAGE)', (t) => {
  const ns = tempNetns(t);
  const before = snapshot(ns);
  const add = vrfctl('-n', ns, 'add', 'red', 'table', '10');
  t.is(add.status, EXIT_REFUSED);
  t.is(add.stderr, 'vrfctl: add red: EOPNOTSUPP: Operation not supported: Unknown device type\n');
  for (const args of [['show', 'red'], ['del', 'red'], ['enslave', 'red', 'lo'], ['release', 'lo']]) {
    const r = vrfctl('-n', ns, ...args);
    t.is(r.status, EXIT_USAGE, `${args.join(' ')}: ${r.stderr}`);
  }
  t.is(snapshot(ns), before);
});

test('--dry-run add prints the requests and changes nothing', (t) => {
  const ns = tempNetns(t);
  const before = snapshot(ns);
  const r = vrfctl('-n', ns, '--dry-run', 'add', 'red', 'table', '10');
  t.is(r.status, 0, r.stderr);
  const types = r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { header: { type: string } }).header.type);
  t.deepEqual(types.slice(0, 4), ['RTM_NEWLINK', 'RTM_NEWLINK', 'RTM_NEWROUTE', 'RTM_NEWROUTE']);
  t.true(types.includes('RTM_NEWRULE'));
  t.is(snapshot(ns), before);
});

test('sysctl show / set in a netns', (t) => {
  const ns = tempNetns(t);
  const set = vrfctl('-n', ns, 'sysctl', 'set', 'net.ipv4.tcp_l3mdev_accept=1', 'net.ipv4.udp_l3mdev_accept', '=', '1');
  t.is(set.status, 0, set.stderr);
  t.is(set.stdout, 'net.ipv4.tcp_l3mdev_accept = 1\nnet.ipv4.udp_l3mdev_accept = 1\n');
  const shown = JSON.parse(vrfctl('-n', ns, '-j', 'sysctl', 'show').stdout) as Record<string, number | null>;
  t.is(shown['net.ipv4.tcp_l3mdev_accept'], 1);
  t.is(shown['net.ipv4.udp_l3mdev_accept'], 1);
  t.is(execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', 'net.ipv4.udp_l3mdev_accept'], { encoding: 'utf8' }).trim(), '1');
  t.regex(vrfctl('-n', ns, 'sysctl', 'show').stdout, /^net\.ipv4\.raw_l3mdev_accept = [01]$/m);
});
