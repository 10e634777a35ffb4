// Property and robustness tests. Seed and run count come from test/support/fc-config.ts (FC_SEED, FUZZ_RUNS).
import test from 'ava';
import fc from 'fast-check';
import {
  DecodeError,
  MAX_NEST_DEPTH,
  MessageBuilder,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  align,
  forEachAttribute,
  forEachMessage,
  formatIPv4,
  formatIPv6,
  getIP,
  getMac,
  getS32,
  getString,
  getU16,
  getU32,
  getU64,
  getU8,
  parseAttributes,
  parseErrorReply,
  parseIPv4,
  parseIPv6,
  parseMessages,
  parseNested,
  writeHeader,
  type Attribute,
} from '@vrfctl/netlink';
import { fcParams } from '../../../test/support/fc-config.js';

// ---------------------------------------------------------------- addresses

/** 16 bytes whose words are often 0, 0xffff or 1, so that zero runs and mapped forms are common. */
const ipv6Bytes = fc
  .array(fc.oneof(fc.constantFrom(0, 0, 0, 0xffff, 1), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
  .map((words) => {
    const b = new Uint8Array(16);
    words.forEach((w, i) => {
      b[2 * i] = w >> 8;
      b[2 * i + 1] = w & 0xff;
    });
    return b;
  });

test('IPv6: format → parse is the identity on bytes; format is canonical', (t) => {
  fc.assert(
    fc.property(fc.oneof(ipv6Bytes, fc.uint8Array({ minLength: 16, maxLength: 16 })), (b) => {
      const text = formatIPv6(b);
      const back = parseIPv6(text);
      if (!back) return false;
      return Buffer.from(back).equals(Buffer.from(b)) && formatIPv6(back) === text && text === text.toLowerCase();
    }),
    fcParams(),
  );
  t.pass();
});

test('IPv6: never more than one "::", never a single zero word compressed', (t) => {
  fc.assert(
    fc.property(ipv6Bytes, (b) => {
      const text = formatIPv6(b);
      const doubles = text.split('::').length - 1;
      if (doubles > 1) return false;
      if (doubles === 1) {
        // The compressed run stands for at least two words.
        const groups = text.split('::').flatMap((s) => (s === '' ? [] : s.split(':')));
        const words = groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
        return words <= 6;
      }
      return true;
    }),
    fcParams(),
  );
  t.pass();
});

test('IPv4: format → parse identity', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
      const back = parseIPv4(formatIPv4(b));
      return back !== undefined && Buffer.from(back).equals(Buffer.from(b));
    }),
    fcParams(),
  );
  t.pass();
});

test('address parsers never throw on arbitrary text, and what they accept round-trips', (t) => {
  const chars = fc.constantFrom(...'0123456789abcdefABCDEF:.:. x/%'.split(''));
  const text = fc.oneof(fc.string(), fc.string({ unit: chars, maxLength: 48 }));
  fc.assert(
    fc.property(text, (s) => {
      const v6 = parseIPv6(s);
      if (v6 && !Buffer.from(parseIPv6(formatIPv6(v6))!).equals(Buffer.from(v6))) return false;
      const v4 = parseIPv4(s);
      if (v4 && formatIPv4(v4) !== s) return false; // no leading zeros, so the text is canonical
      return true;
    }),
    fcParams(),
  );
  t.pass();
});

// ---------------------------------------------------------------- attributes via MessageBuilder

type Leaf =
  | { kind: 'binary'; type: number; nbo: boolean; value: Uint8Array }
  | { kind: 'u8' | 'u16' | 'u32'; type: number; nbo: boolean; value: number }
  | { kind: 's32'; type: number; nbo: boolean; value: number }
  | { kind: 'u64'; type: number; nbo: boolean; value: bigint }
  | { kind: 'string'; type: number; nbo: boolean; value: string }
  | { kind: 'flag'; type: number; nbo: boolean };
type Nest = { kind: 'nest'; type: number; plain: boolean; children: Node[] };
type Node = Leaf | Nest;

const attrType = fc.integer({ min: 0, max: 0x3fff });
const { node: nodeArb } = fc.letrec<{ node: Node; leaf: Leaf; nest: Nest }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('leaf'), tie('nest')),
  leaf: fc.oneof(
    fc.record({ kind: fc.constant('binary' as const), type: attrType, nbo: fc.boolean(), value: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ kind: fc.constant('u8' as const), type: attrType, nbo: fc.boolean(), value: fc.integer({ min: 0, max: 0xff }) }),
    fc.record({ kind: fc.constant('u16' as const), type: attrType, nbo: fc.boolean(), value: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ kind: fc.constant('u32' as const), type: attrType, nbo: fc.boolean(), value: fc.nat({ max: 0xffffffff }) }),
    fc.record({ kind: fc.constant('s32' as const), type: attrType, nbo: fc.boolean(), value: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }),
    fc.record({ kind: fc.constant('u64' as const), type: attrType, nbo: fc.boolean(), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
    fc.record({
      kind: fc.constant('string' as const),
      type: attrType,
      nbo: fc.boolean(),
      value: fc.string({ maxLength: 20, unit: 'grapheme' }).map((s) => s.replace(/\0/g, '')),
    }),
    fc.record({ kind: fc.constant('flag' as const), type: attrType, nbo: fc.boolean() }),
  ),
  nest: fc.record({
    kind: fc.constant('nest' as const),
    type: attrType,
    plain: fc.boolean(),
    children: fc.array(tie('node'), { maxLength: 5 }),
  }),
}));

