// pnpm bench [-- --quick] [--rounds N] [--only install,dump,decode,startup,monitor,memory,scaling]
// vrfctl's netlink stack against ip(8), node-netlink, pyroute2 and vishvananda/netlink, on the
// real kernel, each round in fresh network namespaces. Prints a table, writes
// bench-results/latest.json and (full runs) the table between the markers in BENCHMARKS.md.
// Needs root. Nothing fails on speed: a missing contender is reported and skipped.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const OUT = join(ROOT, 'bench-results');
const CACHE = join(OUT, '.cache');
const C = join(HERE, 'contenders');
const VRFCTL = join(ROOT, 'packages', 'vrfctl', 'bin', 'vrfctl.js');
const PY = '/usr/bin/python3';
const TABLE = 100;

const argv = process.argv.slice(2).filter((a) => a !== '--');
const quick = argv.includes('--quick');
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const rounds = Number(opt('--rounds') ?? (quick ? 1 : 3));
const only = opt('--only')?.split(',');
const want = (s) => !only || only.includes(s);
const N = quick
  ? { install: 2000, pyroute2: 500, vrfctlBatch: 2000, dump: 2000, scaling: [1000, 5000], stream: 20000, monitor: 5000, startup: 5 }
  : { install: 100_000, pyroute2: 20_000, vrfctlBatch: 100_000, dump: 100_000, scaling: [10_000, 100_000, 1_000_000], stream: 1_000_000, monitor: 100_000, startup: 20 };

if (process.getuid?.() !== 0) {
  console.error('pnpm bench needs root (network namespaces, route installs)');
  process.exit(1);
}
mkdirSync(CACHE, { recursive: true });

// ---- helpers ----

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const log = (s) => process.stderr.write(`${s}\n`);

let nsCount = 0;
const namespaces = new Set();
function netnsAdd() {
  const name = `vrfbench-${process.pid}-${nsCount++}`;
  execFileSync('ip', ['netns', 'add', name]);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  namespaces.add(name);
  return name;
}
function netnsDel(name) {
  spawnSync('ip', ['netns', 'del', name]);
  namespaces.delete(name);
  settle();
}

/** Busy and total jiffies of all CPUs from /proc/stat (steal counts as busy: it is time we lose). */
function cpuJiffies() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

/**
 * Waits until the machine is nearly idle (under 10 % busy over 200 ms, at most 20 s). A deleted
 * namespace's routes are freed by a kernel worker after `ip netns del` returns: hundreds of ms
 * of kernel CPU for 100k routes, seconds for 1M, which landed in the next measurement.
 */
function settle() {
  const deadline = performance.now() + 20_000;
  while (performance.now() < deadline) {
    const a = cpuJiffies();
    spawnSync('sleep', ['0.2']);
    const b = cpuJiffies();
    if ((b.busy - a.busy) / Math.max(1, b.total - a.total) < 0.1) return;
  }
  const note = 'the machine did not settle below 10 % CPU within 20 s at least once: some figures are noisier';
  if (!notes.includes(note)) notes.push(note);
}
process.on('exit', () => {
  for (const n of namespaces) spawnSync('ip', ['netns', 'del', n]);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));

/**
 * Runs a command with its output discarded and returns wall time plus the child's user and
 * system CPU, read from bash's `times` (no extra tools needed).
 */
function timed(cmd, args, { stdin } = {}) {
  const script = '"$@" >/dev/null 2>/tmp/vrfbench-err.$$; rc=$?; times; cat /tmp/vrfbench-err.$$ >&2; rm -f /tmp/vrfbench-err.$$; exit $rc';
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bash', cmd, ...args], { input: stdin, maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  const lines = r.stdout.toString().trim().split('\n');
  const cpu = (lines.at(-1) ?? '').match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/);
  const sec = (m, s) => (Number(m) * 60 + Number(s)) * 1e3;
  return {
    ok: r.status === 0,
    ms,
    userMs: cpu ? sec(cpu[1], cpu[2]) : NaN,
    sysMs: cpu ? sec(cpu[3], cpu[4]) : NaN,
    stderr: r.stderr.toString().trim(),
  };
}

/** timed() plus the child's peak RSS (VmHWM) in MB, from GNU time; NaN without /usr/bin/time. */
function timedRss(cmd, args) {
  if (!existsSync('/usr/bin/time')) return { ...timed(cmd, args), hwmMB: NaN };
  const out = join(CACHE, `time-${process.pid}`);
  const s = timed('/usr/bin/time', ['-f', '%M', '-o', out, cmd, ...args]);
  const kb = Number(readFileSync(out, 'utf8').trim().split('\n').at(-1));
  rmSync(out, { force: true });
  return { ...s, hwmMB: kb / 1024 };
}

