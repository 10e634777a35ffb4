// Name -> ifindex resolution as iproute2 does it (ll_link_get): RTM_GETLINK with IFLA_IFNAME,
// or IFLA_ALT_IFNAME for names longer than IFNAMSIZ-1, under strict checking. One LinkNames
// lives for one plan run, so a name used twice in an operation costs one round trip.
import type { Message } from '@vrfctl/netlink';
import { request, type Plan, type Request } from '@vrfctl/socket';
import { RTM, decodeLink, type Link } from '@vrfctl/rtnetlink';
import { DeviceNotFoundError, LOOKUP_EXT_MASK, isNoSuchLink, writeLinkLookup } from '@vrfctl/iproute2';
import type { LinkRef } from './link.js';

/** RTM_GETLINK for one link, by name or index (iproute2's lookup: VF info and stats skipped). */
export function getLinkRequest(ref: LinkRef, extMask = LOOKUP_EXT_MASK): Request {
  return { type: RTM.GETLINK, flags: 0, encode: (b) => writeLinkLookup(b, ref, extMask) };
}

function firstLink(msgs: Message[]): Link | undefined {
  const m = msgs.find((x) => x.header.type === RTM.NEWLINK);
  return m ? decodeLink(m) : undefined;
}

export class LinkNames {
  private readonly byName = new Map<string, number>();
  private readonly byIndex = new Map<number, string>();

  /** Records a link seen in a dump or reply, so later lookups need no request. */
  remember(link: Link): void {
    if (link.ifname === undefined) return;
    this.byName.set(link.ifname, link.index);
    for (const alt of link.altNames ?? []) this.byName.set(alt, link.index);
    this.byIndex.set(link.index, link.ifname);
  }

  /** Forgets a name (after a rename or delete within the same run). */
  forget(name: string): void {
    const index = this.byName.get(name);
    this.byName.delete(name);
    if (index !== undefined) this.byIndex.delete(index);
  }

  /** The ifindex of a name already looked up (or remembered), without asking the kernel; undefined otherwise. */
  known(name: string): number | undefined {
    return this.byName.get(name);
  }

  /** The ifindex of a link; DeviceNotFoundError when there is none. Numbers are taken as ifindexes. */
  *index(ref: LinkRef): Plan<number> {
    if (typeof ref === 'number') return ref;
    const cached = this.byName.get(ref);
    if (cached !== undefined) return cached;
    const link = yield* this.lookup(ref);
    if (link) return link.index;
    // iproute2 (ll_name_to_index) also takes "ifN" for ifindex N.
    const m = /^if(\d+)$/.exec(ref);
    if (m) return Number(m[1]);
    throw new DeviceNotFoundError(ref);
  }

  /** The name of an ifindex, or undefined when no such link exists here. */
  *name(index: number): Plan<string | undefined> {
    const cached = this.byIndex.get(index);
    if (cached !== undefined) return cached;
    return (yield* this.lookup(index))?.ifname;
  }

  /** The link, or undefined when it does not exist (ENODEV). */
  *lookup(ref: LinkRef): Plan<Link | undefined> {
    if (typeof ref === 'string' && (ref.length === 0 || ref.includes('\0'))) return undefined;
    let msgs: Message[];
    try {
      msgs = yield* request(getLinkRequest(ref));
    } catch (err) {
      if (isNoSuchLink(err)) return undefined;
      throw err;
    }
    const link = firstLink(msgs);
    if (link) this.remember(link);
    return link;
  }
}
