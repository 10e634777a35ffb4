// Host tests of the VRF sysctls: key and value validation, and netns-aware reads and writes
// through /proc/sys in a throwaway netns (the host's own values must not move).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ArgumentError, parseSysctlAssignment, parseSysctlKey, readSysctl, readVrfSysctls, setVrfSysctls } from '@vrfctl/vrf';

function tempNetns(t: { teardown: (fn: () => void) => void }): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => execFileSync('ip', ['netns', 'del', name]));
  return name;
}

const nsValue = (ns: string, key: string): string => execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', key], { encoding: 'utf8' }).trim();
const hostTcp = (): string => readFileSync('/proc/sys/net/ipv4/tcp_l3mdev_accept', 'utf8').trim();

test('only the VRF sysctls are accepted', (t) => {
  t.is(parseSysctlKey('net.ipv4.tcp_l3mdev_accept').path, '/proc/sys/net/ipv4/tcp_l3mdev_accept');
  t.is(parseSysctlKey('net.vrf.strict_mode').path, '/proc/sys/net/vrf/strict_mode');
  t.is(parseSysctlKey('net.ipv6.conf.all.keep_addr_on_down').path, '/proc/sys/net/ipv6/conf/all/keep_addr_on_down');
  t.is(parseSysctlKey('net.ipv6.conf.eth0/100.keep_addr_on_down').path, '/proc/sys/net/ipv6/conf/eth0.100/keep_addr_on_down');
  for (const bad of ['net.ipv4.ip_forward', 'kernel.panic', 'net.ipv4.tcp_l3mdev_accept.', 'net/ipv4/tcp_l3mdev_accept', '',
    'net.ipv6.conf.../../x.keep_addr_on_down', 'net.ipv6.conf.a b.keep_addr_on_down', 'net.ipv6.conf.x'.padEnd(40, 'x') + '.keep_addr_on_down']) {
    t.throws(() => parseSysctlKey(bad), { instanceOf: ArgumentError }, bad);
  }
});

test('values are checked per key', (t) => {
  t.deepEqual(parseSysctlAssignment('net.ipv4.udp_l3mdev_accept=1'), { key: 'net.ipv4.udp_l3mdev_accept', value: 1 });
  t.deepEqual(parseSysctlAssignment('net.ipv6.conf.default.keep_addr_on_down = -1'), { key: 'net.ipv6.conf.default.keep_addr_on_down', value: -1 });
  for (const bad of ['net.ipv4.tcp_l3mdev_accept=2', 'net.ipv4.tcp_l3mdev_accept=-1', 'net.ipv4.tcp_l3mdev_accept=yes', 'net.ipv4.tcp_l3mdev_accept=',
    'net.ipv4.tcp_l3mdev_accept', 'net.ipv6.conf.all.keep_addr_on_down=2', 'net.vrf.strict_mode=1.0']) {
    t.throws(() => parseSysctlAssignment(bad), { instanceOf: ArgumentError }, bad);
  }
});

test('read and set inside a netns; the host keeps its value', (t) => {
  const ns = tempNetns(t);
  const host = hostTcp();
  const changes = setVrfSysctls(['net.ipv4.tcp_l3mdev_accept=1', 'net.ipv6.conf.all.keep_addr_on_down=1'], { netns: ns });
  t.deepEqual(changes, [
    { key: 'net.ipv4.tcp_l3mdev_accept', value: 1, previous: 0 },
    { key: 'net.ipv6.conf.all.keep_addr_on_down', value: 1, previous: 0 },
  ]);
  t.is(nsValue(ns, 'net.ipv4.tcp_l3mdev_accept'), '1');
  t.is(nsValue(ns, 'net.ipv6.conf.all.keep_addr_on_down'), '1');
  t.is(readSysctl('net.ipv4.tcp_l3mdev_accept', { netns: ns }), 1);
  t.is(hostTcp(), host);
  const all = readVrfSysctls({ netns: ns, interfaces: true });
  t.deepEqual(all.find((v) => v.key === 'net.ipv6.conf.lo.keep_addr_on_down'), { key: 'net.ipv6.conf.lo.keep_addr_on_down', value: 0 });
});

test('one bad assignment: nothing is written', (t) => {
  const ns = tempNetns(t);
  t.throws(() => setVrfSysctls(['net.ipv4.tcp_l3mdev_accept=1', 'net.ipv4.udp_l3mdev_accept=7'], { netns: ns }), { instanceOf: ArgumentError });
  t.throws(() => setVrfSysctls(['net.ipv4.tcp_l3mdev_accept=1', 'net.ipv6.conf.nosuchdev.keep_addr_on_down=1'], { netns: ns }), {
    instanceOf: ArgumentError, message: /does not exist/,
  });
  t.is(nsValue(ns, 'net.ipv4.tcp_l3mdev_accept'), '0');
  t.is(nsValue(ns, 'net.ipv4.udp_l3mdev_accept'), '0');
});
