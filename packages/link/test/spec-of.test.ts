// addressSpecOf / neighbourSpecOf: what the kernel lists, turned back into specs, deletes exactly
// those entries and re-creates them identically (as `ip -j` shows them), and can move them.
import test from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink } from '@vrfctl/socket';
import { addressSpecOf, linksAsync, neighbourSpecOf } from '../src/index.js';
import { ip, tempNetns } from '../../../test/support/netns.js';
import { asSet } from '../../../test/support/sets.js';

type Row = Record<string, unknown>;

/** ip -j addr of v0, without the fields that change on every re-creation (lifetimes count down). */
function addrs(ns: string, dev = 'v0'): Row[] {
  const rows = JSON.parse(ip(ns, '-j', 'addr', 'show', 'dev', dev)) as Array<{ addr_info: Row[] }>;
  return rows[0].addr_info.map(({ valid_life_time: _v, preferred_life_time: _p, ...rest }) => rest);
}
const MINE = new Set(['192.0.2.2', '192.0.2.3', '2001:db8::2', '192.0.2.4']);
/** The neighbours this test made (the kernel may add link-local ones of its own). */
function neighs(ns: string): Row[] {
  return (JSON.parse(ip(ns, '-j', 'neigh', 'show', 'dev', 'v0')) as Row[]).filter((r) => MINE.has(r.dst as string));
}

function setup(t: Parameters<typeof tempNetns>[0]): string {
  const ns = tempNetns(t);
  ip(ns, 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.accept_dad=0');
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip(ns, 'link', 'set', 'v0', 'up');
  ip(ns, 'link', 'set', 'v1', 'up');
  return ns;
}

test('addressSpecOf: delete what was listed, re-create it the same; move it to another link', async (t) => {
  const ns = setup(t);
  for (const args of [
    ['192.0.2.1/24', 'brd', '+'],
    ['192.0.2.9/24', 'label', 'v0:9'],
    ['10.1.1.1', 'peer', '10.1.1.2/32'],
    ['198.51.100.1/28', 'scope', 'link', 'metric', '77', 'noprefixroute'],
    ['2001:db8::1/64', 'nodad'],
    ['2001:db8:1::1/64', 'valid_lft', '3000', 'preferred_lft', '2000', 'nodad'],
  ]) ip(ns, 'addr', 'add', ...args, 'dev', 'v0');
  const before = addrs(ns);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  const listed = (await l.listAddresses({ dev: 'v0' })).filter((a) => !(a.local ?? a.address ?? '').startsWith('fe80'));
  t.is(listed.length, 6);
  const specs = listed.map(addressSpecOf);
  t.true(specs.some((s) => s.peer === '10.1.1.2/32' && s.local === '10.1.1.1'));
  // Lifetimes are what is left of them.
  t.true(specs.some((s) => typeof s.validLft === 'number' && s.validLft > 2900 && s.validLft <= 3000 && typeof s.preferredLft === 'number' && s.preferredLft <= 2000));
  // Secondaries first: deleting a primary takes its secondaries with it.
  for (const s of [...specs].reverse()) await l.deleteAddress(s);
  t.deepEqual(addrs(ns).filter((a) => a.scope !== 'link' || a.family !== 'inet6'), []);
  for (const s of specs) await l.addAddress(s);
  t.deepEqual(asSet(addrs(ns)), asSet(before));
  // Moved: the same address on v1.
  await l.addAddress({ ...addressSpecOf(listed.find((a) => a.local === '192.0.2.1')!), dev: 'v1' });
  t.deepEqual(addrs(ns, 'v1').filter((a) => a.family === 'inet').map((a) => [a.local, a.prefixlen, a.broadcast]), [['192.0.2.1', 24, '192.0.2.255']]);
});

test('neighbourSpecOf: delete what was listed, re-create it the same', async (t) => {
  const ns = setup(t);
  for (const args of [
    ['192.0.2.2', 'lladdr', '02:00:00:00:00:02'],
    ['192.0.2.3', 'lladdr', '02:00:00:00:00:03', 'nud', 'noarp'],
    ['2001:db8::2', 'lladdr', '02:00:00:00:00:04', 'router'],
    ['192.0.2.4', 'lladdr', '02:00:00:00:00:05', 'nud', 'stale'],
  ]) ip(ns, 'neigh', 'add', ...args, 'dev', 'v0');
  const before = neighs(ns);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const l = linksAsync(nl);
  const specs = (await l.listNeighbours({ dev: 'v0' })).filter((n) => MINE.has(n.dst ?? '')).map(neighbourSpecOf);
  t.is(specs.length, 4);
  for (const s of specs) await l.deleteNeighbour(s);
  t.deepEqual(neighs(ns), []);
  for (const s of specs) await l.addNeighbour(s);
  t.deepEqual(asSet(neighs(ns)), asSet(before));
});