/** A contender script run in a namespace that prints one JSON line; adds the outer wall time. */
function json(ns, cmd, args) {
  const t0 = performance.now();
  const r = spawnSync('ip', ['netns', 'exec', ns, cmd, ...args], { maxBuffer: 1 << 26, cwd: C });
  const outerMs = performance.now() - t0;
  const line = r.stdout.toString().trim().split('\n').at(-1);
  if (r.status !== 0 || !line?.startsWith('{')) {
    return { ok: false, error: (r.stderr.toString() || r.stdout.toString()).trim().split('\n').slice(-3).join(' | ') };
  }
  return { ok: true, outerMs, ...JSON.parse(line) };
}

function routeCount(ns) {
  const out = execFileSync('ip', ['-n', ns, '-4', 'route', 'show', 'table', String(TABLE)], { maxBuffer: 1 << 28 });
  let n = 0;
  for (const b of out) if (b === 10) n++;
  return n;
}

function batchFile(count, vrfctl) {
  const file = join(CACHE, `routes-${count}${vrfctl ? '-vrfctl' : ''}.batch`);
  if (!existsSync(file)) {
    const lines = [];
    for (let i = 1; i <= count; i++) lines.push(`route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 dev lo table ${TABLE}`);
    writeFileSync(file, `${lines.join('\n')}\n`);
  }
  return file;
}

// results[section][contender] = [sample, …]
const results = {};
function record(section, name, sample) {
  ((results[section] ??= {})[name] ??= []).push(sample);
  const s = sample.ok === false ? `FAILED ${sample.error ?? sample.stderr ?? ''}` : `${(sample.ms ?? 0).toFixed(0)} ms${sample.count !== undefined ? ` (${sample.count})` : ''}`;
  log(`  ${section} ${name}: ${s}`);
}
const notes = [];

// ---- what is available ----

function goBinary() {
  const src = join(C, 'nlbench.go');
  const bin = join(CACHE, 'nlbench');
  if (spawnSync('go', ['version']).status !== 0) return null;
  if (existsSync(bin) && statSync(bin).mtimeMs > statSync(src).mtimeMs) return bin;
  // Debian's golang-github-vishvananda-netlink-dev lives in /usr/share/gocode: a GOPATH build,
  // no modules, nothing downloaded.
  const r = spawnSync('go', ['build', '-o', bin, src], {
    cwd: C,
    env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(CACHE, 'go-build'), GOFLAGS: '' },
  });
  if (r.status !== 0) {
    notes.push(`Go contender not built: ${r.stderr.toString().trim().split('\n')[0]}`);
    return null;
  }
  return bin;
}

const have = {
  go: goBinary(),
  pyroute2: spawnSync(PY, ['-c', 'import pyroute2']).status === 0,
  nodeNetlink: (() => {
    try {
      createRequire(join(C, 'x.js')).resolve('netlink');
      return true;
    } catch {
      return false;
    }
  })(),
  vrfctl: existsSync(join(ROOT, 'packages', 'vrfctl', 'dist', 'main.js')),
};
if (!have.go) notes.push('vishvananda/netlink: skipped (apt-get install golang-go golang-github-vishvananda-netlink-dev)');
if (!have.pyroute2) notes.push('pyroute2: skipped (apt-get install python3-pyroute2)');
if (!have.nodeNetlink) notes.push('node-netlink: skipped (pnpm install: optional dependency `netlink` of tools/bench)');
if (!have.vrfctl) notes.push('vrfctl CLI: skipped (build with npx tsc -b)');

// `vrfctl batch` and `vrfctl route show` are still being written: probe them.
if (have.vrfctl) {
  const ns = netnsAdd();
  const file = join(CACHE, 'probe.batch');
  writeFileSync(file, `route add 10.0.0.1/32 dev lo table ${TABLE}\n`);
  const b = spawnSync('node', [VRFCTL, '-n', ns, 'batch', file]);
  have.vrfctlBatch = b.status === 0 && routeCount(ns) === 1;
  if (!have.vrfctlBatch) notes.push(`vrfctl batch: not benchmarked, it does not work yet (${b.stderr.toString().trim().split('\n')[0] || `exit ${b.status}`})`);
  if (!have.vrfctlBatch) execFileSync('ip', ['-n', ns, 'route', 'add', '10.0.0.1/32', 'dev', 'lo', 'table', String(TABLE)]);
  const s = spawnSync('node', [VRFCTL, '-n', ns, '-j', 'route', 'show', 'table', String(TABLE)]);
  have.vrfctlRouteShow = s.status === 0 && s.stdout.toString().includes('10.0.0.1');
  if (!have.vrfctlRouteShow) notes.push(`vrfctl route show: not benchmarked (${s.stderr.toString().trim().split('\n')[0] || `exit ${s.status}`})`);
  const l = spawnSync('node', [VRFCTL, 'list']);
  have.vrfctlList = l.status === 0;
  if (!have.vrfctlList) notes.push('vrfctl list does not work: start-up measured with vrfctl --help');
  netnsDel(ns);
}
log(`contenders: ${JSON.stringify(have)}`);