function write(b: MessageBuilder, n: Node): void {
  if (n.kind === 'nest') {
    const at = b.nest(n.type, n.plain);
    for (const c of n.children) write(b, c);
    b.endNest(at);
    return;
  }
  const type = n.nbo ? n.type | NLA_F_NET_BYTEORDER : n.type;
  switch (n.kind) {
    case 'binary': b.binary(type, n.value); break;
    case 'u8': b.u8(type, n.value); break;
    case 'u16': b.u16(type, n.value); break;
    case 'u32': b.u32(type, n.value); break;
    case 's32': b.s32(type, n.value); break;
    case 'u64': b.u64(type, n.value); break;
    case 'string': b.string(type, n.value); break;
    case 'flag': b.flag(type); break;
  }
}

/** Compares a parsed attribute with the node it was written from; returns a reason on mismatch. */
function mismatch(a: Attribute, n: Node, depth: number): string | undefined {
  if (a.type !== n.type) return `type ${a.type} != ${n.type}`;
  if (n.kind === 'nest') {
    if (a.nested !== !n.plain || a.netByteOrder) return 'nest flag bits';
    const kids = parseNested(a.value, depth + 1);
    if (kids.length !== n.children.length) return `nest has ${kids.length} children, wrote ${n.children.length}`;
    for (let i = 0; i < kids.length; i++) {
      const why = mismatch(kids[i], n.children[i], depth + 1);
      if (why) return `${n.type}/${why}`;
    }
    return undefined;
  }
  if (a.nested || a.netByteOrder !== n.nbo) return 'leaf flag bits';
  const v = a.value;
  switch (n.kind) {
    case 'binary': return Buffer.from(n.value).equals(v) ? undefined : 'binary value';
    case 'u8': return v.length === 1 && getU8(v) === n.value ? undefined : 'u8 value';
    case 'u16': return v.length === 2 && getU16(v) === n.value ? undefined : 'u16 value';
    case 'u32': return v.length === 4 && getU32(v) === n.value ? undefined : 'u32 value';
    case 's32': return v.length === 4 && getS32(v) === n.value ? undefined : 's32 value';
    case 'u64': return v.length === 8 && getU64(v) === n.value ? undefined : 'u64 value';
    case 'string':
      return v.length === Buffer.byteLength(n.value) + 1 && v[v.length - 1] === 0 && getString(v) === n.value ? undefined : 'string value';
    case 'flag': return v.length === 0 ? undefined : 'flag value';
  }
}

const attrList = fc.array(nodeArb, { maxLength: 8 }).filter((list) => {
  // Keep every nest within nla_len (u16): measure by building.
  const b = new MessageBuilder(64);
  try {
    for (const n of list) write(b, n);
    return true;
  } catch {
    return false;
  }
});

test('random attribute trees written by MessageBuilder parse back identically', (t) => {
  fc.assert(
    fc.property(attrList, fc.integer({ min: 0, max: 64 }), (list, initial) => {
      const b = new MessageBuilder(initial);
      b.begin(0x10, 1, 1, 1);
      for (const n of list) write(b, n);
      b.end();
      const msgs = parseMessages(b.bytes);
      if (msgs.length !== 1 || msgs[0].header.length !== b.length) throw new Error('one message of the full length');
      const attrs = parseAttributes(msgs[0].payload);
      if (attrs.length !== list.length) throw new Error(`parsed ${attrs.length} attributes, wrote ${list.length}`);
      attrs.forEach((a, i) => {
        const why = mismatch(a, list[i], 1);
        if (why) throw new Error(why);
      });
      // Padding is zeroed: the same list written into a builder full of 0xff garbage gives the same bytes.
      const dirty = new MessageBuilder(initial);
      dirty.binary(1, Buffer.alloc(b.length + 64, 0xff));
      dirty.reset();
      dirty.begin(0x10, 1, 1, 1);
      for (const n of list) write(dirty, n);
      dirty.end();
      if (!dirty.bytes.equals(b.bytes)) throw new Error('padding not zeroed');
    }),
    fcParams(),
  );
  t.pass();
});

