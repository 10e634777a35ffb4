import test from 'ava';
import {
  DecodeError,
  MessageBuilder,
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
  NLMSGERR_ATTR_POLICY,
  NLMSG_ERROR,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NetlinkError,
  buildErrorReply,
  errorFromReply,
  fromHex,
  parseErrorReply,
  parseMessages,
  toHex,
  type MessageHeader,
} from '@vrfctl/netlink';

const hex = (s: string) => s.replace(/\s+/g, '');
const one = (h: string) => {
  const msgs = parseMessages(fromHex(h));
  if (msgs.length !== 1) throw new Error('expected one message');
  return msgs[0];
};

// The request these replies answer: RTM_NEWROUTE, REQUEST|ACK|EXCL|CREATE, seq 7, 44 bytes.
const REQUEST: MessageHeader = { length: 44, type: 24, flags: 0x605, seq: 7, pid: 0 };
const REQ_HDR = '2c000000 1800 0506 07000000 00000000';
const REQ_PAYLOAD = '02100000 64030001 00000000  0800 0100 0a090000  0800 0500 0a000002';

test('an ACK (capped, as the kernel always sends it) decodes to errno 0 and no error', (t) => {
  const m = one(`24000000 0200 0001 07000000 d2040000  00000000 ${REQ_HDR}`);
  const r = parseErrorReply(m);
  t.is(r.errno, 0);
  t.true(Object.is(r.errno, 0), 'not -0');
  t.deepEqual(r.request, REQUEST);
  t.is(r.requestPayload, undefined);
  t.deepEqual(r.extack, {});
  t.deepEqual(r.unknown, []);
  t.is(errorFromReply(r), undefined);
});

test('an ACK from a kernel before 4.12 (no CAPPED flag, nothing echoed) still decodes', (t) => {
  const r = parseErrorReply(one(`24000000 0200 0000 07000000 d2040000  00000000 ${REQ_HDR}`));
  t.is(r.errno, 0);
  t.is(r.requestPayload, undefined);
  t.deepEqual(r.request, REQUEST);
});

test('an error with the whole request echoed (not capped)', (t) => {
  const m = one(`40000000 0200 0000 07000000 d2040000  efffffff ${REQ_HDR} ${REQ_PAYLOAD}`);
  const r = parseErrorReply(m);
  t.is(r.errno, 17);
  t.deepEqual(r.request, REQUEST);
  t.is(toHex(r.requestPayload!), hex(REQ_PAYLOAD));
  t.deepEqual(r.extack, {});
  const e = errorFromReply(r);
  t.true(e instanceof NetlinkError);
  t.is(e?.message, 'EEXIST: File exists');
  t.is(e?.seq, 7);
});

test('an echoed request with an unaligned length is padded before the ext-ack TLVs', (t) => {
  // Request of 21 bytes: 5 payload bytes, 3 padding, then NLMSGERR_ATTR_MSG "x".
  const m = one(`34000000 0200 0002 01000000 00000000  eaffffff 15000000 1000 0100 01000000 00000000  aabbccddee 000000  0600 0100 7800 0000`);
  const r = parseErrorReply(m);
  t.is(r.errno, 22);
  t.is(toHex(r.requestPayload!), 'aabbccddee');
  t.deepEqual(r.extack, { message: 'x' });
});

test('a capped error with every extended-ACK attribute, unknown TLVs kept', (t) => {
  const m = one(`
    7c000000 0200 0003 07000000 d2040000
    eaffffff ${REQ_HDR}
    2000 0100 4e657874 686f7020 68617320 696e7661 6c696420 67617465 776179 00
    0800 0200 1c000000
    0c00 0300 0102030405060708
    0c00 0480 0800 0100 05000000
    0800 0500 05000000
    0800 0600 10000000
    0700 6300 abcdef 00
  `);
  const r = parseErrorReply(m);
  t.is(r.errno, 22);
  t.is(r.requestPayload, undefined);
  t.deepEqual(r.request, REQUEST);
  t.is(r.extack.message, 'Nexthop has invalid gateway');
  t.is(r.extack.offset, 28);
  t.is(toHex(r.extack.cookie!), '0102030405060708');
  t.is(toHex(r.extack.policy!), '0800010005000000');
  t.is(r.extack.missingType, 5);
  t.is(r.extack.missingNest, 16);
  t.deepEqual(r.unknown.map((u) => [u.type, toHex(u.value)]), [[0x63, 'abcdef']]);
  const e = errorFromReply(r)!;
  t.is(e.message, 'EINVAL: Invalid argument: Nexthop has invalid gateway');
  t.is(e.code, 'EINVAL');
  t.is(e.extack, r.extack);
});

