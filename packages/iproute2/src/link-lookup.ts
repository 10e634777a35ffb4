// How iproute2 asks for one link by name or index (ll_link_get, ipvrf_get_table): RTM_GETLINK
// with an ifinfomsg, IFLA_EXT_MASK, then IFLA_IFNAME, or IFLA_ALT_IFNAME for names longer than
// IFNAMSIZ-1. The link and route packages both resolve names this way, with the same bytes.
import { NetlinkError, type MessageBuilder } from '@vrfctl/netlink';
import { IFLA, RTEXT_FILTER, ifinfomsg } from '@vrfctl/rtnetlink';

const IFNAMSIZ = 16;
/** What iproute2 asks for in name lookups: no VF info, no statistics. */
export const LOOKUP_EXT_MASK = RTEXT_FILTER.VF | RTEXT_FILTER.SKIP_STATS;

/** Writes the name attribute iproute2 uses to look a link up by name. */
export function writeLinkName(b: MessageBuilder, name: string): void {
  b.string(Buffer.byteLength(name) >= IFNAMSIZ ? IFLA.ALT_IFNAME : IFLA.IFNAME, name);
}

/**
 * The body of an RTM_GETLINK for one link: by index when ref is a number, else by name.
 * extMask null leaves IFLA_EXT_MASK out (ipvrf_get_table sends none).
 */
export function writeLinkLookup(b: MessageBuilder, ref: string | number, extMask: number | null = LOOKUP_EXT_MASK): void {
  const at = b.reserve(ifinfomsg.span);
  ifinfomsg.encode({ family: 0, type: 0, index: typeof ref === 'number' ? ref : 0, flags: 0, change: 0 }, b.raw, at);
  if (extMask !== null) b.u32(IFLA.EXT_MASK, extMask);
  if (typeof ref === 'string') writeLinkName(b, ref);
}

/** What the kernel answers for a link that is absent or whose name cannot exist. */
const NO_SUCH_LINK = new Set(['ENODEV', 'ENOENT', 'EINVAL', 'ERANGE']);

/** True when a lookup's error means "there is no such link" rather than a failure. */
export function isNoSuchLink(err: unknown): boolean {
  return err instanceof NetlinkError && NO_SUCH_LINK.has(err.code);
}
