// RTM_NEWNEIGH/DELNEIGH/GETNEIGH: struct ndmsg and NDA_* attributes as a typed Neighbour.
import { DecodeError, MessageBuilder, type Message } from '@vrfctl/netlink';
import { ndmsg, ndaCacheinfo, type NdaCacheInfo } from './layouts.js';
import { NDA, ntfExtNames, ntfNames, nudNames } from './constants/neighbour.js';
import { routeProtocolNames, routeTypeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import { FieldTable, decodeFields, encodeFields, enumOf, flagsOf, ip, mac, struct, u16, u16be, u32, u8 } from './fields.js';
import { familyNames, type RawAttribute } from './wire.js';

export const NDMSG_LEN = 12;

export interface Neighbour {
  family: EnumValue;
  index: number;
  /** NUD_* names (empty for NUD_NONE). */
  state: string[];
  /** NTF_* names. */
  flags: string[];
  /** ndm_type: a route type (RTN_*). */
  type: EnumValue;
  dst?: string;
  lladdr?: string;
  cacheinfo?: NdaCacheInfo;
  probes?: number;
  vlan?: number;
  /** NDA_PORT (VXLAN FDB), big-endian. */
  port?: number;
  vni?: number;
  ifindex?: number;
  master?: number;
  protocol?: EnumValue;
  nhId?: number;
  /** NTF_EXT_* names from NDA_FLAGS_EXT. */
  extFlags?: string[];
  unknown: RawAttribute[];
  order?: number[];
}

// neigh_fill_info's order.
const TABLE = new FieldTable([
  { type: NDA.DST, key: 'dst', codec: ip },
  { type: NDA.LLADDR, key: 'lladdr', codec: mac },
  { type: NDA.PROTOCOL, key: 'protocol', codec: enumOf(u8, routeProtocolNames) },
  { type: NDA.FLAGS_EXT, key: 'extFlags', codec: flagsOf(u32, ntfExtNames) },
  { type: NDA.CACHEINFO, key: 'cacheinfo', codec: struct(ndaCacheinfo) },
  { type: NDA.PROBES, key: 'probes', codec: u32 },
  { type: NDA.VLAN, key: 'vlan', codec: u16 },
  { type: NDA.PORT, key: 'port', codec: u16be },
  { type: NDA.VNI, key: 'vni', codec: u32 },
  { type: NDA.IFINDEX, key: 'ifindex', codec: u32 },
  { type: NDA.MASTER, key: 'master', codec: u32 },
  { type: NDA.NH_ID, key: 'nhId', codec: u32 },
]);

export function decodeNeighbour(msg: Message): Neighbour {
  const p = msg.payload;
  if (p.length < NDMSG_LEN) throw new DecodeError(`ndmsg needs ${NDMSG_LEN} bytes, message has ${p.length}`, msg.offset);
  const h = ndmsg.decode(p, 0);
  const n: Neighbour = {
    family: familyNames.name(h.family), index: h.index, state: nudNames.names(h.state), flags: ntfNames.names(h.flags),
    type: routeTypeNames.name(h.type), unknown: [],
  };
  decodeFields(p, NDMSG_LEN, p.length, TABLE, n, undefined, msg.offset + 16);
  return n;
}

export function encodeNeighbour(b: MessageBuilder, n: Neighbour): void {
  const at = b.reserve(NDMSG_LEN);
  ndmsg.encode({
    family: familyNames.value(n.family), index: n.index, state: nudNames.value(n.state), flags: ntfNames.value(n.flags),
    type: routeTypeNames.value(n.type),
  }, b.raw, at);
  encodeFields(b, TABLE, n);
}
