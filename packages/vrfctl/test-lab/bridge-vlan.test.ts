// Per-port bridge VLANs on a kernel that filters them (the lab's Debian 6.1; the host kernel has no
// CONFIG_BRIDGE_VLAN_FILTERING). Twin namespaces: iproute2's `bridge vlan` in one, `vrfctl bridge
// vlan` (one by one, then as a batch) in the other; after every step both print the same
// `bridge vlan show` (text and -j), and vrfctl's show prints what bridge prints on the same
// namespace. The library's sync and async plans, with {signal, timeoutMs}, on the same kernel.
// Run: npx tsc -p tsconfig.lab.json && tools/lab/run -- node node_modules/ava/entrypoints/cli.mjs
//        --config ava.lab.config.mjs build/lab/packages/vrfctl/test-lab/bridge-vlan.test.js
import test, { type ExecutionContext } from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NETLINK_ROUTE, NetlinkError } from '@vrfctl/netlink';
import { AbortError, openNetlink } from '@vrfctl/socket';
import { links, linksAsync } from '@vrfctl/link';
import { bridgeNetns, bridgeRun, kernelFiltersVlans } from '../test/bridge-helpers.js';
import { spawnSync } from 'node:child_process';
import type { Run } from '../test/link-helpers.js';

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('run this file in the lab (tools/lab/run): it needs a kernel with bridge VLAN filtering');
});

