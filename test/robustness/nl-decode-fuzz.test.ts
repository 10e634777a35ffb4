// `vrfctl nl decode` fed real captured messages after random mutation, truncation and splicing,
// plus plain random bytes: each bad line gets one error line naming it, EXIT_USAGE, no stack trace,
// no hang, and every good line is still decoded exactly as the library decodes it.
import test from 'ava';
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DecodeError } from '@vrfctl/netlink';
import { messageToJson, splitMessages } from '@vrfctl/rtnetlink';
import { FC_SEED, scaled } from '../support/fc-config.js';
import { vrfctl } from './helpers.js';
import { EXIT_USAGE } from '../../packages/vrfctl/src/errors.js';

const FIXTURES = fileURLToPath(new URL('../golden/fixtures', import.meta.url));

function fixtureBuffers(): Buffer[] {
  const out: Buffer[] = [];
  for (const dir of readdirSync(FIXTURES).sort()) {
    for (const f of readdirSync(join(FIXTURES, dir)).sort()) {
      const fx = JSON.parse(readFileSync(join(FIXTURES, dir, f), 'utf8')) as { requests: string[]; replies: string[] };
      for (const hex of [...fx.requests, ...fx.replies]) out.push(Buffer.from(hex, 'hex'));
    }
  }
  return out;
}

const seeds = fixtureBuffers();

/** Offsets of the length fields a decoder trusts: nlmsg_len of each message and nla_len guesses. */
function lengthFieldOffsets(buf: Buffer): number[] {
  const offs: number[] = [];
  let off = 0;
  while (off + 16 <= buf.length) {
    offs.push(off);
    const len = buf.readUInt32LE(off);
    if (len < 16) break;
    off += Math.ceil(len / 4) * 4;
  }
  for (let i = 16; i + 4 <= buf.length; i += 4) offs.push(i);
  return offs;
}

type Mutation =
  | { kind: 'flip'; at: number; xor: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'length'; field: number; value: number; wide: boolean }
  | { kind: 'splice'; at: number; bytes: Uint8Array }
  | { kind: 'append'; bytes: Uint8Array };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('length' as const),
    field: fc.nat(),
    // Boundaries a parser gets wrong: 0, below the header, off by one, huge.
    value: fc.oneof(fc.constantFrom(0, 1, 3, 4, 15, 16, 17, 19, 20, 0xfffe, 0xffff, 0x7fffffff, 0xffffffff), fc.nat()),
    wide: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 24 }) }),
  fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
);

function mutate(original: Buffer, muts: Mutation[]): Buffer {
  let buf = Buffer.from(original);
  for (const m of muts) {
    if (buf.length === 0) break;
    switch (m.kind) {
      case 'flip':
        buf[m.at % buf.length] ^= m.xor;
        break;
      case 'truncate':
        buf = buf.subarray(0, m.at % buf.length);
        break;
      case 'length': {
        const offs = lengthFieldOffsets(buf);
        if (offs.length === 0) break;
        const at = offs[m.field % offs.length];
        // nlmsg_len is 32 bits at a message start; nla_len is 16 bits.
        if (m.wide && at + 4 <= buf.length) buf.writeUInt32LE(m.value >>> 0, at);
        else if (at + 2 <= buf.length) buf.writeUInt16LE(m.value & 0xffff, at);
        break;
      }
      case 'splice': {
        const at = m.at % (buf.length + 1);
        buf = Buffer.concat([buf.subarray(0, at), Buffer.from(m.bytes), buf.subarray(at)]);
        break;
      }
      case 'append':
        buf = Buffer.concat([buf, Buffer.from(m.bytes)]);
        break;
    }
  }
  return buf;
}

const inputArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.nat(seeds.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 })).map(([i, m]) => mutate(seeds[i], m)) },
  { weight: 1, arbitrary: fc.nat(seeds.length - 1).map((i) => seeds[i]) },
  { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 200 }).map((a) => Buffer.from(a)) },
);

