// Bundles the compiled CLI (dist/main.js and the command modules it imports lazily) into one
// CommonJS file, dist/bundle/vrfctl.cjs. Start-up is then dominated by node itself instead of
// resolving, reading and compiling ~100 workspace modules; CommonJS, because bin/vrfctl.js
// compiles it with a V8 code cache (Node 20 has none for ES modules) and needs no ES module
// loader (an ES module split bundle measured ~1.6x `node -e 0` for `vrfctl list`, this ~1.2x).
// koffi stays external (native addon); every `import 'koffi'` is pointed at @vrfctl/socket's
// loader, which loads the addon without koffi's entry module (https, zlib, crypto: ~25 ms).
// dist/bundle/inputs.json lists the workspace files bundled with their mtimes, and the stamps that
// stand for them (stampsOf): bin/vrfctl.js runs the bundle only while no stamp changed, so a
// `tsc -b` without a re-bundle never runs old code.
// `--if-stale` (prepack, the test driver) leaves a bundle alone while those files are unchanged.
// The new bundle directory replaces the old one by rename: a vrfctl started meanwhile (tests run
// in parallel) sees the old bundle, none (and runs dist), or the new one, never half a file.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const out = `${dist}bundle`;
const socketDist = createRequire(import.meta.url).resolve('@vrfctl/socket').replace(/index\.js$/, '');
const koffiLoader = `${socketDist}koffi.js`;

/** @type {import('esbuild').Plugin} */
const koffiThroughSocket = {
  name: 'koffi-through-socket',
  setup(b) {
    b.onResolve({ filter: /^koffi$/ }, (args) =>
      args.importer === koffiLoader ? { path: 'koffi', external: true } : { path: koffiLoader },
    );
  },
};

// commander requires child_process at load time (node:net and more, ~10 ms of every start) only
// to spawn executable subcommands, which vrfctl has none of: it gets a module that loads
// child_process on first use instead.
/** @type {import('esbuild').Plugin} */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'vrfctl-lazy' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'vrfctl-lazy' }, () => ({
      contents: "module.exports = { spawn: (...args) => require('node:child_process').spawn(...args) };",
      loader: 'js',
    }));
  },
};

// commander (and yaml) require('node:process'), which compiles node's process module only to
// hand back the global: the bundle gets the global itself.
/** @type {import('esbuild').Plugin} */
const processGlobal = {
  name: 'process-global',
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, () => ({ path: 'process-global', namespace: 'vrfctl-process' }));
    b.onLoad({ filter: /.*/, namespace: 'vrfctl-process' }, () => ({ contents: 'module.exports = process;', loader: 'js' }));
  },
};

