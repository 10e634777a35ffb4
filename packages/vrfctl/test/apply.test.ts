// `vrfctl apply` / `vrfctl diff` on the host kernel (no vrf module): routes and rules in
// tables, sysctls, --prune of what apply made (protocol 240) only, the add-before-delete order,
// and rollback to the exact previous kernel state when a step fails.
import test from 'ava';
import { parseDesired } from '../src/apply/schema.js';
import { readCurrent } from '../src/apply/state.js';
import { computePlan } from '../src/apply/plan.js';
import { ApplyFailure, executePlan } from '../src/apply/execute.js';
import { Session } from '../src/session.js';
import { ipIn, lanNetns, nonEmpty, snapshot, sysctlIn, tempFile, vrfctlIn } from './batch-helpers.js';
import { EXIT_REFUSED, EXIT_USAGE } from '../src/errors.js';

const BASE = `
routes:
  - to: 10.10.0.0/16
    via: 192.0.2.1
    table: 100
  - to: 2001:db8:1::/48
    dev: v0
    table: 100
rules:
  - from: 198.51.100.0/24
    priority: 100
    table: 100
sysctls:
  net.ipv4.tcp_l3mdev_accept: 1
`;

test('schema errors name their path, all of them, EXIT_USAGE, nothing read or changed', (t) => {
  const ns = lanNetns(t);
  const before = snapshot(ns);
  const file = tempFile('bad.yaml', `
vrfs:
  mgmt:
    table: 1000
    ports: [eth0]
    routes:
      - to: default
        via: not-an-ip
      - to: 10.1.2.3/16
        dev: v0
    rules:
      - from: 198.51.100.0/24
  red:
    table: 1000
routes:
  - to: 10.0.0.0/8
    table: 100
    colour: blue
sysctls:
  net.ipv4.ip_forward: 1
`);
  const r = vrfctlIn(ns, ['apply', file]);
  t.is(r.code, EXIT_USAGE);
  const lines = nonEmpty(r.stderr);
  t.true(lines.includes('vrfctl: apply: vrfs.mgmt.routes[0].via: not an IP address'), r.stderr);
  t.true(lines.some((l) => l.startsWith('vrfctl: apply: vrfs.mgmt.routes[1].to: host bits set')), r.stderr);
  t.true(lines.some((l) => l.startsWith('vrfctl: apply: vrfs.mgmt.rules[0].priority: missing')), r.stderr);
  t.true(lines.some((l) => l.startsWith('vrfctl: apply: vrfs.red.table: table 1000 is already the table of vrfs.mgmt')), r.stderr);
  t.true(lines.some((l) => l.startsWith('vrfctl: apply: routes[0].colour: unknown key')), r.stderr);
  t.true(lines.some((l) => l.startsWith('vrfctl: apply: routes[0]: a unicast route needs "via", "dev" or "nhid"')), r.stderr);
  t.true(lines.some((l) => l.startsWith('vrfctl: apply: sysctls.net.ipv4.ip_forward: unknown sysctl')), r.stderr);
  t.is(r.stdout, '');
  t.deepEqual(snapshot(ns), before);
  const yamlError = vrfctlIn(ns, ['diff', tempFile('broken.yaml', 'vrfs: [\n')]);
  t.is(yamlError.code, EXIT_USAGE);
  t.regex(yamlError.stderr, /broken\.yaml:\d+:\d+: /);
});

