import test from 'ava';
import {
  AF_INET,
  AF_INET6,
  addressLength,
  familyOfAddress,
  formatHexColon,
  formatIP,
  formatIPv4,
  formatIPv6,
  formatMac,
  fromHex,
  parseIP,
  parseIPv4,
  parseIPv6,
  parseMac,
  parsePrefix,
  toHex,
} from '@vrfctl/netlink';

const v6 = (text: string) => {
  const b = parseIPv6(text);
  return b === undefined ? undefined : toHex(b);
};

/**
 * glibc inet_ntop(AF_INET6) outputs, generated once (Debian 12, glibc 2.36) with Python's
 * socket.inet_ntop, which calls glibc. Script (python3):
 *
 *   import random, socket
 *   rnd = random.Random(20240611)
 *   def word():
 *       r = rnd.random()
 *       return 0 if r < 0.55 else 0xffff if r < 0.62 else 1 if r < 0.68 else rnd.randrange(65536)
 *   fixed = ['00010000000000020000000000030004', '00010000000200030004000500060007',
 *            '20010db8000000000001000000000001', '00000000000000000000000000000001',
 *            '00000000000000000000000000000002', '000000000000000000000000ffffffff',
 *            '00000000000000000000ffff7f000001', 'fe800000000000000000000000000001']
 *   seen = set(); out = []
 *   for h in fixed:
 *       seen.add(h); out.append((h, socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h))))
 *   i = 0
 *   while len(out) < 56:
 *       ws = [word() for _ in range(8)]
 *       k = i % 10; i += 1
 *       if k == 0: ws[:5] = [0]*5; ws[5] = 0xffff                     # ::ffff:a.b.c.d shapes
 *       elif k == 1: ws[:6] = [0]*6                                    # ::a.b.c.d shapes
 *       elif k == 2: ws[:7] = [0]*7                                    # run of 7: no dotted tail
 *       elif k == 3: ws[:5] = [0]*5; ws[5] = rnd.choice([1, 0xfffe])   # near-mapped: hex tail
 *       h = b''.join(w.to_bytes(2, 'big') for w in ws).hex()
 *       if h in seen: continue
 *       seen.add(h); out.append((h, socket.inet_ntop(socket.AF_INET6, bytes.fromhex(h))))
 *   for h, t in out: print(f"  ['{h}', '{t}'],")
 */
