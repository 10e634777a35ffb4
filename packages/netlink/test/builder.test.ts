import test from 'ava';
import {
  AF_INET,
  MessageBuilder,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  NLMSG_HDRLEN,
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REQUEST,
  fromHex,
  getString,
  getU32,
  parseAttributes,
  parseMessages,
  parseNested,
  toHex,
} from '@vrfctl/netlink';

// From linux/rtnetlink.h; rtnetlink constants live in another package, this one only needs a few.
const RTM_NEWROUTE = 24;
const RTA_DST = 1;
const RTA_GATEWAY = 5;
const RTPROT_BOOT = 3;
const RT_SCOPE_UNIVERSE = 0;
const RTN_UNICAST = 1;
const RTMSG_LEN = 12; // struct rtmsg

const hex = (s: string) => s.replace(/\s+/g, '');

test('RTM_NEWROUTE 10.9.0.0/16 via 10.0.0.2 table 100: exact bytes as iproute2 writes them', (t) => {
  // `ip route add 10.9.0.0/16 via 10.0.0.2 table 100`: a table id below 256 goes in rtm_table
  // (no RTA_TABLE); RTA_DST then RTA_GATEWAY in command-line order; protocol boot, scope universe.
  const b = new MessageBuilder();
  const start = b.begin(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE, 0x11223344);
  t.is(start, 0);
  const r = b.reserve(RTMSG_LEN);
  t.is(r, NLMSG_HDRLEN);
  const raw = b.raw;
  raw[r + 0] = AF_INET; // rtm_family
  raw[r + 1] = 16; // rtm_dst_len
  raw[r + 2] = 0; // rtm_src_len
  raw[r + 3] = 0; // rtm_tos
  raw[r + 4] = 100; // rtm_table
  raw[r + 5] = RTPROT_BOOT; // rtm_protocol
  raw[r + 6] = RT_SCOPE_UNIVERSE; // rtm_scope
  raw[r + 7] = RTN_UNICAST; // rtm_type
  // rtm_flags (u32) stays 0 from reserve()
  b.ipv4(RTA_DST, '10.9.0.0').ip(RTA_GATEWAY, '10.0.0.2').end();

  const expected = hex(`
    2c000000  1800  0506  44332211  00000000
    02 10 00 00  64 03 00 01  00000000
    0800 0100  0a090000
    0800 0500  0a000002
  `);
  t.is(toHex(b.bytes), expected);
  t.is(b.length, 44);
});

test('nests: lengths patched, NESTED bit set unless plain, parse back', (t) => {
  const b = new MessageBuilder();
  b.begin(0x10, NLM_F_REQUEST);
  const outer = b.nest(1);
  b.u32(1, 7);
  const inner = b.nest(2);
  b.string(1, 'abc');
  b.endNest(inner);
  const plain = b.nest(3, true);
  b.endNest(plain);
  b.endNest(outer);
  b.flag(9);
  b.end();
  t.is(
    toHex(b.bytes.subarray(NLMSG_HDRLEN)),
    hex(`
      1c00 0180
        0800 0100 07000000
        0c00 0280
          0800 0100 61626300
        0400 0300
      0400 0900`),
  );
  const [m] = parseMessages(b.bytes);
  t.is(m.header.length, 16 + 28 + 4);
  const top = parseAttributes(m.payload);
  t.deepEqual(top.map((a) => [a.type, a.nested]), [[1, true], [9, false]]);
  const lvl1 = parseNested(top[0].value);
  t.deepEqual(lvl1.map((a) => [a.type, a.nested, a.value.length]), [[1, false, 4], [2, true, 8], [3, false, 0]]);
  t.is(getString(parseNested(lvl1[1].value, 2)[0].value), 'abc');
});

test('string: NUL terminator and zeroed padding even over dirty bytes', (t) => {
  const b = new MessageBuilder(64);
  b.binary(1, Buffer.alloc(40, 0xff));
  b.reset();
  b.string(2, 'ab').string(3, '').string(4, 'abcd').string(5, 'ü');
  t.is(
    toHex(b.bytes),
    hex(`
      0700 0200 616200 00
      0500 0300 00 000000
      0900 0400 6162636400 000000
      0700 0500 c3bc00 00`),
  );
});

