// One monitor event as text (`ip monitor` style, "[ROUTE] …") or as a JSON object, with VRF
// names resolved: a VRF's table prints as the VRF's name, a port's master as the VRF's name.
import { AF_INET6, type Message } from '@vrfctl/netlink';
import {
  RTM, decodeAddress, decodeLink, decodeNeighbour, decodeRoute, decodeRule, familyNames, decodeNexthop, type Address, type Link, type Neighbour, type Route, type Nexthop,
} from '@vrfctl/rtnetlink';
import { formatNexthop, nexthopFamily, nexthopToJson } from '@vrfctl/nexthop';
import { formatRoute, routeToJson, vrfTableOf } from '@vrfctl/route';
import { formatRule, ruleToJson, type Rule } from '@vrfctl/rule';
import { formatLink, linkToJson } from '@vrfctl/link';
import { addressToJson, formatAddress } from '@vrfctl/link';
import { formatNeighbour, neighbourToJson } from '@vrfctl/link';

export type MonitorObject = 'link' | 'addr' | 'route' | 'rule' | 'neigh' | 'nexthop';

/**
 * What one line says: a change the kernel announced, or (after lost events) what a fresh dump
 * found new or changed ('resync') or gone ('resync-deleted') since the monitor last knew.
 */
export type EventAction = 'new' | 'deleted' | 'resync' | 'resync-deleted';

export type Decoded =
  | { object: 'link'; value: Link }
  | { object: 'addr'; value: Address }
  | { object: 'route'; value: Route }
  | { object: 'rule'; value: Rule }
  | { object: 'neigh'; value: Neighbour }
  | { object: 'nexthop'; value: Nexthop };

const TAG: Record<MonitorObject, string> = { link: 'LINK', addr: 'ADDR', route: 'ROUTE', rule: 'RULE', neigh: 'NEIGH', nexthop: 'NEXTHOP' };

/** Links by ifindex and VRF tables by id, kept current from link events. */
export class LinkDirectory {
  readonly links = new Map<number, Link>();
  readonly vrfByTable = new Map<number, string>();

  set(link: Link): void {
    this.links.set(link.index, link);
    this.rebuildVrfs();
  }
  delete(index: number): void {
    this.links.delete(index);
    this.rebuildVrfs();
  }
  reset(links: readonly Link[]): void {
    this.links.clear();
    for (const l of links) this.links.set(l.index, l);
    this.rebuildVrfs();
  }
  private rebuildVrfs(): void {
    this.vrfByTable.clear();
    for (const l of this.links.values()) {
      const table = vrfTableOf(l);
      if (table !== undefined && l.ifname !== undefined) this.vrfByTable.set(table, l.ifname);
    }
  }
  name(index: number): string | undefined {
    return this.links.get(index)?.ifname;
  }
  names(): Map<number, string> {
    return new Map([...this.links].map(([i, l]) => [i, l.ifname ?? `if${i}`]));
  }
}

/** The object in a notification, or undefined for messages the monitor does not show. */
export function decodeEvent(msg: Message): { decoded: Decoded; deleted: boolean } | undefined {
  const t = msg.header.type;
  switch (t) {
    case RTM.NEWLINK: case RTM.DELLINK:
      return { decoded: { object: 'link', value: decodeLink(msg) }, deleted: t === RTM.DELLINK };
    case RTM.NEWADDR: case RTM.DELADDR:
      return { decoded: { object: 'addr', value: decodeAddress(msg) }, deleted: t === RTM.DELADDR };
    case RTM.NEWROUTE: case RTM.DELROUTE: {
      const r = decodeRoute(msg);
      if (r.flags.includes('cloned')) return undefined;
      return { decoded: { object: 'route', value: r }, deleted: t === RTM.DELROUTE };
    }
    case RTM.NEWRULE: case RTM.DELRULE:
      return { decoded: { object: 'rule', value: decodeRule(msg) }, deleted: t === RTM.DELRULE };
    case RTM.NEWNEXTHOP: case RTM.DELNEXTHOP:
      return { decoded: { object: 'nexthop', value: decodeNexthop(msg) }, deleted: t === RTM.DELNEXTHOP };
    case RTM.NEWNEIGH: case RTM.DELNEIGH: {
      const n = decodeNeighbour(msg);
      // Bridge forwarding entries (no destination address) are `bridge monitor`'s business.
      if (n.dst === undefined) return undefined;
      return { decoded: { object: 'neigh', value: n }, deleted: t === RTM.DELNEIGH };
    }
  }
  return undefined;
}

