#!/usr/bin/env node
// Runs the bundle (dist/bundle/vrfctl.cjs, made by scripts/bundle.mjs). In the repository (src
// beside bin) only while the files it was made from are unchanged, otherwise the compiled modules
// in dist; an installed package has no src and always runs its bundle, made at pack time from
// exactly the dist it ships.
// CommonJS (bin/package.json): starting an ES module entry costs node its ES module loader.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const dir = path.join(__dirname, '../dist/bundle');
const installed = !fs.existsSync(path.join(__dirname, '../src'));

function bundleFresh() {
  try {
    // The stamps (one .tsbuildinfo per workspace package, scripts/bundle.mjs's stampsOf), not
    // the 200 inputs they stand for: tsc -b rewrites a package's stamp whenever it writes its files.
    const { stamps } = JSON.parse(fs.readFileSync(path.join(dir, 'inputs.json'), 'utf8'));
    // dir + '/' + file, not path.join: normalising paths costs; stat resolves '..'.
    for (const [file, mtime] of stamps) if (fs.statSync(dir + '/' + file).mtimeMs !== mtime) return false;
    return stamps.length > 0;
  } catch {
    return false;
  }
}

/**
 * Compiles the bundle with V8's code cache, kept next to it (the bundle directory is rebuilt
 * whole, so a cache never outlives its bundle; V8 rejects one from another node version). The
 * cache is written at exit when there was none or it was rejected, with what this run compiled;
 * where the directory is not writable, the bundle just compiles as usual.
 */
function runBundle(file) {
  // The bundle is ASCII (scripts/bundle.mjs checks): latin1 reads it far faster than UTF-8.
  const cacheFile = `${file}.v8-cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {}
  // The bundle is a CommonJS wrapper function already (scripts/bundle.mjs): no Module.wrap copy.
  const script = new vm.Script(fs.readFileSync(file, 'latin1'), { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      const tmp = `${cacheFile}.${process.pid}`;
      try {
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
    });
  }
  const module = { exports: {}, filename: file };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
}

if (installed || bundleFresh()) runBundle(path.join(dir, 'vrfctl.cjs'));
else import('../dist/main.js');
