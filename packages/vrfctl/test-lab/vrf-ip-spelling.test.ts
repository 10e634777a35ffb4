// Lab test (vrf driver): `vrfctl vrf show|identify|pids|exec` as `ip vrf …` prints and exits (#18).
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EXIT_USAGE } from '../src/errors.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');
const vrfctl = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
const ipRun = (args: string[]) => spawnSync('ip', args, { encoding: 'utf8' });

function ip(ns: string, ...args: string[]): void {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

test.serial('vrf show [NAME], -j vrf show, identify, pids and exec: ip\'s text, JSON and status', async (t) => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
  const ns = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  for (const args of [['vrf', 'show'], ['vrf']]) t.is(vrfctl(['-n', ns, ...args]).stdout, ipRun(['-n', ns, ...args]).stdout, `empty: ${args.join(' ')}`);
  ip(ns, 'link', 'add', 'red', 'type', 'vrf', 'table', '1001');
  ip(ns, 'link', 'add', 'longer-vrf-name', 'type', 'vrf', 'table', '100000');
  for (const args of [['vrf', 'show'], ['vrf'], ['vrf', 'show', 'red'], ['vrf', 'sh'], ['vrf', 'list'], ['vrf', 'show', 'nosuch']]) {
    const theirs = ipRun(['-n', ns, ...args]);
    const ours = vrfctl(['-n', ns, ...args]);
    // ip's 255 (refused before sending) is our EXIT_USAGE.
    t.is(ours.status, theirs.status === 255 ? EXIT_USAGE : theirs.status, `${args.join(' ')}: ${theirs.stderr}`);
    t.is(ours.stdout, theirs.stdout, `${args.join(' ')}: ${theirs.stderr}`);
  }
  t.deepEqual(JSON.parse(vrfctl(['-n', ns, '-j', 'vrf', 'show']).stdout), JSON.parse(ipRun(['-n', ns, '-j', 'vrf', 'show']).stdout));

  // exec, identify and pids in the host netns (ip vrf exec's cgroup is per netns).
  spawnSync('ip', ['link', 'add', 'vrfctl-lab-v', 'type', 'vrf', 'table', '3999']);
  t.teardown(() => void spawnSync('ip', ['link', 'del', 'vrfctl-lab-v']));
  // A process ip vrf exec started: both tools must name its VRF and list it alike.
  const child = spawn('ip', ['vrf', 'exec', 'vrfctl-lab-v', 'sleep', '30'], { stdio: 'ignore' });
  t.teardown(() => void child.kill());
  await new Promise((r) => setTimeout(r, 1500));
  const pid = String(child.pid);
  for (const args of [['vrf', 'identify', pid], ['vrf', 'pids', 'vrfctl-lab-v'], ['vrf', 'identify']]) {
    const theirs = ipRun(args);
    const ours = vrfctl(args);
    t.is(ours.status, theirs.status, args.join(' '));
    t.is(ours.stdout, theirs.stdout, args.join(' '));
  }
  t.is(vrfctl(['vrf', 'identify', pid]).stdout, 'vrfctl-lab-v\n');
  // vrf exec in ip's spelling (no "--") runs the command in the VRF.
  const ran = vrfctl(['vrf', 'exec', 'vrfctl-lab-v', 'sh', '-c', 'echo ok']);
  t.is(ran.status, 0, ran.stderr);
  t.is(ran.stdout, 'ok\n');
});
