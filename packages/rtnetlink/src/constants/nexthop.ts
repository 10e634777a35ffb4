// Nexthop object constants: linux/nexthop.h.
import { EnumNames } from '../names.js';

/** Attributes of RTM_{NEW,DEL,GET}NEXTHOP and RTM_{NEW,GET}NEXTHOPBUCKET. */
export const NHA = {
  UNSPEC: 0, ID: 1, GROUP: 2, GROUP_TYPE: 3, BLACKHOLE: 4, OIF: 5, GATEWAY: 6, ENCAP_TYPE: 7, ENCAP: 8,
  GROUPS: 9, MASTER: 10, FDB: 11, RES_GROUP: 12, RES_BUCKET: 13, OP_FLAGS: 14, GROUP_STATS: 15,
  HW_STATS_ENABLE: 16, HW_STATS_USED: 17,
} as const;
export const nhaNames = EnumNames.fromObject(NHA, 'NHA_');

/** Members of the NHA_RES_GROUP nest (resilient group parameters; timers in clock_t). */
export const NHA_RES_GROUP = { PAD: 0, BUCKETS: 1, IDLE_TIMER: 2, UNBALANCED_TIMER: 3, UNBALANCED_TIME: 4 } as const;
export const nhaResGroupNames = EnumNames.fromObject(NHA_RES_GROUP, 'NHA_RES_GROUP_');

/** Members of the NHA_RES_BUCKET nest (one bucket of a resilient group). */
export const NHA_RES_BUCKET = { PAD: 0, INDEX: 1, IDLE_TIME: 2, NH_ID: 3 } as const;
export const nhaResBucketNames = EnumNames.fromObject(NHA_RES_BUCKET, 'NHA_RES_BUCKET_');

/** NHA_GROUP_TYPE values by the names `ip nexthop` uses. */
export const NEXTHOP_GRP_TYPE = { mpath: 0, resilient: 1 } as const;
export const nexthopGroupTypeNames = EnumNames.fromObject(NEXTHOP_GRP_TYPE);

/** struct nexthop_grp: one group member, 8 bytes. */
export const NEXTHOP_GRP_LEN = 8;
/** struct nhmsg: family, scope, protocol, reserved, flags (8 bytes). */
export const NHMSG_LEN = 8;
