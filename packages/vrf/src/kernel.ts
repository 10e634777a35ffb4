// The rtnetlink requests the VRF operations send, built on @vrfctl/rtnetlink's typed codecs.
// Kept here (instead of the link/route/rule packages' plans) so that a VRF operation's wire
// traffic is easy to read in one place and to assert on in dry-run tests.
import { AF_INET, AF_INET6, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NetlinkError, type Message } from '@vrfctl/netlink';
import {
  IFF, RTEXT_FILTER, RTM, decodeAddress, decodeLink, decodeNeighbour, decodeRoute, decodeRule, encodeAddress,
  encodeLink, encodeRoute, encodeRule, withoutWire, type Address, type Link, type Neighbour, type Route, type Rule,
} from '@vrfctl/rtnetlink';
import { dump, request, type Plan, type Request } from '@vrfctl/socket';

export type IpFamily = 4 | 6;
const AF_PACKET = 17;
const ENODEV = 19;

/** The metric the kernel documentation gives the VRF's unreachable default route: lowest preference. */
export const VRF_DEFAULT_METRIC = 4278198272;

const afOf = (family: IpFamily): number => (family === 6 ? AF_INET6 : AF_INET);

function emptyLink(index = 0): Link {
  return { family: 0, type: 0, index, flags: [], change: 0, unknown: [] };
}

/** RTM_NEWLINK creating a VRF device: `ip link add NAME type vrf table ID`. */
export function createVrfLinkRequest(name: string, table: number): Request {
  const link: Link = { ...emptyLink(), ifname: name, linkinfo: { kind: 'vrf', data: { table, unknown: [] }, unknown: [] } };
  return { type: RTM.NEWLINK, flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, encode: (b) => encodeLink(b, link) };
}

/**
 * RTM_NEWLINK changing an existing link. By name when index is 0 (the kernel looks IFLA_IFNAME
 * up), so a dry run can describe changes to a device it has not really created.
 */
export function setLinkRequest(ref: { index: number; name?: string }, change: { up?: boolean; master?: number }): Request {
  const link = emptyLink(ref.index);
  if (ref.index === 0 && ref.name !== undefined) link.ifname = ref.name;
  if (change.up !== undefined) {
    link.flags = change.up ? ['UP'] : [];
    link.change = IFF.UP;
  }
  if (change.master !== undefined) link.master = change.master;
  return { type: RTM.NEWLINK, flags: NLM_F_ACK, encode: (b) => encodeLink(b, link) };
}

export function deleteLinkRequest(ref: { index: number; name?: string }): Request {
  const link = emptyLink(ref.index);
  if (ref.index === 0 && ref.name !== undefined) link.ifname = ref.name;
  return { type: RTM.DELLINK, flags: NLM_F_ACK, encode: (b) => encodeLink(b, link) };
}

const linkDumpRequest: Request = {
  type: RTM.GETLINK,
  flags: 0,
  encode: (b) => {
    encodeLink(b, { ...emptyLink(), family: AF_PACKET, extMask: RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS });
  },
};

/** Every link of the namespace. */
export function* dumpLinks(): Plan<Link[]> {
  const msgs = yield* dump(linkDumpRequest);
  return msgs.filter((m) => m.header.type === RTM.NEWLINK).map(decodeLink);
}

/** One link by name, or undefined when there is none (ENODEV). */
export function* getLinkByName(name: string): Plan<Link | undefined> {
  const link: Link = { ...emptyLink(), ifname: name, extMask: RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS };
  try {
    const msgs = yield* request({ type: RTM.GETLINK, flags: 0, encode: (b) => encodeLink(b, link) });
    const found = msgs.find((m) => m.header.type === RTM.NEWLINK);
    return found === undefined ? undefined : decodeLink(found);
  } catch (err) {
    if (err instanceof NetlinkError && err.errno === ENODEV) return undefined;
    throw err;
  }
}

/** The VRF table of a link, when it is a VRF device. */
export function vrfTableOf(link: Link): number | undefined {
  if (link.linkinfo?.kind !== 'vrf') return undefined;
  const data = link.linkinfo.data as { table?: number } | undefined;
  return data?.table;
}

/** `ip route add|del table T unreachable default metric 4278198272` for one family. */
export function unreachableDefaultRoute(family: IpFamily, table: number): Route {
  return {
    // Scope universe, as `ip route add` sends: the kernel refuses "nowhere" for unreachable.
    family: afOf(family), type: 'unreachable', table, protocol: 'boot', scope: 'global', tos: 0, flags: [],
    priority: VRF_DEFAULT_METRIC, unknown: [],
  };
}

