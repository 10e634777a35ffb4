// The link lookups the route, rule and nexthop commands share, as plans: a device name to its
// ifindex (ll_name_to_index), a VRF to its table (ipvrf_get_table), and the index-to-name map for
// printing. The requests are iproute2's lookups, so the bytes match `ip`'s.
import { ArgumentError, validateInterfaceName } from './args.js';
import { DeviceNotFoundError } from './errors.js';
import { LOOKUP_EXT_MASK, isNoSuchLink, writeLinkLookup } from './link-lookup.js';
import { RTM, decodeLink, type Link } from '@vrfctl/rtnetlink';
import { dump, request, type Plan } from '@vrfctl/socket';

/** The link, or undefined when the kernel says there is no such device. */
function* lookupLink(name: string, extMask: number | null): Plan<Link | undefined> {
  try {
    const replies = yield* request({ type: RTM.GETLINK, flags: 0, encode: (b) => writeLinkLookup(b, name, extMask) });
    const link = replies.find((m) => m.header.type === RTM.NEWLINK);
    return link ? decodeLink(link) : undefined;
  } catch (err) {
    if (isNoSuchLink(err)) return undefined;
    throw err;
  }
}

/** The routing table of a VRF device; undefined for any other kind (their INFO_DATA means other things). */
export function vrfTableOf(link: Link): number | undefined {
  if (link.linkinfo?.kind !== 'vrf') return undefined;
  return (link.linkinfo.data as { table?: number } | undefined)?.table;
}

/**
 * ifindex of a device given by name or number. Like iproute2's ll_name_to_index it also takes
 * "ifN" for an index; an unknown name is DeviceNotFoundError.
 */
export function* linkIndex(dev: string | number): Plan<number> {
  if (typeof dev === 'number') return dev;
  validateInterfaceName(dev);
  const link = yield* lookupLink(dev, LOOKUP_EXT_MASK);
  if (link) return link.index;
  const m = /^if(\d+)$/.exec(dev);
  if (m) return Number(m[1]);
  throw new DeviceNotFoundError(dev);
}

/** A VRF device's ifindex and table; ArgumentError when the name is not a VRF. */
export function* vrfLink(name: string): Plan<{ index: number; table: number }> {
  validateInterfaceName(name, 'VRF name');
  // ipvrf_get_table sends no extension mask.
  const link = yield* lookupLink(name, null);
  if (!link) throw new ArgumentError(`invalid vrf "${name}": no such device`);
  const table = vrfTableOf(link);
  if (table === undefined) throw new ArgumentError(`invalid vrf "${name}": not a VRF device`);
  return { index: link.index, table };
}

/** ifindex -> name for every link, to print routes. */
export function* linkNameMap(): Plan<Map<number, string>> {
  const msgs = yield* dump({
    type: RTM.GETLINK,
    flags: 0,
    encode: (b) => writeLinkLookup(b, 0),
  });
  const names = new Map<number, string>();
  for (const m of msgs) {
    if (m.header.type !== RTM.NEWLINK) continue;
    const l = decodeLink(m);
    names.set(l.index, l.ifname ?? `if${l.index}`);
  }
  return names;
}
