// RTM_NEWNEIGH/DELNEIGH/GETNEIGH: struct ndmsg and NDA_* attributes as a typed Neighbour.
import { MessageBuilder, type Message } from '@vrfctl/netlink';
import { ndmsg, ndaCacheinfo, type NdaCacheInfo, type NdMsg } from './layouts.js';
import { RTM } from './constants/messages.js';
import { NDA, ntfExtNames, ntfNames, nudNames } from './constants/neighbour.js';
import { routeProtocolNames, routeTypeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import { address, enumOf, flagsOf, lladdr, s32, struct, u16, u16be, u32, u8 } from './schema/codecs.js';
import { attributeTable, type AttributeModel } from './schema/attributes.js';
import { decodeMessage, encodeMessage, messageSchema } from './schema/message.js';
import { familyNames } from './wire.js';

export interface Neighbour extends AttributeModel {
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
  /** NDA_NH_ID. */
  nhid?: number;
  /** NTF_EXT_* names from NDA_FLAGS_EXT. */
  extFlags?: string[];
}

// neigh_fill_info's order; the rows without a key are shown typed by `nl decode` only.
export const NEIGHBOUR_ATTRIBUTES = attributeTable<Neighbour>(NDA, 'NDA_', [
  { type: NDA.DST, key: 'dst', codec: address },
  { type: NDA.LLADDR, key: 'lladdr', codec: lladdr },
  { type: NDA.PROTOCOL, key: 'protocol', codec: enumOf(u8, routeProtocolNames) },
  { type: NDA.FLAGS_EXT, key: 'extFlags', codec: flagsOf(u32, ntfExtNames) },
  { type: NDA.CACHEINFO, key: 'cacheinfo', codec: struct(ndaCacheinfo) },
  { type: NDA.PROBES, key: 'probes', codec: u32 },
  { type: NDA.VLAN, key: 'vlan', codec: u16 },
  { type: NDA.PORT, key: 'port', codec: u16be },
  { type: NDA.VNI, key: 'vni', codec: u32 },
  { type: NDA.IFINDEX, key: 'ifindex', codec: u32 },
  { type: NDA.MASTER, key: 'master', codec: u32 },
  { type: NDA.NH_ID, key: 'nhid', codec: u32 },
  { type: NDA.LINK_NETNSID, codec: s32 },
  { type: NDA.SRC_VNI, codec: u32 },
  { type: NDA.NDM_STATE_MASK, codec: u16 },
  { type: NDA.NDM_FLAGS_MASK, codec: u8 },
]);

export const NEIGHBOUR_SCHEMA = messageSchema<Neighbour, NdMsg>({
  name: 'ndmsg',
  header: ndmsg,
  attributes: NEIGHBOUR_ATTRIBUTES,
  types: [RTM.NEWNEIGH, RTM.DELNEIGH, RTM.GETNEIGH],
  inet6: () => false,
  fromHeader: (h) => ({
    family: familyNames.name(h.family), index: h.ifindex, state: nudNames.names(h.state), flags: ntfNames.names(h.flags),
    type: routeTypeNames.name(h.type), unknown: [],
  }),
  toWire: (n) => ({
    header: {
      family: familyNames.value(n.family), ifindex: n.index, state: nudNames.value(n.state), flags: ntfNames.value(n.flags),
      type: routeTypeNames.value(n.type),
    },
    attributes: n,
  }),
});

export function decodeNeighbour(msg: Message): Neighbour {
  return decodeMessage(NEIGHBOUR_SCHEMA, msg);
}

export function encodeNeighbour(b: MessageBuilder, n: Neighbour): void {
  encodeMessage(NEIGHBOUR_SCHEMA, b, n);
}
