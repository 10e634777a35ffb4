// node tools/bench/nexthop.mjs [--rounds N] [--groups G] [--routes R] [--only install|one-group]
// Nexthop objects at routing-daemon scale, two parts:
// - install: G groups of 4 nexthops (4·G objects, then the groups) and R routes pointing at the
//   groups by nhid, `vrfctl batch` against `ip -batch` on the same file, then one group replaced
//   by each (one process each: that row is mostly process start-up);
// - one-group: R routes pointing at ONE group of 4; replacing that group (one message) moves all
//   of them: timed as `ip nexthop replace`, `vrfctl nexthop replace` (processes) and inside the
//   library (nexthops(nl).replace(), send to ACK: the kernel's part). Against what it takes to move
//   the same R routes without nexthop objects: R `route replace P table T nexthop via … ×4` lines
//   by `ip -batch` and `vrfctl batch`, and R RouteReplace calls of vishvananda/netlink (nlbench.go; Debian's
//   1.1.0.125.gf243826 has no nexthop API at all; built only when go and the package are there).
// Each round in fresh namespaces, contenders' order alternated; medians; prints JSON and a summary.
// Needs root.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const VRFCTL = join(ROOT, 'packages', 'vrfctl', 'bin', 'vrfctl.js');
const CACHE = join(ROOT, 'bench-results', '.cache');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const ROUNDS = opt('--rounds', 3);
const GROUPS = opt('--groups', 1000);
const ROUTES = opt('--routes', 100_000);
const TABLE = 100;
const ONLY = (() => {
  const i = argv.indexOf('--only');
  return i >= 0 ? argv[i + 1] : undefined;
})();
const C = join(HERE, 'contenders');

if (process.getuid?.() !== 0) {
  console.error('needs root (network namespaces)');
  process.exit(1);
}
mkdirSync(CACHE, { recursive: true });

/** Member k of group g: id, and a gateway on v0's /16. */
const member = (g, k) => {
  const id = g * 4 + k + 1;
  return { id, via: `10.0.${Math.floor(id / 250) + 1}.${(id % 250) + 1}` };
};
const groupId = (g) => 100_000 + g;

function batchFile() {
  const lines = [];
  for (let g = 0; g < GROUPS; g++) for (let k = 0; k < 4; k++) lines.push(`nexthop add id ${member(g, k).id} via ${member(g, k).via} dev v0`);
  for (let g = 0; g < GROUPS; g++) lines.push(`nexthop add id ${groupId(g)} group ${[0, 1, 2, 3].map((k) => member(g, k).id).join('/')}`);
  for (let r = 0; r < ROUTES; r++) {
    lines.push(`route add 10.${100 + Math.floor(r / 65536)}.${Math.floor(r / 256) % 256}.${r % 256}/32 nhid ${groupId(r % GROUPS)} table ${TABLE}`);
  }
  const file = join(CACHE, `nexthop-${GROUPS}-${ROUTES}.batch`);
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, lines: lines.length };
}

/**
 * vrfctl's changing commands take the host lock (/run/vrfctl/lock, flock). On this shared machine
 * other people's vrfctl runs hold it for seconds, which is not vrfctl's cost: each vrfctl run here
 * gets a private /run/vrfctl (its own mount namespace), where it still takes a lock, uncontended.
 */
mkdirSync('/run/vrfctl', { recursive: true });
const vrfctl = (...args) => ['unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs vrfbench /run/vrfctl && exec "$@"', 'sh', 'node', VRFCTL, ...args];

let nsCount = 0;
function netns() {
  const name = `vrfbench-nh-${process.pid}-${nsCount++}`;
  const ip = (...a) => execFileSync('ip', ['-n', name, ...a]);
  execFileSync('ip', ['netns', 'add', name]);
  ip('link', 'set', 'lo', 'up');
  ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ip('link', 'set', 'v0', 'up');
  ip('link', 'set', 'v1', 'up');
  ip('addr', 'add', '10.0.0.1/16', 'dev', 'v0');
  return name;
}
const live = new Set();
process.on('exit', () => {
  for (const n of live) spawnSync('ip', ['netns', 'del', n]);
});