// ---- 1. install ----

function installRound(r) {
  const list = [
    ['ours batch()', (ns) => json(ns, 'node', ['ours.mjs', 'install', String(N.install), String(TABLE)])],
    ['ip -batch', (ns) => timed('ip', ['-n', ns, '-batch', batchFile(N.install)])],
  ];
  // vrfctl batch: the same file as ip -batch (the rate is scaled when N.vrfctlBatch differs).
  if (have.vrfctlBatch) list.push(['vrfctl batch', (ns) => timed('node', [VRFCTL, '-n', ns, 'batch', batchFile(N.vrfctlBatch)]), N.vrfctlBatch]);
  if (have.nodeNetlink) list.push(['node-netlink', (ns) => json(ns, 'node', ['node-netlink.mjs', 'install', String(N.install), String(TABLE)])]);
  if (have.go) list.push(['vishvananda/netlink', (ns) => json(ns, have.go, ['install', String(N.install), String(TABLE)])]);
  if (have.pyroute2) list.push(['pyroute2', (ns) => json(ns, PY, ['pyroute2_bench.py', 'install', String(N.pyroute2), String(TABLE)]), N.pyroute2]);
  if (r % 2) list.reverse(); // alternate the order between rounds
  for (const [name, run, expect = N.install] of list) {
    const ns = netnsAdd();
    try {
      const s = run(ns);
      if (s.ok !== false) {
        s.count = routeCount(ns);
        if (s.count !== expect) s.note = `expected ${expect} routes, table has ${s.count}`;
        s.perRouteUs = (s.ms * 1e3) / expect;
      }
      record('install', name, s);
    } finally {
      netnsDel(ns);
    }
  }
}

// ---- 2. dump (and the decode capture) ----

const capture = join(CACHE, 'route-dump.bin');
const LOCAL_IP = 'ip -j route show table local';
const LOCAL_VRFCTL = 'vrfctl -j route show table local';
function dumpRound(r) {
  const ns = netnsAdd();
  try {
    const fill = json(ns, 'node', ['ours.mjs', 'install', String(N.dump), String(TABLE)]);
    if (!fill.ok) throw new Error(`filling the table failed: ${fill.error}`);
    const T = String(TABLE);
    const list = [['ours dump()+decodeRoute', () => json(ns, 'node', ['ours.mjs', 'dump', T])]];
    if (have.nodeNetlink) list.push(['node-netlink', () => json(ns, 'node', ['node-netlink.mjs', 'dump', T])]);
    if (have.go) list.push(['vishvananda/netlink', () => json(ns, have.go, ['dump', '0', T])]);
    if (have.pyroute2) list.push(['pyroute2', () => json(ns, PY, ['pyroute2_bench.py', 'dump', '0', T])]);
    if (r % 2) list.reverse();
    for (const [name, run] of list) record('dump', name, run());
    if (r === 0) {
      const c = json(ns, 'node', ['ours.mjs', 'capture', T, capture]);
      if (!c.ok) notes.push(`capture failed: ${c.error}`);
    }
  } finally {
    netnsDel(ns);
  }
}

/**
 * `ip -j route show` against `vrfctl -j route show` on N.dump routes and on the local table,
 * at least 5 alternating runs in one namespace filled once. Process starts are the figures most
 * sensitive to the machine's state (BENCHMARKS.md: left in the background of an idle session,
 * this VM stretched every start to ~0.5 s), so they and start-up are taken first.
 */
function cliRounds() {
  const ns = netnsAdd();
  try {
    const fill = json(ns, 'node', ['ours.mjs', 'install', String(N.dump), String(TABLE)]);
    if (!fill.ok) throw new Error(`filling the table failed: ${fill.error}`);
    settle();
    const T = String(TABLE);
    const cli = [
      ['ip -j route show', () => timed('ip', ['-n', ns, '-j', 'route', 'show', 'table', T])],
      // The same command on the local table (a handful of routes): what each CLI costs before the first route.
      [LOCAL_IP, () => timed('ip', ['-n', ns, '-j', 'route', 'show', 'table', 'local'])],
    ];
    if (have.vrfctlRouteShow) {
      cli.push(['vrfctl -j route show', () => timed('node', [VRFCTL, '-n', ns, '-j', 'route', 'show', 'table', T])]);
      cli.push([LOCAL_VRFCTL, () => timed('node', [VRFCTL, '-n', ns, '-j', 'route', 'show', 'table', 'local'])]);
    }
    for (const [, run] of cli) run(); // warm the page cache and the code cache
    for (let r = 0; r < Math.max(rounds, 5); r++) {
      for (const [name, run] of r % 2 ? [...cli].reverse() : cli) record('dump-cli', name, run());
    }
  } finally {
    netnsDel(ns);
  }
}