test('binary and data pad with zeros over dirty bytes; reserve zeroes', (t) => {
  const b = new MessageBuilder(64);
  b.binary(1, Buffer.alloc(48, 0xff)).reset();
  b.binary(7, fromHex('010203')).data(fromHex('0405'));
  const at = b.reserve(5);
  t.is(at, 12);
  t.is(toHex(b.bytes), hex('0700 0700 010203 00  0405 0000  0000000000 000000'));
});

test('integer writers: widths, byte order, NET_BYTEORDER passed through', (t) => {
  const b = new MessageBuilder();
  b.u8(1, 0xab)
    .u16(2, 0x1234)
    .u32(3, 0x89abcdef)
    .s32(4, -2)
    .u64(5, 0x0102030405060708n)
    .u64(6, 2 ** 40)
    .u16be(7 | NLA_F_NET_BYTEORDER, 0x1234)
    .u32be(8 | NLA_F_NET_BYTEORDER, 0x0a000001);
  t.is(
    toHex(b.bytes),
    hex(`
      0500 0100 ab 000000
      0600 0200 3412 0000
      0800 0300 efcdab89
      0800 0400 feffffff
      0c00 0500 0807060504030201
      0c00 0600 0000000000010000
      0600 0740 1234 0000
      0800 0840 0a000001`),
  );
});

test('u32/u32be keep the u32 bit pattern of negative numbers (-1 is 0xffffffff)', (t) => {
  const b = new MessageBuilder();
  b.u32(1, -1).u32be(2, -1);
  t.deepEqual(parseAttributes(b.bytes).map((a) => toHex(a.value)), ['ffffffff', 'ffffffff']);
});

test('out-of-range integers throw RangeError and leave the builder untouched', (t) => {
  const b = new MessageBuilder();
  b.u32(1, 5);
  const before = toHex(b.bytes);
  const bad: Array<() => unknown> = [
    () => b.u8(2, 256),
    () => b.u8(2, -1),
    () => b.u16(2, 0x10000),
    () => b.u16be(2, -1),
    () => b.s32(2, 0x80000000),
    () => b.s32(2, Number.NaN),
    () => b.u64(2, -1n),
    () => b.u64(2, 2n ** 64n),
    () => b.u64(2, 1.5),
  ];
  for (const f of bad) t.throws(f, { instanceOf: RangeError });
  t.is(toHex(b.bytes), before);
});

test('address writers and their RangeErrors', (t) => {
  const b = new MessageBuilder();
  b.ip(1, '2001:db8::1').ipv4(2, '192.0.2.1').ipv6(3, '::ffff:1.2.3.4').mac(4, '02:00:0a:0b:0c:0d');
  t.deepEqual(parseAttributes(b.bytes).map((a) => toHex(a.value)), [
    '20010db8000000000000000000000001',
    'c0000201',
    '00000000000000000000ffff01020304',
    '02000a0b0c0d',
  ]);
  const len = b.length;
  t.throws(() => b.ip(1, 'nope'), { instanceOf: RangeError, message: /invalid IP address "nope"/ });
  t.throws(() => b.ipv4(1, '::1'), { instanceOf: RangeError });
  t.throws(() => b.ipv6(1, '1.2.3.4'), { instanceOf: RangeError });
  t.throws(() => b.mac(1, '02:00:0g:00:00:00'), { instanceOf: RangeError });
  t.is(b.length, len);
});

test('values too long for nla_len (u16) throw RangeError', (t) => {
  const b = new MessageBuilder();
  t.notThrows(() => b.binary(1, Buffer.alloc(0xffff - 4)));
  t.throws(() => b.binary(1, Buffer.alloc(0xffff - 3)), { instanceOf: RangeError });
  b.reset();
  const n = b.nest(1);
  for (let i = 0; i < 17; i++) b.binary(2, Buffer.alloc(4000));
  t.throws(() => b.endNest(n), { instanceOf: RangeError, message: /nest of \d+ bytes/ });
});

test('growth past the initial size across many messages keeps every byte', (t) => {
  const b = new MessageBuilder(16);
  for (let i = 0; i < 500; i++) {
    b.begin(0x10 + (i % 3), NLM_F_REQUEST, i, 77);
    b.u32(1, i);
    b.string(2, `if${i}`);
    const n = b.nest(3);
    b.binary(4, Buffer.alloc(i % 37, i & 0xff));
    b.endNest(n);
    b.end();
  }
  const msgs = parseMessages(b.finish());
  t.is(msgs.length, 500);
  msgs.forEach((m, i) => {
    t.is(m.header.seq, i);
    t.is(m.header.pid, 77);
    t.is(m.header.type, 0x10 + (i % 3));
    const a = parseAttributes(m.payload);
    t.is(getU32(a[0].value), i);
    t.is(getString(a[1].value), `if${i}`);
    t.deepEqual(parseNested(a[2].value)[0].value, Buffer.alloc(i % 37, i & 0xff));
  });
});

