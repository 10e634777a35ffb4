// Issue #19 items 8 and 10: apply/diff input is bounded (size, line length, nesting, aliases) and
// refused as input (EXIT_USAGE, one short line), never a crash or a system failure; a VRF named
// "default", names with control/bidi/ESC characters or invalid UTF-8, and --netns ../x are
// refused before anything is sent, and never echoed raw.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { EXIT_USAGE } from '../src/errors.js';
import { VRFCTL_BIN, vrfctl } from './cli.js';
import { tempFile } from './batch-helpers.js';

const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function refused(t: import('ava').ExecutionContext, args: string[], message: RegExp): void {
  const r = vrfctl(args);
  t.is(r.code, EXIT_USAGE, r.stderr);
  t.regex(r.stderr, message);
  t.is(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr.slice(0, 300)}`);
  t.true(r.stderr.length < 400, `short: ${r.stderr.length} characters`);
  t.false(RAW_UNSAFE.test(r.stderr), 'no raw control characters in the message');
}

test('a VRF named default is refused by the schema (diff and apply)', (t) => {
  const f = tempFile('default.yaml', 'vrfs:\n  default:\n    table: 5\n');
  refused(t, ['diff', f], /^vrfctl: diff: vrfs\.default: invalid VRF name "default": reserved/m);
  refused(t, ['apply', f], /^vrfctl: apply: vrfs\.default: invalid VRF name "default": reserved/m);
});

test('deep YAML nesting, an alias bomb, a huge file, /dev/zero and a huge line are refused as input', (t) => {
  refused(t, ['diff', tempFile('deep.yaml', `a: ${'['.repeat(100_000)}`)], /deep\.yaml:1: nested deeper than 32 levels/);
  refused(t, ['diff', tempFile('block.yaml', Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'))], /nested deeper than 32 levels/);
  let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  refused(t, ['diff', tempFile('bomb.yaml', bomb)], /bomb\.yaml: Excessive alias count/);
  refused(t, ['diff', tempFile('big.yaml', `# ${'x'.repeat(2000)}\n`.repeat(1000))], /big\.yaml: larger than 1048576 bytes/);
  refused(t, ['apply', '/dev/zero'], /\/dev\/zero: larger than 1048576 bytes/);
  refused(t, ['diff', tempFile('line.yaml', `vrfs: ${'x'.repeat(100_000)}\n`)], /line\.yaml:1: line longer than 4096 characters/);
});

test('names with ESC, newline, bidi or invalid UTF-8 are refused and shown escaped', (t) => {
  refused(t, ['diff', tempFile('esc.yaml', 'vrfs:\n  "r\\e[31m":\n    table: 5\n')], /invalid VRF name "r\\u001b\[31m": no control or bidi characters/);
  refused(t, ['diff', tempFile('bidi.yaml', 'vrfs:\n  "a\\u202Eb":\n    table: 5\n')], /\\u202e/);
  refused(t, ['diff', tempFile('nl.yaml', 'routes:\n  - to: 10.0.0.0/8\n    dev: "a\\nb"\n')], /routes\[0\]\.dev: invalid device name "a\\u000ab"/);
  const utf8 = tempFile('utf8.yaml', 'x');
  writeFileSync(utf8, Buffer.concat([Buffer.from('vrfs:\n  r'), Buffer.from([0xff, 0xfe]), Buffer.from(':\n    table: 5\n')]));
  refused(t, ['diff', utf8], /\\ufffd/);
  refused(t, ['add', 'r\u001b[2J', 'table', '10'], /invalid VRF name "r\\u001b\[2J"/);
  // A name straight from argv with invalid UTF-8 bytes (Node decodes them as U+FFFD).
  const r = spawnSync(process.execPath, [VRFCTL_BIN, 'add', Buffer.from([0x72, 0xff]).toString('latin1'), 'table', '10'], { encoding: 'utf8' });
  t.not(r.status, 0);
  t.false(RAW_UNSAFE.test(r.stderr));
});

test('--netns ../x and other traversals are refused as usage, before anything is opened', (t) => {
  refused(t, ['--netns', '../x', 'list'], /^vrfctl: .*invalid network namespace "\.\.\/x"/m);
  refused(t, ['--netns', '..', 'list'], /invalid network namespace/);
  refused(t, ['--netns', 'a\u001bb', 'list'], /invalid network namespace "a\\u001bb"/);
});