// The compiled test lives under build/lab: the CLI is found from the repository root, as the other lab tests do.
const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');
function vrfctl(args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const SCRIPT: string[][] = [
  ['add', 'dev', 'v0', 'vid', '10'],
  ['add', 'dev', 'v0', 'vid', '20', 'pvid', 'untagged'],
  ['add', 'dev', 'w0', 'vid', '100-110', 'untagged'],
  ['add', 'dev', 'br0', 'vid', '10', 'self'],
  ['add', 'dev', 'v0', 'vid', '30', 'master'],
  ['add', 'dev', 'w0', 'vid', '4000-4094'],
  ['del', 'dev', 'w0', 'vid', '105'],
  ['del', 'dev', 'v0', 'vid', '10'],
  ['add', 'dev', 'v0', 'vid', '10', 'untagged'],
  ['del', 'dev', 'w0', 'vid', '4000-4090'],
  ['del', 'dev', 'br0', 'vid', '1', 'self'],
  ['del', 'dev', 'v0', 'vid', '99'],
];

const SHOWS: string[][] = [['vlan', 'show'], ['vlan'], ['vlan', 'show', 'dev', 'w0'], ['vlan', 'show', 'vid', '10'], ['vlan', 'list', 'vid', '107']];

/** What bridge shows of a namespace, text and -j (the other show forms are compared by sameShow). */
function state(ns: string): string[] {
  return [bridgeRun(ns, ['vlan', 'show']).stdout, bridgeRun(ns, ['-j', 'vlan', 'show']).stdout];
}

/** vrfctl's show output on the same namespace must be bridge's, text and -j. */
function sameShow(t: ExecutionContext, ns: string, step: string): void {
  for (const s of SHOWS) {
    t.is(vrfctl(['-n', ns, 'bridge', ...s]).stdout, bridgeRun(ns, s).stdout, `${step}: bridge ${s.join(' ')}`);
    t.is(vrfctl(['-n', ns, '-j', 'bridge', ...s]).stdout, bridgeRun(ns, ['-j', ...s]).stdout, `${step}: bridge -j ${s.join(' ')}`);
  }
}

test.serial('the lab kernel filters VLANs', (t) => {
  t.true(kernelFiltersVlans(bridgeNetns(t)));
});

test.serial('each step: vrfctl bridge vlan changes the kernel as bridge does', (t) => {
  const theirs = bridgeNetns(t);
  const mine = bridgeNetns(t);
  t.deepEqual(state(mine), state(theirs), 'before');
  for (const step of SCRIPT) {
    const b = bridgeRun(theirs, ['vlan', ...step]);
    const v = vrfctl(['-n', mine, 'bridge', 'vlan', ...step]);
    t.is(b.code, 0, `bridge vlan ${step.join(' ')}: ${b.stderr}`);
    t.is(v.code, 0, `vrfctl bridge vlan ${step.join(' ')}: ${v.stderr}`);
    t.deepEqual(state(mine), state(theirs), step.join(' '));
  }
  t.regex(bridgeRun(mine, ['vlan', 'show']).stdout, /^ +4094$/m);
});

// Two tests, so that neither comes near ava's 5-minute idle timeout under TCG (a vrfctl run costs seconds).
test.serial('show: vrfctl prints what bridge prints (text and -j, dev and vid filters) on a fresh bridge', (t) => {
  sameShow(t, bridgeNetns(t), 'fresh');
});

test.serial('show: vrfctl prints what bridge prints after the script (ranges, pvid, self, deletions)', (t) => {
  const ns = bridgeNetns(t);
  for (const step of SCRIPT) t.is(bridgeRun(ns, ['vlan', ...step]).code, 0, step.join(' '));
  sameShow(t, ns, 'after the script');
});

test.serial('batch: the same script from a file, pipelined, gives the same state', (t) => {
  const theirs = bridgeNetns(t);
  const mine = bridgeNetns(t);
  for (const step of SCRIPT) t.is(bridgeRun(theirs, ['vlan', ...step]).code, 0);
  const dir = mkdtempSync(join(tmpdir(), 'vrfctl-bridge-'));
  const file = join(dir, 'vlans.txt');
  writeFileSync(file, [...SCRIPT.map((s) => `bridge vlan ${s.join(' ')}`), 'bridge vlan show dev v0'].join('\n') + '\n');
  const r = vrfctl(['-n', mine, 'batch', file]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stderr, new RegExp(`applied ${SCRIPT.length + 1} of ${SCRIPT.length + 1} lines, 0 failed`));
  t.is(r.stdout, bridgeRun(theirs, ['vlan', 'show', 'dev', 'v0']).stdout);
  t.deepEqual(state(mine), state(theirs));
});

test.serial('refusals: the kernel\'s exit 2 (not a port), ours exit 1 before sending (vid 0, 4095, unknown word)', (t) => {
  const ns = bridgeNetns(t);
  const before = state(ns);
  const refused = vrfctl(['-n', ns, 'bridge', 'vlan', 'add', 'dev', 'v1', 'vid', '10']);
  t.is(refused.code, 2);
  t.regex(refused.stderr, /EOPNOTSUPP/);
  t.is(bridgeRun(ns, ['vlan', 'add', 'dev', 'v1', 'vid', '10']).code, 255);
  for (const args of [['vid', '0'], ['vid', '4095'], ['vid', '10', 'tagged'], ['vid', '4090-4095']]) {
    const r = vrfctl(['-n', ns, 'bridge', 'vlan', 'add', 'dev', 'v0', ...args]);
    t.is(r.code, 1, args.join(' '));
  }
  t.deepEqual(state(ns), before, 'nothing changed');
});

test.serial('library: sync and async plans with {signal, timeoutMs}; Link.bridge of a compressed dump; errors name the change', async (t) => {
  const ns = bridgeNetns(t);
  const nl = openNetlink(NETLINK_ROUTE, { netns: ns });
  t.teardown(() => nl.close());
  const la = linksAsync(nl, { timeoutMs: 5000 });
  await la.addBridgeVlan({ dev: 'v0', vid: 50, pvid: true, untagged: true }, { signal: AbortSignal.timeout(5000) });
  await la.addBridgeVlan({ dev: 'w0', vid: 200, vidEnd: 210 });
  links(nl).addBridgeVlan({ dev: 'br0', vid: 50, self: true }, { timeoutMs: 5000 });
  t.is(bridgeRun(ns, ['vlan', 'show', 'dev', 'v0']).stdout, 'port              vlan-id  \nv0                1 Egress Untagged\n                  50 PVID Egress Untagged\n');

  const [v0] = await la.listBridgeVlans({ dev: 'v0' });
  t.is(v0.ifname, 'v0');
  t.deepEqual(v0.vlans.map((v) => [v.vid, v.pvid, v.untagged]), [[1, false, true], [50, true, true]]);
  const w0 = links(nl).listBridgeVlans({ dev: 'w0', compressed: true })[0];
  t.deepEqual(w0.vlans.map((v) => [v.vid, v.vidEnd]), [[1, undefined], [200, 210]]);
  const byVid = await la.listBridgeVlans({ vid: 205 });
  t.deepEqual(byVid.map((p) => [p.ifname, p.vlans.map((v) => v.vid)]), [['w0', [205]]]);

  const aborted = new AbortController();
  aborted.abort();
  await t.throwsAsync(la.deleteBridgeVlan({ dev: 'v0', vid: 50 }, { signal: aborted.signal }), { instanceOf: AbortError });
  t.regex(bridgeRun(ns, ['vlan', 'show', 'dev', 'v0']).stdout, / 50 PVID/, 'an aborted call changes nothing');

  const err = await t.throwsAsync(la.addBridgeVlan({ dev: 'v1', vid: 10 }), { instanceOf: NetlinkError });
  t.regex(err?.message ?? '', /bridge vlan add dev v1 vid 10/);
  await la.deleteBridgeVlan({ dev: 'w0', vid: 200, vidEnd: 210 });
  links(nl).deleteBridgeVlan({ dev: 'v0', vid: 50 });
  t.is(bridgeRun(ns, ['vlan', 'show', 'dev', 'w0']).stdout, 'port              vlan-id  \nw0                1 PVID Egress Untagged\n');
});
