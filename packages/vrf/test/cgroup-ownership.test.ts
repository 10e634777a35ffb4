// #19 item 9: a VRF cgroup under a subtree delegated to nobody let nobody move a process of
// `vrfctl exec red` out of the VRF, and a vrf/red directory pre-made by nobody was used as is.
// The ownership check runs on a real directory tree (a temporary one stands for the cgroup2 mount).
import test from 'ava';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VrfError, makeCgroupDir } from '@vrfctl/vrf';

const NOBODY = 65534;

function tree(): { mnt: string; base: string } {
  const mnt = mkdtempSync(join(tmpdir(), 'vrfctl-cg-'));
  chmodSync(mnt, 0o755);
  const base = join(mnt, 'user.slice', 'session-1.scope');
  mkdirSync(base, { recursive: true, mode: 0o755 });
  return { mnt, base };
}

test('as root: a clean tree gets the VRF directory', (t) => {
  if (process.getuid?.() !== 0) {
    t.log('SKIPPED LOUDLY: the ownership check applies to root only; run the tests as root');
    t.fail('not root');
    return;
  }
  const { mnt, base } = tree();
  makeCgroupDir(join(base, 'vrf', 'red'), mnt);
  t.true(existsSync(join(base, 'vrf', 'red')));
});

test('a subtree delegated to another user, a pre-made foreign vrf/red, or a world-writable vrf/ are refused', (t) => {
  if (process.getuid?.() !== 0) {
    t.fail('not root: cannot chown the test tree');
    return;
  }
  const delegated = tree();
  chownSync(delegated.base, NOBODY, NOBODY);
  t.throws(() => makeCgroupDir(join(delegated.base, 'vrf', 'red'), delegated.mnt), { instanceOf: VrfError, message: /session-1\.scope is owned by uid 65534/ });
  t.false(existsSync(join(delegated.base, 'vrf')), 'directory made under a delegated subtree');

  const premade = tree();
  mkdirSync(join(premade.base, 'vrf', 'red'), { recursive: true, mode: 0o755 });
  chownSync(join(premade.base, 'vrf', 'red'), NOBODY, NOBODY);
  t.throws(() => makeCgroupDir(join(premade.base, 'vrf', 'red'), premade.mnt), { message: /vrf\/red is owned by uid 65534/ });

  const writable = tree();
  mkdirSync(join(writable.base, 'vrf'), { mode: 0o755 });
  chmodSync(join(writable.base, 'vrf'), 0o777);
  t.throws(() => makeCgroupDir(join(writable.base, 'vrf', 'red'), writable.mnt), { message: /vrf is writable by others/ });
});
