// `vrfctl rule`: show output equals `ip rule show` (text and -j), add/del/flush leave the same
// state as ip, errors exit as the CLI promises and change nothing, fixup prints what it did.
import test from 'ava';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexLines, ip, ipRulesJson, ipTry, tempNetns, vrfctl } from './rule-helpers.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const many = [
  'pref 100 from 192.0.2.0/24 to 198.51.100.0/24 iif v0 oif v1 fwmark 7 lookup 100',
  'pref 101 fwmark 0x10/0xff lookup 1000',
  'pref 102 not from 192.0.2.1 tos 0x10 lookup main suppress_prefixlength 0',
  'pref 103 uidrange 1000-2000 ipproto tcp sport 80 dport 1000-2000 lookup 100 protocol static',
  'pref 104 goto 200',
  'pref 105 nop',
  'pref 106 blackhole',
  'pref 107 unreachable',
  'pref 108 prohibit',
  'pref 109 lookup main suppress_ifgroup 5',
  'pref 110 realms 3/4 lookup 100',
  'pref 111 lookup 100 protocol kernel',
  'pref 112 ipproto 200 lookup 100',
  'pref 113 tun_id 5 lookup 100',
  'pref 114 iif nonexist lookup 100',
  'pref 115 fwmark 0/0xff lookup 100',
  'pref 116 lookup 100 protocol 77',
  'pref 117 lookup 4294967295',
  'pref 118 realms 4 lookup 100',
  'pref 200 lookup 200',
  'l3mdev pref 1000',
];

function populated(t: Parameters<typeof tempNetns>[0]): string {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  for (const r of many) ip(ns, 'rule', 'add', ...r.split(' '));
  for (const r of ['pref 100 from 2001:db8:5::/48 lookup 100', 'pref 101 tos 0x20 to 2001:db8::1 prohibit', 'l3mdev pref 1000']) {
    ip(ns, '-6', 'rule', 'add', ...r.split(' '));
  }
  return ns;
}

test('rule show prints what ip rule show prints, text and -j, IPv4 and IPv6', (t) => {
  const ns = populated(t);
  for (const fam of [[], ['-4'], ['-6']]) {
    const text = vrfctl(['-n', ns, ...fam, 'rule', 'show']);
    t.is(text.code, 0, text.stderr);
    t.is(text.stdout, ip(ns, ...fam, 'rule', 'show'), `text ${fam.join('')}`);
    const json = vrfctl(['-n', ns, ...fam, '-j', 'rule', 'show']);
    t.deepEqual(JSON.parse(json.stdout), JSON.parse(ip(ns, ...fam, '-j', 'rule', 'show')), `json ${fam.join('')}`);
  }
  // list, lst and no subcommand are show too.
  for (const sub of [['list'], ['lst'], []]) t.is(vrfctl(['-n', ns, 'rule', ...sub]).stdout, ip(ns, 'rule', 'show'));
});

test('rule show filters select what ip rule show selects', (t) => {
  const ns = populated(t);
  const filters = [
    'pref 100', 'table 100', 'lookup main', 'from 192.0.2.0/24', 'to 198.51.100.0/24', 'iif v0', 'oif v1',
    'fwmark 0x10', 'l3mdev', 'not', 'tos 0x10', 'uidrange 1000-2000', 'ipproto tcp', 'sport 80', 'dport 1000-2000',
    'from 192.0.2.0/16', 'tun_id 5',
  ];
  for (const f of filters) {
    const r = vrfctl(['-n', ns, 'rule', 'show', ...f.split(' ')]);
    t.is(r.stdout, ip(ns, 'rule', 'show', ...f.split(' ')), f);
  }
});

