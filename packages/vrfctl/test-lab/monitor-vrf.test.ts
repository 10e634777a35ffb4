// Lab test (vrf driver): `vrfctl monitor` names a VRF's table and a port's master by the VRF.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');

function ip(ns: string, ...args: string[]): void {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
}

test('routes in a VRF table show "table <vrf>", ports show "master <vrf>"', async (t) => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
  const ns = `vrfctl-t-${randomBytes(5).toString('hex')}`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  ip(ns, 'link', 'add', 'red', 'type', 'vrf', 'table', '1001');
  ip(ns, 'link', 'set', 'red', 'up');
  ip(ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1');
  const child = spawn(process.execPath, [BIN, '-n', ns, 'monitor', 'route', 'link'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  const end = Date.now() + 120_000;
  // Until the monitor listens, probe routes are missed: repeat until one is seen.
  for (let i = 1; !out.includes('10.9.'); i++) {
    ip(ns, 'route', 'add', `10.9.${i}.0/24`, 'dev', 'red', 'table', '1001');
    await new Promise((r) => setTimeout(r, 1000));
    if (Date.now() > end) throw new Error('monitor did not start');
  }
  ip(ns, 'link', 'set', 'p0', 'master', 'red');
  while (!/master red/.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  t.regex(out, /^\[ROUTE\] 10\.9\.\d+\.0\/24 dev red table red scope link/m);
  t.regex(out, /^\[LINK\] \d+: p0@p1: .* master red /m);
  child.kill('SIGINT');
  t.is(await exited, 0);
});
