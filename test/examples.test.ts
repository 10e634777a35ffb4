// The code a reader copies must work: every fenced ```ts block of the READMEs is compiled in a
// strict project, and the agent example in examples/ is compiled and run against a netns.
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ip, tempNetns } from './support/netns.js';
import { ENVIRONMENTS, LAB_BLOCKS, ROOT, kernelHasLabKinds, readmeBlocks, runBlock } from './support/readme-examples.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const EXAMPLES = join(ROOT, 'build', 'readme-examples');

test.serial('every ```ts block of the READMEs compiles in a strict project, and runs in throwaway namespaces', (t) => {
  const dir = EXAMPLES;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const { key, code } of readmeBlocks()) {
    // A module of its own (top-level await allowed), as a reader's file would be.
    writeFileSync(join(dir, `${key}.ts`), `${code}\nexport {};\n`);
    files.push(`${key}.ts`);
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

  const labKinds = kernelHasLabKinds();
  const notRun: string[] = [];
  for (const f of files) {
    const key = f.replace(/\.ts$/, '');
    const env = ENVIRONMENTS[key] ?? {};
    if (env.lab && !labKinds) {
      notRun.push(key);
      continue;
    }
    const js = join(dir, 'out', key + '.js');
    const r = runBlock(js, env);
    t.is(r.status, 0, `${key} failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}):\n${r.stdout}\n${r.stderr}`);
    t.log(`ran ${key}: ${r.stdout.trim().split('\n').length} lines of output`);
  }
  // The blocks that create VRFs, bonds or ipvlans run only where the kernel has them: the lab
  // test packages/vrfctl/test-lab/readme-examples.test.ts runs them.
  if (notRun.length > 0) {
    t.deepEqual(notRun.sort(), LAB_BLOCKS, 'only the lab blocks are left out');
    t.log(`NOT RUN HERE (this kernel has no vrf, bond or ipvlan driver; the lab test runs them): ${notRun.join(', ')}`);
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
