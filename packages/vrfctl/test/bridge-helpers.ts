// Shared by the bridge VLAN tests (host: bridge-vlan.test.ts; lab: test-lab/bridge-vlan.test.ts): a
// netns with a bridge and two ports, iproute2's `bridge` run in it, and the golden fixtures.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import { FIXTURES, execIn, must, tempNetns, type Fixture, type Run } from './link-helpers.js';

/** br0 with ports v0 and w0 (veth pairs, fixed MACs, up): the fixtures' BR_PORTS setup. */
export const BRIDGE_PORTS: string[][] = [
  ['link', 'add', 'v0', 'address', '02:00:00:00:00:a0', 'type', 'veth', 'peer', 'name', 'v1', 'address', '02:00:00:00:00:a1'],
  ['link', 'add', 'w0', 'address', '02:00:00:00:00:c0', 'type', 'veth', 'peer', 'name', 'w1', 'address', '02:00:00:00:00:c1'],
  ['link', 'add', 'br0', 'address', '02:00:00:00:00:b0', 'type', 'bridge'],
  ['link', 'set', 'v0', 'master', 'br0'],
  ['link', 'set', 'w0', 'master', 'br0'],
  ...['v0', 'v1', 'w0', 'w1', 'br0'].map((d) => ['link', 'set', d, 'up']),
];

export function bridgeNetns(t: ExecutionContext): string {
  const ns = tempNetns(t);
  for (const args of BRIDGE_PORTS) must(['-n', ns, ...args]);
  return ns;
}

/** iproute2's `bridge -n NS ARGS…`. */
export function bridgeRun(ns: string, args: readonly string[]): Run {
  const r = spawnSync('bridge', ['-n', ns, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Does this kernel filter bridge VLANs (CONFIG_BRIDGE_VLAN_FILTERING)? The host's does not, the lab's does. */
export function kernelFiltersVlans(ns: string): boolean {
  return bridgeRun(ns, ['vlan', 'add', 'dev', 'br0', 'vid', '4094', 'self']).code === 0 &&
    bridgeRun(ns, ['vlan', 'del', 'dev', 'br0', 'vid', '4094', 'self']).code === 0;
}

export function bridgeFixtures(): Fixture[] {
  const dir = join(FIXTURES, 'bridge');
  // The `ip link` fixtures of the bridge link kind share the directory: only `bridge …` ones here.
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture).filter((f) => f.command[0] === 'bridge');
}

/**
 * Applies a fixture's setup. `bridge vlan` lines only add VLANs, which a dry run does not read;
 * on a kernel without VLAN filtering they fail (EOPNOTSUPP) and are left out, and said so.
 */
export function applySetup(t: ExecutionContext, ns: string, setup: readonly string[][]): void {
  for (const argv of setup) {
    const r = execIn(ns, argv);
    if (r.code === 0) continue;
    if (argv[0] === 'bridge' && /Operation not supported/.test(r.stderr)) t.log(`left out (no VLAN filtering here): ${argv.join(' ')}`);
    else t.fail(`setup "${argv.join(' ')}" fails: ${r.stderr.trim()}`);
  }
}
