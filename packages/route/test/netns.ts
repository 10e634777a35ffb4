// Test helpers: throwaway network namespaces, `ip` in them, and the fixture network most route
// tests start from (a veth pair v0/v1 with 10.0.0.1/24 and 2001:db8::1/64 on v0).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink, type NetlinkSocket } from '@vrfctl/socket';

import { tempNetns } from '../../../test/support/netns.js';
import { sortedByJson } from '../../../test/support/sets.js';

export { tempNetns };


/** Runs `ip -n NS ARGS…` and returns stdout; throws with stderr when it fails. */
export function ip(netns: string, ...args: string[]): string {
  const r = spawnSync('ip', ['-n', netns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** Runs `ip -n NS ARGS…` and returns everything, never throwing. */
export function ipRun(netns: string, ...args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync('ip', ['-n', netns, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Applies a fixture's setup commands (ip, sysctl… argv arrays) inside the netns. */
export function applySetup(netns: string, setup: readonly string[][]): void {
  for (const argv of setup) {
    const r = spawnSync('ip', ['netns', 'exec', netns, ...argv], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  }
}

/** The usual starting point: veth v0/v1 up, 10.0.0.1/24 and 2001:db8::1/64 (no DAD) on v0. */
export function basicNetwork(netns: string, opts: { settle?: boolean } = {}): void {
  // No DAD: link-local addresses (and their local routes) appear right away, not a second later.
  for (const scope of ['all', 'default']) ip(netns, 'netns', 'exec', netns, 'sysctl', '-qw', `net.ipv6.conf.${scope}.accept_dad=0`);
  ip(netns, 'link', 'add', 'v0', 'address', '02:00:00:00:00:a0', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:a1');
  ip(netns, 'link', 'set', 'v0', 'up');
  ip(netns, 'link', 'set', 'v1', 'up');
  ip(netns, 'addr', 'add', '10.0.0.1/24', 'dev', 'v0');
  ip(netns, 'addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad');
  if (opts.settle !== false) settle(netns);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Waits until the kernel has finished adding routes on its own (IPv6 link-local and multicast
 * routes follow a link coming up asynchronously): the route state reads the same twice.
 */
export function settle(netns: string, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(routeState(netns));
  for (;;) {
    sleep(150);
    const now = JSON.stringify(routeState(netns));
    if (now === last || Date.now() > deadline) return;
    last = now;
  }
}

/** `ip -j route show table all`, without per-run fields, sorted: the state to compare. */
export function routeState(netns: string): unknown[] {
  const v4 = JSON.parse(ip(netns, '-j', '-4', 'route', 'show', 'table', 'all') || '[]') as Array<Record<string, unknown>>;
  const v6 = JSON.parse(ip(netns, '-j', '-6', 'route', 'show', 'table', 'all') || '[]') as Array<Record<string, unknown>>;
  const all = [...v4, ...v6].map((r) => {
    const { expires: _e, ...rest } = r;
    return rest;
  });
  return sortedByJson(all);
}

export function randomHex(n = 4): string {
  return randomBytes(n).toString('hex');
}

export { execFileSync };

/** A new netns with basicNetwork in it and a socket there, closed when the test ends. */
export function basicSocket(t: ExecutionContext): { ns: string; nl: NetlinkSocket } {
  const ns = tempNetns(t);
  basicNetwork(ns);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  return { ns, nl };
}
