// pnpm pack / publish: what the tarball needs, made from the current sources. dist (tsc -b),
// the bundle when its inputs changed (an installed package runs it with no freshness check:
// it must be made from exactly the dist that ships), and the man page from the bundle's help.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const here = new URL('./', import.meta.url);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: new URL('../', here), stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
run([tsc, '-b']);
run([new URL('bundle.mjs', here).pathname, '--if-stale']);
run([new URL('man.mjs', here).pathname, '--if-stale']);
