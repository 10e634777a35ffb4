// `vrfctl addr` against `ip addr` on the host kernel (twin namespaces, output, failures).
import test from 'ava';
import { run } from '../src/commands/addr.js';
import { cli, ip, ipRun, refusedLikeIp, setupNetns, state, type Refusal } from './link-helpers.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const CHANGES: Array<{ words: string[]; family?: 4 | 6 }> = [
  { words: ['add', '10.0.2.1/24', 'dev', 'v0'] },
  { words: ['add', '10.0.2.1', 'dev', 'v0'] },
  { words: ['add', '10.0.2.1/24', 'dev', 'v0', 'label', 'v0:1'] },
  { words: ['add', 'dev', 'v0', 'label', 'v0:2', '10.0.2.1/24', 'metric', '5'] },
  { words: ['add', '10.0.2.1/24', 'broadcast', '+', 'dev', 'v0'] },
  { words: ['add', '10.0.2.1/24', 'brd', '-', 'dev', 'v0'] },
  { words: ['add', '10.0.2.1/24', 'broadcast', '10.0.2.9', 'dev', 'v0'] },
  { words: ['add', '10.0.3.1', 'peer', '10.0.3.2', 'dev', 'v0'] },
  { words: ['add', '10.0.3.1/24', 'peer', '10.0.4.2/24', 'dev', 'v0'] },
  { words: ['add', '192.0.2.1/24', 'dev', 'v0', 'scope', 'link'] },
  { words: ['add', '192.0.2.1/24', 'dev', 'v0', 'scope', 'host'] },
  { words: ['add', '127.0.0.2/8', 'dev', 'lo'] },
  { words: ['add', '198.51.100.1/24', 'dev', 'v0', 'valid_lft', '3600', 'preferred_lft', '1800'] },
  { words: ['add', '198.51.100.1/24', 'dev', 'v0', 'preferred_lft', '0'] },
  { words: ['add', '198.51.100.1/24', 'dev', 'v0', 'noprefixroute'] },
  { words: ['add', '2001:db8:2::1/64', 'dev', 'v0', 'nodad'] },
  { words: ['add', '2001:db8:3::1/64', 'dev', 'v0', 'nodad', 'noprefixroute'] },
  { words: ['add', '2001:db8:5::1/64', 'dev', 'v0', 'home', 'mngtmpaddr', 'nodad'] },
  { words: ['add', '2001:db8:4::1/64', 'dev', 'v0', 'nodad', 'valid_lft', '3600', 'preferred_lft', '1800'], family: 6 },
  { words: ['add', '2001:db8:6::1/64', 'dev', 'v0', 'nodad', 'metric', '300'] },
  { words: ['replace', '10.0.0.1/24', 'dev', 'v0', 'valid_lft', '600', 'preferred_lft', '300'] },
  { words: ['replace', '10.0.5.1/24', 'dev', 'v0'] },
  { words: ['change', '10.0.0.1/24', 'dev', 'v0', 'valid_lft', '600', 'preferred_lft', '300'] },
  { words: ['del', '10.0.0.1/24', 'dev', 'v0'] },
  { words: ['del', '2001:db8::1/64', 'dev', 'v0'] },
  { words: ['flush', 'dev', 'v0'] },
  { words: ['flush', 'dev', 'v0'], family: 4 },
  { words: ['flush', 'dev', 'v0', 'scope', 'global'], family: 6 },
  { words: ['flush', 'label', 'v0:9'] },
];

const EXTRA_SETUP = [['addr', 'add', '10.0.0.7/24', 'dev', 'v0', 'label', 'v0:9'], ['addr', 'add', '10.0.8.1/24', 'dev', 'br0']];

for (const c of CHANGES) {
  test(`addr ${c.family ? `-${c.family} ` : ''}${c.words.join(' ')}: same state as ip`, async (t) => {
    const a = setupNetns(t);
    const b = setupNetns(t);
    for (const ns of [a, b]) for (const s of EXTRA_SETUP) ip(ns, ...s);
    const theirs = ipRun(a, [...(c.family ? [`-${c.family}`] : []), 'addr', ...c.words]);
    t.is(theirs.code, 0, theirs.stderr);
    const ours = await cli(run, 'addr', c.words, { netns: b, family: c.family });
    t.is(ours.code, 0, ours.stderr);
    t.deepEqual(state(b), state(a));
    const lifetimes = (ns: string) =>
      (JSON.parse(ip(ns, '-j', 'addr', 'show')) as Array<{ addr_info: Array<Record<string, number>> }>)
        .flatMap((l) => l.addr_info.map((x) => [x.valid_life_time, x.preferred_life_time]));
    const [mine, ipOnes] = [lifetimes(b), lifetimes(a)];
    t.is(mine.length, ipOnes.length);
    mine.forEach((pair, i) => pair.forEach((v, k) => t.true(Math.abs(v - ipOnes[i][k]) <= 3, `lifetime ${v} vs ${ipOnes[i][k]}`)));
  });
}