// ---- 3. decode ----

function decode() {
  if (!existsSync(capture)) return;
  if (!have.nodeNetlink) {
    notes.push('decode: node-netlink missing, only ours measured');
  }
  const r = spawnSync('node', ['decode.mjs', capture, String(Math.max(5, rounds))], { cwd: C, maxBuffer: 1 << 24 });
  const line = r.stdout.toString().trim().split('\n').at(-1);
  if (r.status !== 0 || !line) {
    notes.push(`decode failed: ${r.stderr.toString().trim().split('\n').slice(-2).join(' ')}`);
    return;
  }
  const d = JSON.parse(line);
  for (const k of ['ours', 'nodeNetlink']) {
    (d[k] ?? []).forEach((ms, i) => record('decode', k === 'ours' ? 'ours decodeRoute' : 'node-netlink parseMessage', { ms, cpuMs: d.cpu[k][i], userMs: d.cpu[k][i], sysMs: 0, count: d.counts[k], bytes: d.bytes }));
  }
}

// ---- 4. start-up ----

/**
 * vrfctl as `npm install` lays it out: the packed tarball (`pnpm pack`, whose prepack bundles)
 * unpacked into node_modules/vrfctl beside its one dependency, koffi (linked to the workspace's
 * copy: the same files npm would fetch), and its postinstall run (the code cache). The bin path,
 * or undefined with a note.
 */
function installedVrfctl() {
  const dir = mkdtempSync(join(tmpdir(), 'vrfbench-installed-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  try {
    const pkgDir = join(ROOT, 'packages', 'vrfctl');
    execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'pipe'] });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    const pkg = join(dir, 'node_modules', 'vrfctl');
    mkdirSync(pkg, { recursive: true });
    execFileSync('tar', ['-xzf', join(dir, tgz), '-C', pkg, '--strip-components=1']);
    const koffi = dirname(realpathSync(createRequire(join(pkgDir, 'package.json')).resolve('koffi/package.json')));
    symlinkSync(koffi, join(dir, 'node_modules', 'koffi'));
    execFileSync('node', ['scripts/code-cache.cjs'], { cwd: pkg, stdio: 'ignore' });
    return join(pkg, 'bin', 'vrfctl.js');
  } catch (err) {
    notes.push(`installed start-up not measured: ${String(err.message).split('\n')[0]}`);
    return undefined;
  }
}

function startup() {
  const vrfctlArgs = have.vrfctlList ? ['list'] : ['--help'];
  const list = [
    ['node -e 0', () => timed('node', ['-e', '0'])],
    ['ip vrf show', () => timed('ip', ['vrf', 'show'])],
  ];
  if (have.vrfctl) list.push([`vrfctl ${vrfctlArgs[0]}`, () => timed('node', [VRFCTL, ...vrfctlArgs])]);
  const installed = have.vrfctl ? installedVrfctl() : undefined;
  if (installed) list.push([`vrfctl ${vrfctlArgs[0]} (installed)`, () => timed('node', [installed, ...vrfctlArgs])]);
  for (const [, run] of list) run(); // warm the page cache
  for (let i = 0; i < N.startup; i++) {
    const order = i % 2 ? [...list].reverse() : list;
    for (const [name, run] of order) {
      const s = run();
      ((results.startup ??= {})[name] ??= []).push(s);
    }
  }
  for (const [name] of list) log(`  startup ${name}: ${median(results.startup[name].map((s) => s.ms)).toFixed(1)} ms median of ${N.startup}`);
}

// ---- 5. monitor ----

async function monitorRound(r) {
  const configs = [['sized (rcvbuf 32 MiB)', String(32 << 20)], ['default rcvbuf', 'default']];
  if (r % 2) configs.reverse();
  for (const [name, rcvbuf] of configs) {
    const ns = netnsAdd();
    try {
      const child = spawn('ip', ['netns', 'exec', ns, 'node', 'ours.mjs', 'monitor', String(N.monitor), rcvbuf], { cwd: C });
      let out = '';
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise((resolve) => child.on('close', resolve));
      await new Promise((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (out.includes('ready\n')) resolve();
        });
        child.on('close', () => reject(new Error(`monitor exited early: ${err}`)));
      });
      const load = json(ns, 'node', ['ours.mjs', 'install', String(N.monitor), String(TABLE)]);
      await exited;
      const line = out.trim().split('\n').at(-1);
      const m = line.startsWith('{') ? JSON.parse(line) : { ok: false, error: err };
      m.installMs = load.ms;
      m.ms = m.ms ?? NaN;
      record('monitor', name, m);
      log(`    ${m.events} events, ${m.overruns} overruns, ${Math.round(m.perSec)}/s`);
    } finally {
      netnsDel(ns);
    }
  }
}

