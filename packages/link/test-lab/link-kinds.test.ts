// bond, ipvlan and bridge links with their options, which only the lab kernel has (tools/lab/run):
//   npx tsc -p tsconfig.lab.json && tools/lab/run -- node node_modules/ava/entrypoints/cli.mjs --config ava.lab.config.mjs build/lab/packages/link/test-lab/link-kinds.test.js
// vrfctl makes in one netns what `ip` makes in a twin and the kernel shows the same links
// (`ip -j -d link show`); `vrfctl -d link show` prints what `ip -d link show` prints; the
// library creates and changes the same kinds and reads them back typed.
import test from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink, runSync } from '@vrfctl/socket';
import { createLink, getLink, setLink } from '@vrfctl/link';
import type { BondData, BridgeData, IpvlanData } from '@vrfctl/rtnetlink';
import { ip, ipRun, tempNetns } from '../../route/test/netns.js';
import { EXIT_REFUSED } from '../../vrfctl/src/errors.js';
import { twinSteps, vrfctl } from './twin.js';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the bonding and ipvlan drivers');
});

/** LACP negotiation and timers run on their own clock: not part of what a command sets. */
const VOLATILE = /_timer$|^ad_info$|^ad_aggregator_id$|^ad_(actor|partner)_oper_port_state|^state$|^mii_status$|^link_failure_count$/;
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !VOLATILE.test(k)).map(([k, x]) => [k, stable(x)]));
}

/** The kernel's view of a link, without what differs between two namespaces by chance. */
const clean = ({ ifindex: _i, link_index: _l, address: _a, broadcast: _b, ...rest }: Record<string, unknown>): unknown => stable(rest);

const PORTS = [0, 1, 2].map((i) => ['link', 'add', `d${i}`, 'address', `02:00:00:00:00:d${i}`, 'type', 'dummy']);
// Few steps: each starts vrfctl (node) under TCG emulation.
const steps: string[][] = [
  ...PORTS,
  'link add b0 type bond mode 802.3ad miimon 100 lacp_rate fast xmit_hash_policy layer3+4 min_links 1'.split(' '),
  'link set b0 type bond updelay 200 downdelay 200 ad_select bandwidth'.split(' '),
  'link set d0 master b0'.split(' '),
  'link add link d1 name ipv0 type ipvlan mode l2 private'.split(' '),
  'link add br0 type bridge vlan_filtering 1 stp_state 1 priority 100 vlan_default_pvid 10'.split(' '),
  'link set br0 type bridge vlan_filtering 0 forward_delay 400 hello_time 300 max_age 2500 ageing_time 20000 vlan_protocol 802.1ad'.split(' '),
];

test('bond, ipvlan and bridge with options: vrfctl and ip leave the same kernel state after each step', (t) => {
  t.timeout(20 * 60_000);
  const ours = twinSteps(t, steps, clean);
  const b0 = (JSON.parse(ip(ours, '-j', '-d', 'link', 'show', 'b0')) as Array<{ linkinfo: { info_data: Record<string, unknown> } }>)[0];
  t.like(b0.linkinfo.info_data, { mode: '802.3ad', miimon: 100, ad_lacp_rate: 'fast', xmit_hash_policy: 'layer3+4', min_links: 1, updelay: 200, ad_select: 'bandwidth' });
  // And what -d shows of them is what ip shows, text and JSON (same namespace, same moment).
  for (const json of [false, true]) {
    const flags = json ? ['-j', '-d'] : ['-d'];
    const ourShow = vrfctl(ours, [...flags, 'link', 'show']);
    const ipShow = ipRun(ours, ...flags, 'link', 'show');
    t.is(ourShow.code, 0, ourShow.stderr);
    if (json) t.deepEqual(stable(JSON.parse(ourShow.stdout)), stable(JSON.parse(ipShow.stdout)));
    else t.is(ourShow.stdout.replace(/_timer +\d+\.\d+/g, '_timer'), ipShow.stdout.replace(/_timer +\d+\.\d+/g, '_timer'));
  }
});

