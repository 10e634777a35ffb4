// Twin namespaces for comparing vrfctl with ip: the same network in both, one for each tool.
import type { ExecutionContext } from 'ava';
import { basicNetwork, ip, ipRun, routeState, settle, tempNetns } from '../../route/test/netns.js';
import { vrfctlRoute } from './route-helpers.js';

/** Two namespaces with the same network: one for vrfctl, one for ip. */
export function twins(t: ExecutionContext, extra: readonly string[][] = []): [string, string] {
  const a = tempNetns(t);
  const b = tempNetns(t);
  for (const ns of [a, b]) {
    // Both are set up before waiting, so that the kernel's own route work overlaps.
    basicNetwork(ns, { settle: false });
    ip(ns, 'link', 'add', 'br0', 'address', '02:00:00:00:00:b0', 'type', 'bridge');
    ip(ns, 'link', 'set', 'br0', 'up');
    ip(ns, 'addr', 'add', '192.168.7.1/24', 'dev', 'br0');
    for (const argv of extra) ip(ns, ...argv);
  }
  settle(a);
  settle(b);
  return [a, b];
}

/** Runs the same `route …` words with vrfctl in one twin and ip in the other; both must succeed. */
export function same(t: ExecutionContext, words: readonly string[], opts: { family?: 4 | 6; extra?: string[][] } = {}): string {
  const [ours, theirs] = twins(t, opts.extra);
  const fam = opts.family ? [`-${opts.family}`] : [];
  const r = vrfctlRoute(['-n', ours, ...fam, 'route', ...words]);
  t.is(r.code, 0, r.stderr);
  t.is(r.stdout, '');
  const i = ipRun(theirs, ...fam, 'route', ...words);
  t.is(i.status, 0, i.stderr);
  t.deepEqual(routeState(ours), routeState(theirs));
  return ours;
}

/** Our `-j route show …` and text output equal ip's in the same namespace. */
export function sameOutput(t: ExecutionContext, ns: string, words: readonly string[], family?: 4 | 6): void {
  const fam = family ? [`-${family}`] : [];
  const json = vrfctlRoute(['-n', ns, ...fam, '-j', 'route', ...words]);
  t.is(json.code, 0, json.stderr);
  t.deepEqual(JSON.parse(json.stdout), JSON.parse(ip(ns, ...fam, '-j', 'route', ...words)), `-j route ${words.join(' ')}`);
  const text = vrfctlRoute(['-n', ns, ...fam, 'route', ...words]);
  t.is(text.code, 0, text.stderr);
  t.is(text.stdout, ip(ns, ...fam, 'route', ...words), `route ${words.join(' ')}`);
}

