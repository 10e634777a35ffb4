// Golden bytes for every `ip nexthop` form captured in test/golden/fixtures/nexthop:
// - changes (add, replace, del, flush, and the ones the kernel refused): `vrfctl --dry-run --hex
//   nexthop …` prints exactly the RTM_NEWNEXTHOP/RTM_DELNEXTHOP messages ip sent (seq and pid
//   masked; flush's deletes are on ip's second socket, so they are taken from there);
// - reads (show with each selector, get, bucket show/get): the GET request vrfctl sends equals
//   ip's (a dump request's message, without the zero bytes ip's send() adds after it);
// in a namespace set up as the fixture's was, so that device names resolve the same way.
import test, { type ExecutionContext } from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { RTM } from '@vrfctl/rtnetlink';
import { openNetlink, runSync } from '@vrfctl/socket';
import { nexthopCommandPlan, parseNexthopCommand } from '@vrfctl/nexthop';
import { applySetup, ip, ipRun, tempNetns } from '../../route/test/netns.js';
import {
  KeepReads, isChange, isNexthopCommand, lines, maskIdle, maskSeqPid, messagesOf, mutations, needsVrf, nexthopFixtures, nexthopGlobals,
  nexthopWords, reads, vrfctlNexthop, type NexthopFixture,
} from './nexthop-helpers.js';
import { vrfctlRoute, withAck } from './route-helpers.js';

// VRF fixtures (captured in the lab) are compared in test-lab/nexthop-golden-vrf.test.ts.
const all = nexthopFixtures().filter((fx) => isNexthopCommand(fx) && !needsVrf(fx));
const words = nexthopWords;
const globals = nexthopGlobals;

const changes = all.filter(isChange);
const readers = all.filter((fx) => !isChange(fx));

test('every nexthop form has a fixture to compare', (t) => {
  const names = all.map((f) => f.name);
  for (const n of [
    'nexthop/add-via-v4', 'nexthop/add-via-v6', 'nexthop/add-blackhole', 'nexthop/add-onlink', 'nexthop/add-group-weights',
    'nexthop/add-group-resilient', 'nexthop/add-fdb', 'nexthop/add-group-fdb', 'nexthop/add-encap-ip', 'nexthop/replace',
    'nexthop/del', 'nexthop/flush', 'nexthop/flush-dev', 'nexthop/flush-id', 'nexthop/show-groups', 'nexthop/show-master',
    'nexthop/bucket-show-nhid', 'nexthop/bucket-get', 'nexthop/get',
  ]) t.true(names.includes(n), n);
  t.true(changes.length >= 30, `${changes.length} change fixtures`);
  t.true(readers.length >= 15, `${readers.length} read fixtures`);
});

for (const fx of changes) {
  test(`golden ${fx.name}: ${fx.command.join(' ')}`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    const r = vrfctlNexthop(['-n', ns, ...globals(fx), '--dry-run', '--hex', 'nexthop', ...words(fx)]);
    t.is(r.code, 0, r.stderr);
    const expected = mutations(fx);
    t.true(expected.length > 0 || fx.name === 'nexthop/flush-empty', 'the fixture has the requests to compare');
    t.deepEqual(lines(r.stdout), expected);
  });
}

for (const fx of readers) {
  if (fx.command.includes('route')) continue;
  test(`golden ${fx.name}: ${fx.command.join(' ')} (request)`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    const sock = openNetlink(NETLINK_ROUTE, { netns: ns });
    t.teardown(() => sock.close());
    const keep = new KeepReads(sock);
    const family = globals(fx).includes('-6') ? 6 : globals(fx).includes('-4') ? 4 : undefined;
    let error: unknown;
    try {
      runSync(keep, nexthopCommandPlan(parseNexthopCommand(words(fx), { family })));
    } catch (err) {
      error = err;
    }
    if (fx.expectFail) t.regex(String(error), /ENOENT|No such/);
    else t.falsy(error, String(error));
    t.deepEqual(keep.sent, reads(fx));
  });
}