/** Wall time and the child's user/system CPU (bash `times`). */
function timed(args) {
  const script = '"$@" >/dev/null 2>/tmp/vrfbench-nh-err.$$; rc=$?; times; cat /tmp/vrfbench-nh-err.$$ >&2; rm -f /tmp/vrfbench-nh-err.$$; exit $rc';
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', script, 'bash', ...args], { maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  const cpu = (r.stdout.toString().trim().split('\n').at(-1) ?? '').match(/(\d+)m([\d.]+)s (\d+)m([\d.]+)s/);
  const sec = (m, s) => (Number(m) * 60 + Number(s)) * 1e3;
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr.toString().trim().split('\n').at(-1)}`);
  return { ms, userMs: cpu ? sec(cpu[1], cpu[2]) : NaN, sysMs: cpu ? sec(cpu[3], cpu[4]) : NaN };
}

function counts(ns) {
  const nh = execFileSync('ip', ['-n', ns, 'nexthop', 'show'], { maxBuffer: 1 << 28 }).toString().split('\n').filter(Boolean).length;
  const routes = execFileSync('ip', ['-n', ns, 'route', 'show', 'table', String(TABLE)], { maxBuffer: 1 << 28 }).toString()
    .split('\n').filter((l) => l && !l.startsWith('\t')).length;
  return { nh, routes };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Medians of wall, CPU (user + sys), user and sys over timings. */
const summary = (xs) => ({
  ms: median(xs.map((x) => x.ms)), cpu: median(xs.map((x) => x.userMs + x.sysMs)),
  user: median(xs.map((x) => x.userMs)), sys: median(xs.map((x) => x.sysMs)), n: xs.length,
});

function installPhase() {
  const { file, lines } = batchFile();
  const contenders = {
    'ip -batch': { install: (ns) => ['ip', '-n', ns, '-batch', file], replace: (ns, g) => ['ip', '-n', ns, 'nexthop', 'replace', 'id', String(groupId(0)), 'group', g] },
    'vrfctl batch': { install: (ns) => vrfctl('-n', ns, 'batch', file), replace: (ns, g) => vrfctl('-n', ns, 'nexthop', 'replace', 'id', String(groupId(0)), 'group', g) },
  };
  const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, { install: [], replace: [] }]));
  console.error(`${lines} lines: ${GROUPS * 4} nexthops, ${GROUPS} groups of 4, ${ROUTES} routes by nhid; ${ROUNDS} rounds`);
  for (let r = 0; r < ROUNDS; r++) {
    const names = Object.keys(contenders);
    if (r % 2) names.reverse();
    for (const name of names) {
      const ns = netns();
      live.add(ns);
      try {
        const c = contenders[name];
        const inst = timed(c.install(ns));
        const got = counts(ns);
        if (got.nh !== GROUPS * 5 || got.routes !== ROUTES) throw new Error(`${name}: ${got.nh} nexthops and ${got.routes} routes after the install`);
        // Replace group 0 with the members of group 1: its routes move with one message.
        const to = [0, 1, 2, 3].map((k) => member(1, k).id).join('/');
        const rep = timed(c.replace(ns, to));
        const moved = execFileSync('ip', ['-n', ns, 'route', 'show', 'table', String(TABLE), '10.100.0.0/32']).toString();
        if (![0, 1, 2, 3].every((k) => moved.includes(`via ${member(1, k).via} `))) throw new Error(`${name}: the route did not move: ${moved}`);
        results[name].install.push(inst);
        results[name].replace.push(rep);
        console.error(`round ${r + 1} ${name}: install ${(inst.ms / 1e3).toFixed(2)} s (user ${(inst.userMs / 1e3).toFixed(2)}, sys ${(inst.sysMs / 1e3).toFixed(2)}), replace ${rep.ms.toFixed(0)} ms`);
      } finally {
        spawnSync('ip', ['netns', 'del', ns]);
        live.delete(ns);
      }
    }
  }
  const row = (name, what) => {
    const xs = results[name][what];
    return { ms: median(xs.map((x) => x.ms)), cpu: median(xs.map((x) => x.userMs + x.sysMs)), user: median(xs.map((x) => x.userMs)), sys: median(xs.map((x) => x.sysMs)) };
  };
  const ip = row('ip -batch', 'install');
  const ours = row('vrfctl batch', 'install');
  const ipRep = row('ip -batch', 'replace');
  const ourRep = row('vrfctl batch', 'replace');
  const out = {
    lines, groups: GROUPS, routes: ROUTES, rounds: ROUNDS,
    install: { 'ip -batch': ip, 'vrfctl batch': ours },
    replace: { 'ip nexthop replace': ipRep, 'vrfctl nexthop replace': ourRep },
    speedup: ip.ms / ours.ms, cpuRatio: ip.cpu / ours.cpu,
  };
  console.log(JSON.stringify(out, null, 2));
  console.error(`install: vrfctl batch ${(ours.ms / 1e3).toFixed(2)} s vs ip -batch ${(ip.ms / 1e3).toFixed(2)} s: ${out.speedup.toFixed(2)}× faster (CPU ${out.cpuRatio.toFixed(2)}× less); target 1.3×: ${out.speedup >= 1.3 ? 'met' : 'NOT met'}`);
  return out;
}

// ---- one group, R routes: the one message against moving R routes one by one ----

/** Route r of R: 10.100.0.0/32 onwards, as in the install part. */
const prefix = (r) => `10.${100 + Math.floor(r / 65536)}.${Math.floor(r / 256) % 256}.${r % 256}/32`;
/** Two sets of 4 gateways on v0: routes move from one to the other and back. */
const GW = [[2, 3, 4, 5], [6, 7, 8, 9]].map((set) => set.map((h) => `10.0.0.${h}`));
const ONE = 100; // the group's id; members 1–4 are GW[0], 5–8 GW[1]

function oneGroupFiles() {
  const objects = [
    ...GW.flat().map((via, i) => `nexthop add id ${i + 1} via ${via} dev v0`),
    `nexthop add id ${ONE} group 1/2/3/4`,
    ...Array.from({ length: ROUTES }, (_, r) => `route add ${prefix(r)} nhid ${ONE} table ${TABLE}`),
  ];
  const hops = (set) => GW[set].map((via) => `nexthop via ${via} dev v0`).join(' ');
  const multipath = (verb, set) => Array.from({ length: ROUTES }, (_, r) => `route ${verb} ${prefix(r)} table ${TABLE} ${hops(set)}`);
  const write = (name, lines) => {
    const file = join(CACHE, `${name}-${ROUTES}.batch`);
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };
  return {
    objects: write('nexthop-one-group', objects),
    multipath: write('multipath-add', multipath('add', 0)),
    replaceTo: [write('multipath-replace-0', multipath('replace', 0)), write('multipath-replace-1', multipath('replace', 1))],
  };
}

/** vishvananda/netlink's RouteReplace loop (contenders/nlbench.go replace), built GOPATH-style from Debian's package. */
function goBinary() {
  if (spawnSync('go', ['version']).status !== 0) return { bin: null, why: 'go is not installed' };
  const bin = join(CACHE, 'nlbench-nh');
  const r = spawnSync('go', ['build', '-o', bin, join(C, 'nlbench.go')], {
    cwd: C, env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: join(CACHE, 'go-build'), GOFLAGS: '' },
  });
  return r.status === 0 ? { bin } : { bin: null, why: r.stderr.toString().trim().split('\n')[0] };
}

/** The hops of route r as ip shows them: every gateway of the set, in a multipath or a group. */
function movedTo(ns, set, r = 0) {
  const shown = execFileSync('ip', ['-n', ns, 'route', 'show', 'table', String(TABLE), prefix(r)]).toString();
  return GW[set].every((via) => shown.includes(`via ${via} `)) && !GW[1 - set].some((via) => shown.includes(`via ${via} `));
}

/** A JSON line printed by a contender run inside the namespace, with the process's own timing. */
function jsonIn(ns, args) {
  const r = spawnSync('ip', ['netns', 'exec', ns, ...args], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr.toString().trim()}`);
  return JSON.parse(r.stdout.toString().trim().split('\n').at(-1));
}