test('a port that is up cannot join a bond: the kernel refuses, as with ip (exit 2, one line); down, it joins', (t) => {
  const ns = tempNetns(t);
  for (const w of ['link add b0 type bond mode active-backup', 'link add d0 type dummy', 'link set d0 up']) ip(ns, ...w.split(' '));
  const refused = vrfctl(ns, 'link set d0 master b0'.split(' '));
  const theirs = ipRun(ns, 'link', 'set', 'd0', 'master', 'b0');
  t.is(refused.code, EXIT_REFUSED);
  t.is(theirs.status, EXIT_REFUSED);
  t.regex(refused.stderr, /Device can not be enslaved while up/);
  t.is(refused.stderr.trim().split('\n').length, 1, refused.stderr);
  t.is(vrfctl(ns, 'link set d0 down'.split(' ')).code, 0);
  t.is(vrfctl(ns, 'link set d0 master b0'.split(' ')).code, 0);
  const d0 = (JSON.parse(ip(ns, '-j', '-d', 'link', 'show', 'd0')) as Array<{ master: string; linkinfo: { info_slave_kind: string } }>)[0];
  t.is(d0.master, 'b0');
  t.is(d0.linkinfo.info_slave_kind, 'bond');
});

test('bad bond and ipvlan options are refused before anything is sent (exit 1, naming the option)', (t) => {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'd0', 'type', 'dummy');
  for (const [words, re] of [
    ['link add b0 type bond mode fastest', /invalid bond mode "fastest"/],
    ['link add b0 type bond lacp_rate medium', /invalid bond lacp_rate "medium"/],
    ['link add b0 type bond miimon -1', /invalid miimon/],
    ['link add b0 type bond frobnicate 1', /unknown bond option "frobnicate"/],
    ['link add link d0 name i0 type ipvlan mode l4', /invalid ipvlan mode "l4"/],
    ['link add link d0 name i0 type ipvlan private vepa', /exclude each other/],
    ['link add i0 type ipvlan mode l2', /ipvlan needs a lower device/],
    ['link set d0 type vxlan id 1', /not supported/],
  ] as Array<[string, RegExp]>) {
    const r = vrfctl(ns, words.split(' '));
    t.is(r.code, 1, words);
    t.regex(r.stderr, re, words);
    t.is(r.stderr.trim().split('\n').length, 1);
  }
  t.deepEqual((JSON.parse(ip(ns, '-j', 'link', 'show')) as Array<{ ifname: string }>).map((l) => l.ifname), ['lo', 'd0']);
});

test('the library: createLink and setLink with bond, ipvlan and bridge options; getLink reads them back typed', (t) => {
  const ns = tempNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  runSync(nl, createLink({ name: 'd0', kind: 'dummy' }));
  runSync(nl, createLink({ name: 'd1', kind: 'dummy' }));
  runSync(nl, createLink({ name: 'b0', kind: 'bond', bond: { mode: '802.3ad', miimon: 100, lacpRate: 'fast', xmitHashPolicy: 'layer3+4', minLinks: 1 } }));
  runSync(nl, setLink('b0', { type: { kind: 'bond', bond: { updelay: 300, downdelay: 100 } } }));
  runSync(nl, setLink('d0', { master: 'b0' }));
  runSync(nl, createLink({ name: 'ipv0', kind: 'ipvlan', link: 'd1', ipvlan: { mode: 'l3s', flags: 'private' } }));
  runSync(nl, createLink({ name: 'br0', kind: 'bridge', bridge: { stpState: 1, priority: 4096, vlanFiltering: true, vlanDefaultPvid: 5 } }));
  runSync(nl, setLink('br0', { type: { kind: 'bridge', bridge: { vlanFiltering: false, forwardDelay: 600 } } }));

  const bond = runSync(nl, getLink('b0')).linkinfo?.data as BondData;
  t.like(bond, { mode: '802.3ad', miimon: 100, lacpRate: 'fast', xmitHashPolicy: 'layer3+4', minLinks: 1, updelay: 300, downdelay: 100 });
  t.like(runSync(nl, getLink('d0')).linkinfo, { slaveKind: 'bond' });
  t.like(runSync(nl, getLink('ipv0')).linkinfo?.data as IpvlanData, { mode: 'l3s', flags: 'private' });
  t.like(runSync(nl, getLink('br0')).linkinfo?.data as BridgeData, { stpState: 1, priority: 4096, vlanFiltering: 0, vlanDefaultPvid: 5, forwardDelay: 600 });
  // The kernel agrees, as ip shows it.
  const byName = new Map((JSON.parse(ip(ns, '-j', '-d', 'link', 'show')) as Array<{ ifname: string; linkinfo?: { info_data?: Record<string, unknown> } }>).map((l) => [l.ifname, l]));
  t.like(byName.get('b0')!.linkinfo!.info_data!, { mode: '802.3ad', ad_lacp_rate: 'fast', updelay: 300 });
  t.like(byName.get('ipv0')!.linkinfo!.info_data!, { mode: 'l3s', private: true });
  t.like(byName.get('br0')!.linkinfo!.info_data!, { stp_state: 1, priority: 4096, vlan_filtering: 0, forward_delay: 600 });
});