test('a builder with initial size 0 still grows (no endless doubling)', (t) => {
  const b = new MessageBuilder(0);
  b.begin(0x10, 0);
  b.u32(1, 1).end();
  t.is(b.length, 24);
  t.is(parseMessages(b.bytes)[0].header.length, 24);
});

test('begin returns the header offset; end patches nlmsg_len of the current message', (t) => {
  const b = new MessageBuilder();
  t.is(b.begin(0x10, 0), 0);
  b.u8(1, 1).end();
  t.is(b.begin(0x11, 0, 2), 24);
  b.end();
  t.deepEqual(parseMessages(b.bytes).map((m) => [m.offset, m.header.length]), [[0, 24], [24, 16]]);
});

test('end() without begin() throws', (t) => {
  const b = new MessageBuilder();
  t.throws(() => b.end(), { message: /end\(\) without begin\(\)/ });
  b.begin(0x10, 0);
  b.end();
  t.throws(() => b.end(), { message: /without begin/ });
});

test('reset empties the builder; finish returns a copy, bytes a view', (t) => {
  const b = new MessageBuilder();
  b.begin(0x10, 0);
  b.u32(1, 1).end();
  const view = b.bytes;
  const copy = b.finish();
  t.deepEqual(copy, view);
  b.reset();
  t.is(b.length, 0);
  t.is(b.bytes.length, 0);
  b.begin(0x12, 0);
  b.u32(1, 0xffffffff).end();
  t.is(copy.readUInt16LE(4), 0x10, 'finish() copy unaffected by reuse');
  t.is(getU32(copy.subarray(20, 24)), 1);
  t.is(view.readUInt16LE(4), 0x12, 'bytes view sees the reused buffer');
  b.begin(0x13, 0);
  t.throws(() => b.reset().end(), { message: /without begin/ }, 'reset also forgets an open message');
});

test('nest() type includes NLA_F_NESTED; plain nest keeps the raw type', (t) => {
  const b = new MessageBuilder();
  b.endNest(b.nest(5));
  b.endNest(b.nest(6, true));
  t.deepEqual([b.bytes.readUInt16LE(2), b.bytes.readUInt16LE(6)], [5 | NLA_F_NESTED, 6]);
});

test('every writer survives the buffer growing inside that very call (any start size, any position)', (t) => {
  type W = [string, (b: MessageBuilder) => unknown, string];
  const writers: W[] = [
    ['u8', (b) => b.u8(9, 0xab), 'ab'],
    ['u16', (b) => b.u16(9, 0xabcd), 'cdab'],
    ['u32', (b) => b.u32(9, 0x01020304), '04030201'],
    ['s32', (b) => b.s32(9, -2), 'feffffff'],
    ['u64', (b) => b.u64(9, 0x0102030405060708n), '0807060504030201'],
    ['u16be', (b) => b.u16be(9, 0xabcd), 'abcd'],
    ['u32be', (b) => b.u32be(9, 0x01020304), '01020304'],
    ['string', (b) => b.string(9, 'xyz'), '78797a00'],
    ['binary', (b) => b.binary(9, fromHex('a1a2a3a4a5')), 'a1a2a3a4a5'],
    ['ip', (b) => b.ip(9, '10.0.0.2'), '0a000002'],
    ['mac', (b) => b.mac(9, '02:00:00:00:00:01'), '020000000001'],
  ];
  for (const [name, write, valueHex] of writers) {
    for (let initial = 1; initial <= 40; initial++) {
      for (let before = 0; before <= 32; before += 4) {
        const b = new MessageBuilder(initial);
        if (before > 0) b.binary(1, Buffer.alloc(before - 4, 0x77));
        write(b);
        const attrs = parseAttributes(b.bytes);
        const last = attrs[attrs.length - 1];
        if (last.type !== 9 || toHex(last.value) !== valueHex) {
          t.fail(`${name} with initial size ${initial} after ${before} bytes wrote ${toHex(b.bytes)}`);
          return;
        }
      }
    }
  }
  t.pass();
});
