import test from 'ava';
import {
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_APPEND,
  NLM_F_ATOMIC,
  NLM_F_BULK,
  NLM_F_CAPPED,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_DUMP_FILTERED,
  NLM_F_DUMP_INTR,
  NLM_F_ECHO,
  NLM_F_EXCL,
  NLM_F_MATCH,
  NLM_F_MULTI,
  NLM_F_NONREC,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  NLM_F_ROOT,
  flagNames,
  flagsFromNames,
  type FlagContext,
} from '@vrfctl/netlink';

test('flag values are the linux/netlink.h ABI', (t) => {
  t.deepEqual(
    [NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED],
    [1, 2, 4, 8, 0x10, 0x20],
  );
  t.deepEqual([NLM_F_ROOT, NLM_F_MATCH, NLM_F_ATOMIC, NLM_F_DUMP], [0x100, 0x200, 0x400, 0x300]);
  t.deepEqual([NLM_F_REPLACE, NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND], [0x100, 0x200, 0x400, 0x800]);
  t.deepEqual([NLM_F_NONREC, NLM_F_BULK, NLM_F_CAPPED, NLM_F_ACK_TLVS], [0x100, 0x200, 0x100, 0x200]);
});

test('flagNames: the same bits read differently per context', (t) => {
  t.deepEqual(flagNames(0x305, 'get'), ['REQUEST', 'ACK', 'ROOT', 'MATCH']);
  t.deepEqual(flagNames(0x605, 'new'), ['REQUEST', 'ACK', 'EXCL', 'CREATE']);
  t.deepEqual(flagNames(0x905, 'new'), ['REQUEST', 'ACK', 'REPLACE', 'APPEND']);
  t.deepEqual(flagNames(0x301, 'del'), ['REQUEST', 'NONREC', 'BULK']);
  t.deepEqual(flagNames(0x300, 'ack'), ['CAPPED', 'ACK_TLVS']);
  t.deepEqual(flagNames(0x301, 'other'), ['REQUEST', '0x300']);
});

test('flagNames: zero is empty; unnamed bits collected into one hex entry', (t) => {
  t.deepEqual(flagNames(0, 'new'), []);
  t.deepEqual(flagNames(0x3f, 'other'), ['REQUEST', 'MULTI', 'ACK', 'ECHO', 'DUMP_INTR', 'DUMP_FILTERED']);
  t.deepEqual(flagNames(0x8042, 'get'), ['MULTI', '0x8040']);
  t.deepEqual(flagNames(0x800, 'del'), ['0x800']);
  t.deepEqual(flagNames(0x400, 'ack'), ['0x400']);
});

test('flagsFromNames inverts flagNames for every 16-bit value in every context', (t) => {
  const contexts: FlagContext[] = ['get', 'new', 'del', 'ack', 'other'];
  for (const ctx of contexts) {
    for (let f = 0; f <= 0xffff; f++) {
      const back = flagsFromNames(flagNames(f, ctx), ctx);
      if (back !== f) {
        t.fail(`${ctx} 0x${f.toString(16)} -> ${flagNames(f, ctx).join(',')} -> 0x${back.toString(16)}`);
        return;
      }
    }
  }
  t.pass();
});

test('flagsFromNames: names resolve per context; hex accepted; unknown names refused', (t) => {
  t.is(flagsFromNames(['REQUEST', 'CREATE', 'EXCL'], 'new'), 0x601);
  t.is(flagsFromNames(['REQUEST', 'ROOT', 'MATCH'], 'get'), NLM_F_REQUEST | NLM_F_DUMP);
  t.is(flagsFromNames(['0x1000', '0X2'], 'other'), 0x1002);
  t.is(flagsFromNames([], 'get'), 0);
  t.throws(() => flagsFromNames(['CREATE'], 'get'), { instanceOf: RangeError, message: /unknown netlink flag CREATE/ });
  t.throws(() => flagsFromNames(['ROOT'], 'new'), { instanceOf: RangeError });
  t.throws(() => flagsFromNames(['request'], 'new'), { instanceOf: RangeError }, 'case-sensitive');
  t.throws(() => flagsFromNames(['0x'], 'new'), { instanceOf: RangeError });
  t.throws(() => flagsFromNames(['0xzz'], 'new'), { instanceOf: RangeError });
});
