// Property tests: random models round-trip through each typed codec; random, mutated and
// truncated bytes give DecodeError and nothing else.
import test from 'ava';
import fc from 'fast-check';
import { fcParams, scaled } from '../../../test/support/fc-config.js';
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import {
  RTM, decodeAddress, decodeLink, decodeNeighbour, decodeRoute, decodeRule, encodeAddress, encodeLink,
  encodeNeighbour, encodeRoute, encodeRule, messageToJson, parseBuffer, routeTypeName, routeTypeNames,
  type Address, type Link, type Neighbour, type Route, type Rule,
} from '@vrfctl/rtnetlink';

function build<T>(type: number, encode: (b: MessageBuilder, x: T) => void, x: T): Buffer {
  const b = new MessageBuilder(256);
  b.begin(type, 0);
  encode(b, x);
  b.end();
  return b.finish();
}
const one = (buf: Buffer): Message => parseBuffer(buf)[0];

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const u32 = fc.nat({ max: 0xffffffff });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const route: fc.Arbitrary<Route> = fc.record({
  family: fc.constant('inet'), type: fc.constantFrom('unicast', 'local', 'blackhole', 77), table: fc.nat(255),
  protocol: fc.constantFrom('kernel', 'boot', 'static', 200), scope: fc.constantFrom('global', 'link', 'host'),
  tos: fc.nat(255), flags: fc.constantFrom([], ['onlink'], ['notify', 'cloned']),
  dst: opt(fc.tuple(ipv4, fc.integer({ min: 1, max: 32 })).map(([a, l]) => `${a}/${l}`)),
  oif: opt(u32), gateway: opt(ipv4), priority: opt(u32), prefsrc: opt(ipv4), mark: opt(u32), sport: opt(fc.nat(65535)),
  dport: opt(fc.nat(65535)), metrics: opt(fc.record({ mtu: u32, cc_algo: fc.constantFrom('cubic', 'bbr') })),
  multipath: opt(fc.array(fc.record({ ifindex: fc.nat(1000), flags: fc.constant([]), hops: fc.nat(255), gateway: ipv4, unknown: fc.constant([]) }), { minLength: 1, maxLength: 3 })),
  unknown: fc.constant([]),
}).map((x) => strip(x) as unknown as Route);

const address: fc.Arbitrary<Address> = fc.record({
  family: fc.constant('inet'), prefixlen: fc.nat(32), flags: fc.constantFrom([], ['permanent'], ['nodad', 'noprefixroute']),
  scope: fc.constantFrom('global', 'host'), index: fc.nat(1000), address: opt(ipv4), local: opt(ipv4), label: opt(fc.constantFrom('v0', 'v0:1')),
  unknown: fc.constant([]),
}).map((x) => strip(x) as unknown as Address);

const rule: fc.Arbitrary<Rule> = fc.record({
  family: fc.constant('inet'), action: fc.constantFrom('lookup', 'goto', 'blackhole'), table: fc.nat(255), tos: fc.nat(255),
  flags: fc.constantFrom([], ['unresolved']), not: opt(fc.constant(true)), priority: opt(u32), iif: opt(fc.constantFrom('lo', 'vrf-blue')),
  fwmark: opt(u32), tunId: opt(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })), uidRange: opt(fc.record({ start: u32, end: u32 })),
  dport: opt(fc.record({ start: fc.nat(65535), end: fc.nat(65535) })), l3mdev: opt(fc.boolean()), unknown: fc.constant([]),
}).map((x) => strip(x) as unknown as Rule);

const neighbour: fc.Arbitrary<Neighbour> = fc.record({
  family: fc.constant('inet'), index: fc.nat(1000), state: fc.constantFrom([], ['REACHABLE'], ['PERMANENT']), flags: fc.constantFrom([], ['router']),
  type: fc.constant('unspec'), dst: opt(ipv4), lladdr: opt(fc.constant('02:00:00:00:00:01')), vlan: opt(fc.nat(4095)), unknown: fc.constant([]),
}).map((x) => strip(x) as unknown as Neighbour);