test('rule add and del leave the state ip leaves, for IPv4 and IPv6', (t) => {
  const ours = tempNetns(t);
  const theirs = tempNetns(t);
  const steps: string[][] = [
    ['rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100'],
    ['-6', 'rule', 'add', 'pref', '100', 'from', '2001:db8:5::/48', 'lookup', '100'],
    ['rule', 'add', 'pref', '101', 'fwmark', '0x10/0xff', 'goto', '200'],
    ['rule', 'add', 'from', '198.51.100.0/24', 'unreachable'],
    ['rule', 'del', 'from', '192.0.2.0/24', 'lookup', '100'],
    ['-6', 'rule', 'del', 'pref', '100'],
  ];
  for (const s of steps) {
    const r = vrfctl(['-n', ours, ...s]);
    t.is(r.code, 0, r.stderr);
    t.is(r.stdout, '');
    ip(theirs, ...s);
    t.deepEqual(ipRulesJson(ours, 4), ipRulesJson(theirs, 4), s.join(' '));
    t.deepEqual(ipRulesJson(ours, 6), ipRulesJson(theirs, 6), s.join(' '));
  }
});

test('a duplicate add is EEXIST and a missing del is ENOENT: EXIT_REFUSED as ip, one line, nothing changed', (t) => {
  const ns = tempNetns(t);
  t.is(vrfctl(['-n', ns, 'rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100']).code, 0);
  const state = ipRulesJson(ns, 4);
  const dup = vrfctl(['-n', ns, 'rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100']);
  t.is(dup.code, EXIT_REFUSED);
  t.is(dup.stderr, 'vrfctl: rule add: EEXIST: File exists\n');
  const missing = vrfctl(['-n', ns, 'rule', 'del', 'pref', '4242']);
  t.is(missing.code, EXIT_REFUSED);
  t.is(missing.stderr, 'vrfctl: rule del: ENOENT: No such file or directory\n');
  t.deepEqual(ipRulesJson(ns, 4), state);
});

test('bad values exit EXIT_USAGE naming the argument and change nothing; tos 0x20 is the kernel\'s call', (t) => {
  const ns = tempNetns(t);
  const state = ipRulesJson(ns, 4);
  const bad: Array<[string, string]> = [
    ['fwmark x lookup 100', 'vrfctl: rule add: invalid fwmark "x": not a number\n'],
    ['uidrange 5-1 lookup 100', 'vrfctl: rule add: invalid uidrange "5-1": start above end\n'],
    ['tos 0x100 lookup 100', 'vrfctl: rule add: invalid tos "0x100": out of range 0…0xff\n'],
    ['pref 100 lookup nosuchtable', 'vrfctl: rule add: invalid table id "nosuchtable": not a number and not in /etc/iproute2/rt_tables\n'],
    ['l3mdev pref 1000 table 10', 'vrfctl: rule add: table can not be specified for l3mdev rules\n'],
  ];
  for (const [words, line] of bad) {
    const r = vrfctl(['-n', ns, 'rule', 'add', ...words.split(' ')]);
    t.is(r.code, EXIT_USAGE, words);
    t.is(r.stderr, line);
  }
  t.is(vrfctl(['-n', ns, 'rule', 'add']).code, EXIT_USAGE);
  t.is(vrfctl(['-n', ns, 'rule', 'frob']).code, EXIT_USAGE);
  // The IPv4 tos check is the kernel's (IPv6 takes 0x20, and the kernel's rule may change):
  // we send what ip sends and report the kernel's reason.
  const tos = vrfctl(['-n', ns, 'rule', 'add', 'pref', '100', 'tos', '0x20', 'lookup', '100']);
  t.is(tos.code, EXIT_REFUSED);
  t.is(tos.stderr, 'vrfctl: rule add: EINVAL: Invalid argument: Invalid tos\n');
  t.is(ipTry(ns, 'rule', 'add', 'pref', '100', 'tos', '0x20', 'lookup', '100').stderr, 'Error: Invalid tos.\n');
  t.deepEqual(ipRulesJson(ns, 4), state);
});

