// node tools/bench/nexthop.mjs [--rounds N] [--groups G] [--routes R]
// Nexthop objects at routing-daemon scale: install G groups of 4 nexthops (4·G objects, then the
// groups) and R routes pointing at the groups by nhid, then replace one group (one message moves
// every route that uses it). `vrfctl batch` against `ip -batch` on the same file, each round in
// fresh namespaces, order alternated. Prints a table and the verdict (target: vrfctl ≥ 1.3× faster).
// Needs root. vishvananda/netlink is not run: its nexthop API has no groups.
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

const { file, lines } = batchFile();
const contenders = {
  'ip -batch': { install: (ns) => ['ip', '-n', ns, '-batch', file], replace: (ns, g) => ['ip', '-n', ns, 'nexthop', 'replace', 'id', String(groupId(0)), 'group', g] },
  'vrfctl batch': { install: (ns) => ['node', VRFCTL, '-n', ns, 'batch', file], replace: (ns, g) => ['node', VRFCTL, '-n', ns, 'nexthop', 'replace', 'id', String(groupId(0)), 'group', g] },
};
const results = Object.fromEntries(Object.keys(contenders).map((k) => [k, { install: [], replace: [] }]));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
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
