// Links in and into other network namespaces (what a CNI plugin does first): a veth peer created
// in a container's netns, an existing link moved there, by name, path, fd, pid and nsid; bad
// namespaces refused before anything is sent; the kernel's answers name the operation.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { ExistsError, NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink } from '@vrfctl/socket';
import { ArgumentError } from '@vrfctl/iproute2';
import { linksAsync, linksSync, parseLinkAdd, parseLinkSet } from '../src/index.js';
import { ip, tempNetns } from '../../../test/support/netns.js';

interface IpLink { ifname: string; link_netnsid?: number; mtu: number; operstate: string }

function links(ns: string): IpLink[] {
  return JSON.parse(ip(ns, '-j', 'link', 'show')) as IpLink[];
}
function names(ns: string): string[] {
  return links(ns).map((l) => l.ifname).sort();
}

test('veth with its peer created in another netns (by name), async; link-netnsid read back', async (t) => {
  const host = tempNetns(t);
  const pod = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: host });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  await l.createLink({ name: 'veth-h', kind: 'veth', peer: { name: 'eth0', netns: pod, mtu: 1400 } });
  t.deepEqual(names(host), ['lo', 'veth-h']);
  t.deepEqual(names(pod), ['eth0', 'lo']);
  t.is(links(pod).find((x) => x.ifname === 'eth0')?.mtu, 1400);
  // The host end knows its peer lives in another namespace.
  const hostEnd = await l.getLink('veth-h');
  t.is(typeof hostEnd.linkNetnsid, 'number');
  t.is(links(host).find((x) => x.ifname === 'veth-h')?.link_netnsid, hostEnd.linkNetnsid);
});

test('a link created directly in another netns (by path), and moved back by name', (t) => {
  const host = tempNetns(t);
  const pod = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: host });
  t.teardown(() => nl.close());
  const l = linksSync(nl);
  // The link goes to the namespace named; its peer stays in the socket's (the kernel's rule).
  l.createLink({ name: 'd0', kind: 'veth', netns: `/run/netns/${pod}`, peer: { name: 'd9' } });
  t.deepEqual(names(host), ['d9', 'lo']);
  t.deepEqual(names(pod), ['d0', 'lo']);
  // From the pod's side, move it to the host namespace, renamed on the way.
  const podNl = openNetlink(NETLINK_ROUTE, { netns: pod });
  t.teardown(() => podNl.close());
  linksSync(podNl).setLink('d0', { netns: host, name: 'd1' });
  t.deepEqual(names(pod), ['lo']);
  t.deepEqual(names(host), ['d1', 'd9', 'lo']);
  // Some kinds cannot leave their namespace: the kernel says so, and the error names the change.
  l.createLink({ name: 'br0', kind: 'bridge' });
  const err = t.throws(() => l.setLink('br0', { netns: pod }));
  t.is(err?.message, `link set br0 netns ${pod}: Invalid argument (EINVAL): The interface netns is immutable`);
});

test('move an existing link by fd and by pid', async (t) => {
  const host = tempNetns(t);
  const pod = tempNetns(t);
  ip(host, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'a1');
  const nl = openNetlink(NETLINK_ROUTE, { netns: host });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  const fd = openSync(`/run/netns/${pod}`, 'r');
  try {
    await l.setLink('a0', { netns: { fd } });
  } finally {
    closeSync(fd);
  }
  t.deepEqual(names(pod), ['a0', 'lo']);

  // A process living in the pod namespace names it by its pid.
  const sleeper = spawn('ip', ['netns', 'exec', pod, 'sleep', '30'], { stdio: 'ignore' });
  t.teardown(() => sleeper.kill());
  let pid: number | undefined;
  for (let i = 0; i < 100 && pid === undefined; i++) {
    const r = spawnSync('ip', ['netns', 'pids', pod], { encoding: 'utf8' });
    pid = r.stdout.split('\n').map(Number).find((p) => p > 0);
    if (pid === undefined) await new Promise((res) => setTimeout(res, 20));
  }
  if (pid === undefined) {
    t.log('LOUD SKIP of the pid half: no process showed up in the namespace');
    t.fail('could not start a process in the pod namespace');
    return;
  }
  await l.setLink('a1', { netns: { pid } });
  t.deepEqual(names(host), ['lo']);
  t.deepEqual(names(pod), ['a0', 'a1', 'lo']);
});

