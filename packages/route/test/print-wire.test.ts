// WireRoutePrinter prints common routes straight from their bytes; whatever it prints must be
// exactly what the general path (decodeRoute, routeSelected, print.ts's walk) prints, in text and
// in JSON, for generated messages and for every route the kernel sent in the captured fixtures.
import test from 'ava';
import fc from 'fast-check';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AF_INET, AF_INET6, MessageBuilder, type Message } from '@vrfctl/netlink';
import { RTA, RTM, splitMessages } from '@vrfctl/rtnetlink';
import {
  ByteOutput, WireRoutePrinter, formatRoute, routeOfDump, routeToJson, wireSelectable, type PrintOptions, type ResolvedFilter,
} from '@vrfctl/route';
import { fcParams } from '../../../test/support/fc-config.js';

/** What the general path prints for msg (undefined: not selected, or it throws). */
function general(msg: Message, f: ResolvedFilter, opts: PrintOptions, json: boolean): string | undefined {
  const r = routeOfDump(msg, f);
  if (r === undefined) return undefined;
  return json ? JSON.stringify(routeToJson(r, opts)) : `${formatRoute(r, opts)}\n`;
}

type Outcome = 'printed' | 'skipped' | 'other';

/** Checks one message both ways; returns what the wire printer did. */
function compare(msg: Message, f: ResolvedFilter, opts: PrintOptions, json: boolean): { outcome: Outcome; problem?: string } {
  const out = new ByteOutput();
  const outcome = new WireRoutePrinter(f, opts, json).print(msg, out);
  const wire = Buffer.concat(out.chunks()).toString('utf8');
  if (outcome === 'other') return wire === '' ? { outcome } : { outcome, problem: `declined but wrote ${JSON.stringify(wire)}` };
  let expected: string | undefined;
  try {
    expected = general(msg, f, opts, json);
  } catch (err) {
    return { outcome, problem: `printed ${outcome}, the general path threw ${(err as Error).message}` };
  }
  if (outcome === 'skipped') return expected === undefined ? { outcome } : { outcome, problem: `skipped, general printed ${expected}` };
  if (expected === undefined) return { outcome, problem: `printed ${wire}, general skipped it` };
  return wire === expected ? { outcome } : { outcome, problem: `wire ${JSON.stringify(wire)}\n  general ${JSON.stringify(expected)}` };
}

const ALL: ResolvedFilter = { family: 0, table: 0 };
const NAMES = new Map<number, string>([[1, 'lo'], [2, 'eth0'], [3, 'we"ird\\näme'], [7, 'vrf-blue']]);

// --- captured kernel replies -------------------------------------------------------------------

const ROOT = fileURLToPath(new URL('../../../test/golden/fixtures/', import.meta.url));
function fixtureFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? fixtureFiles(p) : f.endsWith('.json') ? [p] : [];
  });
}
const capturedRoutes: Message[] = fixtureFiles(ROOT).flatMap((file) => {
  const fx = JSON.parse(readFileSync(file, 'utf8')) as { replies: string[] };
  return fx.replies.flatMap((hex) => splitMessages(Buffer.from(hex, 'hex')).messages.filter((m) => m.header.type === RTM.NEWROUTE));
});

const PRINT_VARIANTS: PrintOptions[] = [
  { names: NAMES },
  { names: NAMES, hideTable: true },
  { names: new Map(), hideDev: true, hideProtocol: true, hideScope: true, hideMetric: true, hideGateway: true, hidePrefsrc: true },
];
const FILTER_VARIANTS: ResolvedFilter[] = [ALL, { family: AF_INET, table: 254 }, { family: AF_INET6, table: 255, protocol: 2 }, { family: 0, table: 0, oif: 1, metric: 256 }];

/** Whether a route message carries a top-level attribute of this type. */
function hasAttribute(msg: Message, type: number): boolean {
  const b = msg.payload;
  for (let off = 12; off + 4 <= b.length;) {
    const len = b.readUInt16LE(off);
    if (b.readUInt16LE(off + 2) === type) return true;
    if (len < 4) return false;
    off += (len + 3) & ~3;
  }
  return false;
}

