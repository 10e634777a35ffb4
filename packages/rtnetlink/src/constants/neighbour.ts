// Neighbour constants: linux/neighbour.h.
import { EnumNames, FlagNames } from '../names.js';

export const NDA = {
  UNSPEC: 0, DST: 1, LLADDR: 2, CACHEINFO: 3, PROBES: 4, VLAN: 5, PORT: 6, VNI: 7, IFINDEX: 8,
  MASTER: 9, LINK_NETNSID: 10, SRC_VNI: 11, PROTOCOL: 12, NH_ID: 13, FDB_EXT_ATTRS: 14,
  FLAGS_EXT: 15, NDM_STATE_MASK: 16, NDM_FLAGS_MASK: 17,
} as const;
export const ndaNames = EnumNames.fromObject(NDA, 'NDA_');

/** NUD_* states by the names `ip neigh` prints. */
export const NUD = {
  INCOMPLETE: 0x01, REACHABLE: 0x02, STALE: 0x04, DELAY: 0x08, PROBE: 0x10, FAILED: 0x20,
  NOARP: 0x40, PERMANENT: 0x80,
} as const;
export const NUD_NONE = 0;
export const nudNames = FlagNames.fromObject(NUD);

export const NTF = {
  use: 0x01, self: 0x02, master: 0x04, proxy: 0x08, extern_learn: 0x10, offloaded: 0x20,
  sticky: 0x40, router: 0x80,
} as const;
export const ntfNames = FlagNames.fromObject(NTF);

/** NTF_EXT_* in NDA_FLAGS_EXT. */
export const NTF_EXT = { managed: 0x1, locked: 0x2 } as const;
export const ntfExtNames = FlagNames.fromObject(NTF_EXT);