// ---- 6+7. scaling and streaming memory ----

function scalingRound(r) {
  const sizes = r % 2 ? [...N.scaling].reverse() : N.scaling;
  for (const n of sizes) {
    const ns = netnsAdd();
    try {
      const inst = json(ns, 'node', ['ours.mjs', 'install', String(n), String(TABLE)]);
      if (inst.ok) inst.perRouteUs = (inst.ms * 1e3) / n;
      record(`scaling-install`, String(n), inst);
      const d = json(ns, 'node', ['ours.mjs', 'dump', String(TABLE)]);
      if (d.ok) d.perRouteUs = (d.ms * 1e3) / n;
      record(`scaling-dump`, String(n), d);
      if (have.vrfctlRouteShow) {
        const cli = [
          ['ip', () => timed('ip', ['-n', ns, '-j', 'route', 'show', 'table', String(TABLE)])],
          ['vrfctl', () => timed('node', [VRFCTL, '-n', ns, '-j', 'route', 'show', 'table', String(TABLE)])],
        ];
        if (r % 2) cli.reverse();
        for (const [name, run] of cli) record('scaling-cli', `${name} ${n}`, run());
      }
      if (n === N.stream && want('memory')) record('memory', `dumpIterator ${n}`, json(ns, 'node', ['ours.mjs', 'stream', String(TABLE)]));
    } finally {
      netnsDel(ns);
    }
  }
}

/** `vrfctl batch` of N.stream route lines in one fresh namespace: its peak RSS (#18: < 150 MB). */
function batchMemory() {
  if (!have.vrfctlBatch) return;
  const ns = netnsAdd();
  try {
    const s = timedRss('node', [VRFCTL, '-n', ns, 'batch', batchFile(N.stream)]);
    if (s.ok) {
      s.count = routeCount(ns);
      if (s.count !== N.stream) s.note = `expected ${N.stream} routes, table has ${s.count}`;
    }
    record('batch-memory', `vrfctl batch ${N.stream} lines`, s);
  } finally {
    netnsDel(ns);
  }
}

function memoryOnly() {
  const ns = netnsAdd();
  try {
    json(ns, 'node', ['ours.mjs', 'install', String(N.stream), String(TABLE)]);
    record('memory', `dumpIterator ${N.stream}`, json(ns, 'node', ['ours.mjs', 'stream', String(TABLE)]));
  } finally {
    netnsDel(ns);
  }
}

// ---- run ----

const started = new Date();
const load0 = loadavg();
// Process-start figures first (see cliRounds).
if (want('startup')) startup();
if (want('dump')) cliRounds();
for (let r = 0; r < rounds; r++) {
  log(`round ${r + 1}/${rounds}`);
  if (want('install')) installRound(r);
  if (want('dump') || want('decode')) dumpRound(r);
  if (want('monitor')) await monitorRound(r);
  if (want('scaling')) scalingRound(r);
  else if (want('memory') && r === 0) memoryOnly();
  if (want('memory') && r === 0) batchMemory();
}
if (want('decode')) decode();

// ---- summary ----

const med = (section, name, field = 'ms') => median((results[section]?.[name] ?? []).filter((s) => s.ok !== false).map((s) => s[field]));
const fmt = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const rows = [];
const verdicts = [];

/** user + sys CPU ms (sum of the medians); NaN when the contender reports none. */
const cpuTotal = (section, name) => med(section, name, 'userMs') + med(section, name, 'sysMs');
/** Ratio of CPU totals, each scaled to the same count. */
const cpuRatio = (section, a, ka, b, kb) => fmt((cpuTotal(section, a) * ka) / (cpuTotal(section, b) * kb), 2);

function cpuText(section, name) {
  const u = med(section, name, 'userMs');
  const s = med(section, name, 'sysMs');
  return Number.isFinite(u) ? `${fmt(u)} / ${fmt(s)}` : '–';
}

/** One comparison row: lower ms is better; peers scaled to the same count by rate. */
function compare(section, ours, peers, { count, scale = {}, target, targetText, bound, field = 'ms' }) {
  if (!results[section]?.[ours]) return;
  const o = med(section, ours, field);
  for (const p of [ours, ...peers]) {
    if (!results[section]?.[p]) continue;
    if (rows.some((r) => r.section === section && r.name.startsWith(p))) continue;
    const ms = med(section, p) * (scale[p] ?? 1);
    const rate = (count / ms) * 1e3;
    rows.push({ section, name: p + (scale[p] ? ` (×${scale[p]} from ${count / scale[p]})` : ''), ms, rate, cpu: cpuText(section, p), ratio: p === ours ? '' : fmt(ms / o, 2), cpuRatio: p === ours ? '' : cpuRatio(section, p, scale[p] ?? 1, ours, 1) });
  }
  const present = peers.filter((p) => results[section]?.[p]);
  if (!present.length) return;
  const best = present.reduce((a, b) => (med(section, a, field) * (scale[a] ?? 1) <= med(section, b, field) * (scale[b] ?? 1) ? a : b));
  const speedup = (med(section, best, field) * (scale[best] ?? 1)) / o;
  verdicts.push({ what: targetText, value: `${fmt(speedup, 2)}× vs ${best}`, met: speedup >= target, bound });
}

