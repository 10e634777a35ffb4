// iproute2's global flags and abbreviations (#18): -br, -o, -s with and without -j, ip's
// single-dash long spellings and prefixes, object and verb abbreviations. Each is run beside
// `ip` with the same arguments on the same namespace; text must be byte-equal, JSON deep-equal,
// exit codes equal (ip's 255 is our 1).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { EXIT_USAGE } from '../src/errors.js';
import { vrfctl } from './cli.js';
import { ip, ipRun, tempNetns } from './link-helpers.js';

function setup(t: Parameters<typeof tempNetns>[0]): string {
  const ns = tempNetns(t);
  ip(ns, 'link', 'set', 'lo', 'up');
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  ip(ns, 'link', 'set', 'v0', 'alias', 'uplink');
  ip(ns, 'link', 'property', 'add', 'dev', 'v0', 'altname', 'uplink0');
  ip(ns, 'addr', 'add', '192.0.2.1/24', 'dev', 'v0');
  ip(ns, 'addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
  ip(ns, 'addr', 'add', '198.51.100.1/32', 'peer', '198.51.100.2/32', 'dev', 'v0');
  return ns;
}

/**
 * ip's run and ours, taken while ip printed the same just before and just after ours: counters
 * move on their own (v0 has no carrier and drops the IPv6 packets the kernel sends on it), and a
 * count that moved between the two commands is not a difference in what they print.
 */
function besideIp(ns: string, ipArgs: string[], ours: string[]): { theirs: ReturnType<typeof ipRun>; ours: ReturnType<typeof vrfctl> } {
  for (let attempt = 1; ; attempt++) {
    const before = ipRun(ns, ipArgs);
    const result = { ours: vrfctl(ours), theirs: ipRun(ns, ipArgs) };
    if (result.theirs.stdout === before.stdout || attempt === 5) return result;
  }
}

const TEXT: string[][] = [
  ['-br', 'link'], ['-brief', 'link', 'show', 'v0'], ['-br', 'a'], ['-br', '-4', 'addr'], ['-br', '-6', 'a', 'show', 'dev', 'v0'],
  ['-o', 'link'], ['-oneline', 'l', 'show', 'dev', 'v0'], ['-o', 'addr'], ['-o', '-4', 'a', 's', 'dev', 'v0'],
  ['-s', 'link', 'show', 'v0'], ['-stats', 'l', 'show', 'lo'], ['-s', 'addr', 'show', 'dev', 'v0'], ['-br', '-s', 'link'],
  ['-o', '-s', 'link', 'show', 'lo'], ['-o', '-s', 'a', 'show', 'dev', 'v0'],
  // -s twice: the RX/TX error counters too (and the carrier transitions of v0 and v1).
  ['-s', '-s', 'link'], ['-stats', '-s', 'l', 'show', 'v1'], ['-s', '-s', 'a', 'show', 'dev', 'v0'], ['-o', '-s', '-s', 'link'],
  // Abbreviations and spellings of the flags we had already.
  ['a'], ['a', 's', 'dev', 'v0'], ['ad', 'sh'], ['l', 'ls'], ['li', 'lst', 'v0'], ['r'], ['ro', 'sh', 'table', 'local'], ['ru'], ['ru', 'l'],
  ['-family', 'inet', 'a'], ['-f', 'inet6', 'r'], ['-color=never', 'a', 'show', 'dev', 'lo'], ['--oneline', 'l'],
];

const JSON_ARGS: string[][] = [
  ['-br', 'link'], ['-br', 'addr'], ['-br', '-4', 'a'], ['-s', 'link', 'show', 'v0'], ['-s', 'a', 'show', 'dev', 'v0'], ['-o', 'link'],
  ['-br', '-s', 'l'], ['r', 's', 'table', 'local'], ['-s', '-s', 'link'], ['-s', '-s', 'a', 'show', 'dev', 'v0'],
];

test('text output of -br, -o, -s and the abbreviations equals ip\'s', (t) => {
  const ns = setup(t);
  for (const args of TEXT) {
    const { theirs, ours } = besideIp(ns, args, ['-n', ns, ...args]);
    t.is(theirs.code, 0, `ip ${args.join(' ')}: ${theirs.stderr}`);
    t.is(ours.code, 0, `vrfctl ${args.join(' ')}: ${ours.stderr}`);
    t.is(ours.stdout, theirs.stdout, `vrfctl ${args.join(' ')}`);
  }
});

test('-c and -color: taken, ip\'s text without its colour escapes (we never colour)', (t) => {
  const ns = setup(t);
  for (const args of [['-c', 'l', 'show', 'lo'], ['-color', 'a'], ['-color=always', '-br', 'a']]) {
    const theirs = ipRun(ns, args);
    const ours = vrfctl(['-n', ns, ...args]);
    t.is(ours.code, 0, ours.stderr);
    t.regex(theirs.stdout, /\x1b\[/, 'ip did colour');
    t.is(ours.stdout, theirs.stdout.replace(/\x1b\[[0-9;]*m/g, ''), `vrfctl ${args.join(' ')}`);
  }
});

test('JSON of -br, -o, -s (with -j, -json, --json, -j -p) equals ip\'s', (t) => {
  const ns = setup(t);
  for (const args of JSON_ARGS) {
    for (const json of [['-j'], ['-json'], ['--json'], ['-j', '-p'], ['-pretty', '-j']]) {
      const { theirs, ours } = besideIp(ns, [...json, ...args], ['-n', ns, ...json, ...args]);
      t.is(ours.code, 0, `vrfctl ${[...json, ...args].join(' ')}: ${ours.stderr}`);
      t.deepEqual(JSON.parse(ours.stdout), JSON.parse(theirs.stdout), `vrfctl ${[...json, ...args].join(' ')}`);
    }
  }
});

test('-netns, --netns and -n NS as ip spells them, before or after other flags', (t) => {
  const ns = setup(t);
  const theirs = spawnSync('ip', ['-br', '-netns', ns, 'a'], { encoding: 'utf8' });
  for (const argv of [['-br', '-netns', ns, 'a'], ['-netns', ns, '-br', 'a'], ['--netns', ns, '-br', 'a'], ['-net', ns, '-br', 'a']]) {
    const ours = vrfctl(argv);
    t.is(ours.code, 0, ours.stderr);
    t.is(ours.stdout, theirs.stdout, argv.join(' '));
  }
});

test('unknown or unsupported flags are refused before anything runs, with ip\'s status (its 255 is our 1)', (t) => {
  const ns = setup(t);
  for (const args of [['-x', 'link'], ['-family', 'bogus', 'link'], ['-batch']]) {
    const theirs = ipRun(ns, args);
    const ours = vrfctl(['-n', ns, ...args]);
    t.is(theirs.code === 255 ? EXIT_USAGE : theirs.code, EXIT_USAGE, `ip ${args.join(' ')}: ${theirs.stderr}`);
    t.is(ours.code, EXIT_USAGE, `vrfctl ${args.join(' ')}`);
    t.is(ours.stderr.trim().split('\n').length, 1, ours.stderr);
    t.regex(ours.stderr, /^vrfctl: /);
  }
  // What we do not do yet says so (one line, exit 1) instead of printing something else than ip.
  for (const args of [['-d', 'route'], ['-r', 'route'], ['-t', 'monitor'], ['-a', 'link']]) {
    const ours = vrfctl(['-n', ns, ...args]);
    t.is(ours.code, EXIT_USAGE, `vrfctl ${args.join(' ')}`);
    t.regex(ours.stderr, /not supported/);
  }
});

test('-batch FILE and -force -batch FILE run as our batch', (t) => {
  const ns = setup(t);
  const lines = 'addr add 203.0.113.1/24 dev v1\nroute add 10.9.0.0/16 via 192.0.2.2 table 100\n';
  const ours = spawnSync(process.execPath, [new URL('../bin/vrfctl.js', import.meta.url).pathname, '-n', ns, '-force', '-batch', '-'], { input: lines, encoding: 'utf8' });
  t.is(ours.status, 0, ours.stderr);
  t.regex(ip(ns, 'route', 'show', 'table', '100'), /^10\.9\.0\.0\/16 via 192\.0\.2\.2 dev v0/);
  t.regex(ip(ns, '-br', 'addr', 'show', 'dev', 'v1'), /203\.0\.113\.1\/24/);
});

test('an ip -batch file with abbreviated objects and verbs does to our namespace what ip does to its own', (t) => {
  const lines = 'r a 10.1.0.0/24 dev v0 table 100\nro replace 10.2.0.0/24 dev v0 table 100\na a 203.0.113.1/24 dev v1\nru a pref 100 lookup 100\nr d 10.1.0.0/24 table 100\nl s v1 up\n';
  const theirs = setup(t);
  const ours = setup(t);
  const i = spawnSync('ip', ['-n', theirs, '-batch', '-'], { input: lines, encoding: 'utf8' });
  t.is(i.status, 0, i.stderr);
  const v = vrfctl(['-n', ours, 'batch', '-'], lines);
  t.is(v.code, 0, v.stderr);
  for (const show of [['route', 'show', 'table', '100'], ['-br', '-4', 'addr'], ['rule']]) {
    t.is(ip(ours, ...show), ip(theirs, ...show), show.join(' '));
  }
});