test('every captured kernel route prints the same through the wire printer as through the Route model', (t) => {
  t.true(capturedRoutes.length > 40, `captured routes: ${capturedRoutes.length}`);
  const counts: Record<Outcome, number> = { printed: 0, skipped: 0, other: 0 };
  for (const msg of capturedRoutes) {
    // `ip route get` answers (they alone carry RTA_UID) are checked, not counted: no table holds them.
    const tableRoute = !hasAttribute(msg, RTA.UID);
    for (const opts of PRINT_VARIANTS) {
      for (const f of FILTER_VARIANTS) {
        for (const json of [false, true]) {
          const { outcome, problem } = compare(msg, f, opts, json);
          if (tableRoute) counts[outcome]++;
          if (problem) t.fail(`${problem}\n  message ${msg.payload.toString('hex')}`);
        }
      }
    }
  }
  // The point is speed on the routes tables are made of: most captured routes must take this path.
  t.true(counts.printed > (counts.printed + counts.other) * 0.6, JSON.stringify(counts));
  t.true(counts.skipped > 0, JSON.stringify(counts));
});

// --- generated messages ------------------------------------------------------------------------

interface Attr { type: number; value: Uint8Array }

const u32le = (n: number): Uint8Array => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};

/** Mostly what the kernel sends, sometimes not: wrong sizes, repeats, other attributes. */
const attrArb = (family: number): fc.Arbitrary<Attr> => {
  const addr = fc.uint8Array({ minLength: family === AF_INET6 ? 16 : 4, maxLength: family === AF_INET6 ? 16 : 4 });
  return fc.oneof(
    { weight: 3, arbitrary: addr.map((value) => ({ type: RTA.DST, value })) },
    { weight: 2, arbitrary: addr.map((value) => ({ type: RTA.GATEWAY, value })) },
    { weight: 2, arbitrary: addr.map((value) => ({ type: RTA.PREFSRC, value })) },
    { weight: 3, arbitrary: fc.constantFrom(1, 2, 3, 7, 99).map((i) => ({ type: RTA.OIF, value: u32le(i) })) },
    { weight: 2, arbitrary: fc.constantFrom(0, 100, 254, 255, 1000, 0xffffffff).map((i) => ({ type: RTA.TABLE, value: u32le(i) })) },
    { weight: 2, arbitrary: fc.oneof(fc.constantFrom(0, 256, 1024), fc.nat()).map((i) => ({ type: RTA.PRIORITY, value: u32le(i) })) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, 2, 3, 200).map((p) => ({ type: RTA.PREF, value: Uint8Array.of(p) })) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(0, 150, -250, 0x7fffffff), fc.constantFrom(0, 0, 5, 0xffffffff)).map(([expires, error]) => {
        const v = Buffer.alloc(32);
        v.writeInt32LE(expires, 8);
        v.writeUInt32LE(error, 12);
        return { type: RTA.CACHEINFO, value: v };
      }),
    },
  );
};
const oddAttrArb = fc.tuple(fc.constantFrom(RTA.DST, RTA.OIF, RTA.PREF, RTA.CACHEINFO, RTA.MARK, RTA.METRICS, 0x8000 | RTA.TABLE, 200), fc.uint8Array({ maxLength: 20 }))
  .map(([type, value]): Attr => ({ type, value }));
/** Each attribute at most once, in any order; one time in five, one more of any kind and size. */
const attrsArb = (family: number): fc.Arbitrary<Attr[]> =>
  fc.tuple(fc.uniqueArray(attrArb(family), { maxLength: 7, selector: (a) => a.type }), fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: oddAttrArb }), fc.nat())
    .map(([attrs, odd, at]) => (odd === null ? attrs : [...attrs.slice(0, at % (attrs.length + 1)), odd, ...attrs.slice(at % (attrs.length + 1))]));

const routeArb = fc.constantFrom(AF_INET, AF_INET6).chain((family) =>
  fc.record({
    family: fc.constant(family),
    dstLen: fc.oneof(fc.constant(family === AF_INET6 ? 128 : 32), fc.constant(0), fc.integer({ min: 0, max: 255 })),
    srcLen: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(8) }),
    tos: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(0x10) }),
    table: fc.constantFrom(0, 100, 254, 255, 252),
    protocol: fc.constantFrom(2, 3, 4, 186, 250),
    scope: fc.constantFrom(0, 200, 253, 254, 255),
    type: fc.constantFrom(1, 1, 1, 2, 3, 6, 7, 12),
    flags: fc.oneof(fc.constant(0), fc.constantFrom(0x4, 0x10, 0x100, 0x200, 0x2000, 0x4000, 0x20000), fc.nat()),
    attrs: attrsArb(family),
    // Usually a default route when there is no RTA_DST (else the decoder rejects the message).
    defaultWithoutDst: fc.boolean(),
  }).map((r) => (r.defaultWithoutDst && !r.attrs.some((a) => a.type === RTA.DST) ? { ...r, dstLen: 0 } : r)),
);