/** What the CLI must print for one input: its JSON lines, or the error it must report. */
function oracle(buf: Buffer): { lines: string[] } | { error: string } {
  try {
    const { messages, trailing } = splitMessages(buf);
    if (messages.length === 0) throw new DecodeError('no netlink message', 0);
    if (trailing.some((b) => b !== 0)) throw new DecodeError(`${trailing.length} bytes after the last message`, buf.length - trailing.length);
    return { lines: messages.map((m) => JSON.stringify(messageToJson(m))) };
  } catch (err) {
    return { error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

const INVOCATIONS = 3;
const PER_INVOCATION = scaled(700);

for (let round = 0; round < INVOCATIONS; round++) {
  test(`nl decode, fuzz round ${round + 1}: ${PER_INVOCATION} mutated inputs in one invocation`, (t) => {
    const inputs = fc.sample(inputArb, { seed: FC_SEED + round, numRuns: PER_INVOCATION });
    // A header comment and blank lines: error lines must name the input's own line number.
    const text = ['# fuzz input', '', ...inputs.map((b) => (b.length === 0 ? '00' : b.toString('hex')))].join('\n') + '\n';
    const lineOf = (i: number) => i + 3;
    const r = vrfctl(['nl', 'decode'], { input: text, timeoutMs: 60_000 });
    t.false(r.timedOut, 'nl decode hung');
    t.is(r.signal, null);
    t.false(r.stderr.includes('    at '), 'no stack trace');

    const expected: string[] = [];
    const failing = new Map<number, string>();
    inputs.forEach((b, i) => {
      const o = oracle(b.length === 0 ? Buffer.alloc(1) : b);
      if ('lines' in o) expected.push(...o.lines);
      else failing.set(lineOf(i), o.error);
    });
    // A malformed buffer must be a DecodeError: anything else is a decoder bug that would
    // otherwise surface as "TypeError: …" to the user.
    const notDecodeErrors = [...failing].filter(([, e]) => !e.startsWith('DecodeError: '));
    t.deepEqual(notDecodeErrors, [], 'only DecodeError for malformed input');

    t.true(failing.size > PER_INVOCATION / 10, `enough inputs are malformed (${failing.size})`);
    t.true(expected.length > 0, 'some inputs still decode');
    t.is(r.code, failing.size > 0 ? 1 : 0, r.stderr.slice(0, 500));

    const errLines = r.stderr.split('\n').filter((l) => l !== '');
    t.is(errLines.length, failing.size, 'one error line per malformed input');
    const named = errLines.map((l) => {
      const m = /^vrfctl: nl decode: line (\d+): (.+)$/.exec(l);
      return m ? Number(m[1]) : -1;
    });
    t.deepEqual(named, [...failing.keys()], 'each error line names its input line, in order');

    // Every good line decoded, in order, identical to the library's own decoding.
    const out = r.stdout.split('\n').filter((l) => l !== '');
    t.is(out.length, expected.length);
    t.true(out.every((l, i) => l === expected[i]), 'decoded output matches the library');
  });
}

test('nl decode: huge claimed lengths and zero lengths fail fast, each naming its argument', (t) => {
  const done = '1400000003000200000000000000000000000000'; // a valid NLMSG_DONE
  const args = [
    'ffffffff100002000000000000000000', // nlmsg_len 4 GiB in a 16-byte buffer
    done,
    '14000000100002000000000000000000000000', // 19 bytes claiming 20
    '00000000000000000000000000000000', // nlmsg_len 0
    // RTM_NEWLINK whose only attribute claims nla_len 0xffff
    '2400000010000200000000000000000000000000000000000000000000000000ffff0300',
  ];
  const r = vrfctl(['nl', 'decode', ...args], { timeoutMs: 20_000 });
  t.false(r.timedOut);
  t.is(r.code, EXIT_USAGE);
  t.false(r.stderr.includes('    at '));
  const named = r.stderr.trim().split('\n').map((l) => /^vrfctl: nl decode: argument (\d+): /.exec(l)?.[1]);
  t.deepEqual(named, ['1', '3', '4', '5']);
  t.deepEqual(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { header: { type: string } }).header.type), ['NLMSG_DONE']);
});
