// decodeRoute and encodeRoute are hand-tuned (a dump decodes thousands of routes); ROUTE_SCHEMA
// is the declaration they copy. Over every captured route message and random routes, both must
// give the same model and the same bytes, so that the fast path never drifts from the schema.
import test from 'ava';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fcParams, scaled } from '../../../test/support/fc-config.js';
import { MessageBuilder, parseMessages, type Message } from '@vrfctl/netlink';
import { ROUTE_SCHEMA, RTM, decodeMessage, decodeRoute, encodeMessage, encodeRoute, splitMessages, type Route } from '@vrfctl/rtnetlink';

const ROOT = fileURLToPath(new URL('../../../test/golden/fixtures/', import.meta.url));
const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => {
  const p = join(dir, f);
  return statSync(p).isDirectory() ? files(p) : f.endsWith('.json') ? [p] : [];
});

function outcome<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).constructor.name };
  }
}

function bytes(encode: (b: MessageBuilder) => void): string {
  const b = new MessageBuilder(1024);
  b.begin(RTM.NEWROUTE, 0);
  encode(b);
  b.end();
  return b.finish().toString('hex');
}

function same(t: import('ava').ExecutionContext, m: Message, where: string): boolean {
  const fast = outcome(() => decodeRoute(m));
  const schema = outcome(() => decodeMessage(ROUTE_SCHEMA, m));
  t.deepEqual(fast, schema, `${where}: decodeRoute and the schema disagree`);
  if (!('value' in fast)) return false;
  t.is(bytes((b) => encodeRoute(b, fast.value)), bytes((b) => encodeMessage(ROUTE_SCHEMA, b, fast.value)), `${where}: encodeRoute and the schema disagree`);
  return true;
}

test('every captured route message: fast path == schema, decoding and encoding', (t) => {
  let count = 0;
  for (const f of files(ROOT)) {
    const fx = JSON.parse(readFileSync(f, 'utf8')) as { name: string; requests: string[]; replies: string[] };
    for (const hex of [...fx.requests, ...fx.replies]) {
      for (const m of splitMessages(Buffer.from(hex, 'hex')).messages) {
        if (m.header.type < RTM.NEWROUTE || m.header.type > RTM.GETROUTE) continue;
        if (same(t, m, `${fx.name} at ${m.offset}`)) count++;
      }
    }
  }
  t.log(`${count} route messages`);
  t.true(count > 100, `only ${count} route messages in the fixtures`);
});

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const u32 = fc.nat({ max: 0xffffffff });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const strip = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const route: fc.Arbitrary<Route> = fc.record({
  family: fc.constantFrom('inet', 'inet6'), type: fc.constantFrom('unicast', 'local', 'blackhole', 77), table: fc.nat(5000),
  protocol: fc.constantFrom('kernel', 'boot', 'static', 200), scope: fc.constantFrom('global', 'link', 'host'),
  tos: fc.nat(255), flags: fc.constantFrom([], ['onlink']), iif: opt(u32), oif: opt(u32), priority: opt(u32), mark: opt(u32),
  flow: opt(u32), uid: opt(u32), expires: opt(u32), nhId: opt(u32), sport: opt(fc.nat(65535)), dport: opt(fc.nat(65535)),
  ipProto: opt(fc.nat(255)), ttlPropagate: opt(fc.nat(1)), pref: opt(fc.constantFrom('medium', 'high', 'low')),
  encapType: opt(fc.constantFrom('mpls', 'seg6')), metrics: opt(fc.record({ mtu: u32, cc_algo: fc.constantFrom('cubic', 'bbr') })),
  unknown: fc.constant([]),
}).chain((r) => fc.record({
  dst: opt(r.family === 'inet' ? fc.tuple(ipv4, fc.integer({ min: 1, max: 32 })).map(([a, l]) => `${a}/${l}`) : fc.constantFrom('2001:db8::/32', 'fe80::/64')),
  gateway: opt(r.family === 'inet' ? ipv4 : fc.constant('fe80::1')),
  prefsrc: opt(r.family === 'inet' ? ipv4 : fc.constant('2001:db8::2')),
  multipath: opt(fc.array(fc.record({ ifindex: fc.nat(1000), flags: fc.constant([]), hops: fc.nat(255), gateway: r.family === 'inet' ? ipv4 : fc.constant('fe80::2'), unknown: fc.constant([]) }), { minLength: 1, maxLength: 3 })),
}).map((extra) => strip({ ...r, ...extra }) as unknown as Route));

test('random routes: fast path == schema, decoding and encoding', (t) => {
  fc.assert(fc.property(route, (r) => {
    const hex = bytes((b) => encodeMessage(ROUTE_SCHEMA, b, r));
    t.is(bytes((b) => encodeRoute(b, r)), hex);
    same(t, parseMessages(Buffer.from(hex, 'hex'))[0], 'random route');
  }), fcParams({ numRuns: scaled(300) }));
});
