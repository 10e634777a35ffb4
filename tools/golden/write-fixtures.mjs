#!/usr/bin/env node
// Store fixtures printed as JSON lines (capture-all.mjs --stdout), e.g. by a
// capture run inside the lab VM whose filesystem the host cannot see.
//   tools/lab/run -- node tools/golden/capture-all.mjs --only-lab --stdout \
//     | node tools/golden/write-fixtures.mjs [--out DIR]
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { formatFixture, DEFAULT_OUT } from './capture.mjs';

const args = process.argv.slice(2);
const out = args[0] === '--out' ? resolve(args[1]) : DEFAULT_OUT;
let n = 0;
for (const line of readFileSync(0, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const fx = JSON.parse(line);
  // Names become paths: refuse anything that could escape the output dir.
  if (!/^[\w.-]+(\/[\w.-]+)*$/.test(fx.name) || fx.name.split('/').includes('..')) {
    throw new Error(`bad fixture name ${JSON.stringify(fx.name)}`);
  }
  const file = join(out, `${fx.name}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, formatFixture(fx));
  n++;
}
console.error(`wrote ${n} fixtures to ${out}`);
