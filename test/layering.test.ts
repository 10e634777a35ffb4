// The arrows point down (netlink ← socket ← rtnetlink ← iproute2 ← link/route/rule/nexthop ← vrf
// ← vrfctl): every package imports only the workspace packages its package.json declares (so the
// published tarball works; vrfctl's bundle takes them from devDependencies), and the sibling operation packages never import each other.
import test from 'ava';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const SIBLINGS = new Set(['link', 'route', 'rule', 'nexthop']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

for (const pkg of readdirSync(join(ROOT, 'packages'))) {
  const manifest = join(ROOT, 'packages', pkg, 'package.json');
  test(`@vrfctl/${pkg} imports only what it declares`, (t) => {
    type Deps = Record<string, string> | undefined;
    const json = JSON.parse(readFileSync(manifest, 'utf8')) as { dependencies?: Deps; devDependencies?: Deps };
    // vrfctl ships a bundle, so its workspace packages are devDependencies.
    const declared = new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.devDependencies ?? {})]);
    const wrong: string[] = [];
    for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/from '(@vrfctl\/[a-z0-9-]+)/g)) {
        const dep = m[1];
        const name = dep.slice('@vrfctl/'.length);
        if (!declared.has(dep)) wrong.push(`${file.slice(ROOT.length)}: ${dep} is not a dependency`);
        if (SIBLINGS.has(pkg) && SIBLINGS.has(name) && name !== pkg) wrong.push(`${file.slice(ROOT.length)}: sibling ${dep}`);
      }
    }
    t.deepEqual(wrong, []);
  });
}
