// `vrfctl netns list|add|del|identify|pids` beside `ip netns …` (#18): the same namespaces seen
// by both, the same lines for ours (other tests add and remove namespaces meanwhile, so only
// our names are compared), ids as ip shows them, ip's exit status for a name that exists or not.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { EXIT_USAGE } from '../src/errors.js';
import { vrfctl } from './cli.js';

const unique = (): string => `vrfctl-nt-${randomBytes(4).toString('hex')}`;
const ipNetns = (...args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });
const ours = (out: string, names: string[]): string[] => out.split('\n').filter((l) => names.some((n) => l === n || l.startsWith(`${n} `)));

test('add, list (with ids), del: what ip sees and prints; an existing or missing name exits as ip', (t) => {
  const a = unique();
  const b = unique();
  t.teardown(() => {
    for (const n of [a, b]) if (existsSync(`/run/netns/${n}`)) ipNetns('netns', 'del', n);
  });
  t.is(vrfctl(['netns', 'add', a]).code, 0);
  const r = vrfctl(['netns', 'add', b]);
  t.is(r.code, 0, r.stderr);
  // A real, separate namespace: ip works in it, and it has its own loopback.
  t.regex(ipNetns('-n', a, 'link', 'show', 'lo').stdout, /^1: lo: <LOOPBACK> /);
  // A veth pair across them gives b an id in a: both list it as "NAME (id: N)".
  t.is(ipNetns('-n', a, 'link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1', 'netns', b).status, 0);
  for (const ns of [[], ['-n', a]]) {
    const theirs = ipNetns(...ns, 'netns', 'list').stdout;
    const mine = vrfctl([...ns, 'netns', 'list']);
    t.is(mine.code, 0, mine.stderr);
    t.deepEqual(ours(mine.stdout, [a, b]), ours(theirs, [a, b]), ns.join(' '));
    const j = (text: string) => (JSON.parse(text) as Array<{ name: string }>).filter((x) => x.name === a || x.name === b);
    t.deepEqual(j(vrfctl([...ns, '-j', 'netns', 'list']).stdout), j(ipNetns(...ns, '-j', 'netns', 'list').stdout));
  }
  t.regex(ours(vrfctl(['-n', a, 'netns', 'list']).stdout, [b])[0] ?? '', / \(id: \d+\)$/);

  const again = vrfctl(['netns', 'add', a]);
  const theirsAgain = ipNetns('netns', 'add', a);
  t.is(again.code, EXIT_USAGE);
  t.is(theirsAgain.status === 255 ? EXIT_USAGE : theirsAgain.status, EXIT_USAGE);
  t.is(again.stderr.trim(), `vrfctl: netns add: ${theirsAgain.stderr.trim()}`);

  t.is(vrfctl(['netns', 'del', a]).code, 0);
  t.false(existsSync(`/run/netns/${a}`));
  const gone = vrfctl(['netns', 'del', a]);
  const theirsGone = ipNetns('netns', 'del', a);
  t.is(gone.code, EXIT_USAGE);
  t.is(theirsGone.status === 255 ? EXIT_USAGE : theirsGone.status, EXIT_USAGE);
  t.is(gone.stderr.trim(), `vrfctl: netns del: ${theirsGone.stderr.trim()}`);
});

test('a name under /run/netns that is not a namespace (an add or del in progress) is listed without an id, as ip lists it', (t) => {
  // `ip netns add` makes the file before it mounts the namespace on it, `del` unmounts before it
  // unlinks: a list in between meets a plain file, which the kernel refuses to give an id.
  const plain = unique();
  writeFileSync(`/run/netns/${plain}`, '');
  t.teardown(() => rmSync(`/run/netns/${plain}`, { force: true }));
  const mine = vrfctl(['netns', 'list']);
  const theirs = ipNetns('netns', 'list');
  t.is(mine.code, 0, mine.stderr);
  t.is(theirs.status, 0);
  t.deepEqual(ours(mine.stdout, [plain]), [plain]);
  t.deepEqual(ours(mine.stdout, [plain]), ours(theirs.stdout, [plain]));
  t.regex(mine.stderr, new RegExp(`^vrfctl: netns list: ${plain}: EINVAL: Invalid argument: Peer netns reference is invalid$`, 'm'));
  const mineJson = vrfctl(['-j', 'netns', 'list']);
  t.is(mineJson.code, 0, mineJson.stderr);
  const pick = (text: string) => (JSON.parse(text) as Array<{ name: string }>).filter((x) => x.name === plain);
  t.deepEqual(pick(mineJson.stdout), [{ name: plain }]);
  t.deepEqual(pick(mineJson.stdout), pick(ipNetns('-j', 'netns', 'list').stdout));
});

