// bin/vrfctl.js compiles the bundle with a V8 code cache kept beside it: a missing or unusable
// cache is (re)written at exit and never changes what the command does.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/vrfctl.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../dist/bundle/vrfctl.cjs', import.meta.url));
const CACHE = `${BUNDLE}.v8-cache`;

function help(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('an unusable code cache is replaced and the command still works', (t) => {
  t.true(existsSync(BUNDLE), `no bundle at ${BUNDLE}: pnpm build makes it`);
  const garbage = Buffer.from('not a V8 code cache, written by startup-cache.test.ts');
  writeFileSync(CACHE, garbage);
  const first = help();
  t.is(first.status, 0, first.stderr);
  t.regex(first.stdout, /^Usage: vrfctl/);
  t.true(existsSync(CACHE));
  t.notDeepEqual(readFileSync(CACHE), garbage, 'the rejected cache was rewritten');
  // With the new cache: the same output.
  const second = help();
  t.is(second.status, 0, second.stderr);
  t.is(second.stdout, first.stdout);
});