compare('install', 'ours batch()', ['ip -batch', 'node-netlink', 'vishvananda/netlink', 'pyroute2'], {
  count: N.install, scale: { pyroute2: N.install / N.pyroute2 }, target: 1.3, targetText: `install ${N.install}: ≥ 1.3× the fastest peer`,
  bound: 'kernel (fib insert + ACK per route, sys CPU) plus our user CPU: encoding, ACKs read with recvmmsg',
});
if (results.install?.['vrfctl batch']) {
  const k = N.install / N.vrfctlBatch;
  const r = (med('install', 'vrfctl batch') * k) / med('install', 'ip -batch');
  rows.push({ section: 'install', name: `vrfctl batch${k !== 1 ? ` (×${k} from ${N.vrfctlBatch})` : ''}`, ms: med('install', 'vrfctl batch') * k, rate: (N.vrfctlBatch / med('install', 'vrfctl batch')) * 1e3, cpu: cpuText('install', 'vrfctl batch'), ratio: fmt((med('install', 'vrfctl batch') * k) / med('install', 'ours batch()', 'outerMs'), 2), cpuRatio: cpuRatio('install', 'vrfctl batch', k, 'ours batch()', 1) });
  // vrfctl batch is a whole process; its time ratio is to batch()'s whole process (node start included).
  notes.push('install, vrfctl batch: "× ours time" divides by batch()\'s whole-process time (node start included), not its in-process time');
  verdicts.push({ what: 'vrfctl batch vs ip -batch (no target set)', value: `${fmt(r, 2)}× ip -batch's time, ${cpuRatio('install', 'vrfctl batch', k, 'ip -batch', 1)}× its CPU`, met: r <= 1, bound: 'kernel (fib insert + ACK per route) and reading, splitting and checking each line (once up to 131,072 lines, twice beyond; see BENCHMARKS.md)' });
  // Both as whole processes: batch()'s outer time includes its node start, as vrfctl batch's does.
  const rate = med('install', 'ours batch()', 'outerMs') / (med('install', 'vrfctl batch') * k);
  verdicts.push({ what: 'vrfctl batch: ≥ 0.8× the library batch() rate (issue #18)', value: `${fmt(rate, 2)}× batch()'s rate`, met: rate >= 0.8, bound: 'kernel (fib insert + ACK per route); reading, splitting and checking each line before the first is sent' });
}
compare('dump', 'ours dump()+decodeRoute', ['node-netlink', 'vishvananda/netlink', 'pyroute2'], {
  count: N.dump, target: 1, targetText: `dump ${N.dump} to objects: ≥ the fastest peer`, bound: 'user CPU (decode) and kernel dump fill',
});
if (results['dump-cli']?.['vrfctl -j route show']) {
  const r = med('dump-cli', 'vrfctl -j route show') / med('dump-cli', 'ip -j route show');
  compare('dump-cli', 'vrfctl -j route show', ['ip -j route show'], { count: N.dump, target: 0, targetText: '', bound: '' });
  verdicts.pop();
  for (const k of [LOCAL_VRFCTL, LOCAL_IP]) {
    if (results['dump-cli'][k]) rows.push({ section: 'dump-cli', name: k, ms: med('dump-cli', k), rate: NaN, cpu: cpuText('dump-cli', k), ratio: '', cpuRatio: '' });
  }
  // Cost per route once each CLI has started: the time above what it takes on the local table.
  const perRoute = (big, small) => ((med('dump-cli', big) - med('dump-cli', small)) * 1e3) / N.dump;
  const oursPer = perRoute('vrfctl -j route show', LOCAL_VRFCTL);
  const ipPer = perRoute('ip -j route show', LOCAL_IP);
  verdicts.push({
    what: '`vrfctl -j route show` within 1.5× of `ip -j`',
    value: `${fmt(r, 2)}× ip's time, ${fmt(cpuTotal('dump-cli', 'vrfctl -j route show') / cpuTotal('dump-cli', 'ip -j route show'), 2)}× its CPU`,
    met: r <= 1.5,
    bound: `start-up: ${fmt(med('dump-cli', LOCAL_VRFCTL))} ms on the local table (ip: ${fmt(med('dump-cli', LOCAL_IP))} ms); then ${fmt(oursPer, 2)} µs per route (ip: ${fmt(ipPer, 2)} µs), kernel dump fill included`,
  });
  // What no vrfctl can beat: node's own start against ip's whole run (when start-up was measured).
  const nodeStart = results.startup?.['node -e 0'] ? `\`node -e 0\` alone is ${fmt(med('startup', 'node -e 0') / med('dump-cli', 'ip -j route show'), 2)}× ip's whole run; ` : '';
  const past = `past start-up vrfctl spends ${fmt(oursPer, 2)} µs per route, ip ${fmt(ipPer, 2)} µs`;
  verdicts.push({ what: `\`vrfctl -j route show\` of ${N.dump} routes no slower than \`ip -j\` (#18)`, value: `${fmt(r, 2)}× ip's time`, met: r <= 1, bound: `start-up: ${nodeStart}${past}` });
} else if (results['dump-cli']) {
  compare('dump-cli', 'ip -j route show', [], { count: N.dump, target: 0, targetText: '' });
}
if (results['scaling-cli']) {
  for (const n of N.scaling) {
    const ours = med('scaling-cli', `vrfctl ${n}`);
    const theirs = med('scaling-cli', `ip ${n}`);
    rows.push({ section: 'scaling-cli', name: `${n} routes: vrfctl -j ${fmt(ours)} ms, ip -j ${fmt(theirs)} ms`, ms: ours, rate: (n / ours) * 1e3, cpu: cpuText('scaling-cli', `vrfctl ${n}`), ratio: fmt(theirs / ours, 2), cpuRatio: fmt(cpuTotal('scaling-cli', `ip ${n}`) / cpuTotal('scaling-cli', `vrfctl ${n}`), 2) });
    verdicts.push({ what: `\`vrfctl -j route show\` of ${n} routes within 1.5× of \`ip -j\``, value: `${fmt(ours / theirs, 2)}× ip's time`, met: ours / theirs <= 1.5, bound: n === N.scaling[0] ? 'node start-up and module loading (fixed)' : '' });
  }
}
compare('decode', 'ours decodeRoute', ['node-netlink parseMessage'], {
  count: N.dump, target: 5, field: 'cpuMs', targetText: 'decode: ≥ 5× node-netlink\'s parser (same bytes, CPU time)', bound: 'pure user CPU, one thread',
});
if (results.startup) {
  const v = Object.keys(results.startup).find((k) => k.startsWith('vrfctl'));
  for (const k of Object.keys(results.startup)) rows.push({ section: 'startup', name: k, ms: med('startup', k), rate: NaN, cpu: cpuText('startup', k), ratio: k === 'node -e 0' ? '' : fmt(med('startup', k) / med('startup', 'node -e 0'), 2), cpuRatio: k === 'node -e 0' ? '' : cpuRatio('startup', k, 1, 'node -e 0', 1) });
  // Issue #18: ≤ 1.25× `node -e 0`, in the repository and installed from the packed tarball.
  for (const k of Object.keys(results.startup).filter((x) => x.startsWith('vrfctl'))) {
    const r = med('startup', k) / med('startup', 'node -e 0');
    const c = cpuTotal('startup', k) / cpuTotal('startup', 'node -e 0');
    verdicts.push({ what: `start-up: \`${k}\` ≤ 1.25× \`node -e 0\` (#18)`, value: `${fmt(r, 2)}× wall, ${fmt(c, 2)}× CPU`, met: r <= 1.25, bound: 'reading and deserialising the bundle and its code cache, module initialisers, young-generation GC, page faults (see BENCHMARKS.md)' });
  }
  if (!v) notes.push('start-up: no vrfctl row');
}
if (results.monitor) {
  for (const [name, samples] of Object.entries(results.monitor)) {
    const ev = median(samples.map((s) => s.events));
    const ov = median(samples.map((s) => s.overruns));
    rows.push({ section: 'monitor', name: `${name}: ${fmt(ev)} of ${N.monitor} events, ${fmt(ov)} overruns`, ms: med('monitor', name), rate: median(samples.map((s) => s.perSec)), cpu: cpuText('monitor', name), ratio: '' });
  }
  const sized = results.monitor['sized (rcvbuf 32 MiB)'] ?? [];
  const dflt = results.monitor['default rcvbuf'] ?? [];
  verdicts.push({ what: 'monitor keeps up when sized (no overruns, every event)', value: sized.map((s) => `${s.events}/${s.overruns}`).join(', ') + ' (events/overruns)', met: sized.length > 0 && sized.every((s) => s.overruns === 0 && s.events === N.monitor), bound: 'the installer (kernel) is the producer; the monitor is idle-waiting' });
  verdicts.push({ what: 'monitor reports overruns with the default buffer', value: dflt.map((s) => `${s.events}/${s.overruns}`).join(', '), met: dflt.length > 0 && dflt.every((s) => s.overruns > 0 || s.events === N.monitor), bound: '' });
}
if (results.memory) {
  for (const name of Object.keys(results.memory)) {
    const hwm = med('memory', name, 'hwmMB');
    rows.push({ section: 'memory', name: `${name}: VmHWM ${fmt(hwm, 1)} MB (${fmt(med('memory', name, 'hwmBeforeMB'), 1)} MB before)`, ms: med('memory', name), rate: (N.stream / med('memory', name)) * 1e3, cpu: cpuText('memory', name), ratio: '' });
    verdicts.push({ what: `${N.stream} routes streamed in < 100 MB RSS`, value: `${fmt(hwm, 1)} MB`, met: hwm < 100, bound: 'node baseline + one datagram at a time' });
  }
}
if (results['batch-memory']) {
  for (const name of Object.keys(results['batch-memory'])) {
    const hwm = med('batch-memory', name, 'hwmMB');
    rows.push({ section: 'batch-memory', name: `${name}: max RSS ${fmt(hwm, 1)} MB`, ms: med('batch-memory', name), rate: (N.stream / med('batch-memory', name)) * 1e3, cpu: cpuText('batch-memory', name), ratio: '' });
    verdicts.push({ what: `\`vrfctl batch\` of ${N.stream} lines streams in < 150 MB RSS (#18)`, value: `${fmt(hwm, 1)} MB`, met: hwm < 150, bound: 'node baseline, the first 131,072 lines kept by the first pass until it passes them (then dropped), a 32 KiB read block, one chunk of 256 payloads; every line checked before the first is sent' });
  }
}
for (const sec of ['scaling-install', 'scaling-dump']) {
  if (!results[sec]) continue;
  const per = N.scaling.map((n) => med(sec, String(n), 'perRouteUs'));
  for (const n of N.scaling) rows.push({ section: sec, name: `${n} routes: ${fmt(med(sec, String(n), 'perRouteUs'), 2)} µs/route`, ms: med(sec, String(n)), rate: (n / med(sec, String(n))) * 1e3, cpu: cpuText(sec, String(n)), ratio: '' });
  const spread = Math.max(...per) / Math.min(...per);
  verdicts.push({ what: `${sec}: cost per route flat from ${N.scaling[0]} to ${N.scaling.at(-1)}`, value: `max/min ${fmt(spread, 2)}`, met: spread <= 1.5, bound: '' });
}

