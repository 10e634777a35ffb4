// encodeRoute writes a route without a recorded order through an unrolled copy of the canonical
// attribute orders (ORDER_V4 / ORDER_V6): every typed attribute at once must come out in the
// order decodeRoute takes as canonical, and equal the generic writer's bytes.
import test from 'ava';
import { MessageBuilder, parseMessages } from '@vrfctl/netlink';
import { RTA, RTM, WIRE, decodeRoute, encodeRoute, withoutWire, type Route } from '@vrfctl/rtnetlink';

function encode(r: Route): Buffer {
  const b = new MessageBuilder(256);
  b.begin(RTM.NEWROUTE, 0);
  encodeRoute(b, r);
  b.end();
  return b.finish();
}

const cacheinfo = { clntref: 1, lastuse: 2, expires: -3, error: 4, used: 5, id: 6, ts: 7, tsage: 8 };
const common = {
  type: 'unicast', table: 1000, protocol: 'static', scope: 'global', tos: 0, flags: [], iif: 3, oif: 4,
  priority: 100, metrics: { mtu: 1400, cc_algo: 'cubic' }, nhId: 9, flow: 11, encapType: 'mpls', mark: 7,
  expires: 60, uid: 1000, pref: 'high', ttlPropagate: 1, ipProto: 6, sport: 1000, dport: 80, cacheinfo,
  unknown: [{ type: 0x7f, value: new Uint8Array([1, 2, 3, 4]) }],
} as const;
const routes: Array<[string, Route]> = [
  ['inet', { ...common, family: 'inet', dst: '10.1.0.0/16', src: '10.2.0.0/16', gateway: '10.0.0.1', prefsrc: '10.0.0.2', newdst: '10.9.9.9', via: { family: 'inet', address: '10.0.0.3' } } as unknown as Route],
  ['inet6', { ...common, family: 'inet6', dst: '2001:db8::/32', src: '2001:db8:1::/48', gateway: 'fe80::1', prefsrc: '2001:db8::2', newdst: '2001:db8::9', via: { family: 'inet6', address: 'fe80::3' } } as unknown as Route],
];

for (const [name, r] of routes) {
  test(`${name}: a route with every typed attribute is written in canonical order`, (t) => {
    const bytes = encode(r);
    const back = decodeRoute(parseMessages(bytes)[0]);
    t.is(back[WIRE]?.order, undefined);
    t.deepEqual(withoutWire(back), { ...r, unknown: [{ type: 0x7f, value: new Uint8Array([1, 2, 3, 4]) }] });
    // The generic writer (taken when an order is recorded) in the canonical order gives the same bytes.
    const wire = back[WIRE]?.order ?? readOrder(bytes);
    t.deepEqual(encode({ ...r, [WIRE]: { order: wire } }), bytes);
    t.true(wire.includes(RTA.TABLE));
  });
}

/** Raw attribute types of the one message in buf, in wire order. */
function readOrder(buf: Buffer): number[] {
  const out: number[] = [];
  for (let off = 16 + 12; off + 4 <= buf.length; off += (buf.readUInt16LE(off) + 3) & ~3) out.push(buf.readUInt16LE(off + 2));
  return out;
}
