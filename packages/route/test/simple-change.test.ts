// writeSimpleRouteChange (the batch's fast path) against the full path (parseRouteCommand +
// routeChangeRequest) on generated `ip route` change lines, odd forms included: whatever it takes
// it encodes to the same bytes, and it never takes a line the full parser refuses.
import test from 'ava';
import fc from 'fast-check';
import { MessageBuilder } from '@vrfctl/netlink';
import { RTA } from '@vrfctl/rtnetlink';
import { encodeRequest, type Request } from '@vrfctl/socket';
import type { IpVersion } from '@vrfctl/iproute2';
import { parseRouteCommand, routeChangeRequest, writeSimpleRouteChange } from '../src/index.js';

const OIF = 7;

const ops = ['add', 'del', 'delete', 'replace', 'change', 'append', 'prepend', 'test'];
const oddOps = ['a', 'chg', 'rep', 'show', 'flush', 'get'];
const destinations = ['10.0.0.1/32', '10.1.2.0/24', '10.0.0.7', '10/8', '0.0.0.0/0', '2001:db8::/64', '2001:db8::1', '::/0', 'fe80::/10', 'default', '::ffff:10.0.0.1/128'];
const badDestinations = ['any', 'all', '10.0.0.1/33', '10.0.0.0/08', '300.1.1.1', '1.2.3', 'fd00::/129'];
/** Keyword, values the full parser takes, values it refuses. */
const keywords: Array<[string, string[], string[]]> = [
  ['via', ['10.0.0.2', '2001:db8::2', 'fe80::1', '127.0.0.1'], ['inet', 'bogus']],
  ['dev', ['lo', 'v0', 'eth0.100', '5'], []],
  ['oif', ['lo'], []],
  ['table', ['100', '1000', 'main', 'local', 'default', '0', '255', '256', '4294967295', '0x100'], ['4294967296', 'nosuch']],
  ['metric', ['0', '5', '4294967295', '0x10'], ['4294967296', '-1', 'x']],
  ['priority', ['9'], []],
  ['preference', ['11'], []],
  ['proto', ['static', 'boot', 'kernel', '99', '255'], ['256', 'bogus']],
  ['protocol', ['zebra'], []],
  ['nhid', ['1', '1000', '4294967295', '0x10'], ['4294967296', '-1', 'x']],
  ['scope', ['link', 'global', 'host', 'nowhere', '253'], ['256', 'bogus']],
];
/** Words that are not of the simple shape: the full parser's alone. */
const others: Array<[string, string[]]> = [
  ['src', ['10.0.0.3']], ['tab', ['100']], ['mtu', ['1400']], ['onlink', []], ['to', ['10.9.0.0/16']],
  ['unreachable', ['10.8.0.0/16']], ['nexthop', ['via', '10.0.0.2']], ['vrf', ['blue']], ['met', ['5']],
];
const pairs: Array<[string, string[]]> = [...keywords.map(([k, good, bad]): [string, string[]] => [k, [...good, ...bad]]), ...others];

const item: fc.Arbitrary<string[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...destinations, ...badDestinations).map((d): string[] => [d]) },
  { weight: 5, arbitrary: fc.constantFrom(...pairs).chain(([k, vs]) => (vs.length ? fc.constantFrom(...vs).map((v): string[] => [k, v]) : fc.constant<string[]>([k]))) },
  // A keyword at the end of the line, without its value.
  { weight: 1, arbitrary: fc.constantFrom('dev', 'via', 'table', 'metric').map((k): string[] => [k, '']) },
);
/** Mostly well-formed: one destination and distinct keywords, in any order; sometimes an odd item anywhere. */
const wellFormed: fc.Arbitrary<string[][]> = fc
  .record({
    dst: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...destinations) }, { weight: 1, arbitrary: fc.constantFrom(...badDestinations) }),
    keys: fc.shuffledSubarray(keywords, { maxLength: 4 }),
    odd: fc.option(fc.tuple(item, fc.nat()), { freq: 5 }),
  })
  .chain(({ dst, keys, odd }) =>
    fc.tuple(fc.tuple(...keys.map(([k, good, bad]) => fc.oneof({ weight: 19, arbitrary: fc.constantFrom(...good) }, { weight: bad.length ? 1 : 0, arbitrary: fc.constantFrom(...bad, 'x') }).map((v): string[] => [k, v]))), fc.nat(keys.length)).map(([parts, at]) => {
      const items: string[][] = [...parts];
      items.splice(at, 0, [dst]);
      if (odd) items.splice(odd[1] % (items.length + 1), 0, odd[0]);
      return items;
    }),
  );
