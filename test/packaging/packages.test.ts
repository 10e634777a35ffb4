// Installs the packages as a user outside this repository would: every packages/* packed with
// `pnpm -r pack`, served with its third-party dependencies by a local registry (no workspace
// links, no network), installed with npm into a fresh project whose strict TypeScript (no
// skipLibCheck) compiles every README example and a program under nodenext and bundler
// resolution; the program then runs in a throwaway netns. The CLI is installed globally into a
// temporary prefix and run; its start-up is compared with the repository's (logged, not judged:
// the machine running the suite is shared).
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ip, tempNetns } from '../support/netns.js';
import { startRegistry, tarballManifest, type Manifest } from './registry.js';
import { packThirdParty, run, tarballName, workspacePackages } from './tarballs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const NODE_DIR = dirname(process.execPath);

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** The first ```LANG block of a README. */
function example(readme: string, lang: string): string | undefined {
  return new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme)?.[1];
}

const STRICT = {
  strict: true,
  skipLibCheck: false,
  target: 'ES2022',
  lib: ['ES2022'],
  types: ['node'],
  noUnusedLocals: false,
};

test('the packed packages install with npm from a registry, type-check strictly, run, and the CLI installs globally', async (t) => {
  t.timeout(420_000);
  for (const cmd of ['pnpm', 'npm', 'tar', 'ip']) {
    if (!hasCommand(cmd)) {
      t.log(`SKIPPED LOUDLY: ${cmd} is not on PATH; the packaging test needs pnpm, npm, tar and ip`);
      t.fail(`${cmd} missing`);
      return;
    }
  }
  const tmp = mkdtempSync(join(tmpdir(), 'vrfctl-packaging-'));
  t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
  const started = Date.now();
  const step = (what: string) => t.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
  // A user's shell, not pnpm's script environment: `pnpm test` hands its own settings down as
  // npm_config_* variables, which npm 11 warns about (and the publish check counts warnings).
  const userEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm|pnpm)_/i.test(k)));
  const env = { ...userEnv, PATH: `${NODE_DIR}:${process.env.PATH}`, npm_config_userconfig: join(tmp, 'npmrc'), npm_config_cache: join(tmp, 'npm-cache'), npm_config_update_notifier: 'false' };
  writeFileSync(join(tmp, 'npmrc'), '');

  // 1. Pack every workspace package; the private ones must not be packed.
  const tarDir = join(tmp, 'tarballs');
  mkdirSync(tarDir);
  await run('pnpm', ['-r', 'pack', '--pack-destination', tarDir], { cwd: ROOT, env, maxBuffer: 1 << 26 });
  step('pnpm -r pack');
  const workspace = workspacePackages(ROOT);
  const published = workspace.filter((p) => !p.private);
  const packed = readdirSync(tarDir).sort();
  t.deepEqual(packed, published.map((p) => tarballName(p.name, p.version)).sort(), 'one tarball per public packages/* and nothing else');
  let total = 0;
  const manifests: Manifest[] = [];
  for (const p of published) {
    const file = join(tarDir, tarballName(p.name, p.version));
    const size = readFileSync(file).length;
    total += size;
    const entries = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
    const m = tarballManifest(file);
    manifests.push(m);
    t.log(`${p.name}: ${(size / 1000).toFixed(1)} kB, ${entries.length} files`);
    t.deepEqual(entries.filter((e) => /^package\/src\/|\.map$|\.tsbuildinfo$|^package\/test/.test(e)), [], `${p.name}: no sources, maps, build info or tests`);
    t.true(entries.includes('package/README.md'), `${p.name}: README.md`);
    // require(esm), which CommonJS consumers use below, arrived in Node 20.19.
    t.is((m.engines as Record<string, string> | undefined)?.node, '>=20.19', `${p.name}: engines.node`);
    t.deepEqual(m.os, ['linux'], `${p.name}: os`);
    t.truthy(m.license, `${p.name}: license`);
    t.truthy((m.repository as { url?: string } | undefined)?.url, `${p.name}: repository`);
    t.true(Array.isArray(m.keywords) && (m.keywords as string[]).length > 0, `${p.name}: keywords`);
    t.false(JSON.stringify(m).includes('workspace:'), `${p.name}: workspace: specifiers rewritten`);
    t.false(JSON.stringify(m.exports).includes('vrfctl-source'), `${p.name}: no export condition pointing at src`);
  }
  t.log(`total: ${(total / 1000).toFixed(1)} kB in ${published.length} tarballs`);

  // `pnpm -r publish --dry-run` to a registry that has none of them yet: every public package,
  // no private one, no warning (a token so that npm has nothing to say about logging in).
  const empty = await startRegistry([]);
  const host = new URL(empty.url).host;
  // Asynchronous: the registry answers from this process's event loop.
  const dry = await run('pnpm', ['-r', 'publish', '--dry-run', '--no-git-checks', '--registry', `${empty.url}/`],
    { cwd: ROOT, encoding: 'utf8', env: { ...env, [`npm_config_//${host}/:_authToken`]: 'dry-run' }, maxBuffer: 1 << 26 })
    .then((r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr }), (e: { code?: number; stdout?: string; stderr?: string }) => ({ status: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
  await empty.close();
  t.is(dry.status, 0, `pnpm -r publish --dry-run:\n${dry.stderr}`);
  const wouldPublish = [...`${dry.stdout}\n${dry.stderr}`.matchAll(/^\+ (\S+)$/gm)].map((m) => m[1]).sort();
  t.deepEqual(wouldPublish, published.map((p) => `${p.name}@${p.version}`).sort(), 'publish --dry-run: every public package, nothing private');
  t.deepEqual(`${dry.stdout}\n${dry.stderr}`.split('\n').filter((l) => /\bwarn|\berr(or)?\b/i.test(l) && !/dist\/errors?\.|errno/.test(l)), [], 'publish --dry-run is clean');
  step('pnpm -r publish --dry-run');

  // 2. Their third-party dependencies (and @types/node for the consumer), packed from node_modules.
  const isWorkspace = (name: string) => workspace.some((p) => p.name === name);
  const third = await packThirdParty(
    [
      ...published.map((p, i) => ({ dir: p.dir, dependencies: Object.keys((manifests[i].dependencies as Record<string, string>) ?? {}) })),
      { dir: ROOT, dependencies: ['@types/node'] },
    ],
    isWorkspace, join(tmp, 'third-party'),
  );
  step(`packed ${third.length} third-party packages`);
  const registry = await startRegistry([...packed.map((f) => join(tarDir, f)), ...third]);
  t.teardown(() => registry.close());
  const npm = (args: string[], cwd: string) =>
    run('npm', [...args, '--registry', registry.url, '--no-audit', '--no-fund'], { cwd, env, maxBuffer: 1 << 26 });

  // 3. A fresh project depending on every library by version, as from npmjs.org.
  const consumer = join(tmp, 'consumer');
  mkdirSync(consumer);
  const libraries = published.filter((p) => p.name.startsWith('@'));
  const nodeTypes = JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string };
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({
    name: 'consumer', private: true, type: 'module',
    dependencies: Object.fromEntries(libraries.map((p) => [p.name, p.version])),
    devDependencies: { '@types/node': nodeTypes.version },
  }, null, 2));
  await npm(['install'], consumer);
  step('npm install of the libraries');
  t.deepEqual(registry.missing, [], 'every dependency came from the local registry');
  for (const p of libraries) t.false(existsSync(join(consumer, 'node_modules', p.name, 'src')), `${p.name} installed without src`);

  // Every library README's TypeScript example, and the program, compiled strictly.
  const sources = ['run.ts'];
  copyFileSync(fileURLToPath(new URL('consumer/run.ts', import.meta.url)), join(consumer, 'run.ts'));
  for (const p of libraries) {
    const code = example(readFileSync(join(p.dir, 'README.md'), 'utf8'), 'ts');
    t.truthy(code, `${p.name}: its README has a \`\`\`ts example`);
    t.true(readFileSync(join(p.dir, 'README.md'), 'utf8').includes(`npm install ${p.name}`), `${p.name}: its README says how to install it`);
    if (!code) continue;
    const file = `readme-${p.name.split('/')[1]}.ts`;
    writeFileSync(join(consumer, file), `${code}\nexport {};\n`);
    sources.push(file);
  }
  const vrfctlPkg = published.find((p) => p.name === 'vrfctl');
  if (vrfctlPkg) {
    const readme = readFileSync(join(vrfctlPkg.dir, 'README.md'), 'utf8');
    t.truthy(example(readme, 'sh'), 'vrfctl: its README has a ```sh example');
    t.true(readme.includes('npm install -g vrfctl'), 'vrfctl: its README says how to install it');
  }
  const configs = {
    nodenext: { ...STRICT, module: 'nodenext', moduleResolution: 'nodenext', outDir: 'out' },
    bundler: { ...STRICT, module: 'preserve', moduleResolution: 'bundler', noEmit: true },
    // The options a careful consumer adds on top of strict; the shipped .d.ts must not need them off.
    strictest: {
      ...STRICT, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true, noPropertyAccessFromIndexSignature: true, noImplicitOverride: true, verbatimModuleSyntax: true,
    },
  };
  for (const [name, compilerOptions] of Object.entries(configs)) {
    writeFileSync(join(consumer, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions, files: sources }, null, 2));
    const r = spawnSync(process.execPath, [TSC, '-p', `tsconfig.${name}.json`], { cwd: consumer, encoding: 'utf8' });
    t.is(r.status, 0, `strict ${name} compile:\n${r.stdout}${r.stderr}`);
  }
  step('strict compiles (nodenext, bundler, strictest)');

  // CommonJS consumers load the libraries with require(esm) (Node >= 20.19): no top-level await anywhere.
  const cjs = spawnSync(process.execPath, ['-e', `for (const n of ${JSON.stringify(libraries.map((p) => p.name))}) if (Object.keys(require(n)).length === 0) throw new Error(n + ': no exports')`],
    { cwd: consumer, encoding: 'utf8', env: { ...env, NODE_NO_WARNINGS: '1' } });
  t.is(cjs.status, 0, `require() of every library from CommonJS:\n${cjs.stderr}`);

  // The compiled program against a throwaway netns, checked with ip.
  const ns = tempNetns(t);
  const prog = spawnSync(process.execPath, [join(consumer, 'out/run.js'), ns], { cwd: consumer, encoding: 'utf8' });
  t.is(prog.status, 0, prog.stderr);
  const out = JSON.parse(prog.stdout) as Record<string, unknown>;
  t.deepEqual(out.links, ['lo', 'pkg0', 'pkg1']);
  t.deepEqual(out.dumped, ['lo', 'pkg0', 'pkg1']);
  t.deepEqual(out.routes, ['198.51.100.0/24', '198.51.101.0/24']);
  t.deepEqual(out.rules, ['203.0.113.0/24 100']);
  t.is(out.vrfs, 0);
  t.regex(String(out.refused), /exists/i, 'the second add is the kernel\'s EEXIST');
  t.is(out.headerSpan, 16);
  t.deepEqual(out.nexthops, ['id 1 via 192.0.2.10 dev pkg0 scope link', 'id 2 via 192.0.2.11 dev pkg0 scope link', 'id 100 group 1/2,3']);
  t.deepEqual(out.nhidRoutes, ['198.51.101.0/24 100']);
  t.true(out.pkg0, '@vrfctl/iproute2 linkIndex() agrees with the link dump');
  t.is(out.mainTable, 'main');
  t.regex(String(out.badInput), /invalid gateway "not-an-address"/, 'bad input is an ArgumentError before anything is sent');
  t.is(ip(ns, 'nexthop', 'show'), 'id 1 via 192.0.2.10 dev pkg0 scope link \nid 2 via 192.0.2.11 dev pkg0 scope link \nid 100 group 1/2,3 \n');
  t.regex(ip(ns, 'route', 'show', 'table', '100'), /^198\.51\.101\.0\/24 nhid 100 \n\tnexthop via 192\.0\.2\.10 dev pkg0 weight 1 \n\tnexthop via 192\.0\.2\.11 dev pkg0 weight 3 $/m);
  t.regex(ip(ns, 'route', 'show', 'table', '100'), /^198\.51\.100\.0\/24 via 192\.0\.2\.254 dev pkg0/m);
  t.regex(ip(ns, 'rule', 'show'), /^100:\s+from 203\.0\.113\.0\/24 lookup 100/m);
  step('program run in a netns');

  // 4. The CLI, installed globally into a temporary prefix.
  if (!vrfctlPkg) {
    t.log('no vrfctl package in packages/: CLI part not run');
    return;
  }
  const prefix = join(tmp, 'global');
  await npm(['install', '--global', '--prefix', prefix, `vrfctl@${vrfctlPkg.version}`], tmp);
  step('npm install --global vrfctl');
  const installed = join(prefix, 'lib/node_modules/vrfctl');
  const bin = join(prefix, 'bin/vrfctl');
  t.false(existsSync(join(installed, 'node_modules/@vrfctl')), 'the CLI ships as a bundle: no @vrfctl/* dependencies installed');
  t.true(existsSync(join(installed, 'dist/bundle/vrfctl.cjs.v8-cache')), 'postinstall made the code cache');
  for (const flag of ['--version', '-V']) {
    const v = spawnSync(bin, [flag], { encoding: 'utf8', env });
    t.is(v.status, 0, v.stderr);
    t.is(v.stdout, `${vrfctlPkg.version}\n`);
  }
  const list = spawnSync(bin, ['-n', ns, '-j', 'list'], { encoding: 'utf8', env });
  t.is(list.status, 0, list.stderr);
  t.deepEqual(JSON.parse(list.stdout), []);
  const show = spawnSync(bin, ['-n', ns, '-j', 'route', 'show', 'table', '100'], { encoding: 'utf8', env });
  t.is(show.status, 0, show.stderr);
  t.is((JSON.parse(show.stdout) as Array<{ dst: string }>)[0]?.dst, '198.51.100.0/24');
  // The nexthop objects the program made, as ip -j shows them; a change and its dry-run bytes.
  const nhShow = spawnSync(bin, ['-n', ns, '-j', 'nexthop', 'show'], { encoding: 'utf8', env });
  t.is(nhShow.status, 0, nhShow.stderr);
  t.deepEqual(JSON.parse(nhShow.stdout), JSON.parse(ip(ns, '-j', 'nexthop', 'show')));
  const nhAdd = spawnSync(bin, ['-n', ns, 'nexthop', 'replace', 'id', '100', 'group', '2'], { encoding: 'utf8', env });
  t.is(nhAdd.status, 0, nhAdd.stderr);
  t.is(ip(ns, 'nexthop', 'show', 'id', '100'), 'id 100 group 2 \n');

  // The man page: installed, and naming every command of the help.
  const manPage = join(prefix, 'share/man/man8/vrfctl.8');
  t.true(existsSync(manPage), 'man page installed under share/man/man8');
  const page = existsSync(manPage) ? readFileSync(manPage, 'utf8') : '';
  const help = spawnSync(bin, ['--help'], { encoding: 'utf8', env }).stdout;
  const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== 'help');
  t.true(commands.length > 10, help);
  for (const c of commands) t.true(page.includes(`.B vrfctl ${c}`), `man page has ${c}`);
  // Every command's usage from the installed bundle, and the read-only ones run against the netns.
  const helpless = commands.filter((c) => {
    const h = spawnSync(bin, [c, '--help'], { encoding: 'utf8', env });
    return h.status !== 0 || !h.stdout.includes(`vrfctl ${c}`);
  });
  t.deepEqual(helpless, [], 'vrfctl COMMAND --help works for every command, installed');
  const failing = [['link', 'show'], ['addr', 'show'], ['neigh', 'show'], ['rule', 'show'], ['route', 'show', 'table', 'all'],
    ['nexthop', 'bucket', 'show'], ['monitor', '--help'], ['sysctl', 'show'], ['completion', 'bash'], ['nl', 'decode', '1400000012000103000000000000000000000000']]
    .filter((words) => spawnSync(bin, ['-n', ns, ...words], { encoding: 'utf8', env }).status !== 0).map((w) => w.join(' '));
  t.deepEqual(failing, [], 'read-only commands run from the installed bundle');
  if (hasCommand('man')) {
    const rendered = spawnSync('man', ['-l', manPage], { encoding: 'utf8', env: { ...env, MANWIDTH: '80', MAN_KEEP_FORMATTING: '' } });
    t.is(rendered.status, 0, rendered.stderr);
    t.regex(rendered.stdout, /VRFCTL\(8\)/);
  } else {
    t.log('man is not installed: the page was checked as text only');
  }
  step('CLI checks');

  // 5. Start-up: installed against the repository's, alternating runs (logged, never judged).
  const startup = await run(process.execPath, [
    join(ROOT, 'tools/startup.mjs'), '--runs', '11', '--json',
    `node -e 0=${process.execPath} -e 0`,
    `repository=${process.execPath} ${join(ROOT, 'packages/vrfctl/bin/vrfctl.js')} list`,
    `installed=${process.execPath} ${join(installed, 'bin/vrfctl.js')} list`,
  ], { env });
  const [node, repo, inst] = JSON.parse(startup.stdout) as Array<{ label: string; ms: number; ratio: number; cpuMs: number }>;
  t.log(`start-up, medians of 11 alternating runs: node -e 0 ${node.ms.toFixed(1)} ms; vrfctl list: repository ${repo.ms.toFixed(1)} ms (${repo.ratio.toFixed(2)}×), installed ${inst.ms.toFixed(1)} ms (${inst.ratio.toFixed(2)}×); installed/repository ${(inst.ms / repo.ms).toFixed(2)}× wall, ${(inst.cpuMs / repo.cpuMs).toFixed(2)}× CPU (${inst.cpuMs} / ${repo.cpuMs} ms)`);
  step('start-up measured');
});