const link: fc.Arbitrary<Link> = fc.record({
  family: fc.constant('unspec'), type: fc.constantFrom('ether', 'loopback'), index: fc.nat(1000), flags: fc.constantFrom([], ['UP', 'LOWER_UP']),
  change: u32, ifname: opt(fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/)), mtu: opt(u32), master: opt(u32),
  linkinfo: opt(fc.constantFrom(
    { kind: 'vrf', data: { table: 10, unknown: [] }, unknown: [] },
    { kind: 'vxlan', data: { id: 42, port: 4789, group: '239.1.1.1', unknown: [] }, unknown: [] },
    { kind: 'veth', data: { peer: { family: 'unspec', type: 'none', index: 0, flags: [], change: 0, ifname: 'v1', unknown: [] }, unknown: [] }, unknown: [] },
  )),
  unknown: fc.constant([]),
}).map((x) => strip(x) as unknown as Link);

const cases = [
  ['route', RTM.NEWROUTE, route, encodeRoute, decodeRoute],
  ['address', RTM.NEWADDR, address, encodeAddress, decodeAddress],
  ['rule', RTM.NEWRULE, rule, encodeRule, decodeRule],
  ['neighbour', RTM.NEWNEIGH, neighbour, encodeNeighbour, decodeNeighbour],
  ['link', RTM.NEWLINK, link, encodeLink, decodeLink],
] as const;

for (const [name, type, arb, encode, decode] of cases) {
  test(`${name}: random models round-trip`, (t) => {
    fc.assert(fc.property(arb as fc.Arbitrary<never>, (x) => {
      const m = one(build(type, encode as (b: MessageBuilder, x: never) => void, x));
      t.deepEqual(decode(m), x);
    }), fcParams({ numRuns: scaled(300) }));
  });

  test(`${name}: mutated and truncated bytes give DecodeError or a value`, (t) => {
    fc.assert(fc.property(arb as fc.Arbitrary<never>, fc.array(fc.tuple(fc.nat(), fc.nat(255))), fc.nat(), (x, edits, cut) => {
      const buf = build(type, encode as (b: MessageBuilder, x: never) => void, x);
      for (const [at, v] of edits) buf[16 + (at % Math.max(1, buf.length - 16))] = v;
      const payload = buf.subarray(16, 16 + (cut % (buf.length - 15)));
      const m: Message = { header: { length: 16 + payload.length, type, flags: 0, seq: 0, pid: 0 }, payload, offset: 0 };
      for (const f of [() => decode(m), () => messageToJson(m)]) {
        try {
          f();
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }
      t.pass();
    }), fcParams({ numRuns: scaled(500) }));
  });
}

test('random bytes fed to messageToJson give DecodeError or a value', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    try {
      messageToJson(Buffer.from(bytes));
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  }), fcParams({ numRuns: scaled(2000) }));
  t.pass();
});

test('a 2,000-deep nest is a DecodeError, not a stack overflow', (t) => {
  const depth = 2000;
  const b = new MessageBuilder(64 * 1024);
  b.begin(RTM.NEWLINK, 0);
  b.reserve(16);
  const nests: number[] = [];
  // An unknown type with NLA_F_NESTED: the generic form descends into it.
  for (let i = 0; i < depth; i++) nests.push(b.nest(0x7ff));
  for (let i = depth - 1; i >= 0; i--) b.endNest(nests[i]);
  b.end();
  t.throws(() => messageToJson(b.finish()), { instanceOf: DecodeError });
});

test('a length field claiming 4 GiB allocates nothing and is a DecodeError', (t) => {
  const buf = Buffer.alloc(32);
  buf.writeUInt32LE(0xffffffff, 0);
  buf.writeUInt16LE(RTM.NEWROUTE, 4);
  const before = process.memoryUsage().arrayBuffers;
  t.throws(() => parseBuffer(buf), { instanceOf: DecodeError });
  t.throws(() => messageToJson(buf), { instanceOf: DecodeError });
  t.true(process.memoryUsage().arrayBuffers - before < 1 << 20);
});

test('route type names fall back to numbers and parse back', (t) => {
  t.is(routeTypeName(2), 'local');
  t.is(routeTypeName(77), 77);
  t.is(routeTypeNames.value('local'), 2);
  t.is(routeTypeNames.value('77'), 77);
});