const SHOWS: Array<{ words: string[]; family?: 4 | 6 }> = [
  { words: [] }, { words: ['show'] }, { words: ['show', 'dev', 'v0'] }, { words: ['show', 'v0'] },
  { words: ['show'], family: 4 }, { words: ['show'], family: 6 }, { words: ['show', 'dev', 'v0'], family: 6 },
  { words: ['show', 'master', 'br0'] }, { words: ['show', 'type', 'bridge'] }, { words: ['show', 'scope', 'global'] },
  { words: ['show', 'label', 'v0:9'] },
];

for (const c of SHOWS) {
  test(`addr ${c.family ? `-${c.family} ` : ''}${c.words.join(' ') || '(no words)'}: -j and text as ip`, async (t) => {
    const ns = setupNetns(t);
    for (const s of EXTRA_SETUP) ip(ns, ...s);
    ip(ns, 'addr', 'add', '10.0.9.1', 'peer', '10.0.9.2', 'dev', 'v0', 'valid_lft', '1000', 'preferred_lft', '1000');
    ip(ns, 'addr', 'add', '10.0.0.9/24', 'brd', '+', 'dev', 'v0', 'metric', '7');
    ip(ns, 'link', 'set', 'v1', 'master', 'br0');
    const fam = c.family ? [`-${c.family}`] : [];
    const j = await cli(run, 'addr', c.words, { netns: ns, json: true, family: c.family });
    t.is(j.code, 0, j.stderr);
    // Finite lifetimes count down between the two reads.
    const ours = comparableLifetimes(JSON.parse(j.stdout)) as Array<Record<string, unknown>>;
    const theirs = comparableLifetimes(JSON.parse(ip(ns, '-j', ...fam, 'addr', ...c.words))) as Array<Record<string, unknown>>;
    if (c.words.includes('label')) {
      // With a label filter ip -j prints empty objects for everything but the addresses (and
      // no link headers in text); compare the addresses.
      const infos = (list: Array<Record<string, unknown>>) => list.flatMap((l) => (l.addr_info as object[]).filter((x) => Object.keys(x).length > 0));
      t.deepEqual(infos(ours), infos(theirs));
    } else {
      // ip -j prints an empty object for each address a filter leaves out; we do not.
      for (const l of theirs) if (Array.isArray(l.addr_info)) l.addr_info = (l.addr_info as object[]).filter((x) => Object.keys(x).length > 0);
      t.deepEqual(ours, theirs);
    }
    const text = await cli(run, 'addr', c.words, { netns: ns, family: c.family });
    t.is(text.stdout.replace(/\d+sec/g, 'Nsec'), ip(ns, ...fam, 'addr', ...c.words).replace(/\d+sec/g, 'Nsec'));
  });
}

function comparableLifetimes(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v), (k, x) => ((k === 'valid_life_time' || k === 'preferred_life_time') && x !== 4294967295 ? 'finite' : x));
}

/** Exit codes as ip's: kernel refusals EXIT_REFUSED (ip 2), bad input and names EXIT_USAGE (ip 1 or 255). */
const FAILURES: Refusal[] = [
  { words: ['add', '10.0.2.1/24', 'dev', 'nosuch'], ipCode: 1, ourCode: EXIT_USAGE, line: /^vrfctl: addr add: Cannot find device "nosuch"$/ },
  { words: ['add', '10.0.0.1/24', 'dev', 'v0'], ipCode: 2, ourCode: EXIT_REFUSED, line: /^vrfctl: addr add: EEXIST: File exists: ipv4: Address already assigned\.?$/ },
  { words: ['del', '10.0.7.1/24', 'dev', 'v0'], ipCode: 2, ourCode: EXIT_REFUSED, line: /EADDRNOTAVAIL.*Address not found/ },
  { words: ['add', '10.0.0.9/33', 'dev', 'v0'], ipCode: 1, ourCode: EXIT_USAGE, line: /invalid address "10\.0\.0\.9\/33": bad prefix length/ },
  { words: ['add', '10.0.0.9/24'], ipCode: 1, ourCode: EXIT_USAGE, line: /"dev" argument is required/ },
  { words: ['add', '10.0.0.9/24', 'dev', 'v0', 'scope', 'bogus'], ipCode: 255, ourCode: EXIT_USAGE, line: /invalid scope "bogus"/ },
  { words: ['add', '10.0.0.9/24', 'dev', 'v0', 'valid_lft', '10'], ipCode: 1, ourCode: EXIT_USAGE, line: /preferred_lft is greater than valid_lft/ },
  { words: ['add', '10.0.0.9/24', 'dev', 'v0', 'label', 'foo'], ipCode: 0, ourCode: EXIT_USAGE, line: /must match "label"/ },
];

for (const f of FAILURES) {
  test(`addr ${f.words.join(' ')} fails and changes nothing`, async (t) => {
    const { theirs: a, before } = await refusedLikeIp(t, run, 'addr', f);
    // ip accepts a label that does not start with the device name (6.1 only warns); we refuse it.
    if (f.ipCode === 0) t.notDeepEqual(state(a), before);
    else t.deepEqual(state(a), before);
  });
}
