// RTM_NEWNEXTHOP/DELNEXTHOP/GETNEXTHOP and RTM_NEWNEXTHOPBUCKET/GETNEXTHOPBUCKET: struct nhmsg
// and NHA_* attributes as a typed Nexthop (and NexthopBucket), declared once on the schema
// mechanism: decode, encode, canonical order and `nl decode`'s JSON come from these tables.
// NHA_ENCAP and attributes newer kernels add (NHA_OP_FLAGS…) stay raw in `unknown`.
import { MessageBuilder, type Message } from '@vrfctl/netlink';
import { nhmsg, type NhMsg } from './layouts.js';
import { RTM } from './constants/messages.js';
import { NEXTHOP_GRP_LEN, NHA, NHA_RES_BUCKET, NHA_RES_GROUP, nexthopGroupTypeNames } from './constants/nexthop.js';
import { encapTypeNames, routeProtocolNames, rtnhFlagNames, scopeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import { address, enumOf, flag, u16, u32, u64, type Codec } from './schema/codecs.js';
import { attributeTable, nested, type AttributeModel } from './schema/attributes.js';
import { decodeMessage, encodeMessage, messageSchema } from './schema/message.js';
import { familyNames, type RawAttribute } from './wire.js';

/** One member of a group: a nexthop id and its weight (1…65536; the wire carries weight − 1). */
export interface NexthopGroupMember {
  id: number;
  weight: number;
}

/** NHA_RES_GROUP: a resilient group's table size and timers (timers in clock_t, 1/100 s). */
export interface NexthopResilient extends AttributeModel {
  buckets?: number;
  idleTimer?: number;
  unbalancedTimer?: number;
  /** How long the group has been unbalanced (reported by the kernel only). */
  unbalancedTime?: bigint;
}

/** NHA_RES_BUCKET: one bucket of a resilient group. */
export interface NexthopBucketInfo extends AttributeModel {
  index?: number;
  /** clock_t (1/100 s) since the bucket was last used. */
  idleTime?: bigint;
  nhId?: number;
}

/** A nexthop object or group as the kernel reports it (RTM_NEWNEXTHOP), or as a request carries it. */
export interface Nexthop extends AttributeModel {
  family: EnumValue;
  scope: EnumValue;
  protocol: EnumValue;
  /** RTNH_F_* names ('onlink', 'dead', 'linkdown'…). */
  flags: string[];
  id?: number;
  group?: NexthopGroupMember[];
  /** 'mpath' or 'resilient'. */
  groupType?: EnumValue;
  blackhole?: true;
  oif?: number;
  gateway?: string;
  encapType?: EnumValue;
  /** Dump filter: groups only. */
  groups?: true;
  /** Dump filter: nexthops whose device has this master (a VRF, a bridge). */
  master?: number;
  fdb?: true;
  resilient?: NexthopResilient;
  /** NHA_RES_BUCKET: a bucket filter in GETNEXTHOPBUCKET requests. */
  bucket?: NexthopBucketInfo;
}

/** One bucket of a resilient group (RTM_NEWNEXTHOPBUCKET). */
export interface NexthopBucket extends AttributeModel {
  family: EnumValue;
  scope: EnumValue;
  protocol: EnumValue;
  flags: string[];
  /** The group's id. */
  id?: number;
  bucket?: NexthopBucketInfo;
}

/** NHA_GROUP: struct nexthop_grp { u32 id; u8 weight; u8 weight_high; u16 resvd }[]; `nl decode` shows id/weight pairs. */
export const nexthopGroup: Codec<NexthopGroupMember[]> = {
  json: 'nhgroup',
  decode(buf, s, e) {
    const n = e - s;
    if (n === 0 || n % NEXTHOP_GRP_LEN !== 0) return undefined;
    const out: NexthopGroupMember[] = [];
    for (let at = s; at < e; at += NEXTHOP_GRP_LEN) {
      if (buf.readUInt16LE(at + 6) !== 0) return undefined; // reserved bits: keep the bytes raw
      out.push({ id: buf.readUInt32LE(at), weight: buf.readUInt16LE(at + 4) + 1 });
    }
    return out;
  },
  encode(b, t, members) {
    const x = Buffer.alloc(members.length * NEXTHOP_GRP_LEN);
    members.forEach((m, i) => {
      if (!Number.isInteger(m.weight) || m.weight < 1 || m.weight > 65536) throw new RangeError(`nexthop group weight ${m.weight} out of range 1..65536`);
      x.writeUInt32LE(m.id >>> 0, i * NEXTHOP_GRP_LEN);
      x.writeUInt16LE(m.weight - 1, i * NEXTHOP_GRP_LEN + 4);
    });
    b.binary(t, x);
  },
};

export const NEXTHOP_RESILIENT_ATTRIBUTES = attributeTable<NexthopResilient>(NHA_RES_GROUP, 'NHA_RES_GROUP_', [
  { type: NHA_RES_GROUP.BUCKETS, key: 'buckets', codec: u16 },
  { type: NHA_RES_GROUP.IDLE_TIMER, key: 'idleTimer', codec: u32 },
  { type: NHA_RES_GROUP.UNBALANCED_TIMER, key: 'unbalancedTimer', codec: u32 },
  { type: NHA_RES_GROUP.UNBALANCED_TIME, key: 'unbalancedTime', codec: u64 },
]);

// nla_put_nh_res_bucket's order: index, nexthop, idle time.
export const NEXTHOP_BUCKET_INFO_ATTRIBUTES = attributeTable<NexthopBucketInfo>(NHA_RES_BUCKET, 'NHA_RES_BUCKET_', [
  { type: NHA_RES_BUCKET.INDEX, key: 'index', codec: u16 },
  { type: NHA_RES_BUCKET.NH_ID, key: 'nhId', codec: u32 },
  { type: NHA_RES_BUCKET.IDLE_TIME, key: 'idleTime', codec: u64 },
]);

const resilient = nested(NEXTHOP_RESILIENT_ATTRIBUTES, true);
const bucket = nested(NEXTHOP_BUCKET_INFO_ATTRIBUTES, true);

// nh_fill_node's order (as captured from the kernel): id, fdb, group type, group, resilient
// nest | blackhole | oif, gateway, encap; then the dump filters (which only requests carry).
export const NEXTHOP_OBJECT_ATTRIBUTES = attributeTable<Nexthop>(NHA, 'NHA_', [
  { type: NHA.ID, key: 'id', codec: u32 },
  { type: NHA.FDB, key: 'fdb', codec: flag },
  { type: NHA.GROUP_TYPE, key: 'groupType', codec: enumOf(u16, nexthopGroupTypeNames) },
  { type: NHA.GROUP, key: 'group', codec: nexthopGroup },
  { type: NHA.RES_GROUP, key: 'resilient', codec: resilient },
  { type: NHA.BLACKHOLE, key: 'blackhole', codec: flag },
  { type: NHA.OIF, key: 'oif', codec: u32 },
  { type: NHA.GATEWAY, key: 'gateway', codec: address },
  { type: NHA.ENCAP_TYPE, key: 'encapType', codec: enumOf(u16, encapTypeNames) },
  { type: NHA.GROUPS, key: 'groups', codec: flag },
  { type: NHA.MASTER, key: 'master', codec: u32 },
  { type: NHA.RES_BUCKET, key: 'bucket', codec: bucket },
  // Shown typed by `nl decode` only.
  { type: NHA.OP_FLAGS, codec: u32 },
  { type: NHA.HW_STATS_ENABLE, codec: u32 },
  { type: NHA.HW_STATS_USED, codec: u32 },
]);

export const NEXTHOP_BUCKET_ATTRIBUTES = attributeTable<NexthopBucket>(NHA, 'NHA_', [
  { type: NHA.ID, key: 'id', codec: u32 },
  { type: NHA.RES_BUCKET, key: 'bucket', codec: bucket },
  { type: NHA.OIF, codec: u32 },
  { type: NHA.MASTER, codec: u32 },
  { type: NHA.GROUPS, codec: flag },
  { type: NHA.FDB, codec: flag },
  { type: NHA.OP_FLAGS, codec: u32 },
]);

type NhHeader = Pick<Nexthop, 'family' | 'scope' | 'protocol' | 'flags'>;

function fromHeader(h: NhMsg): NhHeader & { unknown: RawAttribute[] } {
  return {
    family: familyNames.name(h.family), scope: scopeNames.name(h.scope), protocol: routeProtocolNames.name(h.protocol),
    flags: rtnhFlagNames.names(h.flags), unknown: [],
  };
}

function toHeader(n: NhHeader): NhMsg {
  return {
    family: familyNames.value(n.family), scope: scopeNames.value(n.scope), protocol: routeProtocolNames.value(n.protocol),
    resvd: 0, flags: rtnhFlagNames.value(n.flags),
  };
}

export const NEXTHOP_SCHEMA = messageSchema<Nexthop, NhMsg>({
  name: 'nhmsg',
  header: nhmsg,
  attributes: NEXTHOP_OBJECT_ATTRIBUTES,
  types: [RTM.NEWNEXTHOP, RTM.DELNEXTHOP, RTM.GETNEXTHOP],
  inet6: () => false,
  fromHeader,
  toWire: (n) => ({ header: toHeader(n), attributes: n }),
});

export const NEXTHOP_BUCKET_SCHEMA = messageSchema<NexthopBucket, NhMsg>({
  name: 'nhmsg',
  header: nhmsg,
  attributes: NEXTHOP_BUCKET_ATTRIBUTES,
  types: [RTM.NEWNEXTHOPBUCKET, RTM.DELNEXTHOPBUCKET, RTM.GETNEXTHOPBUCKET],
  inet6: () => false,
  fromHeader,
  toWire: (n) => ({ header: toHeader(n), attributes: n }),
});

export function decodeNexthop(msg: Message): Nexthop {
  return decodeMessage(NEXTHOP_SCHEMA, msg);
}

export function encodeNexthop(b: MessageBuilder, n: Nexthop): void {
  encodeMessage(NEXTHOP_SCHEMA, b, n);
}

export function decodeNexthopBucket(msg: Message): NexthopBucket {
  return decodeMessage(NEXTHOP_BUCKET_SCHEMA, msg);
}

export function encodeNexthopBucket(b: MessageBuilder, n: NexthopBucket): void {
  encodeMessage(NEXTHOP_BUCKET_SCHEMA, b, n);
}

/** The raw NHA_ENCAP nest of a nexthop (lightweight tunnel), if it has one. */
export function nexthopEncap(n: Nexthop): RawAttribute | undefined {
  return n.unknown.find((a) => a.type === NHA.ENCAP);
}
