import test from 'ava';
import { DecodeError, fromHex, toHex } from '@vrfctl/netlink';

test('fromHex: plain, upper case, 0x prefix, whitespace and colons', (t) => {
  t.deepEqual(fromHex('00ff10'), Buffer.from([0, 0xff, 0x10]));
  t.deepEqual(fromHex('ABcd'), Buffer.from([0xab, 0xcd]));
  t.deepEqual(fromHex('0x0102'), Buffer.from([1, 2]));
  t.deepEqual(fromHex('0X0102'), Buffer.from([1, 2]));
  t.deepEqual(fromHex('  01 02\n\t03:04  '), Buffer.from([1, 2, 3, 4]));
  t.deepEqual(fromHex('de:ad:be:ef'), Buffer.from([0xde, 0xad, 0xbe, 0xef]));
  t.deepEqual(fromHex(''), Buffer.alloc(0));
});

test('fromHex: odd number of digits is a DecodeError', (t) => {
  const e = t.throws(() => fromHex('abc'), { instanceOf: DecodeError });
  t.regex(e!.message, /odd number of hex digits/);
  t.is(e?.offset, 3);
  t.throws(() => fromHex('0x1'), { instanceOf: DecodeError });
});

test('fromHex: a non-hex character is a DecodeError at its position (after cleaning)', (t) => {
  const e = t.throws(() => fromHex('00 1g'), { instanceOf: DecodeError });
  t.regex(e!.message, /not a hex digit "g" at byte 3/);
  t.is(e?.offset, 3);
  t.throws(() => fromHex('zz'), { instanceOf: DecodeError });
  t.throws(() => fromHex('0x0x'), { instanceOf: DecodeError }, 'only one prefix');
  t.throws(() => fromHex('12-34'), { instanceOf: DecodeError, message: /odd/ });
  t.throws(() => fromHex('12-3'), { instanceOf: DecodeError, message: /"-"/ });
});

test('toHex: lower case, honours the view of a Uint8Array into a larger buffer', (t) => {
  t.is(toHex(new Uint8Array([0, 0xab, 0xff])), '00abff');
  const big = new Uint8Array([1, 2, 3, 4, 5]);
  t.is(toHex(big.subarray(1, 3)), '0203');
  t.is(toHex(Buffer.from('hi')), '6869');
  t.is(toHex(new Uint8Array(0)), '');
  t.is(toHex(fromHex('DEADBEEF')), 'deadbeef');
});