const INET_NTOP6: ReadonlyArray<readonly [string, string]> = [
  ['00010000000000020000000000030004', '1::2:0:0:3:4'],
  ['00010000000200030004000500060007', '1:0:2:3:4:5:6:7'],
  ['20010db8000000000001000000000001', '2001:db8::1:0:0:1'],
  ['00000000000000000000000000000001', '::1'],
  ['00000000000000000000000000000002', '::2'],
  ['000000000000000000000000ffffffff', '::255.255.255.255'],
  ['00000000000000000000ffff7f000001', '::ffff:127.0.0.1'],
  ['fe800000000000000000000000000001', 'fe80::1'],
  ['00000000000000000000ffff00013f9f', '::ffff:0.1.63.159'],
  ['00000000000000000000000000000000', '::'],
  ['00000000000000000000000000008455', '::8455'],
  ['00000000000000000000fffecffa0000', '::fffe:cffa:0'],
  ['e1f500003ba4ffff000094cda6be0591', 'e1f5:0:3ba4:ffff:0:94cd:a6be:591'],
  ['000000007f23be9cda134ac126728686', '::7f23:be9c:da13:4ac1:2672:8686'],
  ['000087d20001ffff0000a0f400000000', '0:87d2:1:ffff:0:a0f4::'],
  ['000000000000d2cb0000000000001a4c', '::d2cb:0:0:0:1a4c'],
  ['abda0001c01f00000000934f00005592', 'abda:1:c01f::934f:0:5592'],
  ['00000000263b000000008d2f0000d3c0', '::263b:0:0:8d2f:0:d3c0'],
  ['00000000000000000000ffff9b7e0000', '::ffff:155.126.0.0'],
  ['0000000000000000000000000000ba14', '::ba14'],
  ['000000000000000000000001e5ff0000', '::1:e5ff:0'],
  ['c2c200000001ffff0000ab6900000000', 'c2c2:0:1:ffff:0:ab69::'],
  ['a75ebdbb81aa000000000000ffff895a', 'a75e:bdbb:81aa::ffff:895a'],
  ['f713a29c000000007cd0000100000000', 'f713:a29c::7cd0:1:0:0'],
  ['0000910e000000000000ffffb7bb0000', '0:910e::ffff:b7bb:0'],
  ['ffff9e8700000001000001f600000000', 'ffff:9e87:0:1:0:1f6::'],
  ['d6db9a785bcf8a552e7e0000e7d00000', 'd6db:9a78:5bcf:8a55:2e7e:0:e7d0:0'],
  ['00000000000000000000ffff00000000', '::ffff:0.0.0.0'],
  ['000000000000000000000000b9990000', '::185.153.0.0'],
  ['00000000000000000000fffe614c0000', '::fffe:614c:0'],
  ['000000000000000004a2000100000000', '::4a2:1:0:0'],
  ['ea4000000abb00010000717300000000', 'ea40:0:abb:1:0:7173::'],
  ['000098fde2fe00000000000000000000', '0:98fd:e2fe::'],
  ['000000000000ffff5c76a2c200010000', '::ffff:5c76:a2c2:1:0'],
  ['0000000000000000000018b27282a8e5', '::18b2:7282:a8e5'],
  ['000000004f2d40b4000090afd7440000', '::4f2d:40b4:0:90af:d744:0'],
  ['00000000000000000000ffff0001a1f7', '::ffff:0.1.161.247'],
  ['0000000000000000000000007ebbffff', '::126.187.255.255'],
  ['0000000000000000000000000000a502', '::a502'],
  ['00000000000000000000fffefa390000', '::fffe:fa39:0'],
  ['00000000000000010000000000000000', '0:0:0:1::'],
  ['000050530000a9d9000039220000132c', '0:5053:0:a9d9:0:3922:0:132c'],
  ['00000000000000000000b30d00006a9f', '::b30d:0:6a9f'],
  ['0000000000000000000000000000157c', '::157c'],
  ['7d790000000000003a700001ffff0000', '7d79::3a70:1:ffff:0'],
  ['00000000000000000000000000009e2e', '::9e2e'],
  ['00000000000000000000fffff3d50000', '::ffff:243.213.0.0'],
  ['00000000000000000000fffe9f2f0000', '::fffe:9f2f:0'],
  ['0000000000000000bf7d000100000000', '::bf7d:1:0:0'],
  ['00010000522c88e2000000000000b5d0', '1:0:522c:88e2::b5d0'],
  ['0000fa2c000077983dad00000000ffff', '0:fa2c:0:7798:3dad::ffff'],
  ['00000000475300000000000000000000', '0:0:4753::'],
  ['0000000000000000384719deffff0001', '::3847:19de:ffff:1'],
  ['0000000000000000000000000000ffff', '::ffff'],
  ['00000000000000000000000198c90000', '::1:98c9:0'],
  ['000050cdbef9000000007677afd60000', '0:50cd:bef9::7677:afd6:0'],
];

test(`formatIPv6 matches glibc inet_ntop on ${INET_NTOP6.length} recorded vectors, and parses back`, (t) => {
  for (const [hex, text] of INET_NTOP6) {
    t.is(formatIPv6(fromHex(hex)), text, hex);
    t.is(v6(text), hex, text);
  }
});

