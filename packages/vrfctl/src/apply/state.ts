// What the kernel has now, read once before planning: links, routes and rules of both
// families (every table), nexthop objects, addresses, and the sysctls the file names.
import { NetlinkError } from '@vrfctl/netlink';
import { routeProtocolNames, type Address, type EnumValue, type Link, type Nexthop, type Route, type Rule } from '@vrfctl/rtnetlink';
import { listNexthops } from '@vrfctl/nexthop';
import { listRules } from '@vrfctl/rule';
import type { Plan } from '@vrfctl/socket';
import { listAddresses, listLinks } from '@vrfctl/link';
import { vrfTableOf } from '@vrfctl/route';
import { allRoutes, dumpRules, readSysctl } from '@vrfctl/vrf';
import type { Desired } from './schema.js';

/** The protocol number of routes and rules made by apply (RTPROT_*; free in rt_protos and the kernel's list). */
export const VRFCTL_PROTOCOL = 240;
/** IFLA_IFALIAS of VRFs made by apply: what --prune looks for before deleting a VRF. */
export const VRF_MARKER = 'managed by vrfctl apply';

export interface Current {
  links: Link[];
  routes: Route[];
  rules: Rule[];
  /** Every nexthop object and group (all protocols: apply must know the ids it may not take). */
  nexthops: Nexthop[];
  /** The same rules as @vrfctl/rule lists them, which the rule fixup plans from. */
  ruleModels: { 4: Rule[]; 6: Rule[] };
  /** Addresses of every link (a VRF's loopback addresses are checked). */
  addresses: Address[];
  /** Current value per sysctl key of the file; undefined when the kernel does not have it (yet). */
  sysctls: Map<string, number | undefined>;
}

export function* readCurrent(desired: Desired, netns: string | undefined): Plan<Current> {
  const links = yield* listLinks();
  const routes = [...(yield* allRoutes(4)), ...(yield* allRoutes(6))];
  const rules = [...(yield* dumpRules(4)), ...(yield* dumpRules(6))];
  let nexthops: Nexthop[] = [];
  try {
    nexthops = yield* listNexthops();
  } catch (err) {
    // A kernel without nexthop objects (before 5.3): fine as long as the file asks for none.
    if (!(err instanceof NetlinkError) || desired.nexthops.length > 0) throw err;
  }
  const ruleModels = { 4: yield* listRules(4), 6: yield* listRules(6) };
  const addresses = yield* listAddresses();
  const sysctls = new Map<string, number | undefined>();
  for (const s of desired.sysctls) sysctls.set(s.key, readSysctl(s.key, { netns }));
  return { links, routes, rules, nexthops, ruleModels, addresses, sysctls };
}

export function linkName(l: Link): string {
  return l.ifname ?? `if${l.index}`;
}

export function isVrf(l: Link): boolean {
  return vrfTableOf(l) !== undefined;
}

export function familyOf(v: unknown): 4 | 6 {
  return v === 'inet6' || v === 10 ? 6 : 4;
}

export function protocolNumber(p: EnumValue | undefined): number {
  if (p === undefined) return 0;
  try {
    return routeProtocolNames.value(p);
  } catch {
    return -1;
  }
}