function oneGroupPhase() {
  const files = oneGroupFiles();
  const go = goBinary();
  if (!go.bin) console.error(`vishvananda/netlink not run: ${go.why}`);
  const res = {
    objects: { 'ip nexthop replace': [], 'vrfctl nexthop replace': [], 'library replace (send to ACK)': [] },
    without: { 'ip -batch': [], 'vrfctl batch': [], ...(go.bin ? { 'vishvananda/netlink': [] } : {}) },
  };
  console.error(`one group of 4, ${ROUTES} routes by nhid; without objects: ${ROUTES} multipath routes of 4 hops; ${ROUNDS} rounds`);
  for (let round = 0; round < ROUNDS; round++) {
    // With nexthop objects: each contender moves every route with one replace of the group.
    const a = netns();
    live.add(a);
    try {
      timed(['ip', '-n', a, '-batch', files.objects]);
      if (counts(a).routes !== ROUTES || !movedTo(a, 0)) throw new Error('one-group install: routes missing');
      let set = 0;
      const step = (name, run) => {
        set = 1 - set;
        const t = run(set);
        for (const r of [0, ROUTES - 1]) if (!movedTo(a, set, r)) throw new Error(`${name}: route ${prefix(r)} did not move`);
        return t;
      };
      const members = (s) => (s === 0 ? '1/2/3/4' : '5/6/7/8');
      const names = Object.keys(res.objects);
      if (round % 2) names.reverse();
      for (const name of names) {
        if (name === 'ip nexthop replace') res.objects[name].push(step(name, (s) => timed(['ip', '-n', a, 'nexthop', 'replace', 'id', String(ONE), 'group', members(s)])));
        else if (name === 'vrfctl nexthop replace') res.objects[name].push(step(name, (s) => timed(vrfctl('-n', a, 'nexthop', 'replace', 'id', String(ONE), 'group', members(s)))));
        else {
          // Five calls in one process (the first pays the socket's set-up and warm-up too);
          // after each the routes really moved (checked after the last: an odd count ends on the other set).
          const { calls } = step(name, (s) => jsonIn(a, ['node', join(C, 'nh-replace.mjs'), String(ONE), '5', members(s).replaceAll('/', ','), members(1 - s).replaceAll('/', ',')]));
          res.objects[name].push(...calls);
        }
      }
    } finally {
      spawnSync('ip', ['netns', 'del', a]);
      live.delete(a);
    }
    // Without: R multipath routes, each replaced by its own message.
    const b = netns();
    live.add(b);
    try {
      timed(['ip', '-n', b, '-batch', files.multipath]);
      if (counts(b).routes !== ROUTES || !movedTo(b, 0)) throw new Error('multipath install: routes missing');
      let set = 0;
      const names = Object.keys(res.without);
      if (round % 2) names.reverse();
      for (const name of names) {
        set = 1 - set;
        const t = name === 'ip -batch' ? timed(['ip', '-n', b, '-batch', files.replaceTo[set]])
          : name === 'vrfctl batch' ? timed(vrfctl('-n', b, 'batch', files.replaceTo[set]))
            : { ...timed(['ip', 'netns', 'exec', b, go.bin, 'replace', String(ROUTES), String(TABLE), 'v0', GW[set].join(',')]) };
        for (const r of [0, ROUTES - 1]) if (!movedTo(b, set, r)) throw new Error(`${name}: route ${prefix(r)} did not move`);
        res.without[name].push(t);
        console.error(`round ${round + 1} without objects, ${name}: ${(t.ms / 1e3).toFixed(2)} s (user ${(t.userMs / 1e3).toFixed(2)}, sys ${(t.sysMs / 1e3).toFixed(2)})`);
      }
    } finally {
      spawnSync('ip', ['netns', 'del', b]);
      live.delete(b);
    }
    for (const [name, xs] of Object.entries(res.objects)) console.error(`round ${round + 1} one group, ${name}: ${xs.at(-1).ms.toFixed(1)} ms (user ${xs.at(-1).userMs.toFixed(1)}, sys ${xs.at(-1).sysMs.toFixed(1)})`);
  }
  const out = {
    routes: ROUTES, rounds: ROUNDS, go: go.bin ? 'vishvananda/netlink 1.1.0.125.gf243826 (Debian)' : go.why,
    oneGroup: Object.fromEntries(Object.entries(res.objects).map(([k, xs]) => [k, summary(xs)])),
    withoutObjects: Object.fromEntries(Object.entries(res.without).map(([k, xs]) => [k, summary(xs)])),
  };
  console.log(JSON.stringify(out, null, 2));
  return out;
}

if (ONLY !== 'one-group') installPhase();
if (ONLY !== 'install') oneGroupPhase();