test('formatIPv6: compression rules', (t) => {
  const f = (h: string) => formatIPv6(fromHex(h));
  t.is(f('00000000000000000000000000000000'), '::');
  t.is(f('00000000000000000000000000000001'), '::1');
  t.is(f('00010000000000000000000000000000'), '1::');
  t.is(f('00010000000200030004000500060007'), '1:0:2:3:4:5:6:7', 'a single zero word is not compressed');
  t.is(f('00010000000000020000000000030004'), '1::2:0:0:3:4', 'ties: leftmost run');
  t.is(f('00010000000200000000000000030004'), '1:0:2::3:4', 'longest run wins over an earlier shorter one');
  t.is(f('20010db8000000000000ff0000420329'), '2001:db8::ff00:42:329');
  t.is(f('20010db800000000000000000000abcd'), '2001:db8::abcd', 'no leading zeros within words');
  t.is(f('00000000000000000000ffffc0000201'), '::ffff:192.0.2.1', 'IPv4-mapped');
  t.is(f('000000000000000000000000c0000201'), '::192.0.2.1', 'IPv4-compatible');
  t.is(f('00000000000000000000000000000002'), '::2', 'run of 7 is not dotted');
  t.is(f('00000000000000000000fffec0000201'), '::fffe:c000:201', 'only ffff marks a mapped address');
  t.is(f('0000000000000000ffff0000c0000201'), '::ffff:0:c000:201', 'ffff in the wrong word');
});

test('formatIPv6 and formatIPv4 honour an offset', (t) => {
  const b = fromHex('aaaa 20010db8000000000000000000000001 0a000001');
  t.is(formatIPv6(b, 2), '2001:db8::1');
  t.is(formatIPv4(b, 18), '10.0.0.1');
});

test('parseIPv6 accepts RFC 4291 forms', (t) => {
  t.is(v6('::'), '0'.repeat(32));
  t.is(v6('::1'), '0'.repeat(31) + '1');
  t.is(v6('1::'), '0001' + '0'.repeat(28));
  t.is(v6('2001:DB8::1'), '20010db8000000000000000000000001', 'upper case');
  t.is(v6('2001:0db8:0000:0000:0000:0000:0000:0001'), '20010db8000000000000000000000001', 'leading zeros in a word');
  t.is(v6('1:2:3:4:5:6:7:8'), '00010002000300040005000600070008');
  t.is(v6('1:2:3:4:5:6:7::'), '00010002000300040005000600070000', ':: for a single word');
  t.is(v6('::2:3:4:5:6:7:8'), '00000002000300040005000600070008');
  t.is(v6('::ffff:1.2.3.4'), '00000000000000000000ffff01020304');
  t.is(v6('::1.2.3.4'), '00000000000000000000000001020304');
  t.is(v6('1:2:3:4:5:6:1.2.3.4'), '00010002000300040005000601020304');
  t.is(v6('64:ff9b::192.0.2.33'), '0064ff9b0000000000000000c0000221');
});

test('parseIPv6 rejects malformed text', (t) => {
  for (const bad of [
    '', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8',
    '1::2:3:4:5:6:7:8', ':1::2', '1::2:', '1:2:3:4:5:6:7:', ':1:2:3:4:5:6:7:8', '12345::', '00000::1', 'g::1',
    '1.2.3.4', '1.2.3.4::', '::1.2.3', '::256.1.1.1', '::01.2.3.4', '::1.2.3.4:5', '1:2:3:4:5:6:7:1.2.3.4',
    '1:2:3:4:5::1.2.3.4:1', ' ::1', '::1 ', 'fe80::1%eth0', '::ffff:1.2.3.4.5', '[::1]',
    '1111:2222:3333:4444:5555:6666:7777:8888:', // 40 chars, 9th empty group
    '0000:0000:0000:0000:0000:0000:255.255.255.2555',
  ]) {
    t.is(parseIPv6(bad), undefined, JSON.stringify(bad));
  }
});

test('parseIPv4: dotted quads only, no leading zeros (inet_pton rules)', (t) => {
  t.deepEqual(parseIPv4('0.0.0.0'), new Uint8Array([0, 0, 0, 0]));
  t.deepEqual(parseIPv4('255.255.255.255'), new Uint8Array([255, 255, 255, 255]));
  t.deepEqual(parseIPv4('10.9.100.2'), new Uint8Array([10, 9, 100, 2]));
  for (const bad of [
    '', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.256', '1.2.3.-1', '01.2.3.4', '1.2.3.04', '1.2.3.000',
    '0x1.2.3.4', '1..3.4', '1.2.3.4 ', ' 1.2.3.4', '1.2.3.4/8', '١.٢.٣.٤', '1.2.3.1e1', '1000.1.1.1', '+1.2.3.4',
  ]) {
    t.is(parseIPv4(bad), undefined, JSON.stringify(bad));
  }
});

