// Under a real systemd as PID 1 (tools/lab/run --systemd): `vrfctl service bind` puts a running
// unit's sockets in a VRF (checked from the kernel: the bound device of its sockets, traffic
// only the VRF's table routes, the program on its cgroup), beside systemd's own BPF programs
// (IPAddressDeny=); a restart binds again; unbind undoes it; the unit file is never touched.
// `vrfctl boot enable` installs vrfctl-apply.service, which applies the file with a port that
// appears seconds late; afterwards `diff` says "no changes". systemd-analyze verify passes on
// every file we write. One guest, tests in order (they share the host's systemd).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');
const UNIT = 'vrfctl-lab-svc.service';
const UNIT_FILE = `/etc/systemd/system/${UNIT}`;

function sh(cmd: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function must(cmd: string, ...args: string[]): string {
  const r = sh(cmd, args);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return r.stdout;
}

const vrfctl = (...args: string[]) => sh(process.execPath, [BIN, ...args]);
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const mainPid = () => Number(must('systemctl', 'show', '-p', 'MainPID', '--value', UNIT).trim());

function waitFor(what: string, fn: () => boolean, ms = 20000): void {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
}

// The service: listens on TCP 8000 and, at each start, connects once to 10.1.0.2:7000 (routed
// only by VRF blue's table) and once to 10.1.0.3:7000 (routed the same way, but denied by
// systemd's own IPAddressDeny= egress program, which drops the SYN: the connect times out),
// writing both outcomes to /run/vrfctl-lab-svc.result.
const SERVICE_PY = `
import errno, socket, time
def attempt(addr):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((addr, 7000)); return 'connected'
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno)) if e.errno else 'timeout'
    finally:
        s.close()
result = attempt('10.1.0.2') + ' ' + attempt('10.1.0.3')
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('0.0.0.0', 8000)); l.listen(8)
open('/run/vrfctl-lab-svc.result', 'w').write(result + '\\n')
while True:
    c, _ = l.accept(); c.sendall(b'hello from the service\\n'); c.close()
`;

test.before(() => {
  if (process.env.VRFCTL_LAB_SYSTEMD !== '1') throw new Error('these tests must run inside tools/lab/run --systemd (systemd as PID 1)');
  t0 = Date.now();
  writeFileSync('/run/vrfctl-lab-svc.py', SERVICE_PY);
  writeFileSync(UNIT_FILE, `[Unit]\nDescription=vrfctl lab service\n\n[Service]\nExecStart=/usr/bin/python3 /run/vrfctl-lab-svc.py\nIPAddressDeny=10.1.0.3\n\n[Install]\nWantedBy=multi-user.target\n`);
  must('systemctl', 'daemon-reload');
  // VRF blue (table 1001) with eth1; the peer 10.1.0.2 lives in netns "peer" behind it.
  must('ip', 'netns', 'add', 'peer');
  must('ip', 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'p1', 'netns', 'peer');
  must(process.execPath, BIN, 'add', 'blue', 'table', '1001');
  must(process.execPath, BIN, 'enslave', 'blue', 'eth1');
  must('ip', 'addr', 'add', '10.1.0.1/24', 'dev', 'eth1');
  must('ip', 'link', 'set', 'eth1', 'up');
  must('ip', '-n', 'peer', 'addr', 'add', '10.1.0.2/24', 'dev', 'p1');
  must('ip', '-n', 'peer', 'link', 'set', 'p1', 'up');
  must('ip', '-n', 'peer', 'link', 'set', 'lo', 'up');
  // The peer's TCP listener on 7000 (for the service's outbound check).
  spawnSync('sh', ['-c', 'ip netns exec peer python3 -c "import socket; l=socket.socket(); l.bind((\'10.1.0.2\',7000)); l.listen(64)\nwhile True: l.accept()[0].close()" >/dev/null 2>&1 &']);
  must('systemctl', 'start', UNIT);
});
let t0 = 0;

function listenerDevice(): string {
  // ss prints a socket bound to a device as ADDR%DEV:PORT.
  const line = must('ss', '-Hltn', 'sport = :8000').trim();
  const m = /\S+%(\S+):8000/.exec(line);
  return m ? m[1] : '';
}

function result(): string {
  waitFor('the service to report', () => {
    try {
      return readFileSync('/run/vrfctl-lab-svc.result', 'utf8').includes(' ');
    } catch {
      return false;
    }
  });
  return readFileSync('/run/vrfctl-lab-svc.result', 'utf8').trim();
}

function restartAndWait(): void {
  spawnSync('rm', ['-f', '/run/vrfctl-lab-svc.result']);
  must('systemctl', 'restart', UNIT);
}

const fromPeer = () => sh('ip', ['netns', 'exec', 'peer', 'python3', '-c', 'import socket; s=socket.create_connection(("10.1.0.1",8000),2); print(s.recv(100).decode().strip())']);

test.serial('unbound, the service is in the default VRF: no route to 10.1.0.2 or 10.1.0.3', (t) => {
  t.is(result(), 'ENETUNREACH ENETUNREACH');
  t.is(listenerDevice(), '');
  t.is(vrfctl('identify', String(mainPid())).stdout.trim(), '');
});

test.serial('service bind --now: its sockets are in VRF blue, next to systemd\'s own BPF programs', (t) => {
  const before = sha(UNIT_FILE);
  spawnSync('rm', ['-f', '/run/vrfctl-lab-svc.result']);
  const r = vrfctl('service', 'bind', 'vrfctl-lab-svc', 'blue', '--now');
  t.is(r.code, 0, r.stderr);
  t.is(result(), 'connected timeout');
  t.is(listenerDevice(), 'blue');
  t.regex(fromPeer().stdout, /hello from the service/);
  t.is(vrfctl('identify', String(mainPid())).stdout.trim(), 'blue');
  // The process sits in the cgroup systemd made for the unit, the one the kernel says is bound.
  const cgroup = must('systemctl', 'show', '-p', 'ControlGroup', '--value', UNIT).trim();
  t.is(readFileSync(`/proc/${mainPid()}/cgroup`, 'utf8').trim(), `0::${cgroup}`);
  const status = JSON.parse(vrfctl('-j', 'service', 'status').stdout) as Array<Record<string, unknown>>;
  t.like(status[0], { unit: UNIT, vrf: 'blue', active: 'active', cgroup, bound_to: 'blue', bound: true });
  t.is(sha(UNIT_FILE), before, 'the unit file is untouched');
  const verify = sh('systemd-analyze', ['verify', UNIT_FILE]);
  t.is(verify.code, 0, verify.stderr);
  t.notRegex(verify.stderr, /50-vrfctl-vrf\.conf/);
});

test.serial('a restart binds again (a new cgroup, a new process)', (t) => {
  const pid = mainPid();
  restartAndWait();
  t.not(mainPid(), pid);
  t.is(result(), 'connected timeout');
  t.is(listenerDevice(), 'blue');
  t.is(vrfctl('identify', String(mainPid())).stdout.trim(), 'blue');
  t.regex(vrfctl('service', 'status', UNIT).stdout, /vrfctl-lab-svc\.service\s+blue\s+active\s+bound to blue/);
});

test.serial('service unbind --now: back in the default VRF, the drop-in gone, the unit file as it was', (t) => {
  const before = sha(UNIT_FILE);
  spawnSync('rm', ['-f', '/run/vrfctl-lab-svc.result']);
  const r = vrfctl('service', 'unbind', UNIT, '--now');
  t.is(r.code, 0, r.stderr);
  t.is(result(), 'ENETUNREACH ENETUNREACH');
  t.is(listenerDevice(), '');
  t.is(vrfctl('identify', String(mainPid())).stdout.trim(), '');
  t.is(sha(UNIT_FILE), before);
  t.is(sh('ls', [`/etc/systemd/system/${UNIT}.d`]).code, 2);
  t.deepEqual(JSON.parse(vrfctl('-j', 'service', 'status').stdout), []);
});

test.serial('boot enable: vrfctl-apply.service applies the file at start, waiting for a port that appears late', (t) => {
  writeFileSync('/etc/vrfctl.yaml', 'vrfs:\n  red:\n    table: 1002\n    ports: [late0]\n    loopback: true\n    routes:\n      - to: 198.51.100.0/24\n        type: blackhole\n');
  const e = vrfctl('boot', 'enable', '/etc/vrfctl.yaml');
  t.is(e.code, 0, e.stderr);
  t.is(must('systemctl', 'is-enabled', 'vrfctl-apply.service').trim(), 'enabled');
  const verify = sh('systemd-analyze', ['verify', '--man=no', '/etc/systemd/system/vrfctl-apply.service']);
  t.is(verify.code, 0, verify.stderr);
  const before = must('systemctl', 'show', '-p', 'Before', '--value', 'vrfctl-apply.service');
  t.regex(before, /network-online\.target/);
  t.regex(must('systemctl', 'show', '-p', 'WantedBy', '--value', 'vrfctl-apply.service'), /multi-user\.target/);
  // The port comes 4 s after the apply starts (a slow driver, a unit that makes it).
  writeFileSync('/etc/systemd/system/vrfctl-lab-late-port.service', '[Service]\nType=oneshot\nExecStart=/bin/sh -c "sleep 4; ip link add late0 type dummy"\n');
  must('systemctl', 'daemon-reload');
  must('systemctl', 'start', '--no-block', 'vrfctl-lab-late-port.service');
  const started = Date.now();
  const s = sh('systemctl', ['start', 'vrfctl-apply.service']);
  t.is(s.code, 0, `${s.stderr}\n${sh('journalctl', ['-u', 'vrfctl-apply.service', '--no-pager']).stdout}`);
  t.true(Date.now() - started >= 3000, 'the apply waited for late0');
  t.is(must('systemctl', 'show', '-p', 'Result', '--value', 'vrfctl-apply.service').trim(), 'success');
  t.regex(must('ip', 'link', 'show', 'late0'), /master red/);
  t.regex(must('ip', 'route', 'show', 'vrf', 'red'), /^blackhole 198\.51\.100\.0\/24 proto 240/m);
  t.is(vrfctl('diff', '/etc/vrfctl.yaml').stdout, 'no changes\n');
  const status = JSON.parse(vrfctl('-j', 'boot', 'status').stdout) as Record<string, unknown>;
  t.like(status, { unit: 'vrfctl-apply.service', file: '/etc/vrfctl.yaml', enabled: 'enabled', active: 'active', result: 'success', matches: true });
  must('ip', 'route', 'del', 'blackhole', '198.51.100.0/24', 'table', '1002');
  t.regex(vrfctl('boot', 'status').stdout, /the kernel differs from \/etc\/vrfctl\.yaml[^\n]*\n {2}\+ route blackhole 198\.51\.100\.0\/24/);
  t.log(`guest time for the suite so far: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
});

test.serial('boot disable removes the unit', (t) => {
  t.is(vrfctl('boot', 'disable').code, 0);
  t.is(sh('systemctl', ['is-enabled', 'vrfctl-apply.service']).code !== 0, true);
  t.is(vrfctl('boot', 'status').code !== 0, true);
});
