// Shared by the batch, monitor and apply tests: a throwaway netns with a veth pair, `ip -j`
// snapshots of the kernel state, and the built CLI run in that netns.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { tempNetns, must } from './link-helpers.js';
import { vrfctl, type CliResult } from './cli.js';

/** A netns with v0 (192.0.2.2/24, 2001:db8:f::2/64) up, its peer v1 up. */
export function lanNetns(t: ExecutionContext): string {
  const ns = tempNetns(t);
  must(['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
  must(['-n', ns, 'link', 'set', 'v0', 'up']);
  must(['-n', ns, 'link', 'set', 'v1', 'up']);
  must(['-n', ns, 'addr', 'add', '192.0.2.2/24', 'dev', 'v0']);
  must(['-n', ns, 'addr', 'add', '2001:db8:f::2/64', 'dev', 'v0', 'nodad']);
  return ns;
}

export function ipIn(ns: string, ...args: string[]): string {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip -n ${ns} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export function sysctlIn(ns: string, key: string): string {
  const r = spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', key], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`sysctl ${key}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Routes (all tables, both families), rules (both families) and links, as ip -j prints them. */
export function snapshot(ns: string): Record<string, unknown> {
  const j = (...args: string[]): unknown => JSON.parse(ipIn(ns, '-j', ...args));
  return {
    routes4: j('route', 'show', 'table', 'all'),
    routes6: j('-6', 'route', 'show', 'table', 'all'),
    rules4: j('rule', 'show'),
    rules6: j('-6', 'rule', 'show'),
    links: j('link', 'show'),
    tcp_l3mdev_accept: sysctlIn(ns, 'net.ipv4.tcp_l3mdev_accept'),
  };
}

export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-t-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function vrfctlIn(ns: string, args: string[], input?: string): CliResult {
  return vrfctl(['-n', ns, ...args], input);
}

export function nonEmpty(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