export function addRouteRequest(route: Route): Request {
  return { type: RTM.NEWROUTE, flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, encode: (b) => encodeRoute(b, route) };
}

/** The identifying fields of a listed route: what a delete matches on, or an add in another table copies. */
export function routeKey(route: Route): Route {
  return {
    family: route.family, type: route.type, table: route.table, protocol: route.protocol, scope: route.scope, tos: route.tos,
    flags: [], dst: route.dst, src: route.src, priority: route.priority, oif: route.oif, gateway: route.gateway, via: route.via,
    multipath: route.multipath, unknown: [],
  };
}

/** RTM_DELROUTE for a route as listed. */
export function deleteRouteRequest(route: Route): Request {
  const r = routeKey(route);
  return { type: RTM.DELROUTE, flags: NLM_F_ACK, encode: (b) => encodeRoute(b, r) };
}

function routeDumpRequest(family: IpFamily): Request {
  const r: Route = { family: afOf(family), type: 0, table: 0, protocol: 0, scope: 0, tos: 0, flags: [], unknown: [] };
  return { type: RTM.GETROUTE, flags: 0, encode: (b) => encodeRoute(b, r) };
}

/** The routes of one family, in every table (cloned/cache entries left out). */
export function* dumpRoutes(family: IpFamily): Plan<Route[]> {
  const msgs = yield* dump(routeDumpRequest(family));
  return msgs
    .filter((m) => m.header.type === RTM.NEWROUTE)
    .map(decodeRoute)
    .filter((r) => !r.flags.includes('cloned'));
}

/** `ip addr add ADDR/LEN dev INDEX`; ip gives 127/8 host scope, the kernel derives IPv6 scopes. */
export function addAddressRequest(index: number, family: IpFamily, local: string, prefixlen: number, scope: 'host' | 'global'): Request {
  const a: Address = { family: afOf(family), prefixlen, flags: [], scope, index, local, address: local, unknown: [] };
  return { type: RTM.NEWADDR, flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, encode: (b) => encodeAddress(b, a) };
}

/** `ip addr del ADDR/LEN dev INDEX`. */
export function deleteAddressRequest(index: number, family: IpFamily, local: string, prefixlen: number): Request {
  const a: Address = { family: afOf(family), prefixlen, flags: [], scope: 0, index, local, address: local, unknown: [] };
  return { type: RTM.DELADDR, flags: NLM_F_ACK, encode: (b) => encodeAddress(b, a) };
}

const addressDumpRequest: Request = {
  type: RTM.GETADDR,
  flags: 0,
  encode: (b) => encodeAddress(b, { family: 0, prefixlen: 0, flags: [], scope: 0, index: 0, unknown: [] }),
};

export function* dumpAddresses(): Plan<Address[]> {
  const msgs = yield* dump(addressDumpRequest);
  return msgs.filter((m) => m.header.type === RTM.NEWADDR).map(decodeAddress);
}

const neighbourDumpRequest: Request = {
  type: RTM.GETNEIGH,
  flags: 0,
  encode: (b) => {
    // struct ndmsg, family unspec: both IPv4 (ARP) and IPv6 (ND) entries.
    b.reserve(12);
  },
};

export function* dumpNeighbours(): Plan<Neighbour[]> {
  const msgs = yield* dump(neighbourDumpRequest);
  return msgs.filter((m: Message) => m.header.type === RTM.NEWNEIGH).map(decodeNeighbour);
}

function ruleDumpRequest(family: IpFamily): Request {
  return {
    type: RTM.GETRULE,
    flags: 0,
    encode: (b) => {
      const at = b.reserve(12);
      b.raw[at] = afOf(family);
    },
  };
}

export function* dumpRules(family: IpFamily): Plan<Rule[]> {
  const msgs = yield* dump(ruleDumpRequest(family));
  return msgs.filter((m) => m.header.type === RTM.NEWRULE && m.payload[0] === afOf(family)).map(decodeRule);
}

/** `ip rule add|del` of a rule model (as decoded, or built by the caller). */
export function ruleRequest(rule: Rule, change: 'add' | 'del'): Request {
  const r: Rule = withoutWire(rule);
  return change === 'add'
    ? { type: RTM.NEWRULE, flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, encode: (b) => encodeRule(b, r) }
    : { type: RTM.DELRULE, flags: NLM_F_ACK, encode: (b) => encodeRule(b, r) };
}
