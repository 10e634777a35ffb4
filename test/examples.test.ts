// The code a reader copies must work: every fenced ```ts block of the READMEs is compiled in a
// strict project, and the agent example in examples/ is compiled and run against a netns.
import test from 'ava';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ip, tempNetns } from './support/netns.js';

const ROOT = resolve(import.meta.dirname, '..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

function readmes(): string[] {
  const out = [join(ROOT, 'README.md')];
  for (const p of readdirSync(join(ROOT, 'packages'))) {
    const f = join(ROOT, 'packages', p, 'README.md');
    if (existsSync(f)) out.push(f);
  }
  return out;
}

function tsBlocks(text: string): string[] {
  return [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const EXAMPLES = join(ROOT, 'build', 'readme-examples');

/**
 * What each README block needs to run: namespaces (private to the run: /run/netns is a tmpfs of
 * the run's own mount namespace, so 'lab' or 'pod1' meet nobody else's), setup commands run in
 * them first ("host" is where the block runs), and words of the block that name things only a
 * real system has (a pid), replaced. A block needing a VRF runs only where the kernel has VRFs.
 */
interface Environment {
  netns?: string[];
  setup?: string[];
  /** `${PID}` in the block: a process in this netns (its pid replaces the block's 4242). */
  pidIn?: string;
  /** Link events in this netns while the block runs (for a block that waits for one). */
  eventsIn?: string;
  vrf?: boolean;
}

const ENVIRONMENTS: Record<string, Environment> = {
  README_1: { vrf: true, netns: ['lab'], setup: ['ip -n lab link add eth0 type veth peer name eth0p'] },
  README_2: {
    netns: ['pod1'],
    setup: [
      'ip -n host link add cni0 type bridge', 'ip -n host link set cni0 up',
      'ip -n host link add eth0 type veth peer name eth0p', 'ip -n host addr add 10.99.0.1/24 dev eth0',
      'ip -n host link set eth0p up', 'ip -n host link set eth0 up',
      'ip -n host link add veth5678 type veth peer name veth5678p',
      // A route of eth0's that the block moves to cni0.
      'ip -n host route add 10.98.0.0/24 via 10.99.0.2 dev eth0',
    ],
    pidIn: 'pod1',
    eventsIn: 'pod1',
  },
  packages_link_README_1: { netns: ['lab'] },
  packages_link_README_2: {
    netns: ['pod1'],
    setup: [
      'ip -n host link add br0 type bridge', 'ip -n host link add eth0 type veth peer name eth0p',
      'ip -n host addr add 10.99.0.1/24 dev eth0', 'ip -n host link add veth-x type veth peer name veth-xp',
      'ip -n host link add h2 type veth peer name h2p',
    ],
    pidIn: 'pod1',
  },
  packages_nexthop_README_1: {
    netns: ['lab'],
    setup: ['ip -n lab link add veth0 type veth peer name veth1', 'ip -n lab addr add 192.0.2.10/24 dev veth0', 'ip -n lab link set veth1 up', 'ip -n lab link set veth0 up'],
  },
  packages_route_README_1: {
    vrf: true,
    netns: ['blue-ns'],
    setup: [
      'ip -n blue-ns link add eth0 type veth peer name eth0p', 'ip -n blue-ns addr add 10.0.0.1/24 dev eth0',
      'ip -n blue-ns link set eth0p up', 'ip -n blue-ns link set eth0 up',
      'ip -n blue-ns link add mgmt type vrf table 1000', 'ip -n blue-ns link set mgmt up',
      'ip -n blue-ns link add m0 type veth peer name m1', 'ip -n blue-ns link set m0 master mgmt',
      'ip -n blue-ns addr add 192.0.2.10/24 dev m0', 'ip -n blue-ns link set m1 up', 'ip -n blue-ns link set m0 up',
    ],
  },
  packages_rule_README_1: { netns: ['lab'] },
  packages_rule_README_2: { netns: ['lab'], setup: ['ip -n lab rule add pref 50 from 198.51.100.0/24 lookup 100'] },
  packages_vrf_README_1: { vrf: true, netns: ['lab'], setup: ['ip -n lab link add eth0 type veth peer name eth0p'] },
};

function kernelHasVrf(): boolean {
  const r = spawnSync('unshare', ['--net', 'ip', 'link', 'add', 'vrf-probe', 'type', 'vrf', 'table', '1'], { stdio: 'ignore' });
  return r.status === 0;
}

/** The shell script that runs one compiled block in its environment (inside `unshare --mount`). */
function script(js: string, env: Environment): string {
  const q = (w: string): string => `'${w.replaceAll("'", "'\\''")}'`;
  const lines = ['set -e', 'mount -t tmpfs tmpfs /run/netns', 'ip netns add host', 'ip -n host link set lo up'];
  for (const ns of env.netns ?? []) lines.push(`ip netns add ${q(ns)}`, `ip -n ${q(ns)} link set lo up`);
  lines.push(...(env.setup ?? []));
  let file = js;
  if (env.pidIn) {
    lines.push(`ip netns exec ${q(env.pidIn)} sleep 60 & SLEEPER=$!`, 'sleep 0.2');
    // The block's pid 4242 becomes that process.
    lines.push(`sed "s/4242/$SLEEPER/g" ${q(js)} > ${q(js.replace(/\.js$/, '.pid.js'))}`);
    file = js.replace(/\.js$/, '.pid.js');
  }
  if (env.eventsIn) lines.push(`(for i in $(seq 1 150); do sleep 0.2; ip -n ${q(env.eventsIn)} link set lo mtu $((60000 + i)) 2>/dev/null || exit 0; done) & EVENTS=$!`);
  lines.push(`set +e; ip netns exec host ${q(process.execPath)} ${q(file)}; rc=$?`);
  if (env.pidIn) lines.push('kill $SLEEPER 2>/dev/null');
  if (env.eventsIn) lines.push('kill $EVENTS 2>/dev/null');
  lines.push('exit $rc');
  return lines.join('\n');
}

test.serial('every ```ts block of the READMEs compiles in a strict project, and runs in throwaway namespaces', (t) => {
  const dir = EXAMPLES;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const readme of readmes()) {
    tsBlocks(readFileSync(readme, 'utf8')).forEach((code, i) => {
      const name = `${readme.slice(ROOT.length + 1).replaceAll('/', '_').replace('.md', '')}_${i + 1}.ts`;
      // A module of its own (top-level await allowed), as a reader's file would be.
      writeFileSync(join(dir, name), `${code}\nexport {};\n`);
      files.push(name);
    });
  }
  t.true(files.length >= 3, `${files.length} blocks`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: { outDir: 'out', rootDir: '.', composite: false, declaration: false, declarationMap: false, noUnusedLocals: false },
      include: files,
    }),
  );
  try {
    execFileSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    t.fail(`README examples do not compile:\n${(e as { stdout?: string }).stdout ?? String(e)}`);
    return;
  }
  t.log(`compiled ${files.length} blocks`);

  const vrf = kernelHasVrf();
  const notRun: string[] = [];
  for (const f of files) {
    const key = f.replace(/\.ts$/, '');
    const env = ENVIRONMENTS[key] ?? {};
    if (env.vrf && !vrf) {
      notRun.push(key);
      continue;
    }
    const js = join(dir, 'out', key + '.js');
    const r = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script(js, env)], { encoding: 'utf8', timeout: 30_000 });
    t.is(r.status, 0, `${key} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.stdout}\n${r.stderr}`);
    t.log(`ran ${key}: ${r.stdout.trim().split('\n').length} lines of output`);
  }
  // The blocks that create VRFs run only where the kernel has them (the lab); they are not run here.
  if (notRun.length > 0) {
    t.deepEqual(notRun, ['README_1', 'packages_route_README_1', 'packages_vrf_README_1'], 'only blocks that need VRFs are left out');
    t.log(`NOT RUN (this kernel has no VRF module): ${notRun.join(', ')}`);
  }
});

