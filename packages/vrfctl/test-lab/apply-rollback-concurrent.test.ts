// Issue #19 item 2, in the lab: an `apply` that creates a VRF fails part-way (its route's gateway
// is unreachable: ENETUNREACH at the route step) while another process adds FIB rules with plain
// `ip rule add` and `ip -batch` (no vrfctl, no lock). The window is opened with strace: the route
// step's sendto is delayed on entry. The rollback must undo only apply's own steps: the rules
// added meanwhile stay, its l3mdev rules go (only where it brought them), the local rule goes back
// to pref 0 only where apply moved it, and everything else equals the `ip -j` snapshot taken
// before. The rollback before the fix restored "the rule list as it was before the step", which
// deleted every rule added meanwhile.
import test, { type ExecutionContext } from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_REFUSED } from '../src/errors.js';
import { sortedByJson } from '../../../test/support/sets.js';

const BIN = join(process.cwd(), 'packages/vrfctl/bin/vrfctl.js');
/** How long the route step's send is held: room for the other process under TCG. */
const HOLD_US = 30_000_000;

type Json = Record<string, unknown>;

function ip(ns: string, ...args: string[]): string {
  const r = spawnSync('ip', ['-n', ns, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const json = (ns: string, ...args: string[]): Json[] => JSON.parse(ip(ns, '-j', ...args)) as Json[];

/** A namespace as apply-vrf's: eth0 (veth) 192.0.2.2/24 carrying the default route; with a VRF made by hand when asked. */
function freshNetns(t: ExecutionContext, withVrf: boolean): string {
  const ns = `vrfctl-r-${randomBytes(4).toString('hex')}`;
  spawnSync('ip', ['netns', 'add', ns]);
  t.teardown(() => void spawnSync('ip', ['netns', 'del', ns]));
  // No IPv6 link-local addresses: they come and go asynchronously when a port cycles.
  spawnSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.default.addr_gen_mode=1']);
  ip(ns, 'link', 'set', 'lo', 'up');
  ip(ns, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'peer0');
  ip(ns, 'link', 'set', 'eth0', 'up');
  ip(ns, 'link', 'set', 'peer0', 'up');
  ip(ns, 'addr', 'add', '192.0.2.2/24', 'dev', 'eth0');
  ip(ns, 'route', 'add', 'default', 'via', '192.0.2.1');
  if (withVrf) {
    // A host already laid out for VRFs: the kernel's l3mdev rules, the local rule at 32765.
    ip(ns, 'link', 'add', 'blue', 'type', 'vrf', 'table', '2000');
    for (const f of ['-4', '-6']) {
      ip(ns, f, 'rule', 'add', 'pref', '32765', 'table', 'local');
      ip(ns, f, 'rule', 'del', 'pref', '0', 'table', 'local');
    }
  }
  return ns;
}

function snapshot(ns: string): { links: Json[]; addrs: Json[]; routes: Json[]; rules: Json[] } {
  const links = json(ns, '-d', 'link', 'show').map((l) => ({
    ifname: l.ifname, flags: l.flags, master: l.master, ifalias: l.ifalias, operstate: l.operstate,
    kind: (l.linkinfo as { info_kind?: string } | undefined)?.info_kind,
  }));
  const addrs = json(ns, 'addr', 'show').flatMap((l) => ((l.addr_info ?? []) as Json[]).map((a) => ({
    dev: l.ifname, family: a.family, local: a.local, prefixlen: a.prefixlen, scope: a.scope,
  })));
  const routes = [...json(ns, 'route', 'show', 'table', 'all'), ...json(ns, '-6', 'route', 'show', 'table', 'all')];
  return { links: sortedByJson(links), addrs: sortedByJson(addrs), routes: sortedByJson(routes), rules: rules(ns) };
}

/** Both families' rules, each tagged with its family (the -6 listing does not say). */
function rules(ns: string): Json[] {
  return sortedByJson([...json(ns, 'rule', 'show').map((r) => ({ f: 4, ...r })), ...json(ns, '-6', 'rule', 'show').map((r) => ({ f: 6, ...r }))]);
}

// The other process's rules: singles at the priorities apply's own rules use (1000 l3mdev, 32765
// local) and at 0, next to the local rule, so that an undo deleting by priority alone would take them.
const SINGLES = [
  ['-4', 'pref', '0', 'from', '10.0.0.0/24', 'lookup', '7'],
  ['-4', 'pref', '50', 'from', '10.50.0.0/16', 'lookup', '50'],
  ['-4', 'pref', '1000', 'from', '10.10.0.0/16', 'lookup', '100'],
  ['-4', 'pref', '32765', 'from', '10.32.0.0/16', 'lookup', '32'],
  ['-6', 'pref', '60', 'from', '2001:db8:60::/48', 'lookup', '60'],
  ['-6', 'pref', '1000', 'to', '2001:db8:1000::/48', 'lookup', '100'],
];
/** And a batch of 200, as `ip -batch` sends them. */
const BATCH = Array.from({ length: 200 }, (_, i) => `rule add pref ${2000 + i} from 10.20.${i}.0/24 lookup 200`).join('\n') + '\n';
const OTHERS = 2 + SINGLES.length + 200;
const OTHER_NETS = /^(10\.|2001:db8:)/;
const isOthers = (r: Json): boolean => [r.src, r.dst].some((a) => typeof a === 'string' && OTHER_NETS.test(a));

/** A VRF with a port whose route cannot be added: steps create, (rule fixup,) enslave pass; the route fails. */
const FAILING = `
vrfs:
  mgmt:
    table: 1000
    ports: [eth0]
    loopback: true
    routes:
      - to: default
        via: 203.0.113.1
`;

function applyFile(): string {
  const p = join(mkdtempSync(join(tmpdir(), 'vrfctl-r-')), 'mgmt.yaml');
  writeFileSync(p, FAILING);
  return p;
}

/** Which sendto of the apply carries the failing route (gateway 203.0.113.1), from a traced run in a twin namespace. */
function routeSendNumber(t: ExecutionContext, withVrf: boolean, file: string): number {
  const twin = freshNetns(t, withVrf);
  const trace = join(mkdtempSync(join(tmpdir(), 'vrfctl-r-')), 'trace');
  const r = spawnSync('strace', ['-f', '-qq', '-s', '256', '-o', trace, '-e', 'trace=sendto', process.execPath, BIN, '-n', twin, 'apply', file], { encoding: 'utf8' });
  if (r.status !== EXIT_REFUSED) throw new Error(`traced apply: exit ${r.status}: ${r.stderr}`);
  const sends = readFileSync(trace, 'utf8').split('\n').filter((l) => l.includes('sendto('));
  const n = sends.findIndex((l) => l.includes('\\xcb\\x00\\x71\\x01') || l.includes('203.0.113.1')) + 1;
  if (n === 0) throw new Error(`no send of the route via 203.0.113.1 among ${sends.length}`);
  return n;
}

function isEnslaved(ns: string): boolean {
  return /master mgmt/.test(ip(ns, 'link', 'show', 'eth0'));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface Run {
  code: number | null;
  stderr: string;
}

/**
 * apply under strace, its nth sendto held HOLD_US on entry. It runs with a /run/vrfctl of its own
 * (a tmpfs in a private mount namespace): held for HOLD_US with the real host lock, it would make
 * every vrfctl of the lab files running beside this one wait, and print the waiting note.
 */
function heldApply(ns: string, file: string, n: number): { done: Promise<Run>; exited: () => boolean } {
  mkdirSync('/run/vrfctl', { recursive: true });
  const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs vrfctl-lock-test /run/vrfctl && exec "$@"', 'sh',
    'strace', '-f', '-qq', '-o', '/dev/null', '-e', 'trace=sendto', '-e', `inject=sendto:delay_enter=${HOLD_US}:when=${n}`,
    process.execPath, BIN, '-n', ns, 'apply', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Run>((resolve) => child.on('close', (code) => {
    exited = true;
    resolve({ code, stderr });
  }));
  return { done, exited: () => exited };
}

test.before(() => {
  if (process.env.VRFCTL_LAB !== '1') throw new Error('lab tests must run inside tools/lab/run');
  if (spawnSync('strace', ['-V']).status !== 0) throw new Error('strace is not installed in the lab (tools/lab/setup installs it): the window cannot be opened');
});

for (const withVrf of [false, true]) {
  const where = withVrf ? 'a namespace already laid out for VRFs (l3mdev rules, local rule at 32765)' : 'a namespace without VRFs';
  test.serial(`a failed apply in ${where} keeps the rules another process added meanwhile and undoes only its own`, async (t) => {
    const file = applyFile();
    const n = routeSendNumber(t, withVrf, file);
    const ns = freshNetns(t, withVrf);
    const before = snapshot(ns);
    const run = heldApply(ns, file, n);

    // The window: the port is in the VRF (steps before the route done), the route's send is held.
    const deadline = Date.now() + 240_000;
    while (!isEnslaved(ns)) {
      if (run.exited() || Date.now() > deadline) {
        const r = await run.done;
        t.fail(`apply never reached its route step (exit ${r.code}): ${r.stderr}`);
        return;
      }
      await sleep(100);
    }
    const inWindow = rules(ns);
    t.true(inWindow.some((r) => 'l3mdev' in r), 'the VRF step is done: its l3mdev rules are in');
    if (!withVrf) t.true(inWindow.some((r) => r.priority === 32765 && r.table === 'local'), 'the rule fixup step is done: the local rule moved');

    // Another process, without vrfctl's lock.
    for (const words of SINGLES) ip(ns, ...words.slice(0, 1), 'rule', 'add', ...words.slice(1));
    const batch = spawnSync('ip', ['-n', ns, '-batch', '-'], { input: BATCH, encoding: 'utf8' });
    t.is(batch.status, 0, batch.stderr);
    ip(ns, '-6', 'rule', 'add', 'pref', '70', 'from', '2001:db8:70::/48', 'lookup', '70');
    ip(ns, 'rule', 'add', 'pref', '80', 'to', '10.80.0.0/16', 'lookup', '80');
    const added = rules(ns).filter(isOthers);
    t.is(added.length, OTHERS);
    // Still inside the window: the rollback (which releases eth0 first) has not begun.
    t.true(isEnslaved(ns) && !run.exited(), `the window closed before the other rules were in: raise HOLD_US (${HOLD_US} µs)`);

    const r = await run.done;
    t.is(r.code, EXIT_REFUSED, r.stderr);
    const total = withVrf ? 3 : 4;
    t.regex(r.stderr, new RegExp(`^vrfctl: apply: step ${total} \\(add route default via 203\\.0\\.113\\.1 table 1000\\): ENETUNREACH`, 'm'));
    t.regex(r.stderr, new RegExp(`rolled back ${total - 1} of ${total - 1} completed steps; the host is as it was`));

    const after = snapshot(ns);
    // Every rule the other process added is there, as it was listed in the window.
    t.deepEqual(after.rules.filter(isOthers), added);
    // Apply's own: l3mdev rules gone where it brought them, kept where they were; the local rule where it was.
    const l3mdev = after.rules.filter((x) => 'l3mdev' in x).map((x) => x.f);
    t.deepEqual(l3mdev, withVrf ? [4, 6] : []);
    const local = after.rules.filter((x) => x.table === 'local' && x.src === 'all' && x.dst === undefined).map((x) => `${x.f}:${x.priority}`);
    t.deepEqual(local.sort(), withVrf ? ['4:32765', '6:32765'] : ['4:0', '6:0']);
    // And the rest is as before.
    t.deepEqual({ ...after, rules: after.rules.filter((x) => !isOthers(x)) }, before);
  });
}
