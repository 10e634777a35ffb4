// Issue #19 items 8 and 10: apply/diff input is bounded (size, line length, nesting, aliases) and
// refused as input (EXIT_USAGE, one short line), never a crash or a system failure; a VRF named
// "default", names with control/bidi/ESC characters or invalid UTF-8, and --netns ../x are
// refused before anything is sent, and never echoed raw.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { EXIT_USAGE } from '../src/errors.js';
import { VRFCTL_BIN, vrfctl } from './cli.js';
import { tempFile } from './batch-helpers.js';

const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

/** A run refused as input: EXIT_USAGE, one short line matching message, nothing raw. stdin: text, or an fd to read from. */
function refused(t: import('ava').ExecutionContext, args: string[], message: RegExp, stdin?: string | number): void {
  const r = typeof stdin === 'number'
    ? spawnSync(process.execPath, [VRFCTL_BIN, ...args], { stdio: [stdin, 'pipe', 'pipe'], encoding: 'utf8' })
    : spawnSync(process.execPath, [VRFCTL_BIN, ...args], { input: stdin, encoding: 'utf8' });
  refusal(t, { code: r.status, stdout: r.stdout, stderr: r.stderr }, message);
}

function refusal(t: import('ava').ExecutionContext, r: { code: number | null; stdout: string; stderr: string }, message: RegExp): void {
  t.is(r.code, EXIT_USAGE, r.stderr.slice(0, 300));
  t.regex(r.stderr.trimEnd(), message);
  t.is(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr.slice(0, 300)}`);
  t.true(r.stderr.length < 400, `short: ${r.stderr.length} characters`);
  t.false(RAW_UNSAFE.test(r.stderr), 'no raw control characters in the message');
}

/** `sh -c "PRODUCER | vrfctl ARGS"`: vrfctl reading a stream that never ends by itself. */
function fromPipe(producer: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const quoted = [process.execPath, VRFCTL_BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('sh', ['-c', `${producer} | ${quoted}`], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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

test('nl decode and nl encode: a line past 1 MiB, an endless input, /dev/zero are refused as input (exit 1, one short line)', (t) => {
  const zero = openSync('/dev/zero', 'r');
  t.teardown(() => closeSync(zero));
  refused(t, ['nl', 'decode'], /^vrfctl: nl decode: line 1: longer than 1048576 characters$/, zero);
  refused(t, ['nl', 'encode'], /^vrfctl: nl encode: line 1: longer than 1048576 characters$/, zero);
  const good = '1400000003000200000000000000000000000000';
  refused(t, ['nl', 'decode'], /^vrfctl: nl decode: line 2: longer than 1048576 characters$/, `${good}\n${'0'.repeat((1 << 20) + 2)}\n${good}\n`);
  // Comment lines without end: refused once 64 MiB were read, not read forever.
  refusal(t, fromPipe("yes '# a comment'", ['nl', 'decode']), /^vrfctl: nl decode: input larger than 67108864 bytes$/);
  // Lines up to the limit still go through.
  const ok = vrfctl(['nl', 'decode'], `# ${'x'.repeat((1 << 20) - 2)}\n${good}\n`);
  t.is(ok.code, 0, ok.stderr);
  t.is(ok.stdout.trim().split('\n').length, 1);
});

test('nl decode and nl encode quote bad input escaped and short; deep nesting and an oversized attribute are refused in words', (t) => {
  refused(t, ['nl', 'decode'], /^vrfctl: nl decode: line 1: invalid hex: not a hex digit "\\u001b" at byte 2$/, 'ab\u001b[31mcde\n');
  refused(t, ['nl', 'decode'], /not a hex digit "\\u0000"/, '\u0000\u0000\n');
  refused(t, ['nl', 'encode'], /^vrfctl: nl encode: line 1: invalid JSON: .*\\u001b/, `{"a":\u001b[31m ${'x'.repeat(5000)}}\n`);
  const header = '"header":{"len":0,"type":"RTM_NEWLINK","flags":[],"seq":0,"pid":0},"ifinfomsg":{"family":0,"type":0,"index":1,"flags":0,"change":0}';
  let nest = '{"type":1,"hex":"00"}';
  for (let i = 0; i < 20_000; i++) nest = `{"type":1,"nested":true,"value":[${nest}]}`;
  refused(t, ['nl', 'encode'], /^vrfctl: nl encode: line 1: attributes nested deeper than 32$/, `{${header},"attributes":[{"type":"IFLA_LINKINFO","value":[${nest}]}]}\n`);
  refused(t, ['nl', 'encode'], /^vrfctl: nl encode: line 1: attribute IFLA_IFNAME: 70000 bytes do not fit nla_len \(at most 65531\)$/,
    `{${header},"attributes":[{"type":"IFLA_IFNAME","hex":"${'00'.repeat(70_000)}"}]}\n`);
  refused(t, ['nl', 'encode', `{${header.replace('"index":1', '"index":1e12')}}`], /^vrfctl: nl encode: argument 1: ifinfomsg\.index: 1000000000000 is not an integer in -2147483648\.\.4294967295$/);
});
