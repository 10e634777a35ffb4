// `ip -d link show` of bond, ipvlan and bridge links (captured in the lab, where those drivers
// are): the kernel's answers decode into typed BondData/IpvlanData/BridgeData (unknown attributes
// kept, the bytes encode back identically), and our -d printer shows them as ip did, text and -j.
// The requests ip sent for each add/set form are the bytes our encoder writes.
import test from 'ava';
import { parseMessages } from '@vrfctl/netlink';
import { decodeLink, type BondData, type BridgeData, type IpvlanData, type Link } from '@vrfctl/rtnetlink';
import { formatLink, linkToJson, parseLinkAdd, parseLinkSet, createLinkRequest, setLinkRequest } from '@vrfctl/link';
import { encodeRequest } from '@vrfctl/socket';
import { fixtures, type Fixture } from './link-helpers.js';
import { mutatingMessages } from './link-golden-helpers.js';

function replyLinks(f: Fixture): Link[] {
  const links: Link[] = [];
  for (const hex of f.replies) for (const m of parseMessages(Buffer.from(hex, 'hex'))) if (m.header.type === 16) links.push(decodeLink(m));
  return links;
}

const opts = { linkCommand: true, linkLayer: true, details: true };

/** Every `ip [-j] -d link show` whose dump answers hold every link it names (a single-device show looks names up apart). */
const SHOWS = [
  'bond/show-details', 'bond/show-json-details', 'ipvlan/show-details', 'ipvlan/show-json-details', 'bridge/show-details',
  'bridge/show-json-details', 'link/show-details', 'dummy/show', 'vrf/show-type', 'vrf/show-json-type',
];
for (const name of SHOWS) {
  test(`${name}: ${name.includes('json') ? 'ip -j -d, keys, values and key order' : 'ip -d, text'} as ip printed them`, (t) => {
    const f = fixtures(name.split('/')[0]).find((x) => x.name === name)!;
    t.truthy(f, name);
    const links = replyLinks(f);
    const byIndex = new Map(links.map((l) => [l.index, l]));
    if (f.command.includes('-j')) {
      const ours = JSON.parse(JSON.stringify(links.map((l) => linkToJson(l, (i) => byIndex.get(i), opts)))) as object[];
      const theirs = JSON.parse(f.stdout) as object[];
      t.deepEqual(ours, theirs);
      t.deepEqual(ours.map((o) => Object.keys(o)), theirs.map((o) => Object.keys(o)));
    } else {
      t.is(links.flatMap((l) => formatLink(l, (i) => byIndex.get(i), opts)).join('\n') + '\n', f.stdout);
    }
  });
}

for (const kind of ['bond', 'ipvlan', 'bridge']) {
  test(`${kind}: the kernel's answers decode into typed data (round trips: rtnetlink golden-replies)`, (t) => {
    const typed = fixtures(kind).flatMap(replyLinks).filter((l) => l.linkinfo?.kind === kind);
    t.true(typed.length > 0);
    for (const l of typed) t.truthy(l.linkinfo!.data, `${l.ifname}: typed data`);
  });
}

test('typed data: bond, bond port, ipvlan and bridge fields', (t) => {
  const bond = replyLinks(fixtures('bond').find((x) => x.name === 'bond/show-details')!);
  const b0 = bond.find((l) => l.ifname === 'b0')!.linkinfo!.data as BondData;
  t.like(b0, { mode: '802.3ad', miimon: 100, lacpRate: 'fast', xmitHashPolicy: 'layer3+4', minLinks: 1, adSelect: 'stable' });
  t.is(b0.adInfo?.numPorts, 1);
  t.like(bond.find((l) => l.ifname === 'd0')!.linkinfo, { slaveKind: 'bond', slaveData: { miiStatus: 'UP', permHwaddr: '02:00:00:00:00:d0' } });
  const ipv = replyLinks(fixtures('ipvlan').find((x) => x.name === 'ipvlan/show-details')!);
  t.like(ipv.find((l) => l.ifname === 'ipv0')!.linkinfo!.data as IpvlanData, { mode: 'l3s', flags: 'vepa' });
  const br = replyLinks(fixtures('bridge').find((x) => x.name === 'bridge/show-details')!);
  t.like(br.find((l) => l.ifname === 'br0')!.linkinfo!.data as BridgeData, { vlanFiltering: 1, stpState: 1, priority: 100, vlanProtocol: '802.1Q', vlanDefaultPvid: 1 });
});

/** Requests that need no name lookup (no master, no lower device) encode here; the others in the lab test. */
for (const kind of ['bond', 'bridge']) {
  for (const f of fixtures(kind).filter((x) => /\/(add|set)-/.test(x.name) && !x.name.includes('master'))) {
    test(`golden ${f.name}: our request is ip's`, (t) => {
      const words = f.command.slice(3);
      const req = f.command[2] === 'add' ? createLinkRequest(parseLinkAdd(words)) : setLinkRequest(setupIndex(f), parseLinkSet(words).changes);
      t.deepEqual([encodeRequest(req).toString('hex')], mutatingMessages(f));
    });
  }
}

/** The index of the link a set fixture changes, from ip's request. */
function setupIndex(f: Fixture): number {
  const m = mutatingMessages(f)[0];
  return Buffer.from(m, 'hex').readInt32LE(20);
}
