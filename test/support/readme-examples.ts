// The fenced ```ts blocks of the READMEs and what each needs to run: shared by the host test
// (test/examples.test.ts: every block compiled strictly, run where the kernel allows) and the lab
// test that runs the blocks needing VRFs, bonds or ipvlans (packages/vrfctl/test-lab/readme-examples.test.ts).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from wherever this file runs (test/support, or build/lab/test/support in the lab). */
function findRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
  throw new Error(`no pnpm-workspace.yaml above ${from}`);
}

export const ROOT = findRoot(import.meta.dirname);

function readmes(): string[] {
  const out = [join(ROOT, 'README.md')];
  for (const p of readdirSync(join(ROOT, 'packages'))) {
    const f = join(ROOT, 'packages', p, 'README.md');
    if (existsSync(f)) out.push(f);
  }
  return out;
}

function tsBlocks(text: string): string[] {
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/**
 * What each README block needs to run: namespaces (private to the run: /run/netns is a tmpfs of
 * the run's own mount namespace, so 'lab' or 'pod1' meet nobody else's), setup commands run in
 * them first ("host" is where the block runs), and words of the block that name things only a
 * real system has (a pid), replaced. A block needing a VRF runs only where the kernel has VRFs.
 */
export interface Environment {
  netns?: string[];
  setup?: string[];
  /** `${PID}` in the block: a process in this netns (its pid replaces the block's 4242). */
  pidIn?: string;
  /** Link events in this netns while the block runs (for a block that waits for one). */
  eventsIn?: string;
  /** The block makes links of kinds only the lab's kernel has (vrf, bond, ipvlan). */
  lab?: boolean;
}

export const ENVIRONMENTS: Record<string, Environment> = {
  README_1: {
    lab: true,
    netns: ['lab'],
    // eth0 on the gateway's network, so the default route through 192.0.2.1 in the VRF is taken.
    setup: ['ip -n lab link add eth0 type veth peer name eth0p', 'ip -n lab addr add 192.0.2.10/24 dev eth0', 'ip -n lab link set eth0p up', 'ip -n lab link set eth0 up'],
  },
  README_2: {
    netns: ['pod1'],
    setup: [
      'ip -n host link add cni0 type bridge', 'ip -n host link set cni0 up',
      'ip -n host link add eth0 type veth peer name eth0p', 'ip -n host addr add 10.99.0.1/24 dev eth0',
      'ip -n host link set eth0p up', 'ip -n host link set eth0 up',
      'ip -n host link add veth5678 type veth peer name veth5678p',
      // A route of eth0's that the block moves to cni0.
      'ip -n host route add 10.98.0.0/24 via 10.99.0.2 dev eth0',
    ],
    pidIn: 'pod1',
    eventsIn: 'pod1',
  },
  packages_link_README_1: { netns: ['lab'] },
  packages_link_README_2: {
    lab: true,
    netns: ['lab'],
    // eth1 becomes a bond port, eth0 the ipvlan's lower device.
    setup: ['ip -n lab link add eth0 type veth peer name eth0p', 'ip -n lab link add eth1 type veth peer name eth1p'],
  },
  packages_link_README_3: {
    netns: ['pod1'],
    setup: [
      'ip -n host link add br0 type bridge', 'ip -n host link add eth0 type veth peer name eth0p',
      'ip -n host addr add 10.99.0.1/24 dev eth0', 'ip -n host link add veth-x type veth peer name veth-xp',
      'ip -n host link add h2 type veth peer name h2p',
    ],
    pidIn: 'pod1',
  },
  packages_nexthop_README_1: {
    netns: ['lab'],
    setup: ['ip -n lab link add veth0 type veth peer name veth1', 'ip -n lab addr add 192.0.2.10/24 dev veth0', 'ip -n lab link set veth1 up', 'ip -n lab link set veth0 up'],
  },
  packages_route_README_1: {
    lab: true,
    netns: ['blue-ns'],
    setup: [
      'ip -n blue-ns link add eth0 type veth peer name eth0p', 'ip -n blue-ns addr add 10.0.0.1/24 dev eth0',
      'ip -n blue-ns link set eth0p up', 'ip -n blue-ns link set eth0 up',
      'ip -n blue-ns link add mgmt type vrf table 1000', 'ip -n blue-ns link set mgmt up',
      'ip -n blue-ns link add m0 type veth peer name m1', 'ip -n blue-ns link set m0 master mgmt',
      'ip -n blue-ns addr add 192.0.2.10/24 dev m0', 'ip -n blue-ns link set m1 up', 'ip -n blue-ns link set m0 up',
    ],
  },
  packages_rule_README_1: { netns: ['lab'] },
  packages_rule_README_2: { netns: ['lab'], setup: ['ip -n lab rule add pref 50 from 198.51.100.0/24 lookup 100'] },
  packages_vrf_README_1: { lab: true, netns: ['lab'], setup: ['ip -n lab link add eth0 type veth peer name eth0p'] },
};

/** Whether this kernel makes the link kinds of the `lab` blocks (the host's has none of them). */
export function kernelHasLabKinds(): boolean {
  const r = spawnSync('unshare', ['--net', 'sh', '-c', 'ip link add p0 type vrf table 1 && ip link add p1 type bond && ip link add p2 type veth peer name p3 && ip link add p4 link p2 type ipvlan'], { stdio: 'ignore' });
  return r.status === 0;
}

/** The blocks that run only in the lab (sorted). */
export const LAB_BLOCKS = Object.keys(ENVIRONMENTS).filter((k) => ENVIRONMENTS[k].lab).sort();

/** The shell script that runs one compiled block in its environment (inside `unshare --mount`). */
function script(js: string, env: Environment): string {
  const q = (w: string): string => `'${w.replaceAll("'", "'\\''")}'`;
  const lines = ['set -e', 'mkdir -p /run/netns', 'mount -t tmpfs tmpfs /run/netns', 'ip netns add host', 'ip -n host link set lo up'];
  for (const ns of env.netns ?? []) lines.push(`ip netns add ${q(ns)}`, `ip -n ${q(ns)} link set lo up`);
  lines.push(...(env.setup ?? []));
  let file = js;
  if (env.pidIn) {
    lines.push(`ip netns exec ${q(env.pidIn)} sleep 60 & SLEEPER=$!`, 'sleep 0.2');
    // The block's pid 4242 becomes that process.
    lines.push(`sed "s/4242/$SLEEPER/g" ${q(js)} > ${q(js.replace(/\.js$/, '.pid.js'))}`);
    file = js.replace(/\.js$/, '.pid.js');
  }
  if (env.eventsIn) lines.push(`(for i in $(seq 1 150); do sleep 0.2; ip -n ${q(env.eventsIn)} link set lo mtu $((60000 + i)) 2>/dev/null || exit 0; done) & EVENTS=$!`);
  lines.push(`set +e; ip netns exec host ${q(process.execPath)} ${q(file)}; rc=$?`);
  if (env.pidIn) lines.push('kill $SLEEPER 2>/dev/null');
  if (env.eventsIn) lines.push('kill $EVENTS 2>/dev/null');
  lines.push('exit $rc');
  return lines.join('\n');
}

/** Every block, in README order, named README_1, packages_route_README_1…, with its code. */
export function readmeBlocks(): Array<{ key: string; code: string }> {
  const out: Array<{ key: string; code: string }> = [];
  for (const readme of readmes()) {
    tsBlocks(readFileSync(readme, 'utf8')).forEach((code, i) => {
      out.push({ key: `${readme.slice(ROOT.length + 1).replaceAll('/', '_').replace('.md', '')}_${i + 1}`, code });
    });
  }
  return out;
}

/** Runs a compiled block (js) in its environment, in a mount namespace of its own. */
export function runBlock(js: string, env: Environment, timeoutMs = 30_000): SpawnSyncReturns<string> {
  return spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script(js, env)], { encoding: 'utf8', timeout: timeoutMs });
}
