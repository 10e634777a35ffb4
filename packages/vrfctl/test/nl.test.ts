import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitMessages } from '@vrfctl/rtnetlink';
import { vrfctl } from './cli.js';
import { EXIT_USAGE } from '../src/errors.js';

const fixtures = fileURLToPath(new URL('../../../test/golden/fixtures', import.meta.url));

function allBuffers(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(fixtures)) {
    for (const f of readdirSync(join(fixtures, dir))) {
      const fx = JSON.parse(readFileSync(join(fixtures, dir, f), 'utf8')) as { requests: string[]; replies: string[] };
      out.push(...fx.requests, ...fx.replies);
    }
  }
  return out;
}

test('nl decode | nl encode gives back every captured message byte for byte', (t) => {
  const buffers = allBuffers();
  t.true(buffers.length > 500);
  const decoded = vrfctl(['nl', 'decode'], buffers.join('\n') + '\n');
  t.is(decoded.code, 0, decoded.stderr);
  const lines = decoded.stdout.trim().split('\n');
  const expected = buffers.flatMap((hex) => splitMessages(Buffer.from(hex, 'hex')).messages);
  t.is(lines.length, expected.length);
  for (const line of lines) {
    const obj = JSON.parse(line) as { header: { type: unknown } };
    t.truthy(obj.header.type);
  }
  const encoded = vrfctl(['nl', 'encode'], decoded.stdout);
  t.is(encoded.code, 0, encoded.stderr);
  const hexLines = encoded.stdout.trim().split('\n');
  t.is(hexLines.length, expected.length);
  const mismatches = hexLines.filter((hex, i) => {
    const m = expected[i];
    // The message's own bytes: its header starts 16 bytes before its payload view.
    const original = Buffer.from(m.payload.buffer, m.payload.byteOffset - 16, m.header.length).toString('hex');
    return hex !== original;
  });
  t.deepEqual(mismatches, []);
});

test('nl decode: malformed lines get an error naming the line, the others still decode, EXIT_USAGE', (t) => {
  const good = '1400000003000200000000000000000000000000';
  const truncated = '2000000010000500';
  const r = vrfctl(['nl', 'decode'], `${good}\n${truncated}\n${good}\n`);
  t.is(r.code, EXIT_USAGE);
  t.is(r.stdout.trim().split('\n').length, 2);
  t.regex(r.stderr, /^vrfctl: nl decode: line 2: .+/);
  t.false(r.stderr.includes('    at '), 'no stack trace');
});

test('nl decode: text that is not hex is a usage error (EXIT_USAGE)', (t) => {
  const r = vrfctl(['nl', 'decode', 'xyz']);
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /argument 1: invalid hex/);
});

test('nl encode: invalid JSON and an unencodable message are bad input (EXIT_USAGE)', (t) => {
  t.is(vrfctl(['nl', 'encode', '{not json']).code, EXIT_USAGE);
  const r = vrfctl(['nl', 'encode', '{"header":{"type":"RTM_NOPE"}}']);
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /argument 1: /);
  // #19 item 10: a JSON value of another shape said "names is not iterable" (JS internals).
  for (const shape of ['{"type":"RTM_NEWLINK"}', '[]', '42', 'null']) {
    const o = vrfctl(['nl', 'encode', shape]);
    t.is(o.code, EXIT_USAGE, shape);
    t.is(o.stderr, 'vrfctl: nl encode: argument 1: not a message as "vrfctl nl decode" prints it (a "header" object and the message\'s fields)\n', shape);
  }
});

test('nl without decode/encode is a usage error', (t) => {
  const r = vrfctl(['nl', 'frobnicate']);
  t.is(r.code, EXIT_USAGE);
  t.regex(r.stderr, /expected "decode" or "encode"/);
});
