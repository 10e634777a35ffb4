// Shared by the doctor lab tests. Time in the guest goes to starting processes, so: the broken
// state is built with one `ip -batch` per scenario, doctor runs in this process (the same code
// as the binary: runDoctor / diagnose from the built package), and so do the vrfctl fix lines
// (each through its command module, parsed from the exact text doctor printed); only file and
// cgroup fixes go through sh. Listeners are real sockets held by one python3 per scenario.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExecutionContext } from 'ava';
import { setVrfSysctls } from '@vrfctl/vrf';
import { diagnose, redirectOut, runDoctor, type DoctorJson, type Finding, type GatherOptions, type GlobalOptions } from 'vrfctl';

export function requireLab(): void {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run (they need the vrf driver)');
}

export interface Scenario {
  ns: string;
  /** Inputs doctor reads besides the kernel: a resolv.conf and an rt_tables directory of the scenario's own. */
  gather: GatherOptions;
  resolvConf: string;
  iproute2Dir: string;
}

/** A fresh netns with lo up, its own resolv.conf (an upstream server) and rt_tables dir, no SSH session. */
export function scenario(t: ExecutionContext): Scenario {
  const ns = `dr-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  const dir = mkdtempSync(join(tmpdir(), 'doctor-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, 'nameserver 192.0.2.53\n');
  const iproute2Dir = join(dir, 'iproute2');
  mkdirSync(join(iproute2Dir, 'rt_tables.d'), { recursive: true });
  return { ns, resolvConf, iproute2Dir, gather: { netns: ns, resolvConf, iproute2Dir, sshConnection: '' } };
}

/**
 * ip -n NS -batch: one process for a whole state (two when some lines start with -6: ip takes
 * no options per batch line, so those go to an `ip -6 -batch` after the others).
 */
export function ipBatch(ns: string, script: string): void {
  const lines = script.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const v6 = lines.filter((l) => l.startsWith('-6 ')).map((l) => l.slice(3));
  for (const [opts, part] of [[[], lines.filter((l) => !l.startsWith('-6 '))], [['-6'], v6]] as const) {
    if (part.length === 0) continue;
    const r = spawnSync('ip', [...opts, '-n', ns, '-batch', '-'], { input: part.join('\n') + '\n', encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip -batch failed: ${r.stderr}`);
  }
}

export function ip(ns: string, ...args: string[]): string {
  return execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
}

export const UNREACHABLE_METRIC = 4278198272;

/**
 * A VRF built right, by hand with ip (kernel documentation + seed 000): up, 127.0.0.1/8 and ::1,
 * unreachable defaults in both families, a named table, and a port (dummy) that is up with an
 * IPv4 and an IPv6 address (the IPv6 one added after enslaving, when the kernel keeps it).
 */
export function goodVrf(s: Scenario, name: string, table: number, port: string, v4: string, v6: string): string {
  writeFileSync(join(s.iproute2Dir, 'rt_tables.d', `${name}.conf`), `${table} ${name}\n`);
  return `
    link set lo up
    link add ${name} type vrf table ${table}
    link set ${name} up
    addr add 127.0.0.1/8 dev ${name}
    addr add ::1/128 dev ${name}
    route add unreachable default metric ${UNREACHABLE_METRIC} table ${table}
    route add unreachable ::/0 metric ${UNREACHABLE_METRIC} table ${table}
    link add ${port} type dummy
    link set ${port} master ${name}
    link set ${port} up
    addr add ${v4} dev ${port}
    addr add ${v6} dev ${port} nodad`;
}

/** The local rule moved behind the l3mdev rule, both families (seed 000's commands). */
export const MOVED_LOCAL_RULES = `
    rule add pref 32765 table local
    rule del pref 0
    -6 rule add pref 32765 table local
    -6 rule del pref 0`;

/**
 * The usual base: VRF mgmt (table 1000, port eth0 192.0.2.2/24) and the local rules moved, with
 * keep_addr_on_down 1 so that a port set down keeps its IPv6 address (ipv6-addr-lost has its own test).
 */
export function baseState(s: Scenario): void {
  setVrfSysctls(['net.ipv6.conf.all.keep_addr_on_down=1'], { netns: s.ns });
  ipBatch(s.ns, goodVrf(s, 'mgmt', 1000, 'eth0', '192.0.2.2/24', '2001:db8::2/64') + MOVED_LOCAL_RULES);
}

