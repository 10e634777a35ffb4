// A neighbour (ARP/NDP entry) as the library returns it, decoded from RTM_NEWNEIGH.
import { DecodeError, forEachAttribute, getIP, getMac, getU32, getU8, type Message } from '@vrfctl/netlink';
import { NDA } from '@vrfctl/rtnetlink';
import { NDMSG_LEN } from './headers.js';

export interface NeighbourCacheInfo {
  /** Clock ticks (USER_HZ) since last confirmed / used / updated. */
  confirmed: number;
  used: number;
  updated: number;
  refcnt: number;
}

export interface Neighbour {
  family: number;
  index: number;
  /** NUD_* bits. */
  state: number;
  /** NTF_* bits. */
  flags: number;
  type: number;
  dst?: string;
  lladdr?: string;
  probes?: number;
  master?: number;
  vlan?: number;
  protocol?: number;
  /** NTF_EXT_* bits (NDA_FLAGS_EXT). */
  flagsExt?: number;
  cacheinfo?: NeighbourCacheInfo;
  /** Every attribute, raw by type (copies). */
  attributes: Map<number, Buffer>;
}

export function neighbourFromMessage(msg: Message): Neighbour {
  const p = msg.payload;
  if (p.length < NDMSG_LEN) throw new DecodeError(`ndmsg of ${p.length} bytes, needs 12`, msg.offset);
  const n: Neighbour = {
    family: p[0],
    index: p.readInt32LE(4),
    state: p.readUInt16LE(8),
    flags: p[10],
    type: p[11],
    attributes: new Map(),
  };
  forEachAttribute(p, NDMSG_LEN, p.length, (type, vs, ve) => {
    const v = Buffer.from(p.subarray(vs, ve));
    n.attributes.set(type, v);
    switch (type) {
      case NDA.DST: n.dst = getIP(v); break;
      case NDA.LLADDR: n.lladdr = getMac(v); break;
      case NDA.PROBES: n.probes = getU32(v); break;
      case NDA.MASTER: n.master = getU32(v); break;
      case NDA.VLAN: n.vlan = v.readUInt16LE(0); break;
      case NDA.PROTOCOL: n.protocol = getU8(v); break;
      case NDA.FLAGS_EXT: n.flagsExt = getU32(v); break;
      case NDA.CACHEINFO:
        if (v.length < 16) throw new DecodeError(`NDA_CACHEINFO of ${v.length} bytes, needs 16`, vs);
        n.cacheinfo = { confirmed: v.readUInt32LE(0), used: v.readUInt32LE(4), updated: v.readUInt32LE(8), refcnt: v.readUInt32LE(12) };
        break;
    }
  });
  return n;
}