// `import { a } from '@vrfctl/x'` in the bundle initialises every module of x's index (esbuild
// wraps modules in lazy initialisers because of the commands' import(), and an index's
// initialiser runs all of its files'), so `vrfctl list` ran the route, rule, nexthop and
// sock_diag tables' code too. Each named import of a workspace package is pointed at the file
// its index takes the name from; the indexes are `export { … } from './file.js'` lines only
// (the packages are sideEffects: false), so no module is skipped that a command uses.
/** @type {Map<string, Map<string, { file: string, name: string }>>} */
const indexes = new Map();
/** The names of `{ a, b as c }`'s inside: [{ name: 'a', as: 'a' }, { name: 'b', as: 'c' }]. */
function namedSpecs(list) {
  return list.split(',').map((s) => s.trim()).filter(Boolean).map((spec) => {
    const [name, as = name] = spec.split(/\s+as\s+/);
    return { name, as };
  });
}
function indexOf(indexFile) {
  let names = indexes.get(indexFile);
  if (names !== undefined) return names;
  names = new Map();
  indexes.set(indexFile, names);
  const text = readFileSync(indexFile, 'utf8');
  const line = /^export \{([^}]*)\} from '(\.\/[^']+|@vrfctl\/[a-z0-9-]+)';$/gm;
  for (const m of text.matchAll(line)) {
    // An index that re-exports another package's names: the file that package's index names.
    const other = m[2].startsWith('.') ? undefined : indexOf(createRequire(indexFile).resolve(m[2]));
    for (const { name, as } of namedSpecs(m[1])) {
      const at = other === undefined ? { file: resolve(dirname(indexFile), m[2]), name } : other.get(name);
      if (at !== undefined) names.set(as, at);
    }
  }
  // Anything else in an index (code, export *): its names are imported through it, as written.
  if (text.replace(/^\/\/.*$/gm, '').replace(line, '').trim() !== '') names.clear();
  return names;
}
/** @type {import('esbuild').Plugin} */
const namedImportsPastIndexes = {
  name: 'named-imports-past-indexes',
  setup(b) {
    b.onLoad({ filter: /[\\/]packages[\\/][a-z0-9-]+[\\/]dist[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const req = createRequire(args.path);
      const contents = text.replace(/^(import|export) \{([^}]*)\} from '(@vrfctl\/[a-z0-9-]+)';$/gm, (whole, kind, list, pkg) => {
        const names = indexOf(req.resolve(pkg));
        const byFile = new Map();
        for (const { name, as } of namedSpecs(list)) {
          const at = names.get(name);
          if (at === undefined) return whole;
          byFile.set(at.file, [...(byFile.get(at.file) ?? []), at.name === as ? as : `${at.name} as ${as}`]);
        }
        return [...byFile].map(([file, specs]) => `${kind} { ${specs.join(', ')} } from ${JSON.stringify(file)};`).join(' ');
      });
      return { contents, loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * What bin/vrfctl.js stats at every start instead of every input (about 200 stats and a JSON
 * parse, 4 ms): each workspace package's dist/.tsbuildinfo, which tsc -b rewrites whenever it
 * writes any file of that package; an input without one stands for itself.
 */
function stampsOf(inputs) {
  const files = new Set();
  for (const [file] of inputs) {
    const dist = /^(.*[\\/]packages[\\/][a-z0-9-]+[\\/]dist[\\/])/.exec(resolve(out, file))?.[1];
    const info = dist === undefined ? undefined : `${dist}.tsbuildinfo`;
    files.add(info !== undefined && existsSync(info) ? info : resolve(out, file));
  }
  return [...files].map((abs) => [relative(out, abs), statSync(abs).mtimeMs]);
}
const unchanged = (list) => list.length > 0 && list.every(([file, mtime]) => statSync(resolve(out, file)).mtimeMs === mtime);
function fresh() {
  try {
    const { inputs, stamps = [] } = JSON.parse(readFileSync(`${out}/inputs.json`, 'utf8'));
    statSync(`${out}/vrfctl.cjs`);
    // The stamps too: a rebuild that wrote the same files must not leave bin/vrfctl.js on dist.
    return unchanged(inputs) && unchanged(stamps);
  } catch {
    return false;
  }
}
if (process.argv.includes('--if-stale') && fresh()) process.exit(0);

const next = `${dist}bundle.next-${process.pid}`;
const result = await build({
  entryPoints: [`${dist}main.js`],
  outfile: `${next}/vrfctl.cjs`,
  absWorkingDir: dist,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  plugins: [koffiThroughSocket, lazyChildProcess, processGlobal, namedImportsPastIndexes],
  // import.meta.filename and dirname (socket's koffi loader) as the bundle's own: no file URL is
  // made at start (pathToFileURL cost a fraction of a millisecond of every start).
  define: { 'import.meta.filename': '__filename', 'import.meta.dirname': '__dirname' },
  // The file is the CommonJS wrapper function itself (Module.wrap's text): bin/vrfctl.js compiles
  // it as read, where wrapping it at run time made a 1.2 MB cons string that V8 copied flat.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '\n});' },
  // Not minified: it parses no faster here (measured) and stack traces stay readable.
  legalComments: 'none',
  // ASCII only (non-ASCII escaped), so bin/vrfctl.js reads it as latin1: a third of the
  // time of a UTF-8 decode of the whole file (about 12 ms a start here).
  charset: 'ascii',
  metafile: true,
  logLevel: 'warning',
});
if (readFileSync(`${next}/vrfctl.cjs`).some((byte) => byte > 0x7f)) throw new Error('the bundle is not ASCII: bin/vrfctl.js reads it as latin1');
// Installed packages change only through pnpm install, whose prepare step re-bundles.
// The indexes the imports were resolved through count as inputs too, bundled or not.
const bundled = Object.keys(result.metafile.inputs)
  .filter((f) => !f.split(/[\\/]/).includes('node_modules') && !/^vrfctl-(lazy|process):/.test(f))
  .map((f) => resolve(dist, f));
const inputs = [...new Set([...bundled, ...indexes.keys()])].map((abs) => [relative(out, abs), statSync(abs).mtimeMs]);
writeFileSync(`${next}/inputs.json`, `${JSON.stringify({ inputs, stamps: stampsOf(inputs) })}\n`);
const old = `${dist}bundle.old-${process.pid}`;
try {
  renameSync(out, old);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
renameSync(next, out);
rmSync(old, { recursive: true, force: true });
// bin/vrfctl.js writes the code cache at the end of the first run that finds none, with what
// that run compiled: made here by `vrfctl list`, as postinstall makes an installed package's
// (scripts/code-cache.cjs), not by whichever command runs first (after a --help, list compiles
// its path lazily at every start). Read-only; where it fails, the cache of what ran is kept.
spawnSync(process.execPath, [fileURLToPath(new URL('../bin/vrfctl.js', import.meta.url)), 'list'], { stdio: 'ignore', timeout: 60_000 });
