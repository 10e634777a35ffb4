// `vrfctl link` against `ip link` on the host kernel: the same change in twin namespaces gives
// the same state, `-j` and text output match `ip`, and failures fail like ip and change nothing.
import test from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink } from '@vrfctl/socket';
import { DeviceNotFoundError } from '@vrfctl/iproute2';
import { linksAsync, linksSync } from '@vrfctl/link';
import { run } from '../src/commands/link.js';
import { cli, ip, ipRun, refusedLikeIp, setupNetns, state, type Refusal } from './link-helpers.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const CHANGES: string[][] = [
  ['add', 'v5', 'type', 'veth', 'peer', 'name', 'v6'],
  ['add', 'v5', 'mtu', '1400', 'address', '02:00:00:00:00:55', 'type', 'veth', 'peer', 'name', 'v6', 'address', '02:00:00:00:00:66'],
  ['add', 'v5', 'txqueuelen', '50', 'alias', 'a-veth', 'master', 'br0', 'up', 'type', 'veth', 'peer', 'v6', 'mtu', '1300'],
  ['add', 'name', 'v5', 'type', 'veth'],
  ['add', 'br5', 'type', 'bridge'],
  ['add', 'br5', 'type', 'bridge', 'stp_state', '1', 'forward_delay', '500', 'priority', '100', 'ageing_time', '1000', 'hello_time', '300', 'max_age', '2100'],
  ['add', 'br5', 'type', 'bridge', 'mcast_snooping', '0', 'group_fwd_mask', '8'],
  ['add', 'mv0', 'link', 'v0', 'type', 'macvlan', 'mode', 'bridge'],
  ['add', 'mv0', 'link', 'v0', 'type', 'macvlan', 'mode', 'private'],
  ['add', 'mv0', 'mtu', '1400', 'link', 'v0', 'type', 'macvlan', 'mode', 'vepa'],
  ['add', 'vx0', 'type', 'vxlan', 'id', '42', 'dstport', '4789', 'dev', 'v0'],
  ['add', 'vx1', 'type', 'vxlan', 'id', '43', 'group', '239.1.1.1', 'dev', 'v0', 'dstport', '4789'],
  ['add', 'vx2', 'type', 'vxlan', 'id', '44', 'local', '10.0.0.1', 'remote', '10.0.0.2', 'ttl', '10', 'nolearning', 'dstport', '4789'],
  ['add', 'vx3', 'type', 'vxlan', 'id', '45', 'dstport', '4790', 'ageing', '100', 'maxaddress', '10', 'l2miss', 'l3miss', 'proxy'],
  ['set', 'v0', 'down'],
  ['set', 'v0', 'up'],
  ['set', 'v0', 'mtu', '1400'],
  ['set', 'dev', 'v0', 'mtu', '1300', 'txqueuelen', '100', 'down'],
  ['set', 'v0', 'name', 'v9'],
  ['set', 'v0', 'master', 'br0'],
  ['set', 'v0', 'txqueuelen', '500'],
  ['set', 'v0', 'txqlen', '7'],
  ['set', 'v0', 'address', '02:00:00:00:00:01'],
  ['set', 'v0', 'broadcast', '02:ff:ff:ff:ff:ff'],
  ['set', 'v0', 'alias', 'uplink'],
  ['set', 'v0', 'arp', 'off', 'multicast', 'off', 'promisc', 'on', 'allmulticast', 'on'],
  ['set', 'v0', 'group', '5'],
  ['set', 'br0', 'up'],
  ['del', 'v0'],
  ['del', 'dev', 'br0'],
  ['property', 'add', 'dev', 'v0', 'altname', 'uplink-with-a-long-name'],
];

for (const words of CHANGES) {
  test(`link ${words.join(' ')}: same state as ip`, async (t) => {
    const a = setupNetns(t);
    const b = setupNetns(t);
    const theirs = ipRun(a, ['link', ...words]);
    t.is(theirs.code, 0, theirs.stderr);
    const ours = await cli(run, 'link', words, { netns: b });
    t.is(ours.code, 0, ours.stderr);
    t.deepEqual(state(b), state(a));
  });
}

test('link set nomaster and property del: same state as ip', async (t) => {
  const setup = [['link', 'set', 'v0', 'master', 'br0'], ['link', 'property', 'add', 'dev', 'v0', 'altname', 'uplink0']];
  const a = setupNetns(t);
  const b = setupNetns(t);
  for (const ns of [a, b]) for (const s of setup) ip(ns, ...s);
  for (const words of [['set', 'v0', 'nomaster'], ['property', 'del', 'dev', 'v0', 'altname', 'uplink0']]) {
    t.is(ipRun(a, ['link', ...words]).code, 0);
    t.is((await cli(run, 'link', words, { netns: b })).code, 0);
  }
  t.deepEqual(state(b), state(a));
});

const SHOWS: string[][] = [
  [], ['show'], ['show', 'v0'], ['show', 'dev', 'br0'], ['show', 'type', 'bridge'], ['show', 'type', 'veth'],
  ['show', 'master', 'br0'], ['show', 'up'], ['list'],
];

for (const words of SHOWS) {
  test(`link ${words.join(' ') || '(no words)'}: -j and text as ip`, async (t) => {
    const ns = setupNetns(t);
    ip(ns, 'link', 'set', 'v1', 'master', 'br0');
    ip(ns, 'link', 'set', 'v0', 'alias', 'uplink');
    ip(ns, 'link', 'property', 'add', 'dev', 'v0', 'altname', 'uplink0');
    const j = await cli(run, 'link', words, { netns: ns, json: true });
    t.is(j.code, 0, j.stderr);
    // `ip -j link show up` prints an empty object for each link that is down; we leave them out.
    const theirs = (JSON.parse(ip(ns, '-j', 'link', ...words)) as object[]).filter((o) => Object.keys(o).length > 0);
    t.deepEqual(JSON.parse(j.stdout), theirs);
    const text = await cli(run, 'link', words, { netns: ns });
    t.is(text.stdout, ip(ns, 'link', ...words));
  });
}

