// `vrfctl bridge vlan` on the host kernel (which has the bridge driver but no VLAN filtering; the
// real add/del/show comparisons with iproute2 run in the lab: test-lab/bridge-vlan.test.ts):
// --dry-run --hex gives the bytes iproute2's bridge sent (golden fixtures, names resolved in a
// netns with the fixture's setup), in a batch too; bad input is refused with exit 1 before anything
// is sent; a kernel refusal exits 2; show prints what bridge prints on the same namespace.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { run } from '../src/commands/bridge.js';
import { cli, masked, splitMessages, tempNetns, type Fixture } from './link-helpers.js';
import { applySetup, bridgeFixtures, bridgeNetns, bridgeRun } from './bridge-helpers.js';
import { vrfctl } from './cli.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const RTM_SETLINK = 19;
const RTM_DELLINK = 17;

/** The change bridge sent (its name-cache dump left out), seq and pid masked. */
function expectedChanges(f: Fixture): string[] {
  return f.requests.flatMap(splitMessages).filter((m) => [RTM_SETLINK, RTM_DELLINK].includes(m.readUInt16LE(4))).map((m) => masked(m).toString('hex'));
}

/** Our --dry-run --hex lines, masked the same way. */
function ours(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l !== '').map((h) => masked(Buffer.from(h, 'hex')).toString('hex'));
}

const changes = bridgeFixtures().filter((f) => /^(add|del)$/.test(f.command[2] ?? ''));

test('the change fixtures are there', (t) => {
  t.true(changes.length >= 10, `${changes.length}`);
});

for (const f of changes) {
  test(`golden ${f.name}: vrfctl --dry-run --hex ${f.command.slice(1).join(' ')}`, async (t) => {
    // The fixture's own setup, in a fresh netns: its ifindexes are the capture's.
    const ns = tempNetns(t);
    applySetup(t, ns, f.setup);
    t.is(f.command[1], 'vlan');
    const r = await cli(run, 'bridge', f.command.slice(1), { netns: ns, dryRun: true, hex: true });
    t.is(r.code, 0, r.stderr);
    t.deepEqual(ours(r.stdout), expectedChanges(f));
  });
}

test('batch: bridge vlan lines are pipelined with the same bytes; show runs on its own', (t) => {
  const ns = bridgeNetns(t);
  const lines = ['bridge vlan add dev v0 vid 10', 'bridge vlan add dev w0 vid 100-110 untagged', 'bridge v a dev br0 vid 10 self', 'bridge vlan del dev v0 vid 10 master'];
  const single = lines.map((l) => vrfctl(['-n', ns, '--dry-run', '--hex', ...l.split(' ')]));
  for (const s of single) t.is(s.code, 0, s.stderr);
  const b = vrfctl(['-n', ns, '--dry-run', '--hex', 'batch', '-'], [...lines, 'bridge vlan show'].join('\n') + '\n');
  t.is(b.code, 0, b.stderr);
  const shown = bridgeRun(ns, ['vlan', 'show']).stdout;
  t.is(b.stdout, single.map((s) => s.stdout).join('') + shown);
});

test('bad words and VLAN ids: exit 1, one line naming the fault, nothing sent', (t) => {
  const ns = bridgeNetns(t);
  const cases: Array<[string[], RegExp]> = [
    [['vlan', 'add', 'dev', 'v0', 'vid', '0'], /invalid VLAN id "0": VLAN ids are 1…4094/],
    [['vlan', 'add', 'dev', 'v0', 'vid', '4095'], /invalid VLAN id "4095"/],
    [['vlan', 'add', 'dev', 'v0', 'vid', '1-4095', 'untagged'], /invalid VLAN id "4095"/],
    [['vlan', 'del', 'dev', 'v0', 'vid', '0'], /invalid VLAN id "0"/],
    [['vlan', 'add', 'dev', 'v0', 'vid', '20-10'], /invalid VLAN range "20-10"/],
    [['vlan', 'add', 'dev', 'v0', 'vid', '10-20', 'pvid'], /pvid cannot be configured for a vlan range/],
    [['vlan', 'add', 'dev', 'v0', 'vid', '10', 'tagged'], /unknown bridge vlan option "tagged"/],
    [['vlan', 'add', 'dev', 'v0'], /Device and VLAN ID are required/],
    [['vlan', 'show', 'dev', 'v0', 'extra'], /unknown bridge vlan show option "extra"/],
    [['vlan', 'frob'], /Command "frob" is unknown/],
    [['vlan', 'add', 'dev', 'nosuch', 'vid', '10'], /nosuch/],
    [['vlan', 'show', 'dev', 'nosuch'], /nosuch/],
    [['fdb', 'show'], /bridge fdb is not supported yet/],
    [['qux'], /unknown bridge object "qux"/],
    [[], /bridge needs an object/],
  ];
  for (const [args, message] of cases) {
    const r = vrfctl(['-n', ns, '--dry-run', '--hex', 'bridge', ...args]);
    t.is(r.code, EXIT_USAGE, args.join(' '));
    t.is(r.stdout, '', `${args.join(' ')}: nothing recorded`);
    t.regex(r.stderr, message, args.join(' '));
    t.is(r.stderr.trim().split('\n').length, 1, args.join(' '));
  }
});

test('a kernel refusal exits 2 and names the errno: v1 is no bridge port', (t) => {
  const ns = bridgeNetns(t);
  const ours = vrfctl(['-n', ns, 'bridge', 'vlan', 'add', 'dev', 'v1', 'vid', '10']);
  const theirs = bridgeRun(ns, ['vlan', 'add', 'dev', 'v1', 'vid', '10']);
  t.is(ours.code, EXIT_REFUSED);
  t.regex(ours.stderr, /EOPNOTSUPP: Operation not supported/);
  t.regex(theirs.stderr, /Operation not supported/);
});

test('show: the same text and -j as bridge on the same namespace (no VLANs without filtering here, all of them in the lab)', (t) => {
  const ns = bridgeNetns(t);
  for (const args of [['vlan', 'show'], ['vlan'], ['vlan', 'show', 'dev', 'v0'], ['vlan', 'show', 'vid', '1']]) {
    const mine = vrfctl(['-n', ns, 'bridge', ...args]);
    const theirs = bridgeRun(ns, args);
    t.is(mine.code, 0, mine.stderr);
    t.is(mine.stdout, theirs.stdout, args.join(' '));
    const mineJ = vrfctl(['-n', ns, '-j', 'bridge', ...args]);
    t.is(mineJ.stdout, bridgeRun(ns, ['-j', ...args]).stdout, `-j ${args.join(' ')}`);
  }
});

test('help, and bash completion of bridge vlan', (t) => {
  const h = vrfctl(['bridge', 'vlan', 'help']);
  t.is(h.code, 0);
  t.regex(h.stdout, /vrfctl bridge vlan \{ add \| del \} dev DEV vid VID/);
  const script = vrfctl(['completion', 'bash']).stdout;
  const complete = (words: string[]): string => {
    const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _vrfctl; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' });
    return r.stdout.trim();
  };
  t.is(complete(['vrfctl', 'bri']), 'bridge');
  t.is(complete(['vrfctl', 'bridge', '']), 'vlan');
  t.is(complete(['vrfctl', 'bridge', 'vlan', '']), 'add del show');
  t.is(complete(['vrfctl', 'bridge', 'vlan', 'add', 'pv']), 'pvid');
});