test('TLVs after the header are ignored without NLM_F_ACK_TLVS', (t) => {
  const r = parseErrorReply(one(`2c000000 0200 0001 07000000 00000000  feffffff ${REQ_HDR} 0600 0100 7800 0000`));
  t.is(r.errno, 2);
  t.deepEqual(r.extack, {});
  t.deepEqual(r.unknown, []);
});

test('malformed error replies are DecodeErrors', (t) => {
  // nlmsgerr cut short: 16 of 20 payload bytes.
  let e = t.throws(() => parseErrorReply(one('20000000 0200 0001 00000000 00000000 00000000 2c000000 1800 0506 07000000')), {
    instanceOf: DecodeError,
  });
  t.regex(e!.message, /needs 20/);
  // Not capped, claims a 44-byte request but echoes only 4 payload bytes.
  e = t.throws(() => parseErrorReply(one(`28000000 0200 0000 07000000 00000000  efffffff ${REQ_HDR} 02100000`)), {
    instanceOf: DecodeError,
  });
  t.regex(e!.message, /echoed request runs past/);
  // OFFS with 2 bytes.
  t.throws(() => parseErrorReply(one(`2c000000 0200 0003 07000000 00000000  efffffff ${REQ_HDR} 0600 0200 0100 0000`)), {
    instanceOf: DecodeError,
    message: /u32 attribute has 2 bytes/,
  });
  // A TLV running past the message.
  t.throws(() => parseErrorReply(one(`2c000000 0200 0003 07000000 00000000  efffffff ${REQ_HDR} 0c00 0100 7800 0000`)), {
    instanceOf: DecodeError,
  });
});

test('buildErrorReply writes the kernel layout byte for byte (capped ext-ack)', (t) => {
  const b = new MessageBuilder();
  buildErrorReply(b, { errno: 22, request: REQUEST, extack: { message: 'x', offset: 28 }, pid: 1234 });
  t.is(
    toHex(b.bytes),
    hex(`34000000 0200 0003 07000000 d2040000  eaffffff ${REQ_HDR}  0600 0100 7800 0000  0800 0200 1c000000`),
  );
});

test('buildErrorReply: an ACK is capped with no TLVs', (t) => {
  const b = new MessageBuilder();
  buildErrorReply(b, { errno: 0, request: REQUEST, seq: 99, pid: 5 });
  t.is(toHex(b.bytes), hex(`24000000 0200 0001 63000000 05000000  00000000 ${REQ_HDR}`));
});

test('buildErrorReply → parseErrorReply round trip (echoed, capped, every extack field)', (t) => {
  const payload = fromHex(REQ_PAYLOAD);
  const extack = {
    message: 'Unknown device type',
    offset: 36,
    cookie: new Uint8Array([1, 2, 3]),
    policy: fromHex('0800 0100 01000000'),
    missingType: 3,
    missingNest: 20,
  };
  const b = new MessageBuilder(32);
  buildErrorReply(b, { errno: 95, request: REQUEST, requestPayload: payload, extack });
  buildErrorReply(b, { errno: 1, request: { ...REQUEST, seq: 8 }, extack: { message: 'only this' } });
  buildErrorReply(b, { errno: 0, request: { ...REQUEST, seq: 9 } });
  const [m1, m2, m3] = parseMessages(b.finish());
  t.is(m1.header.flags, NLM_F_ACK_TLVS);
  t.is(m2.header.flags, NLM_F_ACK_TLVS | NLM_F_CAPPED);
  t.is(m3.header.flags, NLM_F_CAPPED);
  t.is(m1.header.type, NLMSG_ERROR);

  const r1 = parseErrorReply(m1);
  t.is(r1.errno, 95);
  t.deepEqual(r1.request, REQUEST);
  t.is(toHex(r1.requestPayload!), toHex(payload));
  t.deepEqual(
    { ...r1.extack, cookie: toHex(r1.extack.cookie!), policy: toHex(r1.extack.policy!) },
    { ...extack, cookie: '010203', policy: '0800010001000000' },
  );
  t.deepEqual(r1.unknown, []);
  t.is(errorFromReply(r1)?.message, 'EOPNOTSUPP: Operation not supported: Unknown device type');

  const r2 = parseErrorReply(m2);
  t.is(r2.errno, 1);
  t.is(r2.request.seq, 8);
  t.is(r2.requestPayload, undefined);
  t.deepEqual(r2.extack, { message: 'only this' });
  t.is(errorFromReply(r2)?.message, 'EPERM: Operation not permitted: only this');

  const r3 = parseErrorReply(m3);
  t.is(r3.errno, 0);
  t.is(r3.request.seq, 9);
  t.is(errorFromReply(r3), undefined);
});

test('extack constants are enum nlmsgerr_attrs', (t) => {
  t.deepEqual(
    [NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_POLICY, NLMSGERR_ATTR_MISS_TYPE, NLMSGERR_ATTR_MISS_NEST],
    [1, 2, 3, 4, 5, 6],
  );
});