test('link show with a missing device fails like ip', async (t) => {
  const ns = setupNetns(t);
  const theirs = ipRun(ns, ['link', 'show', 'nosuch']);
  const ours = await cli(run, 'link', ['show', 'nosuch'], { netns: ns });
  t.is(ours.code, theirs.code);
  t.is(ours.stderr, `vrfctl: link show: ${theirs.stderr}`);
});

/**
 * Exit codes as iproute2's: names and input refused before sending are EXIT_USAGE (ip says 1 or
 * 255), kernel refusals EXIT_REFUSED (ip says 2).
 */
const FAILURES: Refusal[] = [
  { words: ['set', 'nosuch', 'up'], ipCode: 1, ourCode: EXIT_USAGE, line: /^vrfctl: link set: Cannot find device "nosuch"$/ },
  { words: ['del', 'nosuch'], ipCode: 1, ourCode: EXIT_USAGE, line: /^vrfctl: link del: Cannot find device "nosuch"$/ },
  { words: ['set', 'v0', 'master', 'nosuch'], ipCode: 255, ourCode: EXIT_USAGE, line: /Cannot find device "nosuch"$/ },
  { words: ['add', 'v0', 'type', 'veth'], ipCode: 2, ourCode: EXIT_REFUSED, line: /^vrfctl: link add: EEXIST: File exists/ },
  { words: ['add', 'br0', 'type', 'bridge'], ipCode: 2, ourCode: EXIT_REFUSED, line: /EEXIST: File exists/ },
  { words: ['set', 'v0', 'address', '02:zz:00:00:00:01'], ipCode: 1, ourCode: EXIT_USAGE, line: /invalid address "02:zz:00:00:00:01"/ },
  { words: ['set', 'v0', 'mtu', 'abc'], ipCode: 255, ourCode: EXIT_USAGE, line: /invalid mtu "abc"/ },
  { words: ['set', 'v0', 'mtu', '10'], ipCode: 2, ourCode: EXIT_REFUSED, line: /EINVAL/ },
  { words: ['add', 'mv0', 'link', 'nosuch', 'type', 'macvlan'], ipCode: 1, ourCode: EXIT_USAGE, line: /Cannot find device "nosuch"$/ },
  { words: ['add', 'vx0', 'type', 'vxlan', 'dstport', '4789'], ipCode: 1, ourCode: EXIT_USAGE, line: /missing virtual network identifier/ },
];

for (const f of FAILURES) {
  test(`link ${f.words.join(' ')} fails like ip and changes nothing`, async (t) => {
    const { theirs: a, before } = await refusedLikeIp(t, run, 'link', f);
    t.deepEqual(state(a), before);
  });
}

test('library: resolver caches names within one run and reports missing devices as a typed error', (t) => {
  const ns = setupNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const api = linksSync(s);
  const err = t.throws(() => api.getLink('nosuch'), { instanceOf: DeviceNotFoundError });
  t.is(err?.message, 'Cannot find device "nosuch"');
  t.is(err?.device, 'nosuch');
  t.deepEqual(api.listLinks({ kind: 'bridge' }).map((l) => l.ifname), ['br0']);
  api.setLink('v1', { master: 'br0' });
  t.deepEqual(api.listLinks({ master: 'br0' }).map((l) => l.ifname), ['v1']);
  const v0 = api.getLink('v0');
  t.is(v0.linkinfo?.kind, 'veth');
  t.is(v0.address, '02:00:00:00:00:a0');
  t.is(api.getLink(v0.index).ifname, 'v0');
  // ifN names an ifindex, as in iproute2.
  api.setLink(`if${v0.index}`, { mtu: 1280 });
  t.is(api.getLink('v0').mtu, 1280);
  // A generic kind with raw IFLA_INFO_DATA (how packages/vrf creates VRFs).
  api.createLink({ name: 'br7', kind: 'bridge', data: [{ type: 5, value: Buffer.from([1, 0, 0, 0]) }] });
  t.is(JSON.parse(ip(ns, '-j', '-d', 'link', 'show', 'br7'))[0].linkinfo.info_data.stp_state, 1);
});

test('library: the same plans run asynchronously (runAsync)', async (t) => {
  const ns = setupNetns(t);
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  const api = linksAsync(s);
  await api.createLink({ name: 'v5', kind: 'veth', mtu: 1400, peer: { name: 'v6' } });
  await api.setLink('v5', { up: true, master: 'br0' });
  await api.addAddress({ local: '192.0.2.1/24', dev: 'br0' });
  await api.addNeighbour({ dst: '192.0.2.9', dev: 'br0', lladdr: '02:00:00:00:00:09' });
  const links = await api.listLinks({ master: 'br0' });
  t.deepEqual(links.map((l) => [l.ifname, l.mtu]), [['v5', 1400]]);
  t.deepEqual((await api.listAddresses({ dev: 'br0' })).map((a) => `${a.local}/${a.prefixlen}`), ['192.0.2.1/24']);
  t.deepEqual((await api.listNeighbours({ dev: 'br0' })).map((n) => n.lladdr), ['02:00:00:00:00:09']);
  await t.throwsAsync(api.deleteLink('nosuch'), { instanceOf: DeviceNotFoundError });
  await api.deleteLink('v5');
  t.deepEqual(await api.listLinks({ master: 'br0' }), []);
});
