// The tarballs the packaging test installs: every workspace package as `pnpm -r pack` makes it,
// and the third-party packages they depend on, packed from the copies pnpm installed here.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const run = promisify(execFile);

export interface WorkspacePackage {
  dir: string;
  name: string;
  version: string;
  private: boolean;
}

/** Every packages/* with a package.json: also the packages other branches add. */
export function workspacePackages(root: string): WorkspacePackage[] {
  return readdirSync(join(root, 'packages'))
    .filter((d) => existsSync(join(root, 'packages', d, 'package.json')))
    .map((d) => {
      const dir = join(root, 'packages', d);
      const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; private?: boolean };
      return { dir, name: p.name, version: p.version, private: p.private === true };
    });
}

/** The npm tarball name of a package: @scope/name@1.0.0 -> scope-name-1.0.0.tgz. */
export function tarballName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/** The installed directory of dependency dep as seen from a package directory. */
function dependencyDir(fromDir: string, dep: string): string {
  for (const nm of createRequire(join(fromDir, 'package.json')).resolve.paths(dep) ?? []) {
    if (existsSync(join(nm, dep, 'package.json'))) return realpathSync(join(nm, dep));
  }
  throw new Error(`${dep} (a dependency of ${fromDir}) is not installed`);
}

/**
 * Packs the third-party dependencies of the given packages, and theirs, found where pnpm put
 * them (extra: more top-level names, resolved from root). Returns the tarball paths.
 */
export async function packThirdParty(
  from: Array<{ dir: string; dependencies: string[] }>, isWorkspace: (name: string) => boolean, dest: string,
): Promise<string[]> {
  const seen = new Map<string, string>();
  const queue = [...from];
  while (queue.length > 0) {
    const { dir, dependencies } = queue.pop()!;
    for (const dep of dependencies) {
      if (isWorkspace(dep) || seen.has(dep)) continue;
      const depDir = dependencyDir(dir, dep);
      seen.set(dep, depDir);
      const m = JSON.parse(readFileSync(join(depDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
      queue.push({ dir: depDir, dependencies: Object.keys(m.dependencies ?? {}) });
    }
  }
  mkdirSync(dest, { recursive: true });
  const files: string[] = [];
  for (const dir of seen.values()) {
    // The installed copy as it is (already built: koffi's prebuilt addon), under package/ as
    // npm's tarballs have it; `npm pack` of pnpm's copy of koffi fails silently.
    const m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
    const file = join(dest, tarballName(m.name, m.version));
    await run('tar', ['-czf', file, '--exclude=./node_modules', '--transform=s,^\\.,package,', '-C', dir, '.']);
    files.push(file);
  }
  return files;
}
