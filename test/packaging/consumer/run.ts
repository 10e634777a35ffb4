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

const netns = process.argv[2];
if (!netns) throw new Error('usage: node run.js NETNS');
const nl = openNetlink(NETLINK_ROUTE, { netns });
try {
  const l = linksSync(nl);
  l.createLink({ name: 'pkg0', kind: 'veth', peer: { name: 'pkg1' } }); // no dummy driver on every host
  l.setLink('pkg0', { up: true });
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
  }));
} finally {
  nl.close();
}
