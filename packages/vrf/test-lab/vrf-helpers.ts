// Shared by the VRF lab tests: throwaway netns, ip -j, the built CLI, and a socket in the netns.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink, runSync, type Plan } from '@vrfctl/socket';

// Lab tests run compiled (build/lab/…) from the repository root: the CLI is the built one there.
const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

export function requireLab(): void {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run (they need the vrf driver)');
}

/** A fresh netns with lo up, deleted at the end of the test. */
export function tempNetns(t: ExecutionContext): string {
  const name = `vrfctl-t-${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  t.teardown(() => execFileSync('ip', ['netns', 'del', name]));
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** Runs a script of ip commands (one per line) in the netns. */
export function ipBatch(ns: string, script: string): void {
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: script.trim().split('\n').map((l) => l.trim()).join('\n') + '\n' });
}

export function ip(ns: string, ...args: string[]): string {
  return execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
}

export function ipJson<T = Array<Record<string, unknown>>>(ns: string, ...args: string[]): T {
  const out = ip(ns, '-j', ...args).trim();
  return (out === '' ? [] : JSON.parse(out)) as T;
}

/** What a "nothing changed" check compares. */
export function snapshot(ns: string): string {
  return ['-d link show', 'addr show', 'route show table all', '-6 route show table all', 'rule show', '-6 rule show']
    .map((c) => ip(ns, ...c.split(' ')))
    .join('\n')
    .replace(/ +(valid|preferred)_lft \S+/g, '');
}

export function vrfctl(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SSH_CONNECTION: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function mustVrfctl(...args: string[]): string {
  const r = vrfctl(...args);
  if (r.status !== 0) throw new Error(`vrfctl ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A netlink socket in the netns, closed at the end of the test; run() runs a plan on it. */
export function session(t: ExecutionContext, ns: string): { run: <T>(plan: Plan<T>) => T } {
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  return { run: (plan) => runSync(nl, plan) };
}
