// #19 item 4: enslaving a port cycles it, and the kernel drops its configured IPv6 addresses and
// permanent neighbours; apply's rollback did not put them back and still said "the host is as it
// was". Now enslave/release put them back, and so does a rollback, so that message is true.
import test, { type ExecutionContext } from 'ava';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

function ip(ns: string, ...args: string[]): string {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function vrfctl(ns: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '-n', ns, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function netnsWithPort(t: { teardown: (fn: () => void) => void }): string {
  const ns = `vrfctl-p-${randomBytes(4).toString('hex')}`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  ip(ns, 'link', 'set', 'lo', 'up');
  ip(ns, 'link', 'add', 'eth1', 'type', 'dummy');
  ip(ns, 'link', 'set', 'eth1', 'up');
  ip(ns, 'addr', 'add', '192.0.2.2/24', 'dev', 'eth1');
  ip(ns, '-6', 'addr', 'add', '2001:db8:1::2/64', 'dev', 'eth1', 'nodad');
  ip(ns, 'neigh', 'add', '192.0.2.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'eth1', 'nud', 'permanent');
  ip(ns, '-6', 'neigh', 'add', '2001:db8:1::9', 'lladdr', '02:00:00:00:00:19', 'dev', 'eth1', 'nud', 'permanent');
  return ns;
}

/** What the kernel drops in a move: the port's global IPv6 addresses and its permanent neighbours. */
function keepsakes(ns: string): { v6: string[]; neigh: string[] } {
  const v6 = ip(ns, '-6', '-o', 'addr', 'show', 'dev', 'eth1', 'scope', 'global').split('\n').filter((l) => l !== '').map((l) => l.split(/\s+/)[3]);
  // Without -4/-6, ip neigh lists both families.
  const neigh = ip(ns, 'neigh', 'show', 'dev', 'eth1', 'nud', 'permanent').split('\n')
    .filter((l) => l !== '').map((l) => l.trim()).sort();
  return { v6, neigh };
}

const EXPECTED = {
  v6: ['2001:db8:1::2/64'],
  neigh: ['192.0.2.9 lladdr 02:00:00:00:00:09 PERMANENT', '2001:db8:1::9 lladdr 02:00:00:00:00:19 PERMANENT'],
};

/** An apply enslaving eth1 that fails at its route (unreachable gateway): rolled back, saying so truly. */
function failedApplyPutsBack(t: ExecutionContext, ns: string): void {
  const file = join(mkdtempSync(join(tmpdir(), 'vrfctl-p-')), 'red.yaml');
  writeFileSync(file, 'vrfs:\n  red:\n    table: 1001\n    ports: [eth1]\n    routes:\n      - to: default\n        via: 203.0.113.1\n');
  const a = vrfctl(ns, 'apply', file);
  t.not(a.code, 0);
  t.regex(a.stderr, /ENETUNREACH/);
  t.regex(a.stderr, /the host is as it was/);
  t.deepEqual(keepsakes(ns), EXPECTED);
}

test('the kernel drops them when ip moves the port (the defect), vrfctl enslave and release keep them', (t) => {
  const ns = netnsWithPort(t);
  t.deepEqual(keepsakes(ns), EXPECTED);
  ip(ns, 'link', 'add', 'probe', 'type', 'vrf', 'table', '1009');
  ip(ns, 'link', 'set', 'eth1', 'master', 'probe');
  t.deepEqual(keepsakes(ns), { v6: [], neigh: [] }, 'the kernel kept them: the defect cannot be reproduced on this kernel');
  ip(ns, 'link', 'set', 'eth1', 'nomaster');
  ip(ns, 'link', 'del', 'probe');
  const ns2 = netnsWithPort(t);
  t.is(vrfctl(ns2, 'add', 'red', 'table', '1001').code, 0);
  const e = vrfctl(ns2, 'enslave', 'red', 'eth1');
  t.is(e.code, 0, e.stderr);
  t.deepEqual(keepsakes(ns2), EXPECTED);
  t.regex(ip(ns2, '-6', 'route', 'show', 'table', '1001'), /^2001:db8:1::\/64 dev eth1/m);
  const r = vrfctl(ns2, 'release', 'eth1');
  t.is(r.code, 0, r.stderr);
  t.deepEqual(keepsakes(ns2), EXPECTED);
});

test('a failed apply rolls back the enslave with the IPv6 address and permanent neighbours, and says the host is as it was', (t) => {
  const ns = netnsWithPort(t);
  failedApplyPutsBack(t, ns);
  t.regex(ip(ns, '-6', 'route', 'show', 'table', 'main'), /^2001:db8:1::\/64 dev eth1/m);
  t.is(ip(ns, 'link', 'show', 'type', 'vrf'), '');
});

// With keep_addr_on_down=1 the kernel keeps the port's IPv6 address but still drops its permanent
// neighbours: the rollback said "the host is as it was" while they were lost.
test('with keep_addr_on_down=1, a failed apply\'s rollback puts the permanent neighbours back too, and its message is true', (t) => {
  const keepAddr = (ns: string): void => {
    const r = spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.eth1.keep_addr_on_down=1'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`sysctl: ${r.stderr}`);
  };
  // The defect on this kernel: ip moving the port keeps the address, drops the neighbours.
  const probe = netnsWithPort(t);
  keepAddr(probe);
  ip(probe, 'link', 'add', 'probe', 'type', 'vrf', 'table', '1009');
  ip(probe, 'link', 'set', 'eth1', 'master', 'probe');
  t.deepEqual(keepsakes(probe), { v6: EXPECTED.v6, neigh: [] }, 'this kernel does not show the defect with keep_addr_on_down=1');
  const ns = netnsWithPort(t);
  keepAddr(ns);
  failedApplyPutsBack(t, ns);
  t.is(ip(ns, 'link', 'show', 'type', 'vrf'), '');
});
