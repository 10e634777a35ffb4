import test from 'ava';
import {
  DecodeError,
  NLMSG_DONE,
  NLMSG_HDRLEN,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  align,
  forEachMessage,
  fromHex,
  parseMessages,
  readHeader,
  writeHeader,
  type Message,
  type MessageHeader,
} from '@vrfctl/netlink';

/** A message with the given nlmsg_len and payload filled with `fill`, padded to `padTo` bytes. */
function rawMessage(len: number, type: number, seq: number, fill: number, padTo = align(len)): Buffer {
  const b = Buffer.alloc(padTo, 0xee); // 0xee in the padding so a parser reading it would show
  writeHeader(b, 0, { length: len, type, flags: NLM_F_MULTI, seq, pid: 4242 });
  b.fill(fill, NLMSG_HDRLEN, len);
  return b;
}

test('writeHeader lays out struct nlmsghdr little-endian', (t) => {
  const b = Buffer.alloc(16);
  writeHeader(b, 0, { length: 0x2c, type: 24, flags: 0x605, seq: 0x01020304, pid: 0xa0b0c0d0 });
  t.is(b.toString('hex'), '2c000000' + '1800' + '0506' + '04030201' + 'd0c0b0a0');
});

test('readHeader reads what writeHeader wrote, at an offset, full u32 range', (t) => {
  const b = Buffer.alloc(40, 0x55);
  const h: MessageHeader = { length: 0xffffffff, type: 0xffff, flags: 0x8001, seq: 0xfffffffe, pid: 0x80000000 };
  writeHeader(b, 7, h);
  t.deepEqual(readHeader(b, 7), h);
  t.is(b[6], 0x55, 'byte before untouched');
  t.is(b[23], 0x55, 'byte after untouched');
});

test('writeHeader stores negative seq/pid as their u32 bit pattern', (t) => {
  const b = Buffer.alloc(16);
  writeHeader(b, 0, { length: 16, type: 3, flags: 0, seq: -1, pid: -2 });
  t.is(readHeader(b, 0).seq, 0xffffffff);
  t.is(readHeader(b, 0).pid, 0xfffffffe);
});

test('readHeader on fewer than 16 bytes is a DecodeError at that offset', (t) => {
  const b = Buffer.alloc(20);
  const err = t.throws(() => readHeader(b, 8), { instanceOf: DecodeError });
  t.is(err?.offset, 8);
  t.regex(err!.message, /truncated nlmsghdr: 12 of 16 bytes at byte 8/);
});

test('forEachMessage walks messages separated by alignment padding', (t) => {
  // 17-byte message (+3 pad), 16-byte message, 24-byte message.
  const buf = Buffer.concat([rawMessage(17, 0x10, 1, 0xaa), rawMessage(16, 0x11, 2, 0), rawMessage(24, NLMSG_DONE, 3, 0xbb)]);
  t.is(buf.length, 20 + 16 + 24);
  const seen: Message[] = [];
  forEachMessage(buf, (m) => seen.push(m));
  t.deepEqual(seen.map((m) => m.offset), [0, 20, 36]);
  t.deepEqual(seen.map((m) => m.header.type), [0x10, 0x11, NLMSG_DONE]);
  t.deepEqual(seen.map((m) => m.header.seq), [1, 2, 3]);
  t.deepEqual(seen.map((m) => m.payload.toString('hex')), ['aa', '', 'bb'.repeat(8)]);
  t.deepEqual(seen.map((m) => m.header.pid), [4242, 4242, 4242]);
});

test('forEachMessage accepts a last message whose padding is missing', (t) => {
  const buf = Buffer.concat([rawMessage(20, 0x10, 1, 1), rawMessage(18, 0x10, 2, 2, 18)]);
  t.is(buf.length, 38);
  const msgs = parseMessages(buf);
  t.is(msgs.length, 2);
  t.is(msgs[1].payload.toString('hex'), '0202');
});

test('forEachMessage on an empty buffer visits nothing', (t) => {
  let n = 0;
  forEachMessage(Buffer.alloc(0), () => n++);
  t.is(n, 0);
});

test('payload is a view into the receive buffer', (t) => {
  const buf = rawMessage(20, 0x10, 1, 0x11);
  const [m] = parseMessages(buf);
  m.payload[0] = 0x99;
  t.is(buf[16], 0x99);
});

test('a truncated header after a good message is a DecodeError at its offset', (t) => {
  const buf = Buffer.concat([rawMessage(20, 0x10, 1, 1), Buffer.alloc(10)]);
  const visited: number[] = [];
  const err = t.throws(() => forEachMessage(buf, (m) => visited.push(m.offset)), { instanceOf: DecodeError });
  t.is(err?.offset, 20);
  t.deepEqual(visited, [0], 'the good message is still delivered first');
});

for (const len of [0, 1, 4, 15]) {
  test(`nlmsg_len ${len} (< 16) is a DecodeError, not an endless loop`, (t) => {
    const buf = Buffer.concat([rawMessage(16, 0x10, 1, 0), rawMessage(16, 0x10, 2, 0)]);
    buf.writeUInt32LE(len, 16);
    const err = t.throws(() => forEachMessage(buf, () => {}), { instanceOf: DecodeError });
    t.is(err?.offset, 16);
    t.regex(err!.message, new RegExp(`nlmsg_len ${len} below header size`));
  });
}

test('nlmsg_len past the end of the buffer is a DecodeError with the offset', (t) => {
  const buf = Buffer.concat([rawMessage(20, 0x10, 1, 0), rawMessage(24, 0x10, 2, 0)]);
  buf.writeUInt32LE(25, 20);
  const err = t.throws(() => parseMessages(buf), { instanceOf: DecodeError });
  t.is(err?.offset, 20);
  t.regex(err!.message, /nlmsg_len 25 runs past the buffer \(24 bytes left\)/);
});

test('a header claiming 4 GiB is a DecodeError and allocates nothing large', (t) => {
  const buf = fromHex('ffffffff 1000 0000 01000000 00000000');
  const before = process.memoryUsage().arrayBuffers;
  const err = t.throws(() => parseMessages(buf), { instanceOf: DecodeError });
  t.is(err?.offset, 0);
  t.true(process.memoryUsage().arrayBuffers - before < 1 << 20);
});

test('a bare header message of type DONE with REQUEST flag parses', (t) => {
  const b = Buffer.alloc(16);
  writeHeader(b, 0, { length: 16, type: NLMSG_DONE, flags: NLM_F_REQUEST, seq: 9, pid: 0 });
  t.deepEqual(parseMessages(b).map((m) => [m.header, m.payload.length]), [
    [{ length: 16, type: NLMSG_DONE, flags: NLM_F_REQUEST, seq: 9, pid: 0 }, 0],
  ]);
});

test('align rounds up to 4, also past 2^31 (no int32 overflow)', (t) => {
  t.deepEqual([0, 1, 2, 3, 4, 5, 7, 8, 65535].map(align), [0, 4, 4, 4, 4, 8, 8, 8, 65536]);
  t.is(align(2 ** 31 - 1), 2 ** 31);
  t.is(align(2 ** 31 + 1), 2 ** 31 + 4);
  t.is(align(0xffffffff), 2 ** 32);
});
