// bin/vrfctl.js compiles the bundle with a V8 code cache kept beside it: a missing or unusable
// cache is (re)written at exit and never changes what the command does. In the repository it
// runs the bundle only while the packages it was made from were not rebuilt since.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/vrfctl.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/bundle/vrfctl.cjs', import.meta.url));
const CACHE = `${BUNDLE}.v8-cache`;

// `list`, not `--help`: the cache keeps what the run that wrote it compiled, and `list` is the
// command start-up is measured with (BENCHMARKS.md).
function list(bin = BIN): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'list'], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an unusable code cache is replaced and the command still works', (t) => {
  t.true(existsSync(BUNDLE), `no bundle at ${BUNDLE}: pnpm build makes it`);
  const garbage = Buffer.from('not a V8 code cache, written by startup-cache.test.ts');
  writeFileSync(CACHE, garbage);
  const first = list();
  t.is(first.status, 0, first.stderr);
  t.not(first.stdout, '');
  t.true(existsSync(CACHE));
  t.notDeepEqual(readFileSync(CACHE), garbage, 'the rejected cache was rewritten');
  // With the new cache: the same output.
  const second = list();
  t.is(second.status, 0, second.stderr);
  t.is(second.stdout, first.stdout);
});

test('a package rebuilt after the bundle was made (its .tsbuildinfo newer) runs dist, not the bundle', (t) => {
  // A copy of bin and dist with a stamp for each workspace package, but no node_modules: the
  // bundle needs none for --version, dist/main.js cannot start without them, so the exit status says which ran.
  // (The copies' mtimes are written into the copy's inputs.json: utimes does not keep an mtime
  // to the nanosecond.)
  const root = mkdtempSync(join(tmpdir(), 'vrfctl-fresh-'));
  try {
    const pkg = fileURLToPath(new URL('..', import.meta.url));
    const copy = join(root, 'packages', 'vrfctl');
    for (const d of ['bin', 'dist']) cpSync(join(pkg, d), join(copy, d), { recursive: true });
    mkdirSync(join(copy, 'src'));
    const bundleDir = join(pkg, 'dist', 'bundle');
    const recorded = JSON.parse(readFileSync(join(bundleDir, 'inputs.json'), 'utf8')) as { inputs: unknown[]; stamps: Array<[string, number]> };
    t.true(recorded.stamps.length >= 10, `one stamp per workspace package, got ${recorded.stamps.length}`);
    const copied: string[] = [];
    for (const [file, mtime] of recorded.stamps) {
      const from = resolve(bundleDir, file);
      t.regex(from, /[\\/]packages[\\/][a-z0-9-]+[\\/]dist[\\/]\.tsbuildinfo$/);
      t.is(statSync(from).mtimeMs, mtime, `${from} changed since the bundle was made`);
      const to = join(root, relative(join(pkg, '..', '..'), from));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(from, to);
      copied.push(to);
    }
    const copyBundle = join(copy, 'dist', 'bundle');
    const stamps = copied.map((f) => [relative(copyBundle, f), statSync(f).mtimeMs]);
    writeFileSync(join(copyBundle, 'inputs.json'), JSON.stringify({ ...recorded, stamps }));
    const bin = join(copy, 'bin', 'vrfctl.js');
    const version = (b: string) => spawnSync(process.execPath, [b, '--version'], { encoding: 'utf8' });
    const fresh = version(bin);
    t.is(fresh.status, 0, `the bundle runs while every stamp is as recorded: ${fresh.stderr}`);
    t.is(fresh.stdout, version(BIN).stdout);
    const later = new Date(statSync(copied[0]).mtimeMs + 1000);
    utimesSync(copied[0], later, later); // as tsc -b rewriting that package
    const stale = version(bin);
    t.not(stale.status, 0, 'bin ran the bundle although a package was rebuilt after it');
    t.regex(stale.stderr, /ERR_MODULE_NOT_FOUND|Cannot find (package|module)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