test('identify and pids name the same namespace and processes as ip', async (t) => {
  const a = unique();
  t.is(vrfctl(['netns', 'add', a]).code, 0);
  t.teardown(() => void ipNetns('netns', 'del', a));
  const sleeper = spawn('ip', ['netns', 'exec', a, 'sleep', '60'], { stdio: 'ignore' });
  t.teardown(() => void sleeper.kill());
  await new Promise((resolve) => setTimeout(resolve, 500));
  const pid = String(sleeper.pid);
  for (const args of [['netns', 'identify', pid], ['netns', 'pids', a], ['netns', 'identify']]) {
    const mine = vrfctl(args);
    const theirs = ipNetns(...args);
    t.is(mine.code, 0, mine.stderr);
    t.is(mine.stdout, theirs.stdout, args.join(' '));
  }
  t.is(vrfctl(['netns', 'identify', pid]).stdout, `${a}\n`);
  t.true(vrfctl(['netns', 'pids', a]).stdout.split('\n').includes(pid));
});

test('names that are not names are refused before anything is made (exit 1)', (t) => {
  for (const bad of ['', '..', 'a/b', '/tmp/x']) {
    const r = vrfctl(['netns', 'add', bad]);
    t.is(r.code, EXIT_USAGE, bad);
    t.is(r.stderr.trim().split('\n').length, 1);
  }
  t.false(existsSync('/run/netns/a'));
});

test('exec runs CMD in the namespace as ip netns exec does: its /sys, /etc/netns/NAME, exit status', (t) => {
  const a = unique();
  t.is(vrfctl(['netns', 'add', a]).code, 0);
  mkdirSync(`/etc/netns/${a}`, { recursive: true });
  writeFileSync(`/etc/netns/${a}/resolv.conf`, 'nameserver 192.0.2.53\n');
  t.teardown(() => {
    rmSync(`/etc/netns/${a}`, { recursive: true, force: true });
    ipNetns('netns', 'del', a);
  });
  t.is(ipNetns('-n', a, 'link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1').status, 0);
  const hostResolv = readFileSync('/etc/resolv.conf', 'utf8');
  // The same answers as ip's, command by command: the namespace's own inode, its devices in
  // /sys/class/net (sysfs mounted afresh), its resolv.conf, ip's view of its links.
  const same = [
    ['readlink', '/proc/self/ns/net'],
    ['ls', '/sys/class/net'],
    ['cat', '/etc/resolv.conf'],
    ['ip', '-j', 'link', 'show'],
  ];
  for (const cmd of same) {
    const mine = vrfctl(['netns', 'exec', a, ...cmd]);
    const theirs = ipNetns('netns', 'exec', a, ...cmd);
    t.is(mine.code, 0, mine.stderr);
    t.is(mine.stdout, theirs.stdout, cmd.join(' '));
  }
  t.is(vrfctl(['netns', 'exec', a, 'ls', '/sys/class/net']).stdout, 'lo\nx0\nx1\n');
  t.is(vrfctl(['netns', 'exec', a, 'readlink', '/proc/self/ns/net']).stdout, `net:[${statSync(`/run/netns/${a}`).ino}]\n`);
  t.is(vrfctl(['netns', 'exec', a, 'cat', '/etc/resolv.conf']).stdout, 'nameserver 192.0.2.53\n');
  // Nothing leaked back into the host's mount namespace.
  t.is(readFileSync('/etc/resolv.conf', 'utf8'), hostResolv);
  t.false(readFileSync('/proc/self/mountinfo', 'utf8').includes(` - sysfs ${a} `));
  // CMD's exit status and output are its own (it replaced vrfctl), stdin included.
  const seven = vrfctl(['netns', 'exec', a, 'sh', '-c', 'cat; exit 7'], 'piped\n');
  t.deepEqual([seven.code, seven.stdout], [7, 'piped\n']);
});

test('exec refuses as ip does: no command, no such namespace (exit 1); a command that is not there', (t) => {
  const a = unique();
  t.is(vrfctl(['netns', 'add', a]).code, 0);
  t.teardown(() => void ipNetns('netns', 'del', a));
  const missing = `vrfctl-nt-missing-${randomBytes(3).toString('hex')}`;
  for (const args of [[a], [missing, 'true']]) {
    const mine = vrfctl(['netns', 'exec', ...args]);
    const theirs = ipNetns('netns', 'exec', ...args);
    t.is(mine.code, EXIT_USAGE, args.join(' '));
    t.not(theirs.status, 0);
    t.is(mine.stderr, `vrfctl: netns exec: ${theirs.stderr}`, args.join(' '));
  }
  for (const bad of ['..', 'a/b']) t.is(vrfctl(['netns', 'exec', bad, 'true']).code, EXIT_USAGE, bad);
  // A command that cannot be run: a shell's 127, where ip says 1 (as `vrfctl exec` does).
  const nocmd = vrfctl(['netns', 'exec', a, 'vrfctl-no-such-command']);
  t.is(nocmd.code, 127);
  t.is(nocmd.stderr, 'vrfctl: exec: vrfctl-no-such-command: No such file or directory\n');
});
