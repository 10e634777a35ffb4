// Reading links: one by name or index, or a dump filtered by kind and master. The filters go
// into the dump request (the kernel applies them under strict checking, as for `ip link show
// type X` / `master Y`) and are applied again here, because a kernel that does not know the
// kind (module not loaded) ignores the kind filter and returns every link.
import { dump, type Plan, type Request } from '@vrfctl/socket';
import { IFLA, IFLA_INFO, RTEXT_FILTER, RTM, decodeLink, type Link } from '@vrfctl/rtnetlink';
import { DeviceNotFoundError } from '@vrfctl/iproute2';
import { writeIfInfo } from './headers.js';
import type { LinkRef } from './link.js';
import { LinkNames } from './link-names.js';

/** AF_PACKET: the family `ip link` dumps with. */
const AF_PACKET = 17;

export interface LinkFilter {
  /** IFLA_INFO_KIND, e.g. "bridge", "vrf". */
  kind?: string;
  /** Only the ports of this master. */
  master?: LinkRef;
  /**
   * Dump family: AF_PACKET (default) gives full link messages; AF_INET6 gives the IPv6 view
   * (no qdisc, group or master), which is what `ip -6 addr` shows.
   */
  family?: number;
}

/** RTM_GETLINK dump with iproute2's filter attributes (kind and master index). */
export function linkDumpRequest(filter: { kind?: string; masterIndex?: number; family?: number } = {}): Request {
  return {
    type: RTM.GETLINK,
    flags: 0,
    encode: (b) => {
      const family = filter.family ?? AF_PACKET;
      writeIfInfo(b, { family });
      // The per-protocol dumps (AF_INET6) take no attributes under strict checking; iproute2
      // sends none for them either.
      if (family === AF_PACKET || family === 0) b.u32(IFLA.EXT_MASK, RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS);
      if (filter.kind !== undefined) {
        const nest = b.nest(IFLA.LINKINFO, true);
        // iproute2 writes the kind without its NUL; the kernel compares it either way.
        b.binary(IFLA_INFO.KIND, Buffer.from(filter.kind));
        b.endNest(nest);
      }
      if (filter.masterIndex !== undefined) b.u32(IFLA.MASTER, filter.masterIndex);
    },
  };
}

export function* listLinks(filter: LinkFilter = {}, names = new LinkNames()): Plan<Link[]> {
  const masterIndex = filter.master === undefined ? undefined : yield* names.index(filter.master);
  const msgs = yield* dump(linkDumpRequest({ kind: filter.kind, masterIndex, family: filter.family }));
  const out: Link[] = [];
  for (const m of msgs) {
    if (m.header.type !== RTM.NEWLINK) continue;
    const link = decodeLink(m);
    names.remember(link);
    if (filter.kind !== undefined && link.linkinfo?.kind !== filter.kind) continue;
    if (masterIndex !== undefined && link.master !== masterIndex) continue;
    out.push(link);
  }
  return out;
}

/** One link; DeviceNotFoundError when it does not exist. */
export function* getLink(ref: LinkRef, names = new LinkNames()): Plan<Link> {
  const link = yield* names.lookup(ref);
  if (!link) throw new DeviceNotFoundError(String(ref));
  return link;
}

/** One link, or undefined when it does not exist. */
export function* findLink(ref: LinkRef, names = new LinkNames()): Plan<Link | undefined> {
  return yield* names.lookup(ref);
}