type HeaderField = 'family' | 'dstLen' | 'srcLen' | 'tos' | 'table' | 'protocol' | 'scope' | 'type' | 'flags';

function routeMessage(r: Record<HeaderField, number> & { attrs: Attr[] }): Message {
  const b = new MessageBuilder(256);
  b.begin(RTM.NEWROUTE, 2, 1, 0);
  const at = b.reserve(12);
  b.raw.set([r.family, r.dstLen, r.srcLen, r.tos, r.table, r.protocol, r.scope, r.type], at);
  b.raw.writeUInt32LE(r.flags >>> 0, at + 8);
  for (const a of r.attrs) b.binary(a.type, a.value);
  b.end();
  return splitMessages(Buffer.from(b.finish())).messages[0];
}

const printArb: fc.Arbitrary<PrintOptions> = fc.record({
  names: fc.constant(NAMES),
  hideTable: fc.boolean(),
  hideDev: fc.boolean(),
  hideProtocol: fc.boolean(),
  hideScope: fc.boolean(),
  hideMetric: fc.boolean(),
  hideGateway: fc.boolean(),
  hidePrefsrc: fc.boolean(),
});

const someFilterArb: fc.Arbitrary<ResolvedFilter> = fc.record(
  {
    family: fc.constantFrom(0, AF_INET, AF_INET6),
    table: fc.constantFrom(0, 100, 254, 255),
    protocol: fc.constantFrom(2, 3, 186),
    type: fc.constantFrom(1, 2),
    hideTypes: fc.constant([2, 3]),
    scope: fc.constantFrom(0, 253),
    oif: fc.constantFrom(1, 2),
    metric: fc.constantFrom(0, 256),
    tos: fc.constantFrom(0, 0x10),
  },
  { requiredKeys: ['family', 'table'] },
);
// Mostly a plain `route show` (all tables), so that most generated routes get printed.
const filterArb = fc.oneof({ weight: 3, arbitrary: fc.constant(ALL) }, { weight: 1, arbitrary: someFilterArb });

test('generated routes: the wire printer prints what the general path prints, or declines and writes nothing', (t) => {
  const counts: Record<Outcome, number> = { printed: 0, skipped: 0, other: 0 };
  fc.assert(
    fc.property(routeArb, printArb, filterArb, fc.boolean(), (r, opts, f, json) => {
      const { outcome, problem } = compare(routeMessage(r), f, opts, json);
      counts[outcome]++;
      if (problem) throw new Error(problem);
    }),
    fcParams({ numRuns: 3000 }),
  );
  // Generated routes are meant to reach every outcome.
  t.true(counts.printed > 300 && counts.skipped > 0 && counts.other > 0, JSON.stringify(counts));
});

test('selectors the wire printer cannot check are left to the general path', (t) => {
  const prefix = { family: AF_INET, length: 8, bytes: Uint8Array.of(10, 0, 0, 0) };
  t.true(wireSelectable({ family: 0, table: 254, oif: 2, metric: 5, protocol: 2 }));
  for (const key of ['exact', 'root', 'match', 'via', 'prefsrc'] as const) t.false(wireSelectable({ family: 0, table: 254, [key]: prefix }), key);
  t.false(wireSelectable({ family: 0, table: 254, forFlush: true }));
});

test('output grows past one chunk without losing or reordering bytes', (t) => {
  const out = new ByteOutput();
  let expected = '';
  for (let i = 0; i < 20000; i++) {
    const s = `route ${i} ää `;
    out.text(s);
    out.decimal(i);
    out.byte(0x20);
    out.ipv4(Uint8Array.of(10, i & 255, (i >> 8) & 255, 1), 0);
    expected += `${s}${i} 10.${i & 255}.${(i >> 8) & 255}.1`;
  }
  const chunks = out.chunks();
  t.true(chunks.length > 1);
  t.is(Buffer.concat(chunks).toString('utf8'), expected);
});
