// Throwaway namespaces and `ip` for the rule tests.
import { spawnSync } from 'node:child_process';
import type { ExecutionContext } from 'ava';
import { NETLINK_ROUTE } from '@vrfctl/netlink';
import { openNetlink, type NetlinkSocket } from '@vrfctl/socket';

import { tempNetns, ip } from '../../../test/support/netns.js';

export { tempNetns, ip };


/** A socket in the namespace, closed at teardown. */
export function socketIn(t: ExecutionContext, ns: string): NetlinkSocket {
  const s = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => s.close());
  return s;
}


export function ipTry(netns: string, ...args: string[]): { status: number; stderr: string } {
  const r = spawnSync('ip', ['-n', netns, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stderr: r.stderr };
}

/** `ip -d -j rule show` for a family: -d so that the protocol of every rule is printed too. */
export function ipRules(netns: string, family: 4 | 6, details = true): Array<Record<string, unknown>> {
  const args = [`-${family}`, ...(details ? ['-d'] : []), '-j', 'rule', 'show'];
  return JSON.parse(ip(netns, ...args)) as Array<Record<string, unknown>>;
}

/** A namespace with a veth pair v0/v1 (for iif/oif rules). */
export function netnsWithVeth(t: ExecutionContext): string {
  const ns = tempNetns(t);
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  return ns;
}
