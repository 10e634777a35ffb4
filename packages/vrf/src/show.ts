// showVrf: one VRF with what `ip link|addr|route|neigh show vrf NAME` and `ip rule` would
// print about it, gathered in one pass of dumps.
import { Errno } from '@vrfctl/netlink';
import { listAddresses, listLinks, listNeighbours } from '@vrfctl/link';
import type { Address, Neighbour, Route, Rule } from '@vrfctl/rtnetlink';
import type { Plan } from '@vrfctl/socket';
import { allRoutes, type IpFamily } from './routes.js';
import { dumpRules } from './rules.js';
import { vrfsOf, type Vrf, type VrfPort } from './list.js';
import { VrfError } from './names.js';
import { checkVrfName } from './validate.js';

export interface VrfAddress {
  dev: string;
  ifindex: number;
  family: IpFamily;
  local: string;
  prefixlen: number;
  scope: string;
}

export interface VrfNeighbour {
  dev: string;
  ifindex: number;
  family: IpFamily;
  dst: string;
  lladdr?: string;
  /** NUD state names as ip prints them: REACHABLE, STALE, PERMANENT… */
  state: string[];
}

export interface VrfPortDetails extends VrfPort {
  /** IFF_* names as `ip link` prints them. */
  flags: string[];
  mtu?: number;
  /** MAC address. */
  address?: string;
}

export interface VrfDetails extends Vrf {
  ports: VrfPortDetails[];
  /** Addresses of the ports (what `ip addr show vrf NAME` lists), then of the VRF device itself. */
  addresses: VrfAddress[];
  /** Routes of the VRF table without local and broadcast entries (as `ip route show vrf NAME`). */
  routes: Route[];
  /** Neighbour entries of the ports (NDA_MASTER = the VRF), NOARP ones left out as `ip neigh` does. */
  neighbours: VrfNeighbour[];
  /** Rules that look up the VRF table or use l3mdev. */
  rules: Rule[];
}

const familyOf = (f: unknown): IpFamily => (f === 'inet6' || f === 10 ? 6 : 4);
const HIDDEN_TYPES = new Set(['local', 'broadcast']);

/** Routes `ip route show vrf NAME` prints: the table's, without local and broadcast entries. */
export function vrfRoutes(routes: readonly Route[], table: number): Route[] {
  return routes.filter((r) => r.table === table && !HIDDEN_TYPES.has(String(r.type)));
}

export function* showVrf(name: string): Plan<VrfDetails> {
  checkVrfName(name);
  const links = yield* listLinks();
  const vrf = vrfsOf(links).find((v) => v.name === name);
  if (!vrf) throw new VrfError(`VRF "${name}" does not exist`, Errno.ENODEV);
  const portIndexes = new Set(vrf.ports.map((p) => p.ifindex));
  const nameOf = new Map(links.map((l) => [l.index, l.ifname ?? String(l.index)]));

  const addresses = (yield* listAddresses())
    .filter((a: Address) => portIndexes.has(a.index) || a.index === vrf.ifindex)
    .map((a): VrfAddress => ({
      dev: nameOf.get(a.index) ?? String(a.index), ifindex: a.index, family: familyOf(a.family), local: a.local ?? a.address ?? '',
      prefixlen: a.prefixlen, scope: String(a.scope),
    }))
    // Ports first in ifindex order (as ip lists them), the VRF device's own addresses last.
    .sort((x, y) => Number(x.ifindex === vrf.ifindex) - Number(y.ifindex === vrf.ifindex) || x.ifindex - y.ifindex);

  const routes: Route[] = [];
  for (const family of [4, 6] as const) routes.push(...vrfRoutes(yield* allRoutes(family), vrf.table));

  const neighbours = (yield* listNeighbours())
    .filter((n: Neighbour) => portIndexes.has(n.index) && n.dst !== undefined && !n.state.includes('NOARP'))
    .map((n): VrfNeighbour => ({
      dev: nameOf.get(n.index) ?? String(n.index), ifindex: n.index, family: familyOf(n.family), dst: n.dst ?? '',
      ...(n.lladdr !== undefined ? { lladdr: n.lladdr } : {}), state: n.state,
    }));

  const rules: Rule[] = [];
  for (const family of [4, 6] as const) {
    rules.push(...(yield* dumpRules(family)).filter((r) => r.table === vrf.table || Boolean(r.l3mdev)));
  }
  return {
    ...vrf,
    ports: vrf.ports.map((p) => {
      const l = links.find((x) => x.index === p.ifindex);
      return { ...p, flags: l?.flags ?? [], ...(l?.mtu !== undefined ? { mtu: l.mtu } : {}), ...(l?.address ? { address: l.address } : {}) };
    }),
    addresses, routes, neighbours, rules,
  };
}
