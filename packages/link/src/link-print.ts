// Links as `ip link` and the link part of `ip addr` print them: JSON with iproute2's keys in
// its order, and the same two-line text.
import { formatGroup } from '@vrfctl/iproute2';
import { IFF, iffNames, type EnumValue, type Link } from '@vrfctl/rtnetlink';
import { formatLinkStats, linkStatsToJson } from './link-stats-print.js';

/** Links referred to by index (lower device, master), to print their names. */
export type LinkLookup = (index: number) => Link | undefined;

/** iproute2's print order of the IFF_* names. */
const FLAG_ORDER: Array<[string, number]> = [
  ['LOOPBACK', IFF.LOOPBACK], ['BROADCAST', IFF.BROADCAST], ['POINTOPOINT', IFF.POINTOPOINT],
  ['MULTICAST', IFF.MULTICAST], ['NOARP', IFF.NOARP], ['ALLMULTI', IFF.ALLMULTI], ['PROMISC', IFF.PROMISC],
  ['MASTER', IFF.MASTER], ['SLAVE', IFF.SLAVE], ['DEBUG', IFF.DEBUG], ['DYNAMIC', IFF.DYNAMIC],
  ['AUTOMEDIA', IFF.AUTOMEDIA], ['PORTSEL', IFF.PORTSEL], ['NOTRAILERS', IFF.NOTRAILERS], ['UP', IFF.UP],
  ['LOWER_UP', IFF.LOWER_UP], ['DORMANT', IFF.DORMANT], ['ECHO', IFF.ECHO],
];

/** "M-DOWN" is shown when the lower device (same netns) is down. */
function lowerDown(link: Link, lookup: LinkLookup): boolean {
  if (!link.link || link.linkNetnsid !== undefined) return false;
  const lower = lookup(link.link);
  return !lower || !lower.flags.includes('UP');
}

export function linkFlagNames(link: Link, lookup: LinkLookup): string[] {
  let flags = iffNames.value(link.flags);
  const out: string[] = [];
  if (flags & IFF.UP && !(flags & IFF.RUNNING)) out.push('NO-CARRIER');
  flags &= ~IFF.RUNNING;
  for (const [name, bit] of FLAG_ORDER) {
    if (flags & bit) {
      out.push(name);
      flags &= ~bit;
    }
  }
  if (flags) out.push(flags.toString(16));
  if (lowerDown(link, lookup)) out.push('M-DOWN');
  return out;
}

function linkTypeName(type: EnumValue): string {
  return typeof type === 'string' ? type : `[${type}]`;
}

function linkName(link: Link): string {
  return link.ifname ?? `if${link.index}`;
}

export interface LinkPrintOptions {
  /** `ip link` (true) or the link part of `ip addr` (false: no mode, no alias). */
  linkCommand: boolean;
  /** With a family filter (-4/-6), `ip addr` leaves out the link-layer line. */
  linkLayer: boolean;
  /** The fields of an AF_INET6 link dump only (`ip -6 addr show`): no qdisc, master, group. */
  ipv6View?: boolean;
  /** `ip -s link`: the counters after the alias (ip addr prints them after the addresses); 2 for `-s -s`. */
  stats?: boolean | number;
}

/** The link's JSON object, keys in iproute2's order. */
export function linkToJson(link: Link, lookup: LinkLookup, opts: LinkPrintOptions): Record<string, unknown> {
  const j: Record<string, unknown> = { ifindex: link.index };
  if (link.link !== undefined) {
    if (link.link === 0) j.link = null;
    else if (link.linkNetnsid !== undefined) j.link_index = link.link;
    else j.link = lookup(link.link)?.ifname ?? `if${link.link}`;
  }
  j.ifname = linkName(link);
  j.flags = linkFlagNames(link, lookup);
  if (link.mtu !== undefined) j.mtu = link.mtu;
  const full = !opts.ipv6View;
  if (full && link.qdisc !== undefined) j.qdisc = link.qdisc;
  if (full && link.master) j.master = lookup(link.master)?.ifname ?? `if${link.master}`;
  if (link.operstate !== undefined) j.operstate = String(link.operstate);
  if (opts.linkCommand && link.linkmode !== undefined) j.linkmode = String(link.linkmode);
  if (full && link.group !== undefined) j.group = formatGroup(link.group);
  if (link.txqlen !== undefined) j.txqlen = link.txqlen;
  if (opts.linkLayer) {
    j.link_type = linkTypeName(link.type);
    if (link.address !== undefined) j.address = link.address;
    if (link.broadcast !== undefined) {
      if (link.flags.includes('POINTOPOINT')) j.link_pointtopoint = true;
      j.broadcast = link.broadcast;
    }
    if (link.permAddress !== undefined && link.permAddress !== link.address) j.permaddr = link.permAddress;
    if (link.linkNetnsid !== undefined) j.link_netnsid = link.linkNetnsid;
  }
  if (opts.linkCommand && link.ifalias !== undefined) j.ifalias = link.ifalias;
  const stats = opts.stats ? linkStatsToJson(link, Number(opts.stats)) : undefined;
  if (stats) j.stats64 = stats;
  if (link.altNames?.length) j.altnames = [...link.altNames];
  return j;
}

/** The text lines `ip link` prints for one link (without a trailing newline). */
export function formatLink(link: Link, lookup: LinkLookup, opts: LinkPrintOptions): string[] {
  let head = `${link.index}: ${linkName(link)}`;
  if (link.link !== undefined) {
    if (link.link === 0) head += '@NONE';
    else if (link.linkNetnsid !== undefined) head += `@if${link.link}`;
    else head += `@${lookup(link.link)?.ifname ?? `if${link.link}`}`;
  }
  head += `: <${linkFlagNames(link, lookup).join(',')}> `;
  if (link.mtu !== undefined) head += `mtu ${link.mtu} `;
  const full = !opts.ipv6View;
  if (full && link.qdisc !== undefined) head += `qdisc ${link.qdisc} `;
  if (full && link.master) head += `master ${lookup(link.master)?.ifname ?? `if${link.master}`} `;
  if (link.operstate !== undefined) head += `state ${link.operstate} `;
  if (opts.linkCommand && link.linkmode !== undefined) head += `mode ${link.linkmode} `;
  if (full && link.group !== undefined) head += `group ${formatGroup(link.group)} `;
  if (link.txqlen !== undefined) head += `qlen ${link.txqlen}`;
  const lines = [head];
  if (opts.linkLayer) {
    let l2 = `    link/${linkTypeName(link.type)} `;
    if (link.address !== undefined) l2 += link.address;
    if (link.broadcast !== undefined) l2 += `${link.flags.includes('POINTOPOINT') ? ' peer ' : ' brd '}${link.broadcast}`;
    if (link.permAddress !== undefined && link.permAddress !== link.address) l2 += ` permaddr ${link.permAddress}`;
    if (link.linkNetnsid !== undefined) l2 += ` link-netnsid ${link.linkNetnsid}`;
    lines.push(l2);
  }
  if (opts.linkCommand && link.ifalias !== undefined) lines.push(`    alias ${link.ifalias}`);
  if (opts.stats) lines.push(...formatLinkStats(link, Number(opts.stats)));
  for (const alt of link.altNames ?? []) lines.push(`    altname ${alt}`);
  return lines;
}