const line = fc.record({
  op: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ops) }, { weight: 1, arbitrary: fc.constantFrom(...oddOps) }),
  parts: fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 1, arbitrary: fc.array(item, { minLength: 0, maxLength: 6 }) }),
  version: fc.constantFrom<IpVersion | undefined>(undefined, 4, 6),
});

/** The full path's request bytes, its device name, or the error it refuses the words with. */
function fullPath(words: string[], version: IpVersion | undefined): { hex: string; dev?: string | number } | { error: unknown } {
  try {
    const cmd = parseRouteCommand(words, { family: version });
    if (cmd.kind !== 'change') return { error: new Error(`not a change: ${cmd.kind}`) };
    const req = routeChangeRequest(cmd.op, cmd.spec, { hopIndexes: (cmd.spec.nexthops ?? []).map(() => OIF), ...(cmd.spec.dev !== undefined ? { oif: OIF } : {}), ...(cmd.spec.vrf !== undefined ? { table: 1000 } : {}) });
    return { hex: encodeRequest(req).toString('hex'), dev: cmd.spec.dev };
  } catch (error) {
    return { error };
  }
}

/** The fast path's request bytes (RTA_OIF appended as the batch does), or undefined when it declines. */
function fastPath(words: string[], version: IpVersion | undefined): { hex: string; dev?: string } | undefined {
  const b = new MessageBuilder(64);
  const change = writeSimpleRouteChange(b, words, 0, version);
  if (change === undefined) return undefined;
  const payload = Buffer.from(b.bytes);
  const req: Request = { type: change.type, flags: change.flags, encode: (m) => {
    m.data(payload);
    if (change.dev !== undefined) m.u32(RTA.OIF, OIF);
  } };
  return { hex: encodeRequest(req).toString('hex'), dev: change.dev };
}

test('the fast path encodes what the full path encodes, and declines whatever the full path refuses', (t) => {
  let taken = 0;
  let declined = 0;
  let refused = 0;
  fc.assert(
    fc.property(line, ({ op, parts, version }) => {
      const words = [op, ...parts.flat().filter((w) => w !== '')];
      const full = fullPath(words, version);
      const fast = fastPath(words, version);
      if ('error' in full) refused++;
      if (fast === undefined) {
        if (!('error' in full)) declined++;
        return true;
      }
      taken++;
      if ('error' in full) throw new Error(`fast path took ${JSON.stringify(words)} (-${version ?? ''}), the full path refuses it: ${String(full.error)}`);
      if (fast.hex !== full.hex || fast.dev !== full.dev) throw new Error(`${JSON.stringify(words)} (-${version ?? ''}): fast ${fast.hex} dev ${fast.dev}, full ${full.hex} dev ${String(full.dev)}`);
      return true;
    }),
    { numRuns: 20000 },
  );
  t.log(`fast path took ${taken}, left ${declined} valid lines to the full path, ${refused} refused`);
  // The generator reaches all three outcomes often, or the comparison proves little.
  t.true(taken > 1000, `taken ${taken}`);
  t.true(declined > 1000, `declined ${declined}`);
  t.true(refused > 1000, `refused ${refused}`);
});

test('the lines of the benchmark and of common scripts take the fast path', (t) => {
  const common = [
    'add 10.1.2.3/32 dev lo table 100',
    'del 10.1.2.3/32 dev lo table 100',
    'replace default via 192.0.2.1 dev v0 metric 100',
    'add 2001:db8:1::/48 via 2001:db8::1 dev v0 proto static table 1000',
    'add 10.0.0.0/8 dev v0 scope link table main',
    'add 10.1.2.3/32 nhid 1001 table 100',
  ];
  for (const text of common) {
    const words = text.split(' ');
    const fast = fastPath(words, undefined);
    const full = fullPath(words, undefined);
    t.truthy(fast, text);
    t.deepEqual(fast, full, text);
  }
});