test('the agent example (examples/route-agent) installs, watches with an AbortSignal and reconciles', async (t) => {
  execFileSync(process.execPath, [TSC, '-p', join(ROOT, 'examples/route-agent/tsconfig.json')], { stdio: 'pipe' });
  const ns = tempNetns(t);
  const agent = spawn(process.execPath, [join(ROOT, 'build/examples/route-agent/agent.js'), ns, '200'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => agent.kill('SIGKILL'));
  const lines: Array<Record<string, unknown>> = [];
  let stderr = '';
  agent.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let buffered = '';
  const waiters: Array<() => void> = [];
  agent.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>);
      buffered = buffered.slice(nl + 1);
      for (const w of waiters.splice(0)) w();
    }
  });
  const until = async (pred: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 20_000;
    while (!pred()) {
      if (Date.now() > deadline || agent.exitCode !== null) throw new Error(`${what}: ${JSON.stringify(lines)} ${stderr}`);
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, 200);
      });
    }
  };
  const table = (): string[] => (JSON.parse(ip(ns, '-j', 'route', 'show', 'table', '100')) as Array<{ dst: string }>).map((r) => r.dst);
  await until(() => lines.some((l) => l.event === 'installed'), 'installed');
  t.like(lines.find((l) => l.event === 'installed'), { ok: 200, failed: 0 });
  t.is(table().length, 200);
  // Take 60 routes away behind the agent's back, in one burst.
  const file = join(ROOT, 'build', `${ns}.batch`);
  writeFileSync(file, Array.from({ length: 60 }, (_, i) => `route del 10.100.${i}.0/24 table 100`).join('\n') + '\n');
  t.teardown(() => rmSync(file, { force: true }));
  ip(ns, '-batch', file);
  const added = (): number => lines.filter((l) => l.event === 'reconciled').reduce((n, l) => n + (l.added as number), 0);
  await until(() => added() >= 60 && table().length === 200, 'the agent put the routes back');
  t.is(added(), 60, 'exactly the 60 missing routes were re-added');
  t.deepEqual(new Set(table()).size, 200);
  // The AbortSignal (fired on SIGTERM) ends the watch and the agent exits cleanly.
  const exited = new Promise<number | null>((r) => agent.once('exit', r));
  agent.kill('SIGTERM');
  t.is(await exited, 0, stderr);
  t.like(lines.at(-1), { event: 'stopped' });
  t.log(`agent: ${lines.map((l) => l.event).join(', ')}`);
});
