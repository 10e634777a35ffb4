// Helpers of the link/addr/neigh tests: throwaway netns, `ip` runs, the CLI run in-process
// (stdout captured, errors mapped as main.ts maps them), and golden fixture access.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { describeFailure } from '../src/errors.js';
import { describeRequest } from '../src/describe.js';
import type { GlobalOptions } from '../src/context.js';
import { redirectOut } from '../src/stdout.js';
import { sortedByJson } from '../../../test/support/sets.js';

// Compiled for the lab, this file runs from build/lab/packages/vrfctl/test/.
export const ROOT = new URL('../../../', import.meta.url).pathname.replace(/build\/lab\/$/, '');
export const FIXTURES = join(ROOT, 'test/golden/fixtures');

export function tempNetns(t: ExecutionContext, { dad = false } = {}): string {
  const name = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  must(['netns', 'add', name]);
  t.teardown(() => {
    spawnSync('ip', ['netns', 'del', name]);
  });
  must(['-n', name, 'link', 'set', 'lo', 'up']);
  if (dad) return name;
  // No DAD: "tentative" would otherwise flip between two reads of the same state.
  const r = spawnSync('ip', ['netns', 'exec', name, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
  if (r.status !== 0) throw new Error(`sysctl in ${name} failed: ${r.stderr}`);
  return name;
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function ipRun(ns: string, args: readonly string[]): Run {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function must(args: readonly string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export function ip(ns: string, ...args: string[]): string {
  return must(['-n', ns, ...args]);
}

export function ipJson(ns: string, ...args: string[]): unknown {
  return JSON.parse(ip(ns, '-j', ...args));
}

/** `ip netns exec NS argv…` for fixture setup commands (argv[0] is "ip"). */
export function execIn(ns: string, argv: readonly string[]): Run {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

type Runner = (args: string[], opts: GlobalOptions) => number | void | Promise<number | void>;

/** Runs a command module as main.ts would: stdout captured, a throw mapped to one line + exit code. */
export async function cli(runner: Runner, command: string, args: string[], opts: Partial<GlobalOptions> = {}): Promise<Run> {
  const full: GlobalOptions = { json: false, pretty: false, dryRun: false, hex: false, debug: false, ...opts };
  if (full.dryRun && !full.hex) full.describeRequest = describeRequest; // as main.ts does
  const chunks: string[] = [];
  const before = redirectOut((chunk) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
  });
  let code = 0;
  let stderr = '';
  try {
    const r = runner(args, full);
    code = ((r instanceof Promise ? await r : r) ?? 0) as number;
  } catch (err) {
    const f = describeFailure(err, [command, ...args.slice(0, 1)].join(' '));
    code = f.code;
    stderr = f.line + '\n';
  } finally {
    redirectOut(before);
  }
  return { code, stdout: chunks.join(''), stderr };
}

export interface Fixture {
  name: string;
  command: string[];
  setup: string[][];
  exitCode: number;
  stdout: string;
  stderr: string;
  requests: string[];
  replies: string[];
  other?: Array<{ dir: 'send' | 'recv'; hex: string }>;
}

export function fixtures(kind: string): Fixture[] {
  const dir = join(FIXTURES, kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture);
}

/** The messages in one buffer (a sendmsg/recvmsg may hold several). */
export function splitMessages(hex: string): Buffer[] {
  const b = Buffer.from(hex, 'hex');
  const out: Buffer[] = [];
  for (let o = 0; o + 16 <= b.length; ) {
    const len = b.readUInt32LE(o);
    if (len < 16 || o + len > b.length) break;
    out.push(Buffer.from(b.subarray(o, o + len)));
    o += (len + 3) & ~3;
  }
  return out;
}

/** A copy with nlmsg_seq and nlmsg_pid zeroed. */
export function masked(msg: Buffer): Buffer {
  const m = Buffer.from(msg);
  m.fill(0, 8, 16);
  return m;
}

/** `ip [-4|-6|-j|-d…] OBJECT WORDS…` split into options, object and words. */
export function splitCommand(argv: readonly string[]): { family?: 4 | 6; json: boolean; object: string; words: string[] } {
  let i = argv[0] === 'ip' ? 1 : 0;
  let family: 4 | 6 | undefined;
  let json = false;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    if (argv[i] === '-4') family = 4;
    else if (argv[i] === '-6') family = 6;
    else if (argv[i] === '-j') json = true;
  }
  return { family, json, object: argv[i], words: argv.slice(i + 1) };
}

/** The netns most tests start from: veth v0/v1 (fixed MACs, up, addresses on v0) and a bridge br0. */
export const BASE_SETUP: string[][] = [
  ['link', 'add', 'v0', 'address', '02:00:00:00:00:a0', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:a1'],
  ['link', 'set', 'v0', 'up'],
  ['link', 'set', 'v1', 'up'],
  ['addr', 'add', '10.0.0.1/24', 'dev', 'v0'],
  ['addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'],
  ['link', 'add', 'br0', 'address', '02:00:00:00:00:b0', 'type', 'bridge'],
];

export function setupNetns(t: ExecutionContext, setup: string[][] = BASE_SETUP): string {
  const ns = tempNetns(t);
  for (const args of setup) ip(ns, ...args);
  settle(ns);
  return ns;
}

/** Waits until the netns state stops changing (operstate follows carrier with a delay). */
export function settle(ns: string, maxMs = 5000): void {
  const start = Date.now();
  let last = JSON.stringify(state(ns));
  while (Date.now() - start < maxMs) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    const now = JSON.stringify(state(ns));
    if (now === last) return;
    last = now;
  }
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const VOLATILE_KEYS = new Set(['bridge_id', 'root_id', 'hello_timer', 'tcn_timer', 'topology_change_timer', 'gc_timer', 'tentative']);

/**
 * `ip -j` state made comparable between two namespaces: kernel-chosen MACs (and the link-local
 * addresses made from them) and bridge timers masked; finite lifetimes (which count down) are
 * compared separately.
 */
export function comparable(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => comparable(v));
    // Link-local addresses derived from random MACs are dropped entirely.
    return items.filter((v) => !(v && typeof v === 'object' && (v as Record<string, unknown>).local === '<fe80>'));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (VOLATILE_KEYS.has(k)) continue;
      out[k] = comparable(v, k);
    }
    return out;
  }
  if (typeof value === 'string') {
    if (MAC.test(value) && !value.startsWith('02:00:00') && value !== 'ff:ff:ff:ff:ff:ff' && value !== '00:00:00:00:00:00') return '<mac>';
    if (key === 'local' && value.startsWith('fe80:')) return '<fe80>';
  }
  if (typeof value === 'number' && (key === 'valid_life_time' || key === 'preferred_life_time') && value !== 0xffffffff) {
    return 'finite';
  }
  return value;
}

/** Multicast entries come and go with MLD timing; the rest sorted, as hash order is not ours to compare. */
function unicastNeighbours(list: unknown): unknown {
  const entries = list as Array<{ dst: string; dev?: string }>;
  return sortedByJson(entries.filter((n) => !/^ff/i.test(n.dst) && !/^2(2[4-9]|3\d)\./.test(n.dst)));
}

/** The observable state of a netns, as `ip -j -d` shows it. */
export function state(ns: string): unknown {
  return comparable({
    links: ipJson(ns, '-d', 'link', 'show'),
    addrs: ipJson(ns, 'addr', 'show'),
    neigh: unicastNeighbours(ipJson(ns, 'neigh', 'show', 'nud', 'all')),
    // Neighbours come from hash tables: two dumps may list them in another order.
    proxy: sortedByJson(ipJson(ns, 'neigh', 'show', 'proxy') as unknown[]),
  });
}

/** A command both ip and vrfctl refuse: ip's exit status, ours, and our one stderr line. */
export interface Refusal {
  words: string[];
  ipCode: number;
  ourCode: number;
  line: RegExp;
}

/**
 * `ip OBJECT WORDS` in one new netns and vrfctl's in another, both set up alike (BASE_SETUP, then
 * prepare): checks the exit statuses, our one stderr line and that ours changed nothing. Returns
 * ip's netns and the state both started from, for the caller's check of what ip did.
 */
export async function refusedLikeIp(
  t: ExecutionContext, runner: Runner, object: string, f: Refusal, prepare: (ns: string) => void = () => {},
): Promise<{ theirs: string; before: unknown }> {
  const a = setupNetns(t);
  const b = setupNetns(t);
  prepare(a);
  prepare(b);
  const before = state(b);
  const theirs = ipRun(a, [object, ...f.words]);
  t.is(theirs.code, f.ipCode, theirs.stderr);
  const ours = await cli(runner, object, f.words, { netns: b });
  t.is(ours.code, f.ourCode);
  t.is(ours.stdout, '');
  t.is(ours.stderr.split('\n').length, 2, 'one line');
  t.regex(ours.stderr.trim(), f.line);
  t.deepEqual(state(b), before);
  return { theirs: a, before };
}