const messageArb = fc.record({
  type: fc.integer({ min: 0, max: 0xffff }),
  flags: fc.integer({ min: 0, max: 0xffff }),
  seq: fc.nat({ max: 0xffffffff }),
  pid: fc.nat({ max: 0xffffffff }),
  payload: fc.uint8Array({ maxLength: 100 }),
});

test('random message batches round-trip through MessageBuilder and forEachMessage', (t) => {
  fc.assert(
    fc.property(fc.array(messageArb, { maxLength: 20 }), fc.integer({ min: 0, max: 128 }), (batch, initial) => {
      const b = new MessageBuilder(initial);
      const offsets = batch.map((m) => {
        const at = b.begin(m.type, m.flags, m.seq, m.pid);
        b.data(m.payload);
        b.end();
        return at;
      });
      const out = parseMessages(b.finish());
      if (out.length !== batch.length) return false;
      return batch.every((m, i) => {
        const o = out[i];
        const padded = Buffer.alloc(align(m.payload.length));
        padded.set(m.payload);
        return (
          o.offset === offsets[i] &&
          o.header.type === m.type &&
          o.header.flags === m.flags &&
          o.header.seq === m.seq &&
          o.header.pid === m.pid &&
          o.header.length === NLMSG_HDRLEN + padded.length &&
          o.payload.equals(padded)
        );
      });
    }),
    fcParams(),
  );
  t.pass();
});

test('hand-laid batches with unaligned nlmsg_len round-trip (padding skipped)', (t) => {
  fc.assert(
    fc.property(fc.array(messageArb, { minLength: 1, maxLength: 10 }), (batch) => {
      const parts = batch.map((m) => {
        const len = NLMSG_HDRLEN + m.payload.length;
        const buf = Buffer.alloc(align(len), 0xa5); // non-zero padding must be ignored too
        writeHeader(buf, 0, { length: len, type: m.type, flags: m.flags, seq: m.seq, pid: m.pid });
        buf.set(m.payload, NLMSG_HDRLEN);
        return buf;
      });
      const out = parseMessages(Buffer.concat(parts));
      return out.length === batch.length && batch.every((m, i) => out[i].payload.equals(m.payload) && out[i].header.seq === m.seq);
    }),
    fcParams(),
  );
  t.pass();
});

// ---------------------------------------------------------------- robustness

/**
 * Decodes everything it can reach: every message, attributes from a few plausible family-header
 * offsets, nests recursively (bounded by parseNested's depth), typed getters on every value, and
 * NLMSG_ERROR replies. Anything but a DecodeError escaping is a bug. Returns the visit count.
 */
function walkAll(buf: Buffer): number {
  let visits = 0;
  const tolerate = (f: () => void): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  };
  const walkAttrs = (value: Buffer, depth: number, start = 0): void => {
    forEachAttribute(value, start, value.length, (_type, vs, ve, raw) => {
      visits++;
      const v = value.subarray(vs, ve);
      for (const get of [getU8, getU16, getU32, getS32, getU64, getString, getIP, getMac]) tolerate(() => get(v));
      if (raw & NLA_F_NESTED) {
        const kids = parseNested(v, depth + 1); // may throw DecodeError when too deep: that ends this walk
        if (kids.length > v.length / 4) throw new Error('more attributes than 4-byte slots');
        walkAttrs(v, depth + 1);
      }
    });
  };
  forEachMessage(buf, (m) => {
    visits++;
    if (m.header.type === NLMSG_ERROR) tolerate(() => void parseErrorReply(m));
    for (const familyHeader of [0, 4, 8, 12, 16]) {
      if (familyHeader <= m.payload.length) tolerate(() => walkAttrs(m.payload, 0, familyHeader));
    }
  });
  return visits;
}

function onlyDecodeErrors(buf: Buffer): boolean {
  try {
    const visits = walkAll(buf);
    // Each step of each walk consumes at least 4 bytes: a loose bound that proves progress.
    return visits <= 8 * (buf.length + 4) * (MAX_NEST_DEPTH + 1);
  } catch (e) {
    if (e instanceof DecodeError) return true;
    throw e;
  }
}

/** A valid batch with nested attributes, as raw bytes: the starting point for mutations. */
const validBatch = fc
  .array(fc.tuple(fc.constantFrom(0x10, 0x14, NLMSG_ERROR, 3), attrList), { minLength: 1, maxLength: 4 })
  .map((msgs) => {
    const b = new MessageBuilder(16);
    for (const [type, list] of msgs) {
      b.begin(type, 0x300, 1, 2);
      if (type === NLMSG_ERROR) {
        const at = b.reserve(20);
        b.raw.writeInt32LE(-22, at);
        b.raw.writeUInt32LE(16, at + 4);
      }
      for (const n of list) write(b, n);
      b.end();
    }
    return b.finish();
  });