test('parseIP tells the family; familyOfAddress and addressLength agree', (t) => {
  t.deepEqual(parseIP('192.0.2.1'), { family: AF_INET, bytes: new Uint8Array([192, 0, 2, 1]) });
  const six = parseIP('2001:db8::1');
  t.is(six?.family, AF_INET6);
  t.is(toHex(six!.bytes), '20010db8000000000000000000000001');
  t.is(parseIP('example.com'), undefined);
  t.is(familyOfAddress('10.0.0.1'), AF_INET);
  t.is(familyOfAddress('::'), AF_INET6);
  t.is(familyOfAddress('1.2.3'), undefined);
  t.is(addressLength(AF_INET), 4);
  t.is(addressLength(AF_INET6), 16);
});

test('parsePrefix: address with or without length', (t) => {
  const p = parsePrefix('10.9.0.0/16');
  t.deepEqual(p, { family: AF_INET, address: '10.9.0.0', bytes: new Uint8Array([10, 9, 0, 0]), length: 16 });
  t.is(parsePrefix('10.0.0.1')?.length, 32, 'a host address has the full length');
  t.is(parsePrefix('0.0.0.0/0')?.length, 0);
  const q = parsePrefix('2001:db8::/32');
  t.is(q?.family, AF_INET6);
  t.is(q?.length, 32);
  t.is(q?.address, '2001:db8::');
  t.is(parsePrefix('::/0')?.length, 0);
  t.is(parsePrefix('::1')?.length, 128);
  t.is(parsePrefix('2001:db8::/128')?.length, 128);
});

test('parsePrefix rejects bad addresses and lengths', (t) => {
  for (const bad of [
    '1.2.3.4/33', '1.2.3.4/', '1.2.3.4/-1', '1.2.3.4/08', '1.2.3.4/1.5', '1.2.3.4/0x8', '1.2.3.4/ 8', '1.2.3.4/8/8',
    '::/129', '::/1000', '1.2.3/24', '/24', '', '256.0.0.0/8',
  ]) {
    t.is(parsePrefix(bad), undefined, JSON.stringify(bad));
  }
});

test('formatIP picks the form from the length', (t) => {
  t.is(formatIP(fromHex('c0000201')), '192.0.2.1');
  t.is(formatIP(fromHex('00000000000000000000000000000001')), '::1');
  t.is(formatIP(fromHex('0102030405')), '01:02:03:04:05');
  t.is(formatIP(fromHex('ffff c0000201'), 2), '192.0.2.1');
  t.is(formatIP(fromHex('c0000201 c0000202'), 4, 4), '192.0.2.2');
  t.is(formatIP(new Uint8Array(0)), '');
});

test('formatHexColon and formatMac: two lower-case digits per byte', (t) => {
  t.is(formatMac(fromHex('0200DEADBEEF')), '02:00:de:ad:be:ef');
  t.is(formatHexColon(fromHex('00 0a ff 10'), 1, 2), '0a:ff');
});

test('parseMac: colon-separated hex bytes of any count up to 32', (t) => {
  t.deepEqual(parseMac('02:00:DE:ad:be:EF'), new Uint8Array([2, 0, 0xde, 0xad, 0xbe, 0xef]));
  t.deepEqual(parseMac('2:0:a:b:c:d'), new Uint8Array([2, 0, 10, 11, 12, 13]), 'single digits, as iproute2 accepts');
  t.deepEqual(parseMac('ff'), new Uint8Array([0xff]));
  t.is(parseMac(Array(32).fill('01').join(':'))?.length, 32);
  for (const bad of ['', ':', '02::00', '02:00:', '123:00', '02-00-00-00-00-01', 'g0:00', '0x2:00', Array(33).fill('01').join(':')]) {
    t.is(parseMac(bad), undefined, JSON.stringify(bad));
  }
});

test('MAC format→parse round trip', (t) => {
  const b = fromHex('0011223344556677');
  t.deepEqual(parseMac(formatMac(b)), new Uint8Array(b));
});
