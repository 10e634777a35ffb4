import test from 'ava';
import {
  DecodeError,
  MAX_NEST_DEPTH,
  NLA_F_NESTED,
  NLA_F_NET_BYTEORDER,
  NLA_TYPE_MASK,
  forEachAttribute,
  fromHex,
  getIP,
  getIPv4,
  getIPv6,
  getMac,
  getS32,
  getString,
  getU16,
  getU16BE,
  getU32,
  getU32BE,
  getU64,
  getU8,
  parseAttributes,
  parseNested,
} from '@vrfctl/netlink';

test('NLA_TYPE_MASK clears exactly the two flag bits', (t) => {
  t.is(NLA_TYPE_MASK, 0x3fff);
  t.is(NLA_F_NESTED | NLA_F_NET_BYTEORDER | NLA_TYPE_MASK, 0xffff);
});

test('parseAttributes: alignment padding, zero-length and odd-length attributes', (t) => {
  const buf = fromHex(
    '0500 0100 aa 000000' + // u8-sized value, 3 bytes of padding
      '0400 0200' + // zero-length (a flag)
      '0600 0300 bbcc 0000' + // 2-byte value, 2 bytes padding
      '0800 0400 01020304', // aligned
  );
  const attrs = parseAttributes(buf);
  t.deepEqual(
    attrs.map((a) => [a.type, a.nested, a.netByteOrder, a.value.toString('hex')]),
    [
      [1, false, false, 'aa'],
      [2, false, false, ''],
      [3, false, false, 'bbcc'],
      [4, false, false, '01020304'],
    ],
  );
});

test('flag bits: NESTED and NET_BYTEORDER are reported and stripped from type', (t) => {
  const buf = fromHex('0800 0a80 00000000' + '0600 0b40 1234 0000' + '0400 0cc0');
  const attrs = parseAttributes(buf);
  t.deepEqual(
    attrs.map((a) => [a.type, a.nested, a.netByteOrder]),
    [
      [0x0a, true, false],
      [0x0b, false, true],
      [0x0c, true, true],
    ],
  );
  t.is(getU16BE(attrs[1].value), 0x1234);
});

test('forEachAttribute hands over raw type with the bits kept and value bounds', (t) => {
  const buf = fromHex('ffffffff' + '0600 0b40 1234 0000' + 'ffff');
  const seen: number[][] = [];
  forEachAttribute(buf, 4, 12, (type, vs, ve, raw) => seen.push([type, vs, ve, raw]));
  t.deepEqual(seen, [[0x0b, 8, 10, 0x400b]]);
});

test('parseAttributes honours start/end (a sub-range of a message)', (t) => {
  const buf = fromHex('deadbeef' + '0800 0100 05000000' + '0800 0200 06000000');
  t.deepEqual(parseAttributes(buf, 4, 12).map((a) => getU32(a.value)), [5]);
  t.deepEqual(parseAttributes(buf, 12).map((a) => a.type), [2]);
  t.deepEqual(parseAttributes(buf, 4, 4), []);
});

test('value is a view into the buffer', (t) => {
  const buf = fromHex('0800 0100 00000000');
  parseAttributes(buf)[0].value[0] = 7;
  t.is(buf[4], 7);
});

test('a last attribute without its padding is accepted', (t) => {
  const buf = fromHex('0800 0100 05000000 0500 0200 09');
  t.deepEqual(parseAttributes(buf).map((a) => a.value.toString('hex')), ['05000000', '09']);
});

test('trailing bytes shorter than a TLV header are a DecodeError at their offset', (t) => {
  const buf = fromHex('0800 0100 05000000 0400');
  const err = t.throws(() => parseAttributes(buf), { instanceOf: DecodeError });
  t.is(err?.offset, 8);
  t.regex(err!.message, /truncated attribute header: 2 of 4 bytes/);
});

test('nla_len below 4 is a DecodeError (no endless loop on 0)', (t) => {
  for (const len of ['0000', '0100', '0300']) {
    const err = t.throws(() => parseAttributes(fromHex(`0800 0100 05000000 ${len} 0100 00000000`)), {
      instanceOf: DecodeError,
    });
    t.is(err?.offset, 8);
    t.regex(err!.message, /below header size/);
  }
});

test('nla_len past its container is a DecodeError, also when the buffer goes on', (t) => {
  const buf = fromHex('0c00 0100 05000000' + '0800 0200 06000000');
  // Past the whole buffer.
  let err = t.throws(() => parseAttributes(buf.subarray(0, 8)), { instanceOf: DecodeError });
  t.is(err?.offset, 0);
  t.regex(err!.message, /attribute type 1 length 12 runs past its container/);
  // Past `end` even though the bytes exist.
  err = t.throws(() => parseAttributes(buf, 0, 8), { instanceOf: DecodeError });
  t.is(err?.offset, 0);
});

