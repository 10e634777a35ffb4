#!/usr/bin/env node
// `pnpm test`: build, typecheck the tests, run the host suite (ava, real kernel in throwaway
// netns), then the VRF suite inside the qemu lab, then the systemd suite in a lab guest with systemd as PID 1. Ends with one summary line
// "tests: N passed, N failed, N skipped" counting every suite, and exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function run(label, cmd, args, opts = {}) {
  console.log(`\n== ${label}: ${[cmd, ...args].join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, ...opts.env } });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return r;
}

/** Reads the counts from ava's TAP summary ("# pass 12", "# fail 1", "# skip 2", "# todo 1"). */
function countAva(out) {
  const num = (re) => [...out.matchAll(re)].reduce((sum, m) => sum + Number(m[1]), 0);
  return {
    passed: num(/^# pass (\d+)$/gm),
    failed: num(/^# fail (\d+)$/gm),
    skipped: num(/^# skip (\d+)$/gm) + num(/^# todo (\d+)$/gm),
  };
}

function suite(label, cmd, args, env) {
  const r = run(label, cmd, args, { capture: true, env: { FORCE_COLOR: '0', ...env } });
  const c = countAva(r.stdout ?? '');
  if (r.status !== 0 && c.failed === 0) {
    console.log(`!! ${label} exited with ${r.status ?? r.signal} without reporting a failed test`);
    broken = true;
  }
  totals.passed += c.passed;
  totals.failed += c.failed;
  totals.skipped += c.skipped;
  return r.status;
}

const tsc = join(root, 'node_modules/typescript/bin/tsc');
const ava = join(root, 'node_modules/ava/entrypoints/cli.mjs');
if (run('build', process.execPath, [tsc, '-b']).status !== 0) broken = true;
// The CLI tests run bin/vrfctl.js as users do: from the bundle, remade when dist changed.
if (!broken && run('bundle', process.execPath, ['packages/vrfctl/scripts/bundle.mjs', '--if-stale']).status !== 0) broken = true;
if (run('typecheck tests', process.execPath, [tsc, '-p', 'tsconfig.test.json']).status !== 0) broken = true;

if (!broken) {
  suite('host suite', process.execPath, [ava, '--tap']);

  const labFiles = readdirSync(join(root, 'packages'))
    .map((p) => join('packages', p, 'test-lab'))
    .filter((d) => existsSync(join(root, d)));
  const lab = join(root, 'tools/lab/run');
  if (labFiles.length === 0) {
    console.log('\n== lab suite: no lab tests');
  } else if (!existsSync(lab)) {
    console.log('\n!! lab suite SKIPPED: tools/lab/run is missing');
  } else if (run('compile lab tests', process.execPath, [tsc, '-p', 'tsconfig.lab.json']).status !== 0) {
    broken = true;
  } else {
    const status = suite('lab suite (VRF kernel under qemu)', lab, ['--timeout', '3000', '--', process.execPath, ava, '--tap', '--config', 'ava.lab.config.mjs']);
    if (status === 77) {
      console.log('!! lab suite SKIPPED LOUDLY: the VRF lab (qemu + Debian kernel) is not available on this machine');
      if (process.env.CI) broken = true;
    } else {
      // Services and boot (test-lab/systemd) need systemd as PID 1: a guest of their own.
      const sd = suite('lab suite under systemd (PID 1)', lab, ['--systemd', '--timeout', '1500', '--', process.execPath, ava, '--tap', '--config', 'ava.lab-systemd.config.mjs']);
      if (sd === 77) {
        console.log('!! systemd lab suite SKIPPED LOUDLY: the lab cannot boot systemd here');
        if (process.env.CI) broken = true;
      }
    }
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(broken || totals.failed > 0 ? 1 : 0);