export function findings(s: Scenario, only: readonly string[] = []): Finding[] {
  return diagnose(s.gather, only);
}

export function ids(list: readonly Finding[]): string[] {
  return list.map((f) => f.id);
}

/** `vrfctl … doctor --fix` in this process: exit code and stdout (the -j document when it got that far). */
export function doctorFixRaw(s: Scenario, ...args: string[]): { code: number; stdout: string } {
  const opts: GlobalOptions = { netns: s.ns, json: true, pretty: false, dryRun: false, hex: false, debug: false };
  return capture(() => runDoctor(['--fix', ...args], opts, { resolvConf: s.resolvConf, iproute2Dir: s.iproute2Dir, sshConnection: '' }));
}

/** `vrfctl … doctor --fix` in this process; its -j document and exit code. */
export function doctorFix(s: Scenario, ...args: string[]): { code: number; json: DoctorJson } {
  const out = doctorFixRaw(s, ...args);
  return { code: out.code, json: JSON.parse(out.stdout) as DoctorJson };
}

function capture(fn: () => number): { code: number; stdout: string } {
  let stdout = '';
  const before = redirectOut((chunk) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
  });
  try {
    return { code: fn(), stdout };
  } finally {
    redirectOut(before);
  }
}

type CommandModule = { run: (args: string[], opts: GlobalOptions) => number | void | Promise<number | void> };

/** One "vrfctl [-n NS] [-4|-6] COMMAND ARGS…" line through the command's module, as main.ts dispatches it. */
async function runVrfctlLine(line: string): Promise<void> {
  const words = line.trim().split(/\s+/);
  if (words.shift() !== 'vrfctl') throw new Error(`not a vrfctl line: ${line}`);
  const opts: GlobalOptions = { json: false, pretty: false, dryRun: false, hex: false, debug: false };
  while (words[0]?.startsWith('-')) {
    const g = words.shift()!;
    if (g === '-n') opts.netns = words.shift();
    else if (g === '-4') opts.family = 4;
    else if (g === '-6') opts.family = 6;
    else throw new Error(`unexpected global flag ${g} in ${line}`);
  }
  const command = words.shift()!;
  const mod = (await import(pathToFileURL(join(process.cwd(), 'packages/vrfctl/dist/commands', `${command}.js`)).href)) as CommandModule;
  const out = capture(() => {
    const r = mod.run(words, opts);
    if (r instanceof Promise) throw new Error(`${command} is asynchronous`);
    return r ?? 0;
  });
  if (out.code !== 0) throw new Error(`"${line}" exited ${out.code}`);
}

/**
 * Runs a fix exactly as printed: "A && B" in order; vrfctl lines in process, anything else
 * (echo > file, echo PID > cgroup.procs) through sh.
 */
export async function runFix(fix: string): Promise<void> {
  for (const part of fix.split(' && ')) {
    if (part.startsWith('vrfctl ')) await runVrfctlLine(part);
    else {
      const r = spawnSync('sh', ['-c', part], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`"${part}" failed: ${r.stderr}`);
    }
  }
}

export interface SocketSpec {
  proto: 'tcp' | 'udp' | 'raw';
  family?: 4 | 6;
  addr: string;
  /** Port; the IP protocol for raw. */
  port: number;
  /** SO_BINDTODEVICE. */
  dev?: string;
}

const HOLDER = `
import json, socket, sys, time
held = []
for s in json.loads(sys.argv[1]):
    fam = socket.AF_INET6 if s.get('family') == 6 else socket.AF_INET
    if s['proto'] == 'raw':
        k = socket.socket(fam, socket.SOCK_RAW, s['port'])
    else:
        k = socket.socket(fam, socket.SOCK_STREAM if s['proto'] == 'tcp' else socket.SOCK_DGRAM)
        k.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if s.get('dev'):
        k.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, s['dev'].encode())
    if s['proto'] != 'raw':
        k.bind((s['addr'], s['port']))
    if s['proto'] == 'tcp':
        k.listen()
    held.append(k)
print('ready', flush=True)
time.sleep(600)
`;

/** Real sockets in the netns, held by one python3 until the end of the test. */
export async function listen(t: ExecutionContext, ns: string, sockets: readonly SocketSpec[]): Promise<ChildProcess> {
  const child = spawn('ip', ['netns', 'exec', ns, '/usr/bin/python3', '-c', HOLDER, JSON.stringify(sockets)], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => void child.kill());
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => c.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`socket holder exited ${code}: ${err}`)));
  });
  return child;
}