test('diff prints the plan and changes nothing; apply makes it so; a second apply says "no changes"', (t) => {
  const ns = lanNetns(t);
  const file = tempFile('a.yaml', BASE);
  const before = snapshot(ns);
  const d = vrfctlIn(ns, ['diff', file]);
  t.is(d.code, 0, d.stderr);
  t.deepEqual(nonEmpty(d.stdout), [
    '~ sysctl net.ipv4.tcp_l3mdev_accept = 1 (now 0)',
    '+ route 10.10.0.0/16 via 192.0.2.1 table 100',
    '+ route 2001:db8:1::/48 dev v0 table 100',
    '+ rule priority 100 from 198.51.100.0/24 lookup 100',
  ]);
  t.deepEqual(snapshot(ns), before, 'diff changed nothing');

  const a = vrfctlIn(ns, ['apply', file]);
  t.is(a.code, 0, a.stderr);
  t.deepEqual(nonEmpty(a.stdout), nonEmpty(d.stdout));
  t.is(a.stderr, 'vrfctl: apply: 4 changes applied\n');
  t.deepEqual(nonEmpty(ipIn(ns, 'route', 'show', 'table', '100')).map((l) => l.trim()), ['10.10.0.0/16 via 192.0.2.1 dev v0 proto 240']);
  t.regex(ipIn(ns, '-6', 'route', 'show', 'table', '100'), /^2001:db8:1::\/48 dev v0 proto 240 metric 1024/m);
  t.regex(ipIn(ns, 'rule', 'show'), /^100:\tfrom 198\.51\.100\.0\/24 lookup 100 proto 240/m);
  t.is(sysctlIn(ns, 'net.ipv4.tcp_l3mdev_accept'), '1');

  const again = vrfctlIn(ns, ['apply', file]);
  t.deepEqual([again.code, again.stdout], [0, 'no changes\n']);
  t.deepEqual([vrfctlIn(ns, ['diff', '--prune', file]).stdout], ['no changes\n']);
  const json = vrfctlIn(ns, ['-j', 'diff', file]);
  t.deepEqual(JSON.parse(json.stdout), []);
});

test('a failed step rolls back every completed one: the kernel state equals the snapshot before', (t) => {
  const ns = lanNetns(t);
  t.is(vrfctlIn(ns, ['apply', tempFile('a.yaml', BASE)]).code, 0);
  ipIn(ns, 'route', 'add', '10.20.0.0/16', 'via', '192.0.2.1', 'table', '100', 'proto', 'static');
  const before = snapshot(ns);
  // sysctl back to 0, two replaces (one of a route apply did not make), an add, a rule, a prune…
  // then a route whose gateway is unreachable fails.
  const file = tempFile('b.yaml', `
routes:
  - to: 10.10.0.0/16
    via: 192.0.2.3
    table: 100
  - to: 10.20.0.0/16
    via: 192.0.2.4
    table: 100
  - to: 10.30.0.0/16
    via: 192.0.2.1
    table: 100
  - to: 10.40.0.0/16
    via: 203.0.113.1
    table: 100
rules:
  - from: 198.51.101.0/24
    priority: 101
    table: 100
sysctls:
  net.ipv4.tcp_l3mdev_accept: 0
`);
  const r = vrfctlIn(ns, ['apply', '--prune', file]);
  t.is(r.code, EXIT_REFUSED);
  const err = nonEmpty(r.stderr);
  t.is(err[0], 'vrfctl: apply: step 5 (add route 10.40.0.0/16 via 203.0.113.1 table 100): ENETUNREACH: Network is unreachable: Nexthop has invalid gateway');
  t.is(err[1], 'vrfctl: apply: rolled back 4 of 4 completed steps; the host is as it was');
  t.deepEqual(snapshot(ns), before);
});

