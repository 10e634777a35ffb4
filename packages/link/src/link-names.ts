// Name -> ifindex resolution as iproute2 does it (ll_link_get): RTM_GETLINK with IFLA_IFNAME,
// or IFLA_ALT_IFNAME for names longer than IFNAMSIZ-1, under strict checking. One LinkNames
// lives for one plan run, so a name used twice in an operation costs one round trip.
import { NetlinkError, type Message, type MessageBuilder } from '@vrfctl/netlink';
import { request, type Plan, type Request } from '@vrfctl/socket';
import { IFLA, RTEXT_FILTER, RTM } from '@vrfctl/rtnetlink';
import { DeviceNotFoundError } from './errors.js';
import { writeIfInfo } from './headers.js';
import { linkFromMessage, type Link, type LinkRef } from './link.js';

const IFNAMSIZ = 16;
/** ENODEV, EINVAL, ERANGE: what the kernel answers for names that are absent or cannot exist. */
const NOT_FOUND = new Set(['ENODEV', 'EINVAL', 'ERANGE']);

/** Writes the name attribute iproute2 uses to look a link up by name. */
export function writeLinkName(b: MessageBuilder, name: string): void {
  b.string(Buffer.byteLength(name) >= IFNAMSIZ ? IFLA.ALT_IFNAME : IFLA.IFNAME, name);
}

/** RTM_GETLINK for one link, by name or index (iproute2's lookup: VF info and stats skipped). */
export function getLinkRequest(ref: LinkRef, extMask = RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS): Request {
  return {
    type: RTM.GETLINK,
    flags: 0,
    encode: (b) => {
      writeIfInfo(b, { index: typeof ref === 'number' ? ref : 0 });
      b.u32(IFLA.EXT_MASK, extMask);
      if (typeof ref === 'string') writeLinkName(b, ref);
    },
  };
}

function firstLink(msgs: Message[]): Link | undefined {
  const m = msgs.find((x) => x.header.type === RTM.NEWLINK);
  return m ? linkFromMessage(m) : undefined;
}

export class LinkNames {
  private readonly byName = new Map<string, number>();
  private readonly byIndex = new Map<number, string>();

  /** Records a link seen in a dump or reply, so later lookups need no request. */
  remember(link: Link): void {
    this.byName.set(link.name, link.index);
    for (const alt of link.altnames) this.byName.set(alt, link.index);
    this.byIndex.set(link.index, link.name);
  }

  /** Forgets a name (after a rename or delete within the same run). */
  forget(name: string): void {
    const index = this.byName.get(name);
    this.byName.delete(name);
    if (index !== undefined) this.byIndex.delete(index);
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
    return (yield* this.lookup(index))?.name;
  }

  /** The link, or undefined when it does not exist (ENODEV). */
  *lookup(ref: LinkRef): Plan<Link | undefined> {
    if (typeof ref === 'string' && (ref.length === 0 || ref.includes('\0'))) return undefined;
    let msgs: Message[];
    try {
      msgs = yield* request(getLinkRequest(ref));
    } catch (err) {
      if (err instanceof NetlinkError && NOT_FOUND.has(err.code)) return undefined;
      throw err;
    }
    const link = firstLink(msgs);
    if (link) this.remember(link);
    return link;
  }
}