// What ip printed for the reads: vrfctl prints the same, in text and -j (bucket idle times are
// per-run clock values, so they are masked on both sides).
for (const fx of readers) {
  if (fx.command.includes('route') || fx.expectFail) continue;
  test(`golden ${fx.name}: ${fx.command.join(' ')} (output)`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    const r = vrfctlNexthop(['-n', ns, ...globals(fx), 'nexthop', ...words(fx)]);
    t.is(r.code, 0, r.stderr);
    let expected = fx.stdout;
    // The kernel ignores NHA_FDB in dumps, so ip lists every nexthop for `show fdb`; vrfctl
    // sends the same request and keeps only the fdb ones, as the selector says.
    if (fx.name === 'nexthop/show-fdb') expected = fx.stdout.split('\n').filter((l) => / fdb$/.test(l)).map((l) => `${l}\n`).join('');
    t.true(expected.length > 0 || fx.name === 'nexthop/show-empty', 'ip printed something to compare with');
    t.is(maskIdle(r.stdout), maskIdle(expected));
  });
}

// Routes that point at nexthop objects: the request bytes of `route add … nhid N` and `route del`,
// and `route show` (text and -j) with `nhid N` and the resolved hops, as ip printed them.
const routeWords = (fx: NexthopFixture) => fx.command.slice(fx.command.indexOf('route') + 1);
const routeFixtures = nexthopFixtures().filter((fx) => fx.command.includes('route') && routeWords(fx)[0] !== 'flush' && !needsVrf(fx));
test('the nhid route fixtures are there', (t) => {
  t.true(routeFixtures.length >= 6, routeFixtures.map((f) => f.name).join(' '));
});
for (const fx of routeFixtures) {
  const at = fx.command.indexOf('route');
  const rw = fx.command.slice(at + 1);
  test(`golden ${fx.name}: ${fx.command.join(' ')}`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, fx.setup);
    if (rw[0] === 'show') {
      const r = vrfctlRoute(['-n', ns, ...fx.command.slice(1, at), 'route', ...rw]);
      t.is(r.code, 0, r.stderr);
      t.is(r.stdout, fx.stdout);
      t.regex(r.stdout, /nhid"?:? ?10/);
      return;
    }
    const r = vrfctlRoute(['-n', ns, ...fx.command.slice(1, at), '--dry-run', '--hex', 'route', ...rw]);
    t.is(r.code, 0, r.stderr);
    const expected = fx.requests.flatMap(messagesOf).filter((m) => [RTM.NEWROUTE, RTM.DELROUTE].includes(m.readUInt16LE(4) as 24 | 25))
      .map((m) => maskSeqPid(m.toString('hex')));
    t.true(expected.length > 0);
    t.deepEqual(lines(r.stdout), expected);
  });
}

// `ip route flush` of routes that use nexthop objects. ip resends each route as dumped: by default
// (net.ipv4.nexthop_compat_mode=1) the dump carries the resolved hops beside RTA_NH_ID and the
// kernel refuses every delete (EINVAL); with compat mode 0 the dump carries the id only and ip's
// flush works. vrfctl sends those working bytes in either mode (NLM_F_ACK added: it asks for an
// ACK per delete), so its flush empties what ip's cannot.
const flushFixtures = nexthopFixtures().filter((fx) => fx.command.includes('route') && routeWords(fx)[0] === 'flush');
const COMPAT_OFF = 'net.ipv4.nexthop_compat_mode=0';
const withoutCompatOff = (setup: string[][]) => setup.filter((argv) => !argv.includes(COMPAT_OFF));
const deletes = (fx: NexthopFixture) => fx.requests.flatMap(messagesOf).filter((m) => m.readUInt16LE(4) === RTM.DELROUTE);
const deleteHex = (fx: NexthopFixture) => deletes(fx).map((m) => withAck(maskSeqPid(m.toString('hex'))));
const flushFixture = (name: string) => {
  const fx = flushFixtures.find((f) => f.name === `nexthop/${name}`);
  if (!fx) throw new Error(`fixture nexthop/${name} is missing`);
  return fx;
};
function dryFlush(t: ExecutionContext, setup: string[][], fx: NexthopFixture): string[] {
  const ns = tempNetns(t);
  applySetup(ns, setup);
  const r = vrfctlRoute(['-n', ns, ...fx.command.slice(1, fx.command.indexOf('route')), '--dry-run', '--hex', 'route', ...routeWords(fx)]);
  t.is(r.code, 0, r.stderr);
  return lines(r.stdout);
}