test('a link created by nsid (IFLA_TARGET_NETNSID) lands in that namespace', (t) => {
  const host = tempNetns(t);
  const pod = tempNetns(t);
  ip(host, 'netns', 'set', pod, '7');
  const nl = openNetlink(NETLINK_ROUTE, { netns: host });
  t.teardown(() => nl.close());
  linksSync(nl).createLink({ name: 'n0', kind: 'bridge', netns: { nsid: 7 } });
  t.deepEqual(names(host), ['lo']);
  t.deepEqual(names(pod), ['lo', 'n0']);
});

test('a namespace that does not exist, or an nsid for a move, is refused before anything is sent', async (t) => {
  const host = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: host });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  const sentBefore = nl.stats.sendCalls;
  const missing = await t.throwsAsync(l.createLink({ name: 'v0', kind: 'veth', peer: { name: 'v1', netns: 'vrfctl-no-such-ns' } }), { instanceOf: ArgumentError });
  t.is(missing?.message, 'Cannot open network namespace "vrfctl-no-such-ns": ENOENT');
  t.deepEqual(names(host), ['lo']);
  ip(host, 'link', 'add', 'd0', 'type', 'bridge');
  await t.throwsAsync(l.setLink('d0', { netns: { nsid: 3 } }), { instanceOf: ArgumentError, message: /nsid/ });
  await t.throwsAsync(l.createLink({ name: 'v0', kind: 'veth', peer: { name: 'v1', netns: { nsid: 3 } } }), { instanceOf: ArgumentError });
  await t.throwsAsync(l.setLink('d0', { netns: { pid: -1 } }), { instanceOf: ArgumentError });
  // The only requests sent were the name lookups of d0 (none of the creates reached the kernel).
  t.true(nl.stats.sendCalls - sentBefore <= 2, `${nl.stats.sendCalls - sentBefore} sends`);
  t.deepEqual(names(host), ['d0', 'lo']);
});

test('batchLinks: many veth pairs with their peers in another netns, one result each', async (t) => {
  const host = tempNetns(t);
  const pod = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: host });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  ip(host, 'link', 'add', 'h3', 'type', 'bridge');
  const specs = [0, 1, 2, 3].map((i) => ({ name: `h${i}`, kind: 'veth', peer: { name: `p${i}`, netns: pod } }));
  const results = await l.batchLinks({ op: 'create', specs });
  t.deepEqual(results.map((r) => r.ok), [true, true, true, false]);
  const failed = results[3];
  t.true(!failed.ok && failed.error instanceof ExistsError);
  t.is(failed.ok ? '' : failed.error.message, 'link add h3 type veth peer p3: File exists (EEXIST)');
  t.deepEqual(names(pod), ['lo', 'p0', 'p1', 'p2']);
  // And back: a batch of moves.
  const podNl = openNetlink(NETLINK_ROUTE, { netns: pod });
  t.teardown(() => podNl.close());
  const moved = await linksAsync(podNl).batchLinks({ op: 'set', specs: ['p0', 'p1'].map((dev) => ({ dev, changes: { netns: host } })) });
  t.true(moved.every((r) => r.ok));
  t.deepEqual(names(pod), ['lo', 'p2']);
  t.deepEqual(names(host), ['h0', 'h1', 'h2', 'h3', 'lo', 'p0', 'p1']);
});

test('ip syntax: "netns NS" on link add, on the veth peer, and on link set', (t) => {
  t.deepEqual(parseLinkAdd(['v0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'pod1']), {
    name: 'v0', kind: 'veth', peer: { name: 'eth0', netns: 'pod1' },
  });
  t.deepEqual(parseLinkAdd(['d0', 'netns', '/proc/1/ns/net', 'type', 'bridge']), { name: 'd0', netns: '/proc/1/ns/net', kind: 'bridge' });
  t.deepEqual(parseLinkSet(['dev', 'eth0', 'netns', '1234']), { dev: 'eth0', changes: { netns: '1234' } });
  t.throws(() => parseLinkSet(['eth0', 'netns', 'a', 'netns', 'b']), { instanceOf: ArgumentError });
});
