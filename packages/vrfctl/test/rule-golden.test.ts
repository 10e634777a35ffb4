// Golden bytes: for every rule fixture that changes something (ip rule add/del, including the
// ones the kernel refuses), `vrfctl --dry-run --hex rule …` must print exactly the request
// iproute2 sent, seq and pid masked, in a namespace set up as the fixture's was.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hexLines, maskSeqPid, tempNetns, vrfctl } from './rule-helpers.js';

interface Fixture {
  name: string;
  command: string[];
  setup: string[][];
  requests: string[];
  exitCode: number;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dirs = ['test/golden/fixtures/rule', 'test/golden/fixtures/vrf'];

function load(): Fixture[] {
  const out: Fixture[] = [];
  for (const d of dirs) {
    for (const f of readdirSync(join(root, d)).sort()) {
      if (!f.endsWith('.json')) continue;
      const fx = JSON.parse(readFileSync(join(root, d, f), 'utf8')) as Fixture;
      const at = fx.command.indexOf('rule');
      const sub = fx.command[at + 1];
      if (at !== -1 && (sub === 'add' || sub === 'del')) out.push(fx);
    }
  }
  return out;
}

const fixtures = load();
// The VRF device in vrf/ setups needs the vrf module, which this host lacks. A rule request
// does not depend on it (ip resolves no names for it); the lab test replays that fixture with
// its full setup (packages/rule/test-lab/rule-golden-lab.test.ts).
function vrfDevices(setup: string[][]): Set<string> {
  const names = new Set<string>();
  for (const argv of setup) {
    const add = argv.indexOf('add');
    if (argv[1] === 'link' && add !== -1 && argv[argv.indexOf('type') + 1] === 'vrf') names.add(argv[add + 1]);
  }
  return names;
}

test('there are rule change fixtures to compare', (t) => {
  t.true(fixtures.filter((f) => f.name.startsWith('rule/')).length >= 30);
  t.truthy(fixtures.find((f) => f.name === 'vrf/rule-l3mdev'));
});

for (const fx of fixtures) {
  test(`golden ${fx.name}: ${fx.command.join(' ')}`, (t) => {
    const ns = tempNetns(t);
    const vrfs = vrfDevices(fx.setup);
    for (const argv of fx.setup) {
      if (argv.some((w) => vrfs.has(w))) continue; // creating, raising or enslaving to the VRF
      execFileSync('ip', ['netns', 'exec', ns, ...argv], { stdio: 'ignore' });
    }
    const at = fx.command.indexOf('rule');
    const globals = fx.command.slice(1, at);
    const r = vrfctl(['-n', ns, ...globals, '--dry-run', '--hex', ...fx.command.slice(at)]);
    t.is(r.code, 0, r.stderr);
    t.deepEqual(hexLines(r.stdout), fx.requests.map(maskSeqPid));
  });
}