test('rule flush removes what ip rule flush removes', (t) => {
  const ours = populated(t);
  const theirs = populated(t);
  t.is(vrfctl(['-n', ours, 'rule', 'flush', 'table', '100']).code, 0);
  ip(theirs, 'rule', 'flush', 'table', '100');
  t.deepEqual(ipRulesJson(ours, 4), ipRulesJson(theirs, 4));
  t.is(vrfctl(['-n', ours, '-6', 'rule', 'flush']).code, 0);
  ip(theirs, '-6', 'rule', 'flush');
  t.deepEqual(ipRulesJson(ours, 6), ipRulesJson(theirs, 6));
  t.is(vrfctl(['-n', ours, 'rule', 'flush']).code, 0);
  ip(theirs, 'rule', 'flush');
  t.deepEqual(ipRulesJson(ours, 4), ipRulesJson(theirs, 4));
});

test('rule fixup prints its steps, then that nothing changed; -6 alone; --dry-run changes nothing', (t) => {
  const ns = tempNetns(t);
  const dry = vrfctl(['-n', ns, '--dry-run', '--hex', 'rule', 'fixup']);
  t.is(dry.code, 0);
  t.is(hexLines(dry.stdout).length, 6);
  t.deepEqual(ipRulesJson(ns, 4).map((r) => r.priority), [0, 32766, 32767]);

  const v6 = vrfctl(['-n', ns, 'rule', 'fixup', '-6']);
  t.is(v6.stdout, 'ip -6 rule add l3mdev pref 1000\nip -6 rule add pref 32765 table local\nip -6 rule del pref 0 table local\n');
  t.deepEqual(ipRulesJson(ns, 4).map((r) => r.priority), [0, 32766, 32767]);
  const all = vrfctl(['-n', ns, 'rule', 'fixup']);
  t.is(all.stdout, 'ip rule add l3mdev pref 1000\nip rule add pref 32765 table local\nip rule del pref 0 table local\n');
  const again = vrfctl(['-n', ns, 'rule', 'fixup']);
  t.is(again.code, 0);
  t.is(again.stdout, 'rules already in place (l3mdev at 1000, local at 32765) for IPv4 and IPv6: nothing changed\n');
  t.deepEqual(ipRulesJson(ns, 4), [
    { priority: 1000, src: 'all', l3mdev: null },
    { priority: 32765, src: 'all', table: 'local' },
    { priority: 32766, src: 'all', table: 'main' },
    { priority: 32767, src: 'all', table: 'default' },
  ]);
  const json = vrfctl(['-n', ns, '-j', 'rule', 'fixup']);
  t.deepEqual(JSON.parse(json.stdout), { changed: false, steps: [] });
  t.is(vrfctl(['-n', ns, 'rule', 'fixup', '-5']).code, EXIT_USAGE);
});

// The real binary once, end to end (main.ts, commander, exit codes): slower, so only a few calls.
const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
function spawnVrfctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--loader=ts-node/esm', '--conditions=vrfctl-source', '--no-warnings', join(root, 'packages/vrfctl/src/main.ts'), ...args], {
      cwd: root, env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.test.json') },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('the vrfctl binary: add, duplicate (EXIT_REFUSED), bad fwmark (EXIT_USAGE), -j show', async (t) => {
  const ns = tempNetns(t);
  const add = await spawnVrfctl(['-n', ns, 'rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100']);
  t.is(add.code, 0, add.stderr);
  const [dup, bad, show] = await Promise.all([
    spawnVrfctl(['-n', ns, 'rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100']),
    spawnVrfctl(['-n', ns, 'rule', 'add', 'fwmark', 'x', 'lookup', '100']),
    spawnVrfctl(['-n', ns, '-j', 'rule', 'show']),
  ]);
  t.is(dup.code, EXIT_REFUSED);
  t.regex(dup.stderr, /EEXIST: File exists/);
  t.is(bad.code, EXIT_USAGE);
  t.regex(bad.stderr, /fwmark "x"/);
  t.deepEqual(JSON.parse(show.stdout), JSON.parse(ip(ns, '-j', 'rule', 'show')));
});
