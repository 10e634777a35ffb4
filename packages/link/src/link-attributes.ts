// The link properties `ip link add` and `ip link set` share. They are written in the order of
// the object's keys: the CLI builds the object in command-line order, which is the order
// iproute2 puts the attributes on the wire, so the bytes match `ip` exactly.
import { parseMac, type MessageBuilder } from '@vrfctl/netlink';
import { IFF, IFLA } from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { closeNetnsFd, openNetnsFd, type Plan } from '@vrfctl/socket';
import type { LinkRef } from './link.js';

/**
 * Another network namespace for a link: a name under /run/netns or an absolute path (opened for
 * the request and sent as IFLA_NET_NS_FD, as ip does), an fd you own (IFLA_NET_NS_FD), a process
 * whose netns is meant (IFLA_NET_NS_PID), or a netns id of this netns (IFLA_TARGET_NETNSID).
 */
export type NetnsRef = string | { fd: number } | { pid: number } | { nsid: number };

export interface LinkAttributes {
  mtu?: number;
  txqlen?: number;
  /** Link-layer address "aa:bb:cc:dd:ee:ff". */
  address?: string;
  broadcast?: string;
  /** IFLA_IFALIAS; "" clears it. */
  alias?: string;
  /** The master to enslave to; null releases the link (nomaster). */
  master?: LinkRef | null;
  group?: number;
  /** IFF_UP on or off. */
  up?: boolean;
  /** false sets IFF_NOARP ("arp off"). */
  arp?: boolean;
  multicast?: boolean;
  allmulticast?: boolean;
  promisc?: boolean;
  /** Create the link in, or move it into, this network namespace (`netns NS`). */
  netns?: NetnsRef;
}

/** Header flags and change mask for the boolean properties, as iproute2 accumulates them. */
export function linkFlagChanges(a: LinkAttributes): { flags: number; change: number } {
  let flags = 0;
  let change = 0;
  const set = (bit: number, on: boolean) => {
    change |= bit;
    if (on) flags |= bit;
    else flags &= ~bit;
  };
  for (const key of Object.keys(a) as Array<keyof LinkAttributes>) {
    const v = a[key];
    if (typeof v !== 'boolean') continue;
    switch (key) {
      case 'up': set(IFF.UP, v); break;
      case 'arp': set(IFF.NOARP, !v); break;
      case 'multicast': set(IFF.MULTICAST, v); break;
      case 'allmulticast': set(IFF.ALLMULTI, v); break;
      case 'promisc': set(IFF.PROMISC, v); break;
    }
  }
  return { flags: flags >>> 0, change: change >>> 0 };
}

export function macBytes(text: string, what: string): Uint8Array {
  const b = parseMac(text);
  if (!b || text.length === 0) throw new ArgumentError(`invalid ${what} "${text}": not a link-layer address`);
  return b;
}

/** Checks values before anything is sent, so a bad one fails the whole operation up front. */
export function validateLinkAttributes(a: LinkAttributes): void {
  if (a.address !== undefined) macBytes(a.address, 'address');
  if (a.broadcast !== undefined) macBytes(a.broadcast, 'broadcast');
  for (const k of ['mtu', 'txqlen', 'group'] as const) {
    const v = a[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) throw new ArgumentError(`invalid ${k} ${v}`);
  }
  const ns = a.netns;
  if (ns !== undefined && typeof ns !== 'string') {
    const [what, v] = 'fd' in ns ? ['netns fd', ns.fd] : 'pid' in ns ? ['netns pid', ns.pid] : ['netnsid', ns.nsid];
    if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new ArgumentError(`invalid ${what} ${v}`);
  }
}

/**
 * Runs body with an fd open for each netns given by name or path in attrs (closed after), so
 * that writeLinkAttributes can send it as IFLA_NET_NS_FD. A missing netns fails before sending.
 */
export function* withNetnsFds<T>(attrs: ReadonlyArray<LinkAttributes | undefined>, body: (fds: Map<LinkAttributes, number>) => Plan<T>): Plan<T> {
  const fds = new Map<LinkAttributes, number>();
  try {
    for (const a of attrs) if (a && typeof a.netns === 'string') fds.set(a, openNetnsFd(a.netns));
    return yield* body(fds);
  } finally {
    for (const fd of fds.values()) closeNetnsFd(fd);
  }
}

function writeNetns(b: MessageBuilder, ns: NetnsRef, openedFd: number | undefined): void {
  if (typeof ns === 'string') {
    if (openedFd === undefined) throw new Error(`netns "${ns}" was not opened (run the request through withNetnsFds)`);
    b.u32(IFLA.NET_NS_FD, openedFd);
  } else if ('fd' in ns) b.u32(IFLA.NET_NS_FD, ns.fd);
  else if ('pid' in ns) b.u32(IFLA.NET_NS_PID, ns.pid);
  else b.u32(IFLA.TARGET_NETNSID, ns.nsid);
}

/**
 * Writes the attribute-valued properties in key order; masterIndex is the resolved master
 * (0 = none), netnsFd the fd withNetnsFds opened for a netns given by name.
 */
export function writeLinkAttributes(b: MessageBuilder, a: LinkAttributes, masterIndex?: number, netnsFd?: number): void {
  for (const key of Object.keys(a) as Array<keyof LinkAttributes>) {
    if (a[key] === undefined) continue;
    switch (key) {
      case 'mtu': b.u32(IFLA.MTU, a.mtu!); break;
      case 'txqlen': b.u32(IFLA.TXQLEN, a.txqlen!); break;
      case 'address': b.binary(IFLA.ADDRESS, macBytes(a.address!, 'address')); break;
      case 'broadcast': b.binary(IFLA.BROADCAST, macBytes(a.broadcast!, 'broadcast')); break;
      // iproute2 sends the alias without a NUL (the kernel takes the attribute length).
      case 'alias': b.binary(IFLA.IFALIAS, Buffer.from(a.alias!)); break;
      case 'master': b.u32(IFLA.MASTER, masterIndex ?? 0); break;
      case 'group': b.u32(IFLA.GROUP, a.group!); break;
      case 'netns': writeNetns(b, a.netns!, netnsFd); break;
    }
  }
}
