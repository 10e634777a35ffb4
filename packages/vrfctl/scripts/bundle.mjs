// Bundles the compiled CLI (dist/main.js and the command modules it imports lazily) into one
// CommonJS file, dist/bundle/vrfctl.cjs. Start-up is then dominated by node itself instead of
// resolving, reading and compiling ~100 workspace modules; CommonJS, because bin/vrfctl.js
// compiles it with a V8 code cache (Node 20 has none for ES modules) and needs no ES module
// loader (an ES module split bundle measured ~1.6x `node -e 0` for `vrfctl list`, this ~1.2x).
// koffi stays external (native addon); every `import 'koffi'` is pointed at @vrfctl/socket's
// loader, which loads the addon without koffi's entry module (https, zlib, crypto: ~25 ms).
// dist/bundle/inputs.json lists the workspace files bundled with their mtimes: bin/vrfctl.js runs the
// bundle only while none of them changed, so a `tsc -b` without a re-bundle never runs old code.
// `--if-stale` (prepack, the test driver) leaves a bundle alone while those files are unchanged.
// The new bundle directory replaces the old one by rename: a vrfctl started meanwhile (tests run
// in parallel) sees the old bundle, none (and runs dist), or the new one, never half a file.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
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

function fresh() {
  try {
    const { inputs } = JSON.parse(readFileSync(`${out}/inputs.json`, 'utf8'));
    statSync(`${out}/vrfctl.cjs`);
    return inputs.length > 0 && inputs.every(([file, mtime]) => statSync(resolve(out, file)).mtimeMs === mtime);
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
  plugins: [koffiThroughSocket, lazyChildProcess],
  // import.meta.url (socket's koffi loader) as the bundle's own file URL.
  define: { 'import.meta.url': '__vrfctl_bundle_url' },
  banner: { js: "const __vrfctl_bundle_url = require('node:url').pathToFileURL(__filename).href;" },
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
const inputs = Object.keys(result.metafile.inputs)
  .filter((f) => !f.split(/[\\/]/).includes('node_modules') && !f.startsWith('vrfctl-lazy:'))
  .map((f) => {
    const abs = resolve(dist, f);
    return [relative(out, abs), statSync(abs).mtimeMs];
  });
writeFileSync(`${next}/inputs.json`, `${JSON.stringify({ inputs })}\n`);
const old = `${dist}bundle.old-${process.pid}`;
try {
  renameSync(out, old);
} catch (err) {
  if (err.code !== 'ENOENT') throw err;
}
renameSync(next, out);
rmSync(old, { recursive: true, force: true });
