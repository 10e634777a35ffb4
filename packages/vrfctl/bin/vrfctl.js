#!/usr/bin/env node
// Runs the bundle (dist/bundle, made by scripts/bundle.mjs) while every file it was made from
// is unchanged; otherwise, or when there is none, the compiled modules in dist.
import { readFileSync, statSync } from 'node:fs';

function bundleFresh() {
  try {
    const dir = new URL('../dist/bundle/', import.meta.url);
    const { inputs } = JSON.parse(readFileSync(new URL('inputs.json', dir), 'utf8'));
    for (const [file, mtime] of inputs) if (statSync(new URL(file, dir)).mtimeMs !== mtime) return false;
    return inputs.length > 0;
  } catch {
    return false;
  }
}

await import(bundleFresh() ? '../dist/bundle/main.js' : '../dist/main.js');
