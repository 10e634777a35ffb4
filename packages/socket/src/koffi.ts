// koffi's own entry (index.js) loads https, zlib and crypto for its installer helpers before
// it loads the native addon: about 25 ms of every CLI start. The addon is loaded here directly
// when its prebuilt file for this platform is where koffi ships it; anything else (other
// layout, other platform, version mismatch) goes through koffi's entry as before.
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';

type KoffiModule = typeof Koffi;

const require = createRequire(import.meta.url);

function loadDirect(): KoffiModule | undefined {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) return undefined;
  try {
    const pkgPath = require.resolve('koffi/package.json');
    const { version } = require(pkgPath) as { version: string };
    const native = require(`${pkgPath.slice(0, -'package.json'.length)}build/koffi/linux_${process.arch}/koffi.node`) as KoffiModule & { version?: string };
    return native.version === version ? native : undefined;
  } catch {
    return undefined;
  }
}

const koffi: KoffiModule = loadDirect() ?? (require('koffi') as KoffiModule);
export default koffi;