const machine = {
  nproc: cpus().length,
  model: cpus()[0]?.model,
  kernel: execFileSync('uname', ['-r']).toString().trim(),
  node: process.version,
  iproute2: execFileSync('ip', ['-V']).toString().trim(),
  loadavgAtStart: load0.map((x) => x.toFixed(2)).join(' '),
  loadavgAtEnd: loadavg().map((x) => x.toFixed(2)).join(' '),
};

const table = [
  '| section | contender | median ms | per s | user / sys CPU ms | × ours time | × ours CPU |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.section} | ${r.name} | ${fmt(r.ms, r.ms < 100 ? 1 : 0)} | ${Number.isFinite(r.rate) ? Math.round(r.rate).toLocaleString('en-US') : ''} | ${r.cpu} | ${r.ratio} | ${r.cpuRatio ?? ''} |`),
].join('\n');
const targets = [
  '| target | measured | met | bound by |',
  '| --- | --- | --- | --- |',
  ...verdicts.map((v) => `| ${v.what} | ${v.value} | ${v.met ? 'yes' : '**no**'} | ${v.bound ?? ''} |`),
].join('\n');
const header = `Run ${started.toISOString()}${quick ? ' (--quick)' : ''}, ${rounds} round(s), medians. Machine: ${machine.nproc} × ${machine.model}, kernel ${machine.kernel}, node ${machine.node}, ${machine.iproute2}; load average ${machine.loadavgAtStart} at start, ${machine.loadavgAtEnd} at end.`;
const text = `${header}\n\n${table}\n\n${targets}\n${notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''}`;
console.log(`\n${text}`);

writeFileSync(join(OUT, quick ? 'quick.json' : 'latest.json'), `${JSON.stringify({ started, quick, rounds, sizes: N, machine, have, notes, verdicts, results }, null, 1)}\n`);
const md = join(ROOT, 'BENCHMARKS.md');
if (!quick && !only && existsSync(md)) {
  const doc = readFileSync(md, 'utf8');
  const a = doc.indexOf('<!-- bench:begin -->');
  const b = doc.indexOf('<!-- bench:end -->');
  if (a >= 0 && b > a) writeFileSync(md, `${doc.slice(0, a)}<!-- bench:begin -->\n${text}\n${doc.slice(b)}`);
}
rmSync(join(CACHE, 'probe.batch'), { force: true });
