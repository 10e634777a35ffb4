// The packaging test's consumer program: compiled in a fresh strict project against the
// installed tarballs, then run as `node run.js NETNS` in a throwaway namespace. It touches every
// library package and prints what it made, which the test compares with ip's view.
import { NETLINK_ROUTE, NLM_F_DUMP, NetlinkError } from '@vrfctl/netlink';
import { openNetlink, runSync } from '@vrfctl/socket';
import { RTM, decodeLink, type FixedLayout, type IfInfoMsg, ifinfomsg } from '@vrfctl/rtnetlink';
import { linksSync } from '@vrfctl/link';
import { routes } from '@vrfctl/route';
import { addRuleSync, listRulesSync } from '@vrfctl/rule';
import { listVrfs } from '@vrfctl/vrf';
import { nexthops, formatNexthop, type NexthopSpec } from '@vrfctl/nexthop';
import { ArgumentError, linkIndex, linkNameMap, parseTable, tableNames } from '@vrfctl/iproute2';

const netns = process.argv[2];
if (!netns) throw new Error('usage: node run.js NETNS');
const nl = openNetlink(NETLINK_ROUTE, { netns });
try {
  const l = linksSync(nl);
  l.createLink({ name: 'pkg0', kind: 'veth', peer: { name: 'pkg1' } }); // no dummy driver on every host
  l.setLink('pkg0', { up: true });
  l.setLink('pkg1', { up: true }); // a nexthop object wants its device's carrier
  l.addAddress({ dev: 'pkg0', local: '192.0.2.1/24' });
  const r = routes(nl);
  r.add({ dst: '198.51.100.0/24', gateway: '192.0.2.254', table: 100 });
  addRuleSync(nl, { priority: 100, src: '203.0.113.0/24', table: 100 });

  let refused = '';
  try {
    r.add({ dst: '198.51.100.0/24', gateway: '192.0.2.254', table: 100 });
  } catch (err) {
    if (err instanceof NetlinkError) refused = err.message;
  }
  // Nexthop objects, a group over them, and a route naming the group by id.
  const nh = nexthops(nl);
  const members: NexthopSpec[] = [{ id: 1, gateway: '192.0.2.10', dev: 'pkg0' }, { id: 2, gateway: '192.0.2.11', dev: 'pkg0' }];
  for (const m of members) nh.add(m);
  nh.add({ id: 100, group: [{ id: 1 }, { id: 2, weight: 3 }] });
  r.add({ dst: '198.51.101.0/24', nhid: 100, table: parseTable('100') });
  // iproute2's conventions: names of tables, a device's index, bad input refused before sending.
  let badInput = '';
  try {
    nh.add({ id: 3, gateway: 'not-an-address', dev: 'pkg0' });
  } catch (err) {
    if (err instanceof ArgumentError) badInput = err.message;
  }

  const header: FixedLayout<IfInfoMsg> = ifinfomsg;
  const dumped = nl.dump({ type: RTM.GETLINK, flags: NLM_F_DUMP, encode: (b) => b.reserve(ifinfomsg.span) }).map((m) => decodeLink(m).ifname);
  console.log(JSON.stringify({
    links: l.listLinks().map((x) => x.ifname).sort(),
    dumped: dumped.sort(),
    routes: r.list({ table: 100 }).map((x) => x.dst),
    rules: listRulesSync(nl, 4).filter((x) => x.priority === 100).map((x) => `${x.src} ${x.table}`),
    vrfs: runSync(nl, listVrfs()).length,
    refused,
    headerSpan: header.span,
    nexthops: nh.list().map((n) => formatNexthop(n, { names: runSync(nl, linkNameMap()) }).trim()),
    nhidRoutes: r.list({ table: 100 }).filter((x) => x.nhId !== undefined).map((x) => `${x.dst} ${x.nhId}`),
    pkg0: runSync(nl, linkIndex('pkg0')) === l.listLinks().find((x) => x.ifname === 'pkg0')?.index,
    mainTable: tableNames.name(254),
    badInput,
  }));
} finally {
  nl.close();
}
