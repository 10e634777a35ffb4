// `vrfctl --version` / `-V` print the package's version: src/version.ts must follow package.json.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { VERSION } from '../src/version.js';
import { vrfctl } from './cli.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

test('src/version.ts is package.json version', (t) => {
  t.is(VERSION, pkg.version);
});

for (const flag of ['--version', '-V']) {
  test(`vrfctl ${flag} prints the version and exits 0`, (t) => {
    const r = vrfctl([flag]);
    t.is(r.code, 0, r.stderr);
    t.is(r.stdout, `${pkg.version}\n`);
    t.is(r.stderr, '');
  });
}
