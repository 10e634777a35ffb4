// Issue 2, end to end through the real binary: a gateway the kernel cannot reach is refused with
// exit 2 (EXIT_REFUSED, as ip) and one line carrying the kernel's extended-ACK text, no stack trace, nothing changed.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicNetwork, routeState, tempNetns } from '../../route/test/netns.js';
import { EXIT_REFUSED } from '../src/errors.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const built = join(root, 'packages/vrfctl/dist/main.js');

/** The built CLI (`npx tsc -b`); from source through ts-node when it has not been built. */
function vrfctl(args: string[]): { status: number; stdout: string; stderr: string; how: string } {
  const fromBuild = existsSync(built);
  const argv = fromBuild
    ? [join(root, 'packages/vrfctl/bin/vrfctl.js'), ...args]
    : ['--no-warnings', '--loader', 'ts-node/esm', '--conditions=vrfctl-source', join(root, 'packages/vrfctl/src/main.ts'), ...args];
  const r = spawnSync(process.execPath, argv, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: 'tsconfig.test.json', TS_NODE_TRANSPILE_ONLY: '1' },
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, how: fromBuild ? 'bin/vrfctl.js (dist)' : 'src/main.ts (ts-node)' };
}

test('issue 2: route add via an unreachable gateway exits EXIT_REFUSED with the ext-ack text on one line', (t) => {
  const ns = tempNetns(t);
  basicNetwork(ns);
  const before = routeState(ns);
  const r = vrfctl(['--netns', ns, 'route', 'add', '192.0.2.0/24', 'via', '10.9.9.9', 'table', '100']);
  t.log(`ran ${r.how}`);
  t.is(r.status, EXIT_REFUSED, r.stderr);
  t.is(r.stdout, '');
  const errLines = r.stderr.split('\n').filter((l) => l.length > 0);
  t.is(errLines.length, 1, r.stderr);
  t.regex(errLines[0], /Nexthop has invalid gateway/);
  t.notRegex(r.stderr, /\n\s+at /);
  t.deepEqual(routeState(ns), before);
});
