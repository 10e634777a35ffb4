// `-d link show` of VXLAN and macvlan links (#18: -d as ip prints it, for every key and column):
// the host kernel has both drivers, so each form is made with ip on a namespace and shown by ip
// and by vrfctl, whole list and one device at a time (a VXLAN names its underlay device, which
// showing one link must look up); text byte-equal, JSON deep-equal.
import test from 'ava';
import { vrfctl } from './cli.js';
import { ip, ipRun, tempNetns } from './link-helpers.js';

// Each: device, then the `ip link add DEV …` words after the name.
const VXLANS: Array<[string, string[]]> = [
  ['vx1', ['type', 'vxlan', 'id', '42', 'dstport', '4789']],
  ['vx2', ['type', 'vxlan', 'id', '43', 'remote', '192.0.2.1', 'local', '192.0.2.2', 'dstport', '4789', 'ttl', '64', 'tos', '0x10',
    'nolearning', 'proxy', 'rsc', 'l2miss', 'l3miss', 'maxaddr', '10', 'noudpcsum', 'srcport', '1000', '2000']],
  ['vx3', ['type', 'vxlan', 'id', '44', 'group', '239.1.1.1', 'dev', 'u0', 'dstport', '0', 'ttl', 'inherit', 'tos', 'inherit', 'df', 'set']],
  ['vx4', ['type', 'vxlan', 'id', '45', 'remote', '2001:db8::1', 'local', '2001:db8::2', 'dstport', '4789', 'udp6zerocsumtx',
    'udp6zerocsumrx', 'df', 'inherit', 'flowlabel', '0x123']],
  ['vx5', ['type', 'vxlan', 'external', 'dstport', '4789', 'vnifilter']],
  ['vx6', ['type', 'vxlan', 'id', '46', 'dstport', '4789', 'gbp', 'remcsumtx', 'remcsumrx']],
  ['vx7', ['type', 'vxlan', 'id', '47', 'group', 'ff02::1', 'dev', 'u0', 'dstport', '4789', 'ttl', '1', 'ageing', '20']],
];
const MACVLANS: Array<[string, string[]]> = [
  ['mv1', ['link', 'u0', 'type', 'macvlan', 'mode', 'passthru', 'nopromisc']],
  ['mv2', ['link', 'u1', 'type', 'macvlan', 'mode', 'source']],
  ['mv3', ['link', 'u1', 'type', 'macvlan', 'mode', 'vepa', 'bcqueuelen', '500']],
  ['mv4', ['link', 'u1', 'type', 'macvlan', 'mode', 'private', 'nodst']],
  ['mv5', ['link', 'u1', 'type', 'macvlan', 'mode', 'bridge']],
];

function setup(t: Parameters<typeof tempNetns>[0]): string {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'u0', 'type', 'veth', 'peer', 'name', 'u1');
  ip(ns, 'link', 'set', 'u0', 'up');
  for (const [dev, words] of [...VXLANS, ...MACVLANS]) ip(ns, 'link', 'add', dev, ...words);
  // A source-mode macvlan lists its source addresses.
  for (const mac of ['02:00:00:00:00:01', '02:00:00:00:00:02']) ip(ns, 'link', 'set', 'mv2', 'type', 'macvlan', 'macaddr', 'add', mac);
  return ns;
}

const SHOWS: string[][] = [
  ['-d', 'link', 'show'],
  ['-d', 'link', 'show', 'type', 'vxlan'],
  ...[...VXLANS, ...MACVLANS].map(([dev]) => ['-d', 'link', 'show', 'dev', dev]),
];

test('-d link show of VXLAN and macvlan links: the text ip prints', (t) => {
  const ns = setup(t);
  for (const args of SHOWS) {
    const theirs = ipRun(ns, args);
    const ours = vrfctl(['-n', ns, ...args]);
    t.is(theirs.code, 0, `ip ${args.join(' ')}: ${theirs.stderr}`);
    t.is(ours.code, 0, `vrfctl ${args.join(' ')}: ${ours.stderr}`);
    t.is(ours.stdout, theirs.stdout, `vrfctl ${args.join(' ')}`);
  }
  // The forms above reach every field this printer has: the test would not notice one it misses.
  const all = ipRun(ns, ['-d', 'link', 'show']).stdout;
  for (const word of ['external', 'vnifilter', 'remote 2001:db8::1', 'group 239.1.1.1', 'dev u0', 'srcport 1000 2000', 'nolearning', 'proxy',
    'rsc', 'l2miss', 'l3miss', 'tos 0x10', 'tos inherit', 'ttl inherit', 'ttl auto', 'df set', 'df inherit', 'flowlabel 0x123', 'maxaddr 10',
    'noudpcsum', ' udp6zerocsumtx', 'remcsumtx', 'gbp', 'nopromisc', 'nodst', 'bcqueuelen 500', 'remotes (2)']) {
    t.true(all.includes(word), `the fixtures make ip print "${word}"`);
  }
});

test('-d -j link show of VXLAN and macvlan links: the JSON ip prints', (t) => {
  const ns = setup(t);
  for (const args of SHOWS) {
    const theirs = ipRun(ns, ['-j', ...args]);
    const ours = vrfctl(['-n', ns, '-j', ...args]);
    t.is(ours.code, 0, `vrfctl -j ${args.join(' ')}: ${ours.stderr}`);
    t.deepEqual(JSON.parse(ours.stdout), JSON.parse(theirs.stdout), `vrfctl -j ${args.join(' ')}`);
  }
});
