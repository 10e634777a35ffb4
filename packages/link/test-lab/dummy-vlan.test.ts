// dummy and vlan links, which only the lab kernel has (tools/lab/run). Run with
//   npx tsc -p tsconfig.lab.json && tools/lab/run -- node node_modules/ava/entrypoints/cli.mjs --config ava.lab.config.mjs build/lab/packages/link/test-lab/dummy-vlan.test.js
// vrfctl makes in one netns what `ip` makes in a twin, and the kernel shows the same links.
import test from 'ava';
import { ip, tempNetns } from '../../route/test/netns.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../../vrfctl/src/errors.js';
import { kernelLinks, twinSteps, vrfctl } from './twin.js';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the dummy and 8021q drivers');
});

/** The kernel's view of the links, without what differs between two namespaces by chance. */
const clean = ({ ifindex: _i, address: _a, broadcast: _b, link_index: _l, ...rest }: Record<string, unknown>): unknown => rest;
const links = (ns: string): unknown[] => kernelLinks(ns, clean);

const steps: string[][] = [
  ['link', 'add', 'd0', 'type', 'dummy'],
  ['link', 'set', 'd0', 'up'],
  ['link', 'add', 'link', 'd0', 'name', 'd0.10', 'type', 'vlan', 'id', '10'],
  ['link', 'add', 'link', 'd0', 'name', 'd0.20', 'type', 'vlan', 'protocol', '802.1ad', 'id', '20'],
  ['link', 'set', 'd0.10', 'mtu', '1400', 'up'],
  ['link', 'del', 'd0.20'],
];

test('dummy and vlan links: vrfctl and ip leave the same kernel state after each step', (t) => {
  const ours = twinSteps(t, steps, clean);
  const vlan = (JSON.parse(ip(ours, '-j', '-d', 'link', 'show', 'd0.10')) as Array<{ linkinfo: { info_kind: string; info_data: { id: number } } }>)[0];
  t.is(vlan.linkinfo.info_kind, 'vlan');
  t.is(vlan.linkinfo.info_data.id, 10);
});

test('a vlan on a missing parent and a duplicate dummy fail with one line and change nothing', (t) => {
  const ns = tempNetns(t);
  t.is(vrfctl(ns, ['link', 'add', 'd0', 'type', 'dummy']).code, 0);
  const before = links(ns);
  const missing = vrfctl(ns, ['link', 'add', 'link', 'nosuch', 'name', 'x.10', 'type', 'vlan', 'id', '10']);
  t.is(missing.code, EXIT_USAGE);
  t.regex(missing.stderr, /^vrfctl: .*Cannot find device "nosuch"\n$/);
  const dup = vrfctl(ns, ['link', 'add', 'd0', 'type', 'dummy']);
  t.is(dup.code, EXIT_REFUSED);
  t.regex(dup.stderr, /^vrfctl: .*EEXIST: File exists.*\n$/);
  t.deepEqual(links(ns), before);
});
