// `vrfctl service` and `vrfctl boot` on the host, with VRFCTL_SYSTEMD_DIR pointing at a scratch
// directory: the files they write, read back and remove, and their refusals. Systemd itself (the
// drop-in binding a running unit's sockets, the boot unit applying a file at start) is tested
// under systemd as PID 1 in the lab: test-lab/systemd/services-boot.test.ts.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';
import { VRFCTL_BIN, type CliResult } from './cli.js';
import { lanNetns, tempFile } from './batch-helpers.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'vrfctl-systemd-'));
}

function vrfctlWith(dir: string, args: string[]): CliResult {
  const r = spawnSync(process.execPath, [VRFCTL_BIN, ...args], { encoding: 'utf8', env: { ...process.env, VRFCTL_SYSTEMD_DIR: dir } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('service bind writes one marked drop-in that runs this vrfctl; status lists it; unbind removes it and its directory', (t) => {
  const dir = scratch();
  const b = vrfctlWith(dir, ['service', 'bind', 'nginx', 'blue']);
  t.is(b.code, 0, b.stderr);
  const path = join(dir, 'nginx.service.d', '50-vrfctl-vrf.conf');
  t.is(b.stdout, `nginx.service: bound to VRF blue (${path})\n`);
  // No VRF driver on the host: the VRF may be made later at boot, so this is only a warning.
  t.regex(b.stderr, /^vrfctl: service: warning: .*blue.*nginx\.service will fail to start until it exists\n$/);
  const text = readFileSync(path, 'utf8');
  t.is(statSync(path).mode & 0o777, 0o644);
  t.deepEqual(readdirSync(join(dir, 'nginx.service.d')), ['50-vrfctl-vrf.conf'], 'written atomically: no temporary file left');
  t.regex(text, /^# Written by `vrfctl service bind`/);
  t.regex(text, /^After=vrfctl-apply\.service$/m);
  t.true(text.includes(`ExecStartPre=+${process.execPath} ${VRFCTL_BIN} service cgroup-bind blue\n`), text);

  const s = vrfctlWith(dir, ['-j', 'service', 'status']);
  t.is(s.code, 0, s.stderr);
  t.like((JSON.parse(s.stdout) as object[])[0], { unit: 'nginx.service', vrf: 'blue', bound: false });
  const text2 = vrfctlWith(dir, ['service', 'status', 'nginx']);
  t.regex(text2.stdout, /^UNIT +VRF +ACTIVE +SOCKETS\nnginx\.service +blue +unknown +-\n$/);

  const u = vrfctlWith(dir, ['service', 'unbind', 'nginx.service']);
  t.is(u.code, 0, u.stderr);
  t.is(u.stdout, 'nginx.service: unbound\n');
  t.false(existsSync(join(dir, 'nginx.service.d')));
  t.deepEqual(JSON.parse(vrfctlWith(dir, ['-j', 'service', 'status']).stdout), []);
});

test('service refusals: bad unit and VRF names before writing, unbind of what bind did not write', (t) => {
  const dir = scratch();
  const badUnit = vrfctlWith(dir, ['service', 'bind', '../etc/passwd', 'blue']);
  t.is(badUnit.code, EXIT_USAGE);
  t.regex(badUnit.stderr, /^vrfctl: service bind: "\.\.\/etc\/passwd" is not a service unit name\n$/);
  const badVrf = vrfctlWith(dir, ['service', 'bind', 'nginx', 'no/slash']);
  t.is(badVrf.code, EXIT_USAGE);
  t.regex(badVrf.stderr, /no\/slash/);
  t.false(existsSync(join(dir, 'nginx.service.d')), 'nothing written for bad input');

  const notBound = vrfctlWith(dir, ['service', 'unbind', 'nginx']);
  t.is(notBound.code, EXIT_REFUSED);
  t.regex(notBound.stderr, /^vrfctl: service: nginx\.service is not bound to a VRF/);
  // A drop-in of the same name that someone else wrote is left alone.
  mkdirSync(join(dir, 'nginx.service.d'));
  writeFileSync(join(dir, 'nginx.service.d', '50-vrfctl-vrf.conf'), '[Service]\nExecStartPre=/bin/true\n');
  const foreign = vrfctlWith(dir, ['service', 'unbind', 'nginx']);
  t.is(foreign.code, EXIT_REFUSED);
  t.regex(foreign.stderr, /was not written by vrfctl service bind: left alone/);
  t.true(existsSync(join(dir, 'nginx.service.d', '50-vrfctl-vrf.conf')));
  t.is(vrfctlWith(dir, ['service', 'frob']).code, EXIT_USAGE);
});

const FILE = `
routes:
  - to: 198.51.100.0/24
    type: blackhole
    table: 100
`;

test('boot enable installs vrfctl-apply.service for the file; status compares the kernel with it; disable removes it', (t) => {
  const dir = scratch();
  const ns = lanNetns(t);
  const file = tempFile('boot.yaml', FILE);
  const e = vrfctlWith(dir, ['boot', 'enable', file]);
  t.is(e.code, 0, e.stderr);
  const unit = readFileSync(join(dir, 'vrfctl-apply.service'), 'utf8');
  t.is(statSync(join(dir, 'vrfctl-apply.service')).mode & 0o777, 0o644);
  t.deepEqual(readdirSync(dir), ['vrfctl-apply.service']);
  t.true(unit.includes(`\nExecStart=${process.execPath} ${VRFCTL_BIN} apply --wait-ports 60 ${file}\n`), unit);
  t.regex(unit, /^Type=oneshot$/m);
  t.regex(unit, /^Before=network-online\.target$/m);
  t.regex(unit, /^WantedBy=multi-user\.target network-online\.target$/m);

  const st = vrfctlWith(dir, ['-n', ns, '-j', 'boot', 'status']);
  t.is(st.code, 0, st.stderr);
  t.like(JSON.parse(st.stdout), { unit: 'vrfctl-apply.service', file, matches: false, changes: ['+ route blackhole 198.51.100.0/24 table 100'] });
  const applied = spawnSync(process.execPath, [VRFCTL_BIN, '-n', ns, 'apply', file], { encoding: 'utf8' });
  t.is(applied.status, 0, applied.stderr);
  const text = vrfctlWith(dir, ['-n', ns, 'boot', 'status']);
  t.regex(text.stdout, /^vrfctl-apply\.service: installed, systemd not running\nthe kernel matches /);

  const d = vrfctlWith(dir, ['boot', 'disable']);
  t.is(d.code, 0, d.stderr);
  t.false(existsSync(join(dir, 'vrfctl-apply.service')));
  t.is(vrfctlWith(dir, ['boot', 'status']).code, EXIT_REFUSED);
  t.is(vrfctlWith(dir, ['boot', 'disable']).code, EXIT_REFUSED);
});

test('boot enable refuses a file that would fail at boot, with apply\'s messages, and installs nothing', (t) => {
  const dir = scratch();
  const bad = tempFile('bad-boot.yaml', 'vrfs:\n  blue:\n    table: nope\n');
  const e = vrfctlWith(dir, ['boot', 'enable', bad]);
  t.is(e.code, EXIT_USAGE);
  t.regex(e.stderr, /^vrfctl: boot: vrfs\.blue\.table: /m);
  t.false(existsSync(join(dir, 'vrfctl-apply.service')));
  const missing = vrfctlWith(dir, ['boot', 'enable', join(dir, 'nosuch.yaml')]);
  t.is(missing.code, EXIT_USAGE);
  t.false(existsSync(join(dir, 'vrfctl-apply.service')));
});
