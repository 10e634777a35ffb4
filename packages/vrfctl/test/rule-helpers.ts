// Shared by the rule CLI tests: throwaway namespaces, `ip` in them, and `vrfctl rule` run in
// process (the same code path as the binary, without a ts-node start per call).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { run } from '../src/commands/rule.js';
import { describeFailure } from '../src/errors.js';
import type { GlobalOptions } from '../src/context.js';

export function tempNetns(t: ExecutionContext): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => execFileSync('ip', ['netns', 'del', name]));
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** `ip -n NS …`; throws with ip's stderr when it fails. */
export function ip(netns: string, ...args: string[]): string {
  return execFileSync('ip', ['-n', netns, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `ip -n NS …` that may fail: status and output. */
export function ipTry(netns: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['-n', netns, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** `ip -j rule show` (per family) parsed. */
export function ipRulesJson(netns: string, family: 4 | 6 = 4): Array<Record<string, unknown>> {
  return JSON.parse(ip(netns, `-${family}`, '-j', 'rule', 'show')) as Array<Record<string, unknown>>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vrfctl [global flags] rule ARGS…` in this process: global flags are the words before
 * "rule" (-n NS, -4, -6, -j, --dry-run, --hex). Exit code and error line as main.ts makes them.
 */
export function vrfctl(argv: string[]): CliResult {
  const at = argv.indexOf('rule');
  if (at === -1) throw new Error('vrfctl(): only the rule command runs in process');
  const opts: GlobalOptions = { json: false, pretty: false, dryRun: false, hex: false, debug: false };
  const globals = argv.slice(0, at);
  for (let i = 0; i < globals.length; i++) {
    const g = globals[i];
    if (g === '-n' || g === '--netns') opts.netns = globals[++i];
    else if (g === '-4') opts.family = 4;
    else if (g === '-6') opts.family = 6;
    else if (g === '-j' || g === '--json') opts.json = true;
    else if (g === '--dry-run') opts.dryRun = true;
    else if (g === '--hex') opts.hex = true;
    else throw new Error(`vrfctl(): unknown global flag ${g}`);
  }
  const args = argv.slice(at + 1);
  let stdout = '';
  const write = process.stdout.write;
  // run() is synchronous, so nothing else writes to stdout while it is redirected.
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stdout.write;
  try {
    const code = run(args, opts);
    return { code: typeof code === 'number' ? code : 0, stdout, stderr: '' };
  } catch (err) {
    const { line, code } = describeFailure(err, ['rule', ...args.slice(0, 1)].join(' '));
    return { code, stdout, stderr: line + '\n' };
  } finally {
    process.stdout.write = write;
  }
}

/** The hex lines a dry run printed. */
export function hexLines(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.length > 0);
}

/** A request with nlmsg_seq and nlmsg_pid zeroed (bytes 8–15 of each message). */
export function maskSeqPid(hex: string): string {
  const b = Buffer.from(hex, 'hex');
  let off = 0;
  while (off + 16 <= b.length) {
    const len = b.readUInt32LE(off);
    b.fill(0, off + 8, off + 16);
    if (len < 16) break;
    off += (len + 3) & ~3;
  }
  return b.toString('hex');
}