/** The family of an event for -4/-6 (undefined: not family-specific, e.g. links). */
export function familyOf(d: Decoded): 4 | 6 | undefined {
  switch (d.object) {
    case 'link': return undefined;
    case 'rule': return familyNames.value(d.value.family) === AF_INET6 ? 6 : 4;
    case 'route': return d.value.family === AF_INET6 || d.value.family === 'inet6' ? 6 : 4;
    case 'addr': return d.value.family === 'inet6' ? 6 : 4;
    case 'neigh': return d.value.family === 'inet6' ? 6 : d.value.family === 'inet' ? 4 : undefined;
    case 'nexthop': return nexthopFamily(d.value);
  }
}

function routeTableName(r: Route, dir: LinkDirectory): string | undefined {
  return dir.vrfByTable.get(r.table);
}

function routeText(r: Route, dir: LinkDirectory): string {
  const text = formatRoute(r, { names: dir.names() }).trimEnd();
  const vrf = routeTableName(r, dir);
  // iproute2 prints the table of any route outside main: show the VRF's name in its place.
  return vrf === undefined ? text : text.replace(/ table \S+/, ` table ${vrf}`);
}

function ruleText(r: Rule, dir: LinkDirectory): string {
  const text = formatRule(r);
  const vrf = r.table ? dir.vrfByTable.get(r.table) : undefined;
  return vrf === undefined ? text : text.replace(/ lookup \S+/, ` lookup ${vrf}`);
}

/** The text of one event: "[ROUTE] …", "[ROUTE] Deleted …", "[RESYNC] [ROUTE] …", "[RESYNC] [ROUTE] Deleted …". */
export function eventText(d: Decoded, action: EventAction, dir: LinkDirectory): string {
  const resync = action === 'resync' || action === 'resync-deleted';
  const deleted = action === 'deleted' || action === 'resync-deleted';
  const prefix = `${resync ? '[RESYNC] ' : ''}[${TAG[d.object]}] ${deleted ? 'Deleted ' : ''}`;
  switch (d.object) {
    case 'link': {
      const lines = formatLink(d.value, (i) => dir.links.get(i), { linkCommand: true, linkLayer: true });
      return prefix + lines.join('\n');
    }
    case 'addr': {
      const a = d.value;
      const lines = formatAddress(a);
      lines[0] = `${a.index}: ${dir.name(a.index) ?? `if${a.index}`}${lines[0]}`;
      return prefix + lines.join('\n');
    }
    case 'route':
      return prefix + routeText(d.value, dir);
    case 'rule':
      return prefix + ruleText(d.value, dir);
    case 'neigh':
      return prefix + formatNeighbour(d.value, dir.name(d.value.index)).trimEnd();
    case 'nexthop':
      return prefix + formatNexthop(d.value, { names: dir.names() }).trimEnd();
  }
}

/** The JSON of one event: {"object":"route","action":"new",…the ip -j fields}. */
export function eventJson(d: Decoded, action: EventAction, dir: LinkDirectory): Record<string, unknown> {
  const head = { object: d.object, action };
  switch (d.object) {
    case 'link':
      return { ...head, ...linkToJson(d.value, (i) => dir.links.get(i), { linkCommand: true, linkLayer: true }) };
    case 'addr':
      return { ...head, ifindex: d.value.index, ifname: dir.name(d.value.index), ...addressToJson(d.value) };
    case 'route': {
      const j: Record<string, unknown> = { ...head, ...routeToJson(d.value, { names: dir.names() }) };
      const vrf = routeTableName(d.value, dir);
      if (vrf !== undefined) j.table = vrf;
      return j;
    }
    case 'rule': {
      const j: Record<string, unknown> = { ...head, ...ruleToJson(d.value) };
      const vrf = d.value.table ? dir.vrfByTable.get(d.value.table) : undefined;
      if (vrf !== undefined) j.table = vrf;
      return j;
    }
    case 'neigh':
      return { ...head, ...neighbourToJson(d.value, dir.name(d.value.index)) };
    case 'nexthop':
      return { ...head, ...nexthopToJson(d.value, { names: dir.names() }) };
  }
}