test('the route flush fixtures of nhid routes are there', (t) => {
  t.deepEqual(flushFixtures.map((f) => f.name).sort(), [
    'nexthop/error-route-flush-blackhole-nhid', 'nexthop/error-route-flush-table-compat', 'nexthop/route-flush-prefix-nhid',
    'nexthop/route-flush-proto-nhid', 'nexthop/route-flush-table-nhid', 'nexthop/route-flush-table-nhid-v6',
  ]);
});

for (const fx of flushFixtures.filter((f) => !f.expectFail)) {
  test(`golden ${fx.name}: ${fx.command.join(' ')} (ids only in the dump, and with the default compat mode)`, (t) => {
    t.true(fx.setup.some((argv) => argv.includes(COMPAT_OFF)), 'captured with nexthop_compat_mode=0, where ip succeeds');
    const expected = deleteHex(fx);
    t.true(expected.some((h) => h.includes('08001e00')), 'ip deleted routes by RTA_NH_ID');
    t.deepEqual(dryFlush(t, fx.setup, fx), expected);
    t.deepEqual(dryFlush(t, withoutCompatOff(fx.setup), fx), expected, 'the same bytes when the dump carries the resolved hops too');
  });
}

test('golden nexthop/error-route-flush-table-compat: ip 6.1 is refused by default; vrfctl sends what works and empties the table', (t) => {
  const fx = flushFixture('error-route-flush-table-compat');
  t.is(fx.exitCode, 2);
  t.is(fx.stderr, 'Failed to send flush request: Invalid argument\n');
  // What ip sent back: the id and the resolved hops (RTA_OIF 0x0004) in one message.
  const first = deletes(fx)[0].toString('hex');
  t.true(first.includes('08001e00') && first.includes('08000400'), first);
  // vrfctl: the bytes ip sends (and the kernel takes) when the dump has the ids only.
  t.deepEqual(dryFlush(t, fx.setup, fx), deleteHex(flushFixture('route-flush-table-nhid')));
  const ns = tempNetns(t);
  applySetup(ns, fx.setup);
  t.not(ipRun(ns, 'route', 'flush', 'table', '100').status, 0);
  t.regex(ip(ns, 'route', 'show', 'table', '100'), /nhid 10/, 'ip left them');
  const r = vrfctlRoute(['-n', ns, 'route', 'flush', 'table', '100']);
  t.is(r.code, 0, r.stderr);
  t.is(ip(ns, 'route', 'show', 'table', '100'), '');
  t.regex(ip(ns, '-6', 'route', 'show', 'table', '100'), /nhid 5/, 'an IPv4 flush leaves the IPv6 routes');
  t.regex(ip(ns, 'nexthop', 'show', 'id', '10'), /group 1,3\/2/, 'and every nexthop object');
});

test('golden nexthop/error-route-flush-blackhole-nhid: a route over a blackhole nexthop is deleted as ip route del would (type unspec)', (t) => {
  const fx = flushFixture('error-route-flush-blackhole-nhid');
  t.is(fx.stderr, 'Failed to send flush request: No such process\n');
  const theirs = deleteHex(fx);
  // rtmsg's rtm_type is byte 23 of the message: ip resent RTN_BLACKHOLE (6), as dumped.
  const typeAt = (h: string) => h.slice(46, 48);
  const blackhole = theirs.findIndex((h) => typeAt(h) === '06');
  t.true(blackhole >= 0);
  const ours = dryFlush(t, fx.setup, fx);
  t.is(ours.length, theirs.length);
  t.deepEqual(ours.filter((_, i) => i !== blackhole), theirs.filter((_, i) => i !== blackhole), 'the others as ip sent them');
  t.is(ours[blackhole], theirs[blackhole].slice(0, 46) + '00' + theirs[blackhole].slice(48), 'this one as unspec');
  const ns = tempNetns(t);
  applySetup(ns, fx.setup);
  const r = vrfctlRoute(['-n', ns, 'route', 'flush', 'table', '100']);
  t.is(r.code, 0, r.stderr);
  t.is(ip(ns, 'route', 'show', 'table', '100'), '');
});
