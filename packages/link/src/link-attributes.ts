// The link properties `ip link add` and `ip link set` share. They are written in the order of
// the object's keys: the CLI builds the object in command-line order, which is the order
// iproute2 puts the attributes on the wire, so the bytes match `ip` exactly.
import { parseMac, type MessageBuilder } from '@vrfctl/netlink';
import { IFF, IFLA } from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';
import type { LinkRef } from './link.js';
import { validateNetns, writeNetns, type NetnsRef, type ResolvedNetns } from './link-netns.js';

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
  /**
   * The network namespace the link is created in or moved to (`netns NS`): a name under
   * /run/netns, a path, `{ fd }`, `{ pid }`, or (for a new link only) `{ nsid }`.
   */
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
export function validateLinkAttributes(a: LinkAttributes, opts: { nsidAllowed?: boolean } = {}): void {
  if (a.netns !== undefined) validateNetns(a.netns, { nsidAllowed: opts.nsidAllowed ?? false });
  if (a.address !== undefined) macBytes(a.address, 'address');
  if (a.broadcast !== undefined) macBytes(a.broadcast, 'broadcast');
  for (const k of ['mtu', 'txqlen', 'group'] as const) {
    const v = a[k];
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) throw new ArgumentError(`invalid ${k} ${v}`);
  }
}

/**
 * Writes the attribute-valued properties in key order; masterIndex is the resolved master (0 =
 * none), netns the opened namespace (see link-netns.ts).
 */
/**
 * The index to write for a link named in a request: the resolved one, the index given as such,
 * 0 for none (null: nomaster). A name nobody looked up throws; writing 0 would silently mean
 * "no master" or "no lower link".
 */
export function resolvedIndex(ref: LinkRef | null, index: number | undefined, what: string): number {
  if (ref === null) return 0;
  if (index !== undefined) return index;
  if (typeof ref === 'number') return ref;
  throw new ArgumentError(`${what} "${ref}" not resolved (look names up first, as createLink and setLink do)`);
}

export function writeLinkAttributes(b: MessageBuilder, a: LinkAttributes, masterIndex?: number, netns?: ResolvedNetns): void {
  for (const key of Object.keys(a) as Array<keyof LinkAttributes>) {
    if (a[key] === undefined) continue;
    switch (key) {
      case 'mtu': b.u32(IFLA.MTU, a.mtu!); break;
      case 'txqlen': b.u32(IFLA.TXQLEN, a.txqlen!); break;
      case 'address': b.binary(IFLA.ADDRESS, macBytes(a.address!, 'address')); break;
      case 'broadcast': b.binary(IFLA.BROADCAST, macBytes(a.broadcast!, 'broadcast')); break;
      // iproute2 sends the alias without a NUL (the kernel takes the attribute length).
      case 'alias': b.binary(IFLA.IFALIAS, Buffer.from(a.alias!)); break;
      case 'master': b.u32(IFLA.MASTER, resolvedIndex(a.master!, masterIndex, 'master')); break;
      case 'group': b.u32(IFLA.GROUP, a.group!); break;
      case 'netns':
        // Never drop it: a link created in the wrong namespace is worse than an error.
        if (!netns) throw new Error('link attributes: netns given but not opened (openNetns) before encoding');
        writeNetns(b, netns);
        break;
    }
  }
}
