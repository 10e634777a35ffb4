// Golden fixtures of the `ip nexthop` forms that name a VRF (captured in the lab: the host kernel
// has no vrf driver), compared as test/nexthop-golden.test.ts compares the others: changes by
// `vrfctl --dry-run --hex` (flush vrf's deletes included), reads by the GET requests vrfctl sends
// and by what it prints (text and -j), routes by nhid in a VRF by their request bytes and `route
// show vrf` output. Each in a namespace set up as the fixture's was.
// Run: npx tsc -p tsconfig.lab.json && tools/lab/run --rw -- node node_modules/ava/entrypoints/cli.mjs
//        --config ava.lab.config.mjs build/lab/packages/vrfctl/test-lab/nexthop-golden-vrf.test.js
import test from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { RTM } from '@vrfctl/rtnetlink';
import { openNetlink, runSync } from '@vrfctl/socket';
import { nexthopCommandPlan, parseNexthopCommand } from '@vrfctl/nexthop';
import { applySetup, tempNetns } from '../../route/test/netns.js';
import {
  KeepReads, isChange, isNexthopCommand, lines, maskIdle, maskSeqPid, messagesOf, mutations, needsVrf, nexthopFixtures, nexthopGlobals,
  nexthopWords, reads, vrfctlNexthop,
} from '../test/nexthop-helpers.js';
import { vrfctlRoute } from '../test/route-helpers.js';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs the vrf driver');
});

const vrfFixtures = nexthopFixtures().filter(needsVrf);
const nexthopOnes = vrfFixtures.filter(isNexthopCommand);
const routeOnes = vrfFixtures.filter((fx) => !isNexthopCommand(fx));

test('the VRF nexthop fixtures are there', (t) => {
  t.deepEqual(vrfFixtures.map((f) => f.name).sort(), [
    'nexthop/vrf-bucket-show', 'nexthop/vrf-flush', 'nexthop/vrf-route-add-nhid', 'nexthop/vrf-route-show-nhid', 'nexthop/vrf-show',
    'nexthop/vrf-show-json', 'nexthop/vrf-show-master',
  ].sort());
});

for (const fx of nexthopOnes) {
  const words = nexthopWords(fx);
  const globals = nexthopGlobals(fx);
  if (isChange(fx)) {
    test.serial(`golden ${fx.name}: ${fx.command.join(' ')}`, (t) => {
      const ns = tempNetns(t);
      applySetup(ns, fx.setup);
      const r = vrfctlNexthop(['-n', ns, ...globals, '--dry-run', '--hex', 'nexthop', ...words]);
      t.is(r.code, 0, r.stderr);
      const expected = mutations(fx);
      t.true(expected.length > 0, 'the fixture has the requests to compare');
      t.deepEqual(lines(r.stdout), expected);
    });
    continue;
  }
  test.serial(`golden ${fx.name}: ${fx.command.join(' ')} (request and output)`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    const sock = openNetlink(NETLINK_ROUTE, { netns: ns });
    t.teardown(() => sock.close());
    const keep = new KeepReads(sock);
    runSync(keep, nexthopCommandPlan(parseNexthopCommand(words, { family: undefined })));
    t.deepEqual(keep.sent, reads(fx));
    const r = vrfctlNexthop(['-n', ns, ...globals, 'nexthop', ...words]);
    t.is(r.code, 0, r.stderr);
    t.true(fx.stdout.length > 0, 'ip printed something to compare with');
    t.is(maskIdle(r.stdout), maskIdle(fx.stdout));
  });
}

for (const fx of routeOnes) {
  const at = fx.command.indexOf('route');
  const rw = fx.command.slice(at + 1);
  test.serial(`golden ${fx.name}: ${fx.command.join(' ')}`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    if (rw[0] === 'show') {
      const r = vrfctlRoute(['-n', ns, ...fx.command.slice(1, at), 'route', ...rw]);
      t.is(r.code, 0, r.stderr);
      t.regex(r.stdout, /nhid 10/);
      t.is(r.stdout, fx.stdout);
      return;
    }
    const r = vrfctlRoute(['-n', ns, ...fx.command.slice(1, at), '--dry-run', '--hex', 'route', ...rw]);
    t.is(r.code, 0, r.stderr);
    const expected = fx.requests.flatMap(messagesOf).filter((m) => m.readUInt16LE(4) === RTM.NEWROUTE).map((m) => maskSeqPid(m.toString('hex')));
    t.is(expected.length, 1);
    t.deepEqual(lines(r.stdout), expected);
  });
}
