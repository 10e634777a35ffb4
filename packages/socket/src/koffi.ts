// koffi's own entry (index.js) loads https, zlib and crypto for its installer helpers before
// it loads the native addon: about 25 ms of every CLI start. The addon is loaded here directly
// when its prebuilt file for this platform is where koffi ships it; anything else (other
// layout, other platform, version mismatch) goes through koffi's entry as before.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type * as Koffi from 'koffi';

type KoffiModule = typeof Koffi;

const require = createRequire(import.meta.filename);

/**
 * koffi's package directory, looked up as node looks up a bare name (node_modules/koffi in this
 * file's directory and each one above) with one existsSync per level: require.resolve's general
 * machinery (realpaths, package scopes, exports) cost about a millisecond of every start, and so
 * did reads that fail (each makes an Error with a stack).
 * Where the walk finds nothing (NODE_PATH, a global folder), node's resolution decides.
 */
function koffiPackage(): { dir: string; version: string } {
  for (let dir = import.meta.dirname; ; dir = dirname(dir)) {
    const pkg = `${dir}/node_modules/koffi/`;
    if (!dir.endsWith('/node_modules') && existsSync(`${pkg}package.json`)) {
      return { dir: pkg, version: (JSON.parse(readFileSync(`${pkg}package.json`, 'utf8')) as { version: string }).version };
    }
    if (dirname(dir) === dir) break;
  }
  const pkgPath = require.resolve('koffi/package.json');
  return { dir: pkgPath.slice(0, -'package.json'.length), version: (require(pkgPath) as { version: string }).version };
}

function loadDirect(): KoffiModule | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  try {
    const { dir, version } = koffiPackage();
    const addon = { exports: {} as KoffiModule & { version?: string } };
    process.dlopen(addon, `${dir}build/koffi/linux_${process.arch}/koffi.node`);
    return addon.exports.version === version ? addon.exports : undefined;
  } catch {
    return undefined;
  }
}

const koffi: KoffiModule = loadDirect() ?? (require('koffi') as KoffiModule);
export default koffi;
