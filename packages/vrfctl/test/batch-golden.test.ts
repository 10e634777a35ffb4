// Golden bytes through `vrfctl batch`: every route change fixture (add, change, replace, prepend,
// append, del) as a batch line, `--dry-run --hex`, must print what iproute2 sent, in a namespace
// set up as the fixture's was. Batch lines of the common shape take their own fast path
// (writeSimpleRouteChange), the others the full parser: both are held to iproute2's bytes here.
// Fixtures whose setup needs a VRF (no vrf driver on this host) are left to route-golden's replay;
// the fast path never takes a `vrf` line.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageBuilder } from '@vrfctl/netlink';
import { RTM } from '@vrfctl/rtnetlink';
import { writeSimpleRouteChange } from '@vrfctl/route';
import { applySetup } from '../../route/test/netns.js';
import { tempNetns } from './link-helpers.js';
import { tempFile, vrfctlIn } from './batch-helpers.js';
import { lines, maskSeqPid, splitMessages } from './route-helpers.js';

interface Fixture {
  name: string;
  command: string[];
  setup: string[][];
  requests: string[];
}

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const CHANGES = ['add', 'change', 'replace', 'prepend', 'append', 'del', 'delete'];
/** Refused by vrfctl before sending (route-golden checks how): a batch stops at such a line. */
const REFUSED = ['route/error-nodev'];

function load(kind: string): Fixture[] {
  const dir = join(root, 'test/golden/fixtures', kind);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Fixture);
}

function needsVrf(fx: Fixture): boolean {
  return fx.setup.some((argv) => argv.includes('vrf')) || fx.command.includes('vrf');
}

const fixtures = [...load('route'), ...load('vrf'), ...load('nexthop')].filter((fx) => {
  const at = fx.command.indexOf('route');
  return at !== -1 && CHANGES.includes(fx.command[at + 1]) && !REFUSED.includes(fx.name) && !needsVrf(fx);
});

/** The RTM_NEWROUTE/RTM_DELROUTE iproute2 sent, seq and pid masked. */
function expected(fx: Fixture): string[] {
  return fx.requests.flatMap((r) => splitMessages(r))
    .filter((m) => m.readUInt16LE(4) === RTM.NEWROUTE || m.readUInt16LE(4) === RTM.DELROUTE)
    .map((m) => maskSeqPid(m.toString('hex')));
}

/** A batch line for the words: quoted where a word holds anything splitWords treats specially. */
function batchLine(words: readonly string[]): string {
  return words.map((w) => (/^[^\s"'\\#]+$/.test(w) ? w : `'${w}'`)).join(' ');
}

function parts(fx: Fixture): { globals: string[]; words: string[] } {
  const at = fx.command.indexOf('route');
  return { globals: fx.command.slice(1, at), words: fx.command.slice(at) };
}

test('the fixtures cover the fast path and the full path', (t) => {
  t.true(fixtures.length >= 35, `${fixtures.length} fixtures`);
  const simple = fixtures.filter((fx) => {
    const { globals, words } = parts(fx);
    const version = globals.includes('-6') ? 6 : globals.includes('-4') ? 4 : undefined;
    return writeSimpleRouteChange(new MessageBuilder(64), words, 1, version) !== undefined;
  });
  t.log(`${simple.length} of ${fixtures.length} take the fast path: ${simple.map((fx) => fx.name).join(' ')}`);
  t.true(simple.length >= 10, `${simple.length} fast`);
  t.true(fixtures.length - simple.length >= 10, `${fixtures.length - simple.length} full`);
});

// One namespace and one batch per setup and global flags, one line per fixture.
const groups = new Map<string, Fixture[]>();
for (const fx of fixtures) {
  const key = JSON.stringify([fx.setup, parts(fx).globals]);
  groups.set(key, [...(groups.get(key) ?? []), fx]);
}

for (const group of groups.values()) {
  test(`batch golden: ${group.map((fx) => fx.name).join(' ')}`, (t) => {
    const ns = tempNetns(t);
    applySetup(ns, group[0].setup);
    const file = tempFile('golden.batch', group.map((fx) => batchLine(parts(fx).words)).join('\n') + '\n');
    const r = vrfctlIn(ns, [...parts(group[0]).globals, '--dry-run', '--hex', 'batch', file]);
    t.is(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    const want = group.map(expected);
    t.is(out.length, want.flat().length, r.stdout);
    let at = 0;
    for (const [i, fx] of group.entries()) {
      t.deepEqual(out.slice(at, at + want[i].length), want[i], `${fx.name}: ${fx.command.join(' ')}`);
      at += want[i].length;
    }
  });
}