test('parseNested parses a nest value and refuses depth above MAX_NEST_DEPTH', (t) => {
  const outer = parseAttributes(fromHex('1000 0180' + '0800 0100 2a000000' + '0400 0200'));
  t.true(outer[0].nested);
  const inner = parseNested(outer[0].value);
  t.deepEqual(inner.map((a) => [a.type, a.value.length]), [[1, 4], [2, 0]]);
  t.is(getU32(inner[0].value), 42);
  t.is(parseNested(outer[0].value, MAX_NEST_DEPTH).length, 2);
  const err = t.throws(() => parseNested(outer[0].value, MAX_NEST_DEPTH + 1), { instanceOf: DecodeError });
  t.regex(err!.message, /nested deeper than 32/);
});

test('parseNested of an empty nest is empty; of a malformed one a DecodeError', (t) => {
  t.deepEqual(parseNested(Buffer.alloc(0)), []);
  t.throws(() => parseNested(fromHex('0900 0100 00000000')), { instanceOf: DecodeError });
});

test('typed getters read little-endian and big-endian values', (t) => {
  t.is(getU8(fromHex('ff')), 255);
  t.is(getU16(fromHex('3412')), 0x1234);
  t.is(getU32(fromHex('78563412')), 0x12345678);
  t.is(getU32(fromHex('ffffffff')), 0xffffffff);
  t.is(getS32(fromHex('ffffffff')), -1);
  t.is(getS32(fromHex('00000080')), -0x80000000);
  t.is(getU64(fromHex('0807060504030201')), 0x0102030405060708n);
  t.is(getU64(fromHex('ffffffffffffffff')), 0xffffffffffffffffn);
  t.is(getU16BE(fromHex('1234')), 0x1234);
  t.is(getU32BE(fromHex('12345678')), 0x12345678);
  t.is(getIPv4(fromHex('0a000002')), '10.0.0.2');
  t.is(getIPv6(fromHex('20010db8000000000000000000000001')), '2001:db8::1');
  t.is(getIP(fromHex('c0a80001')), '192.168.0.1');
  t.is(getIP(fromHex('fe800000000000000000000000000001')), 'fe80::1');
  t.is(getMac(fromHex('0200deadbeef')), '02:00:de:ad:be:ef');
});

test('getters read the first bytes of a longer value', (t) => {
  t.is(getU8(fromHex('0102')), 1);
  t.is(getU32(fromHex('0100000002000000')), 1);
});

test('typed getters with short values are DecodeErrors', (t) => {
  const cases: Array<[string, (v: Buffer) => unknown, number]> = [
    ['u8', getU8, 1],
    ['u16', getU16, 2],
    ['u32', getU32, 4],
    ['s32', getS32, 4],
    ['u64', getU64, 8],
    ['be16', getU16BE, 2],
    ['be32', getU32BE, 4],
    ['IPv4', getIPv4, 4],
    ['IPv6', getIPv6, 16],
  ];
  for (const [what, get, n] of cases) {
    const short = Buffer.alloc(n - 1);
    const err = t.throws(() => get(short), { instanceOf: DecodeError }, what);
    t.regex(err!.message, new RegExp(`^${what} attribute has ${n - 1} bytes, needs ${n}`), what);
  }
});

test('getIP accepts only 4 or 16 bytes', (t) => {
  for (const n of [0, 3, 5, 6, 15, 17]) {
    const err = t.throws(() => getIP(Buffer.alloc(n)), { instanceOf: DecodeError });
    t.regex(err!.message, new RegExp(`address attribute has ${n} bytes`));
  }
});

test('getString stops at the first NUL and accepts an unterminated string', (t) => {
  t.is(getString(Buffer.from('vrf-blue\0', 'utf8')), 'vrf-blue');
  t.is(getString(Buffer.from('eth0\0\0\0\0', 'utf8')), 'eth0');
  t.is(getString(Buffer.from('a\0b', 'utf8')), 'a');
  t.is(getString(Buffer.from('unterminated', 'utf8')), 'unterminated');
  t.is(getString(Buffer.from('grüße\0', 'utf8')), 'grüße');
  t.is(getString(Buffer.alloc(0)), '');
});

test('getMac formats any length, including empty', (t) => {
  t.is(getMac(Buffer.alloc(0)), '');
  t.is(getMac(fromHex('0a')), '0a');
  t.is(getMac(fromHex('00112233445566778899aabbccddeeff00112233')), '00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00:11:22:33');
});
