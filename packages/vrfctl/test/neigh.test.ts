// `vrfctl neigh` against `ip neigh` on the host kernel (twin namespaces, output, failures).
import test from 'ava';
import { run } from '../src/commands/neigh.js';
import { cli, ip, ipRun, refusedLikeIp, setupNetns, state, type Refusal } from './link-helpers.js';
import { asSet } from '../../../test/support/sets.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const EXISTING = [
  ['neigh', 'add', '10.0.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0'],
  ['neigh', 'add', '10.0.0.6', 'lladdr', '02:00:00:00:00:06', 'dev', 'v0', 'nud', 'stale'],
  ['neigh', 'add', '10.0.0.8', 'lladdr', '02:00:00:00:00:08', 'dev', 'v1', 'nud', 'stale'],
  ['-6', 'neigh', 'add', '2001:db8::5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0'],
  ['neigh', 'add', 'proxy', '10.0.0.7', 'dev', 'v0'],
];

const CHANGES: Array<{ words: string[]; family?: 4 | 6 }> = [
  { words: ['add', '10.0.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0'] },
  { words: ['add', '10.0.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0', 'nud', 'permanent'] },
  { words: ['add', '10.0.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0', 'nud', 'stale'] },
  { words: ['add', '10.0.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0', 'nud', 'noarp'] },
  { words: ['add', '10.0.0.9', 'dev', 'v0', 'router', 'lladdr', '02:00:00:00:00:09', 'nud', 'stale'] },
  { words: ['add', '10.0.0.9', 'dev', 'v0', 'nud', 'none'] },
  { words: ['add', 'proxy', '10.0.0.10', 'dev', 'v0'] },
  { words: ['add', 'proxy', '2001:db8::7', 'dev', 'v0'], family: 6 },
  { words: ['add', '2001:db8::9', 'lladdr', '02:00:00:00:00:09', 'dev', 'v0', 'router'] },
  { words: ['change', '10.0.0.5', 'lladdr', '02:00:00:00:00:56', 'dev', 'v0'] },
  { words: ['replace', '10.0.0.5', 'lladdr', '02:00:00:00:00:55', 'dev', 'v0', 'nud', 'stale'] },
  { words: ['replace', '10.0.0.11', 'lladdr', '02:00:00:00:00:11', 'dev', 'v0'] },
  { words: ['del', '10.0.0.5', 'dev', 'v0'] },
  { words: ['del', '2001:db8::5', 'dev', 'v0'], family: 6 },
  { words: ['del', 'proxy', '10.0.0.7', 'dev', 'v0'] },
  { words: ['flush', 'dev', 'v0'] },
  { words: ['flush', 'dev', 'v0', 'nud', 'permanent'] },
  { words: ['flush', 'dev', 'v1'] },
];

for (const c of CHANGES) {
  test(`neigh ${c.family ? `-${c.family} ` : ''}${c.words.join(' ')}: same state as ip`, async (t) => {
    const a = setupNetns(t);
    const b = setupNetns(t);
    for (const ns of [a, b]) for (const s of EXISTING) ip(ns, ...s);
    const before = state(b);
    const theirs = ipRun(a, [...(c.family ? [`-${c.family}`] : []), 'neigh', ...c.words]);
    t.is(theirs.code, 0, theirs.stderr);
    const ours = await cli(run, 'neigh', c.words, { netns: b, family: c.family });
    t.is(ours.code, 0, ours.stderr);
    const after = state(b);
    t.deepEqual(after, state(a));
    if (!c.words.includes('permanent') || c.words[0] !== 'flush') t.notDeepEqual(after, before, 'the command changed something');
  });
}

const SHOWS: Array<{ words: string[]; family?: 4 | 6 }> = [
  { words: [] }, { words: ['show'] }, { words: ['show', 'dev', 'v0'] }, { words: ['show', 'proxy'] },
  { words: ['show'], family: 6 }, { words: ['show'], family: 4 }, { words: ['show', 'nud', 'stale'] },
  { words: ['show', 'nud', 'permanent'] }, { words: ['show', '10.0.0.5'] }, { words: ['show', 'nud', 'noarp', 'dev', 'v0'] },
];

// The kernel walks its neighbour hash table for a dump, and two dumps of one namespace a moment
// apart may list the same entries in another order; both sides print in the order they received,
// so the comparison is of the entries, each printed exactly as ip prints it.
const lines = (out: string): string[] => out.split('\n').filter((l) => l !== '');

for (const c of SHOWS) {
  test(`neigh ${c.family ? `-${c.family} ` : ''}${c.words.join(' ') || '(no words)'}: -j and text as ip`, async (t) => {
    const ns = setupNetns(t);
    for (const s of EXISTING) ip(ns, ...s);
    ip(ns, 'neigh', 'add', '10.0.0.12', 'lladdr', '02:00:00:00:00:12', 'dev', 'v0', 'router', 'nud', 'noarp');
    const fam = c.family ? [`-${c.family}`] : [];
    const j = await cli(run, 'neigh', c.words, { netns: ns, json: true, family: c.family });
    t.is(j.code, 0, j.stderr);
    const theirs = JSON.parse(ip(ns, '-j', ...fam, 'neigh', ...c.words)) as unknown[];
    t.deepEqual(asSet(JSON.parse(j.stdout) as unknown[]), asSet(theirs));
    t.true(theirs.length > 0);
    const text = await cli(run, 'neigh', c.words, { netns: ns, family: c.family });
    t.deepEqual(asSet(lines(text.stdout)), asSet(lines(ip(ns, ...fam, 'neigh', ...c.words))));
    t.true(text.stdout.endsWith('\n'));
  });
}

const FAILURES: Refusal[] = [
  { words: ['add', '10.0.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'nosuch'], ipCode: 1, ourCode: EXIT_USAGE, line: /^vrfctl: neigh add: Cannot find device "nosuch"$/ },
  { words: ['add', '10.0.0.5', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0'], ipCode: 2, ourCode: EXIT_REFUSED, line: /^vrfctl: neigh add: EEXIST: File exists/ },
  { words: ['del', '10.0.0.99', 'dev', 'v0'], ipCode: 2, ourCode: EXIT_REFUSED, line: /ENOENT/ },
  { words: ['add', '10.0.0.9', 'lladdr', '02:zz:00:00:00:05', 'dev', 'v0'], ipCode: 1, ourCode: EXIT_USAGE, line: /invalid lladdr "02:zz:00:00:00:05"/ },
  { words: ['add', '10.0.0.9', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0', 'nud', 'bogus'], ipCode: 255, ourCode: EXIT_USAGE, line: /invalid nud state "bogus"/ },
  { words: ['add', '10.0.0.300', 'lladdr', '02:00:00:00:00:05', 'dev', 'v0'], ipCode: 1, ourCode: EXIT_USAGE, line: /not an IP address/ },
];

for (const f of FAILURES) {
  test(`neigh ${f.words.join(' ')} fails and changes nothing`, async (t) => {
    const { theirs: a, before } = await refusedLikeIp(t, run, 'neigh', f, (ns) => {
      for (const s of EXISTING) ip(ns, ...s);
    });
    t.deepEqual(state(a), before);
  });
}
