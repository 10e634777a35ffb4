// vrfctl show NAME: one VRF with its ports, addresses, routes, neighbours and rules.
import { showVrf } from '@vrfctl/vrf';
import { UsageError } from '../errors.js';
import { printJson, writeLine, type GlobalOptions } from '../context.js';
import { withSession } from '../session.js';
import { columns, formatRoute, formatRule, routeJson, usage } from './vrf-common.js';

export function run(args: string[], opts: GlobalOptions): number {
  if (args.length !== 1) throw new UsageError('usage: vrfctl show NAME');
  const name = args[0];
  const d = withSession({ ...opts, dryRun: false }, (s) => usage(() => s.run(showVrf(name))));
  const names = new Map<number, string>([[d.ifindex, d.name], ...d.ports.map((p) => [p.ifindex, p.name] as [number, string])]);
  const dev = (i: number): string => names.get(i) ?? (i === 1 ? 'lo' : String(i));
  const fam = (f: 4 | 6): boolean => opts.family === undefined || opts.family === f;
  const familyOf = (x: unknown): 4 | 6 => (x === 'inet6' || x === 10 ? 6 : 4);
  const routes = d.routes.filter((r) => fam(familyOf(r.family)));
  const addresses = d.addresses.filter((a) => fam(a.family));
  const neighbours = d.neighbours.filter((n) => fam(n.family));
  const rules = d.rules.filter((r) => fam(familyOf(r.family)));
  if (opts.json) {
    printJson({
      name: d.name, table: d.table, ifindex: d.ifindex, state: d.state,
      ports: d.ports.map((p) => ({ ifname: p.name, ifindex: p.ifindex, operstate: p.state, flags: p.flags, mtu: p.mtu, address: p.address })),
      addresses: addresses.map((a) => ({ dev: a.dev, family: a.family === 6 ? 'inet6' : 'inet', local: a.local, prefixlen: a.prefixlen, scope: a.scope })),
      routes: routes.map((r) => routeJson(r, dev)),
      neighbours: neighbours.map((n) => ({ dst: n.dst, dev: n.dev, ...(n.lladdr ? { lladdr: n.lladdr } : {}), state: n.state })),
      rules: rules.map((r) => ({ family: familyOf(r.family) === 6 ? 'inet6' : 'inet', priority: r.priority ?? 0, rule: formatRule(r).replace(/^\d+:\t/, '') })),
    }, opts);
    return 0;
  }
  writeLine(`vrf ${d.name} table ${d.table} ifindex ${d.ifindex} state ${d.state}`);
  const section = (title: string, lines: string[]): void => {
    writeLine(`${title}:${lines.length === 0 ? ' none' : ''}`);
    for (const l of lines) writeLine(`    ${l}`);
  };
  section('ports', columns(d.ports.map((p) => [p.name, p.state, p.address ?? '', `<${p.flags.join(',')}>`])));
  section('addresses', columns(addresses.map((a) => [a.dev, a.family === 6 ? 'inet6' : 'inet', `${a.local}/${a.prefixlen}`, `scope ${a.scope}`])));
  section('routes', routes.map((r) => formatRoute(r, dev)));
  section('neighbours', neighbours.map((n) => `${n.dst} dev ${n.dev}${n.lladdr ? ` lladdr ${n.lladdr}` : ''} ${n.state.join(',') || 'NONE'}`));
  section('rules', rules.map((r) => `${familyOf(r.family) === 6 ? '-6 ' : ''}${formatRule(r)}`));
  return 0;
}
