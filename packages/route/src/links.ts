// The link lookups routes need: a device name to its ifindex, a VRF to its table, and the
// index-to-name map for printing. Written with RTM_GETLINK directly so that this package only
// needs the constants, not a link model.
import { NetlinkError, getString, getU32, parseAttributes, parseNested, type Message, type MessageBuilder } from '@vrfctl/netlink';
import { IFLA, IFLA_INFO, IFLA_VRF, RTM } from '@vrfctl/rtnetlink';
import { dump, request, type Plan, type Request } from '@vrfctl/socket';
import { ArgumentError, validateInterfaceName } from '@vrfctl/link';

const IFINFOMSG_LEN = 16;
/** RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS: what iproute2 asks for in name lookups. */
const EXT_MASK_LOOKUP = 9;

/** A device named on the command line does not exist (ip: `Cannot find device "x"`, exit 1). */
export class LinkNotFoundError extends Error {
  override readonly name = 'LinkNotFoundError';
  constructor(readonly device: string) {
    super(`Cannot find device "${device}"`);
  }
}

function ifinfomsg(b: MessageBuilder, index = 0): void {
  const at = b.reserve(IFINFOMSG_LEN);
  b.raw.writeInt32LE(index, at + 4);
}

/** RTM_GETLINK for one name, as iproute2's ipvrf_get_table sends it (no extension mask). */
function getLinkByName(name: string, extMask?: number): Request {
  return {
    type: RTM.GETLINK,
    flags: 0,
    encode: (b) => {
      ifinfomsg(b);
      if (extMask !== undefined) b.u32(IFLA.EXT_MASK, extMask);
      b.string(IFLA.IFNAME, name);
    },
  };
}

interface LinkFacts {
  index: number;
  name: string;
  kind?: string;
  vrfTable?: number;
  master?: number;
}

function linkFacts(msg: Message): LinkFacts {
  const index = msg.payload.readInt32LE(4);
  const facts: LinkFacts = { index, name: `if${index}` };
  for (const a of parseAttributes(msg.payload, IFINFOMSG_LEN)) {
    if (a.type === IFLA.IFNAME) facts.name = getString(a.value);
    else if (a.type === IFLA.MASTER) facts.master = getU32(a.value);
    else if (a.type === IFLA.LINKINFO) {
      for (const i of parseNested(a.value)) {
        if (i.type === IFLA_INFO.KIND) facts.kind = getString(i.value);
        else if (i.type === IFLA_INFO.DATA) {
          for (const d of parseNested(i.value, 2)) if (d.type === IFLA_VRF.TABLE) facts.vrfTable = getU32(d.value);
        }
      }
    }
  }
  return facts;
}

/** The link's facts, or undefined when the kernel says there is no such device. */
function* lookupLink(name: string, extMask?: number): Plan<LinkFacts | undefined> {
  let replies: Message[];
  try {
    replies = yield* request(getLinkByName(name, extMask));
  } catch (err) {
    if (err instanceof NetlinkError && (err.code === 'ENODEV' || err.code === 'ENOENT')) return undefined;
    throw err;
  }
  const link = replies.find((m) => m.header.type === RTM.NEWLINK);
  return link ? linkFacts(link) : undefined;
}

/**
 * ifindex of a device given by name or number. Like iproute2's ll_name_to_index it also takes
 * "ifN" for an index; an unknown name is LinkNotFoundError.
 */
export function* linkIndex(dev: string | number): Plan<number> {
  if (typeof dev === 'number') return dev;
  validateInterfaceName(dev);
  const link = yield* lookupLink(dev, EXT_MASK_LOOKUP);
  if (link) return link.index;
  const m = /^if(\d+)$/.exec(dev);
  if (m) return Number(m[1]);
  throw new LinkNotFoundError(dev);
}

/** A VRF device's ifindex and table; ArgumentError when the name is not a VRF. */
export function* vrfLink(name: string): Plan<{ index: number; table: number }> {
  validateInterfaceName(name, 'VRF name');
  const link = yield* lookupLink(name);
  if (!link) throw new ArgumentError(`invalid vrf "${name}": no such device`);
  if (link.kind !== 'vrf' || link.vrfTable === undefined) throw new ArgumentError(`invalid vrf "${name}": not a VRF device`);
  return { index: link.index, table: link.vrfTable };
}

/** ifindex -> name for every link, to print routes. */
export function* linkNameMap(): Plan<Map<number, string>> {
  const msgs = yield* dump({
    type: RTM.GETLINK,
    flags: 0,
    encode: (b) => {
      ifinfomsg(b);
      b.u32(IFLA.EXT_MASK, EXT_MASK_LOOKUP);
    },
  });
  const names = new Map<number, string>();
  for (const m of msgs) {
    if (m.header.type !== RTM.NEWLINK) continue;
    const f = linkFacts(m);
    names.set(f.index, f.name);
  }
  return names;
}