test('rollback after a device vanished between plan and execute, including pruned routes and rules', (t) => {
  const ns = lanNetns(t);
  t.is(vrfctlIn(ns, ['apply', tempFile('a.yaml', BASE)]).code, 0);
  ipIn(ns, 'link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1');
  ipIn(ns, 'link', 'set', 'w0', 'up');
  const desired = parseDesired(`
routes:
  - to: 10.50.0.0/16
    via: 192.0.2.1
    table: 100
  - to: 10.60.0.0/16
    dev: w0
    table: 100
rules:
  - from: 198.51.102.0/24
    priority: 102
    table: 100
`);
  const session = new Session({ netns: ns, json: false, pretty: false, dryRun: false, hex: false, debug: false });
  t.teardown(() => session.close());
  const steps = computePlan(desired, session.run(readCurrent(desired, ns)), { prune: true });
  t.deepEqual(steps.map((s) => `${s.sign} ${s.text}`), [
    '+ route 10.50.0.0/16 via 192.0.2.1 table 100',
    '+ route 10.60.0.0/16 dev w0 table 100',
    '+ rule priority 102 from 198.51.102.0/24 lookup 100',
    '- rule priority 100 from 198.51.100.0/24 lookup 100',
    '- route 10.10.0.0/16 via 192.0.2.1 dev v0 table 100',
    '- route 2001:db8:1::/48 dev v0 table 100',
  ]);
  ipIn(ns, 'link', 'del', 'w0');
  const before = snapshot(ns);
  const error = t.throws(() => executePlan(session, steps, { netns: ns, note: () => {} }), { instanceOf: ApplyFailure });
  t.is(error?.stepNumber, 2);
  t.regex(error?.message ?? '', /^step 2 \(add route 10\.60\.0\.0\/16 dev w0 table 100\): Cannot find device "w0"/);
  t.deepEqual(snapshot(ns), before);

  // With w0 back, the adds and the first prunes run; the last prune finds its route gone, and
  // everything before it (deleted rule and route included) is put back.
  ipIn(ns, 'link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1');
  ipIn(ns, 'link', 'set', 'w0', 'up');
  const steps2 = computePlan(desired, session.run(readCurrent(desired, ns)), { prune: true });
  t.is(steps2.length, 6);
  ipIn(ns, '-6', 'route', 'del', '2001:db8:1::/48', 'table', '100');
  const before2 = snapshot(ns);
  const error2 = t.throws(() => executePlan(session, steps2, { netns: ns, note: () => {} }), { instanceOf: ApplyFailure });
  t.is(error2?.stepNumber, 6);
  t.is(error2?.rolledBack, 5);
  t.deepEqual(error2?.undoFailures, []);
  t.deepEqual(snapshot(ns), before2);
});

test('--prune removes only routes and rules with protocol 240; a route moving out of main is added before it is removed', (t) => {
  const ns = lanNetns(t);
  const first = tempFile('a.yaml', `
routes:
  - to: default
    via: 192.0.2.1
  - to: 10.70.0.0/16
    via: 192.0.2.1
    table: 100
rules:
  - priority: 300
    to: 10.70.0.0/16
    table: 100
`);
  t.is(vrfctlIn(ns, ['apply', first]).code, 0);
  ipIn(ns, 'route', 'add', '10.80.0.0/16', 'via', '192.0.2.1', 'table', '100', 'proto', 'static');
  ipIn(ns, 'rule', 'add', 'pref', '301', 'to', '10.80.0.0/16', 'lookup', '100');
  const second = tempFile('b.yaml', `
routes:
  - to: default
    via: 192.0.2.1
    table: 100
`);
  const d = vrfctlIn(ns, ['diff', '--prune', second]);
  t.deepEqual(nonEmpty(d.stdout), [
    '+ route default via 192.0.2.1 table 100',
    '- rule priority 300 to 10.70.0.0/16 lookup 100',
    '- route 10.70.0.0/16 via 192.0.2.1 dev v0 table 100',
    '- route default via 192.0.2.1 dev v0',
  ]);
  const without = vrfctlIn(ns, ['diff', second]);
  t.deepEqual(nonEmpty(without.stdout), ['+ route default via 192.0.2.1 table 100'], 'without --prune nothing is removed');
  const a = vrfctlIn(ns, ['apply', '--prune', second]);
  t.is(a.code, 0, a.stderr);
  t.deepEqual(nonEmpty(ipIn(ns, 'route', 'show', 'table', '100')).map((l) => l.trim()),
    ['default via 192.0.2.1 dev v0 proto 240', '10.80.0.0/16 via 192.0.2.1 dev v0 proto static']);
  t.notRegex(ipIn(ns, 'route', 'show'), /^default/m);
  const rules = ipIn(ns, 'rule', 'show');
  t.notRegex(rules, /^300:/m);
  t.regex(rules, /^301:\tfrom all to 10\.80\.0\.0\/16 lookup 100/m);
  t.is(vrfctlIn(ns, ['apply', '--prune', second]).stdout, 'no changes\n');
});
