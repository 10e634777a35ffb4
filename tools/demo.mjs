#!/usr/bin/env node
// `pnpm demo`: seed 003's VRF topology (the kernel documentation's vrf_create script: mgmt,
// red, blue, green with their ports) built in a throwaway network namespace with the built
// vrfctl CLI, then `vrfctl list`, `vrfctl show red` and `vrfctl route get vrf red …`.
// Safe for a new user: nothing outside the throwaway netns changes, and it is deleted at the
// end whatever happens. On a kernel without the vrf driver it runs itself inside the lab VM
// (tools/lab/run), where the host's files are read-only.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'packages/vrfctl/bin/vrfctl.js');
const inside = process.argv.includes('--inside');
const ns = `vrfctl-demo-${randomBytes(3).toString('hex')}`;

function fail(message, code = 1) {
  process.stderr.write(`demo: ${message}\n`);
  process.exit(code);
}

/** Runs a command quietly; returns its result. */
function quiet(cmd, args) {
  return spawnSync(cmd, args, { encoding: 'utf8' });
}

/** Prints the command (as the user would type it), then its output. Stops the demo on failure unless allowed. */
function step(words, { mayFail = false, input } = {}) {
  const shown = [words[0], '-n', ns, ...words.slice(1)];
  process.stdout.write(`\n$ ${shown.join(' ')}${input === undefined ? '' : ` <<EOF\n${input}EOF`}\n`);
  const [cmd, args] = words[0] === 'vrfctl' ? [process.execPath, [bin, '-n', ns, ...words.slice(1)]] : ['ip', ['-n', ns, ...words.slice(1)]];
  const r = spawnSync(cmd, args, { encoding: 'utf8', input, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  process.stdout.write(r.stdout);
  process.stdout.write(r.stderr);
  if (r.status !== 0 && !mayFail) throw new Error(`"${shown.join(' ')}" exited with ${r.status}`);
}

if (process.getuid?.() !== 0) fail('needs root (it creates a network namespace); try: sudo pnpm demo');
if (!existsSync(join(root, 'packages/vrfctl/dist/main.js'))) fail('vrfctl is not built yet: run `pnpm build` first');

/** True if this kernel can create a VRF device (tried in a scratch netns). */
function kernelHasVrf() {
  const probe = `vrfctl-probe-${randomBytes(3).toString('hex')}`;
  if (quiet('ip', ['netns', 'add', probe]).status !== 0) fail('cannot create a network namespace (ip netns add)');
  try {
    return quiet('ip', ['-n', probe, 'link', 'add', 'probe', 'type', 'vrf', 'table', '1']).status === 0;
  } finally {
    quiet('ip', ['netns', 'del', probe]);
  }
}

if (!inside && !kernelHasVrf()) {
  process.stdout.write('This kernel has no vrf driver: running the demo inside the lab VM (tools/lab/run, Debian 6.1 kernel under qemu; about a minute)…\n');
  const r = spawnSync(join(root, 'tools/lab/run'), ['--', process.execPath, 'tools/demo.mjs', '--inside'], { cwd: root, stdio: 'inherit' });
  if (r.status === 77) fail('the lab VM is not available on this machine (see tools/lab/README.md)', 77);
  process.exit(r.status ?? 1);
}

let status = 0;
const cleanup = () => quiet('ip', ['netns', 'del', ns]);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}

try {
  process.stdout.write(`Throwaway network namespace: ${ns} (deleted at the end)\n`);
  if (quiet('ip', ['netns', 'add', ns]).status !== 0) fail(`cannot create network namespace ${ns}`);
  process.stdout.write('\n# Ports, with the addresses of the document (eth5 stays down), in one pipelined batch\n');
  const ports = ['link set lo up'];
  for (let i = 0; i <= 5; i++) ports.push(`link add eth${i} type dummy`);
  for (const [dev, addr] of [['eth0', '10.0.0.2/24'], ['eth1', '10.2.1.2/24'], ['eth2', '10.2.2.2/24'], ['eth3', '10.2.3.2/24'], ['eth4', '10.2.4.2/24']]) {
    ports.push(`addr add ${addr} dev ${dev}`);
  }
  for (let i = 0; i <= 4; i++) ports.push(`link set eth${i} up`);
  step(['vrfctl', 'batch', '-'], { input: ports.join('\n') + '\n' });

  process.stdout.write('\n# vrf_create NAME TABLE + enslaving, with vrfctl (unreachable defaults, l3mdev rules, local rule moved)\n');
  step(['vrfctl', 'add', 'mgmt', 'table', '1', '--loopback']);
  step(['vrfctl', 'enslave', 'mgmt', 'eth0']);
  step(['vrfctl', 'add', 'red', 'table', '10']);
  step(['vrfctl', 'enslave', 'red', 'eth1', 'eth2', 'eth5']);
  step(['vrfctl', 'add', 'blue', 'table', '66']);
  step(['vrfctl', 'enslave', 'blue', 'eth3']);
  step(['vrfctl', 'add', 'green', 'table', '81']);
  step(['vrfctl', 'enslave', 'green', 'eth4']);

  process.stdout.write('\n# IPv6 addresses after enslaving (a port that goes down loses them unless keep_addr_on_down)\n');
  step(['vrfctl', 'addr', 'add', '2002:1::2/120', 'dev', 'eth1', 'nodad']);
  step(['vrfctl', 'addr', 'add', '2002:2::2/120', 'dev', 'eth2', 'nodad']);

  process.stdout.write('\n# A gateway for red, and a neighbour\n');
  step(['vrfctl', 'route', 'add', 'default', 'via', '10.2.1.254', 'vrf', 'red'], { mayFail: true });
  step(['vrfctl', 'neigh', 'add', '10.2.1.254', 'lladdr', 'a6:d9:c7:4f:06:23', 'dev', 'eth1', 'nud', 'permanent']);

  process.stdout.write('\n# What is there\n');
  step(['vrfctl', 'list']);
  step(['vrfctl', 'show', 'red']);
  step(['vrfctl', 'route', 'get', 'vrf', 'red', '10.2.1.40'], { mayFail: true });
  step(['vrfctl', 'route', 'get', 'vrf', 'red', '192.0.2.1'], { mayFail: true });
  step(['ip', 'vrf', 'show']);
} catch (err) {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  status = 1;
} finally {
  cleanup();
  process.stdout.write(`\nDeleted ${ns}.\n`);
}
process.exit(status);
