// The built CLI run as nobody (no capabilities) inside a netns: reads work, every change is
// refused with one line naming CAP_NET_ADMIN and EXIT_REFUSED (2, as ip), and the namespace is left unchanged,
// also by multi-step commands whose first change is refused.
import test from 'ava';
import { accessSync, constants } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { VRFCTL_BIN, ip, run, tempNetns, type Run } from './helpers.js';
import { EXIT_REFUSED } from '../../packages/vrfctl/src/errors.js';

function asNobody(ns: string, args: string[]): Run {
  return run(
    ['ip', 'netns', 'exec', ns, 'setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--',
      process.execPath, VRFCTL_BIN, ...args],
    { timeoutMs: 30_000 },
  );
}

/** Everything a change could touch, as iproute2 reports it. */
function snapshot(ns: string): string {
  return [
    ip(ns, '-j', 'route', 'show', 'table', 'all'),
    ip(ns, '-j', '-6', 'route', 'show', 'table', 'all'),
    ip(ns, '-j', 'rule', 'show'),
    ip(ns, '-j', '-6', 'rule', 'show'),
    ip(ns, '-j', 'link', 'show'),
    ip(ns, '-j', 'addr', 'show'),
  ].join('\n');
}

function setup(t: import('ava').ExecutionContext): string {
  const ns = tempNetns(t);
  // No IPv6 on the veths: their link-local addresses and routes would come and go (DAD) between
  // the two snapshots of a test on a busy machine, whatever vrfctl did.
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.disable_ipv6=1']);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  ip(ns, 'link', 'set', 'v1', 'up');
  ip(ns, 'addr', 'add', '10.0.0.1/24', 'dev', 'v0');
  ip(ns, 'route', 'add', '10.5.0.0/16', 'via', '10.0.0.2', 'table', '100');
  return ns;
}

test('nobody can run the built CLI (the repo is readable)', (t) => {
  const r = run(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--', 'test', '-r', VRFCTL_BIN]);
  t.is(r.code, 0, 'nobody cannot read packages/vrfctl/bin/vrfctl.js: these tests cannot run here');
  accessSync(VRFCTL_BIN, constants.R_OK);
});

test('reads work without privileges', (t) => {
  const ns = setup(t);
  for (const args of [['route', 'show'], ['route', 'show', 'table', 'all'], ['link', 'show'], ['list'], ['rule', 'show'], ['-j', 'addr', 'show']]) {
    const r = asNobody(ns, args);
    t.false(r.timedOut);
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    t.is(r.stderr, '', args.join(' '));
  }
  t.regex(asNobody(ns, ['route', 'show', 'table', '100']).stdout, /^10\.5\.0\.0\/16 via 10\.0\.0\.2 dev v0/m);
  t.regex(asNobody(ns, ['link', 'show']).stdout, /v0@v1/);
});

const changes: string[][] = [
  ['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2'],
  ['route', 'del', '10.5.0.0/16', 'table', '100'],
  ['rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100'],
  ['rule', 'fixup'],
  ['rule', 'flush'],
  ['link', 'add', 'br0', 'type', 'bridge'],
  ['link', 'set', 'v0', 'down'],
  ['link', 'del', 'v1'],
  ['addr', 'add', '10.0.0.9/24', 'dev', 'v0'],
  ['add', 'red', 'table', '1000'],
];

function refusedAndUnchanged(args: string[]) {
  return (t: import('ava').ExecutionContext) => {
    const ns = setup(t);
    const before = snapshot(ns);
    const r = asNobody(ns, args);
    t.false(r.timedOut);
    t.is(r.code, EXIT_REFUSED, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    t.is(lines.length, 1, r.stderr);
    t.regex(lines[0] ?? '', /^vrfctl: .*EPERM.*this change needs CAP_NET_ADMIN: run as root/);
    t.false(r.stderr.includes('    at '));
    t.is(snapshot(ns), before);
  };
}

for (const args of changes) {
  test(`as nobody, "vrfctl ${args.join(' ')}" is refused in one line naming CAP_NET_ADMIN and changes nothing`, refusedAndUnchanged(args));
}

// flush reports a refused delete as one NetlinkError line: the CAP_NET_ADMIN hint and the
// route with its device name (v0, not if3) must both be there.
test('as nobody, "vrfctl route flush table 100" is refused in one line naming CAP_NET_ADMIN and changes nothing',
  refusedAndUnchanged(['route', 'flush', 'table', '100']));

test('as nobody, --debug adds a stack trace but the first line is the same refusal', (t) => {
  const ns = setup(t);
  const r = asNobody(ns, ['--debug', 'route', 'add', '10.9.0.0/16', 'via', '10.0.0.2']);
  t.is(r.code, EXIT_REFUSED);
  t.regex(r.stderr.split('\n')[0], /CAP_NET_ADMIN/);
  t.true(r.stderr.includes('    at '));
});

test('the same changes succeed as root (the refusals above are about privilege, not syntax)', (t) => {
  const ns = setup(t);
  for (const args of [['route', 'add', '10.9.0.0/16', 'via', '10.0.0.2'], ['rule', 'add', 'pref', '100', 'from', '192.0.2.0/24', 'lookup', '100'], ['rule', 'fixup']]) {
    const r = run([process.execPath, VRFCTL_BIN, '--netns', ns, ...args]);
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  }
  t.regex(execFileSync('ip', ['-n', ns, 'rule', 'show'], { encoding: 'utf8' }), /1000:\s+from all lookup \[l3mdev-table\]/);
});