type Mutation =
  | { op: 'byte' | 'u16' | 'u32'; at: number; value: number }
  | { op: 'truncate' | 'nested'; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('byte' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('u16' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 3, 4, 5, 8, 0x7fff, 0x8000, 0xffff) }),
  fc.record({ op: fc.constant('u32' as const), at: fc.nat(), value: fc.constantFrom(0, 15, 16, 17, 20, 0x7fffffff, 0xffffffff) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('nested' as const), at: fc.nat() }),
);

function mutate(buf: Buffer, muts: Mutation[]): Buffer {
  let b = Buffer.from(buf);
  for (const m of muts) {
    if (b.length === 0) break;
    const at = m.at % b.length;
    switch (m.op) {
      case 'byte': b[at] = m.value; break;
      case 'u16': if (at + 2 <= b.length) b.writeUInt16LE(m.value, at); break;
      case 'u32': if (at + 4 <= b.length) b.writeUInt32LE(m.value >>> 0, at); break;
      case 'truncate': b = b.subarray(0, at); break;
      case 'nested': b[at] |= 0x80; break;
    }
  }
  return b;
}

test('random bytes through the decoders: only DecodeError, always terminates', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => onlyDecodeErrors(Buffer.from(bytes))),
    fcParams(),
  );
  t.pass();
});

test('random bytes behind a valid header: only DecodeError', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), fc.constantFrom(0x10, NLMSG_ERROR), fc.integer({ min: 0, max: 0xffff }), (body, type, flags) => {
      const buf = Buffer.alloc(NLMSG_HDRLEN + body.length);
      writeHeader(buf, 0, { length: buf.length, type, flags, seq: 0, pid: 0 });
      buf.set(body, NLMSG_HDRLEN);
      return onlyDecodeErrors(buf);
    }),
    fcParams(),
  );
  t.pass();
});

test('mutated and truncated valid batches: only DecodeError', (t) => {
  fc.assert(
    fc.property(validBatch, fc.array(mutation, { minLength: 1, maxLength: 6 }), (buf, muts) => onlyDecodeErrors(mutate(buf, muts))),
    fcParams(),
  );
  t.pass();
});

test('a valid batch decodes without any error at all', (t) => {
  fc.assert(
    fc.property(validBatch, (buf) => {
      let count = 0;
      forEachMessage(buf, () => count++);
      return count >= 1;
    }),
    fcParams(),
  );
  t.pass();
});

test('a 2,000-deep nest: a recursive walker using parseNested(depth) stops with DecodeError', (t) => {
  const b = new MessageBuilder();
  const opened: number[] = [];
  for (let i = 0; i < 2000; i++) opened.push(b.nest(1));
  b.u32(2, 42);
  while (opened.length) b.endNest(opened.pop()!);
  const top = parseAttributes(b.bytes);
  t.is(top.length, 1);
  let deepest = 0;
  const walk = (attrs: Attribute[], depth: number): void => {
    deepest = Math.max(deepest, depth);
    for (const a of attrs) if (a.nested) walk(parseNested(a.value, depth + 1), depth + 1);
  };
  const err = t.throws(() => walk(top, 0), { instanceOf: DecodeError });
  t.regex(err!.message, /nested deeper than 32/);
  t.is(deepest, MAX_NEST_DEPTH);
});

test('the same 2,000-deep nest inside a message: the fuzz walker stops at MAX_NEST_DEPTH', (t) => {
  const b = new MessageBuilder();
  b.begin(0x10, 0);
  const opened: number[] = [];
  for (let i = 0; i < 2000; i++) opened.push(b.nest(1));
  while (opened.length) b.endNest(opened.pop()!);
  b.end();
  // walkAll tolerates the DecodeError of each of its 5 family-header walks; what matters is
  // that it returns (no stack overflow) having gone no deeper than the limit.
  const visits = walkAll(b.bytes);
  t.is(visits, 1 + 5 * (MAX_NEST_DEPTH + 1));
});

test('headers claiming up to 4 GiB: DecodeError, no large allocation', (t) => {
  const before = process.memoryUsage().arrayBuffers;
  fc.assert(
    fc.property(fc.integer({ min: 17, max: 0xffffffff }), fc.uint8Array({ maxLength: 64 }), (len, body) => {
      const buf = Buffer.alloc(NLMSG_HDRLEN + body.length);
      buf.set(body, NLMSG_HDRLEN);
      writeHeader(buf, 0, { length: Math.max(len, buf.length + 1), type: 0x10, flags: 0, seq: 0, pid: 0 });
      try {
        parseMessages(buf);
        return false;
      } catch (e) {
        return e instanceof DecodeError && e.offset === 0;
      }
    }),
    fcParams(),
  );
  t.true(process.memoryUsage().arrayBuffers - before < 16 << 20);
});
