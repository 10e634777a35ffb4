// RTM_NEWNEXTHOP/DELNEXTHOP/GETNEXTHOP and RTM_NEWNEXTHOPBUCKET/GETNEXTHOPBUCKET: struct nhmsg
// and NHA_* attributes as a typed Nexthop (and NexthopBucket). One table per message kind says
// which attribute goes to which key with which value codec, in the kernel's order (nh_fill_node);
// NHA_ENCAP and attributes newer kernels add stay raw in `unknown`, so every message round-trips.
import { DecodeError, MessageBuilder, NLA_F_NESTED, NLA_TYPE_MASK, type Message } from '@vrfctl/netlink';
import { nhmsg } from './layouts.js';
import {
  NEXTHOP_GRP_LEN, NHA, NHA_RES_BUCKET, NHA_RES_GROUP, NHMSG_LEN, nexthopGroupTypeNames,
} from './constants/nexthop.js';
import { encapTypeNames, routeProtocolNames, rtnhFlagNames, scopeNames } from './constants/route.js';
import { type EnumValue } from './names.js';
import {
  FieldTable, decodeFields, encodeFields, enumOf, flag, ip, u16, u32, u64, type AttributeModel, type ValueCodec,
} from './fields.js';
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
  /** nhmsg.resvd when it is not zero (kept so that the message round-trips). */
  reserved?: number;
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
  reserved?: number;
  /** The group's id. */
  id?: number;
  bucket?: NexthopBucketInfo;
}

/** NHA_GROUP: an array of struct nexthop_grp { u32 id; u8 weight; u8 weight_high; u16 resvd }. */
const groupCodec: ValueCodec<NexthopGroupMember[]> = {
  decode(buf, s, e) {
    const n = e - s;
    if (n === 0 || n % NEXTHOP_GRP_LEN !== 0) return undefined;
    const out: NexthopGroupMember[] = [];
    for (let at = s; at < e; at += NEXTHOP_GRP_LEN) {
      if (buf.readUInt16LE(at + 6) !== 0) return undefined; // reserved bits: keep the bytes raw
      out.push({ id: buf.readUInt32LE(at), weight: (buf[at + 4] | (buf[at + 5] << 8)) + 1 });
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

/** A nest decoded into its own model by a table (unknown members kept raw, order recorded). */
function nested<T extends AttributeModel>(table: FieldTable): ValueCodec<T> {
  return {
    decode(buf, s, e) {
      const model = { unknown: [] } as unknown as T;
      try {
        decodeFields(buf, s, e, table, model);
      } catch (err) {
        if (err instanceof DecodeError) return undefined;
        throw err;
      }
      return model;
    },
    encode(b, rawType, value) {
      const at = b.nest(rawType & NLA_TYPE_MASK, (rawType & NLA_F_NESTED) === 0);
      encodeFields(b, table, value);
      b.endNest(at);
    },
  };
}

const RES_GROUP = new FieldTable([
  { type: NHA_RES_GROUP.BUCKETS, key: 'buckets', codec: u16 },
  { type: NHA_RES_GROUP.IDLE_TIMER, key: 'idleTimer', codec: u32 },
  { type: NHA_RES_GROUP.UNBALANCED_TIMER, key: 'unbalancedTimer', codec: u32 },
  { type: NHA_RES_GROUP.UNBALANCED_TIME, key: 'unbalancedTime', codec: u64 },
]);

const RES_BUCKET = new FieldTable([
  { type: NHA_RES_BUCKET.INDEX, key: 'index', codec: u16 },
  { type: NHA_RES_BUCKET.IDLE_TIME, key: 'idleTime', codec: u64 },
  { type: NHA_RES_BUCKET.NH_ID, key: 'nhId', codec: u32 },
], [NHA_RES_BUCKET.INDEX, NHA_RES_BUCKET.NH_ID, NHA_RES_BUCKET.IDLE_TIME]);

const resGroupCodec = nested<NexthopResilient>(RES_GROUP);
const resBucketCodec = nested<NexthopBucketInfo>(RES_BUCKET);

// nh_fill_node's order (as captured from the kernel): id, fdb, group type, group, resilient
// nest | blackhole | oif, gateway, encap; then the dump filters (which only requests carry).
const NEXTHOP = new FieldTable([
  { type: NHA.ID, key: 'id', codec: u32 },
  { type: NHA.GROUP_TYPE, key: 'groupType', codec: enumOf(u16, nexthopGroupTypeNames) },
  { type: NHA.GROUP, key: 'group', codec: groupCodec },
  { type: NHA.RES_GROUP, key: 'resilient', codec: resGroupCodec },
  { type: NHA.BLACKHOLE, key: 'blackhole', codec: flag },
  { type: NHA.FDB, key: 'fdb', codec: flag },
  { type: NHA.OIF, key: 'oif', codec: u32 },
  { type: NHA.GATEWAY, key: 'gateway', codec: ip },
  { type: NHA.ENCAP_TYPE, key: 'encapType', codec: enumOf(u16, encapTypeNames) },
  { type: NHA.GROUPS, key: 'groups', codec: flag },
  { type: NHA.MASTER, key: 'master', codec: u32 },
  { type: NHA.RES_BUCKET, key: 'bucket', codec: resBucketCodec },
], [
  NHA.ID, NHA.FDB, NHA.GROUP_TYPE, NHA.GROUP, NHA.RES_GROUP | NLA_F_NESTED, NHA.BLACKHOLE, NHA.OIF, NHA.GATEWAY,
  NHA.ENCAP_TYPE, NHA.GROUPS, NHA.MASTER, NHA.RES_BUCKET | NLA_F_NESTED,
]);

const BUCKET = new FieldTable([
  { type: NHA.ID, key: 'id', codec: u32 },
  { type: NHA.RES_BUCKET, key: 'bucket', codec: resBucketCodec },
], [NHA.ID, NHA.RES_BUCKET | NLA_F_NESTED]);

interface NhHeader { family: EnumValue; scope: EnumValue; protocol: EnumValue; flags: string[]; reserved?: number }

function decodeHeader(msg: Message): NhHeader {
  const p = msg.payload;
  if (p.length < NHMSG_LEN) throw new DecodeError(`nhmsg needs ${NHMSG_LEN} bytes, message has ${p.length}`, msg.offset);
  const h = nhmsg.decode(p, 0);
  const out: NhHeader = {
    family: familyNames.name(h.family), scope: scopeNames.name(h.scope), protocol: routeProtocolNames.name(h.protocol),
    flags: rtnhFlagNames.names(h.flags),
  };
  if (h.resvd !== 0) out.reserved = h.resvd;
  return out;
}

function encodeHeader(b: MessageBuilder, h: NhHeader): void {
  const at = b.reserve(NHMSG_LEN);
  nhmsg.encode({
    family: familyNames.value(h.family), scope: scopeNames.value(h.scope), protocol: routeProtocolNames.value(h.protocol),
    resvd: h.reserved ?? 0, flags: rtnhFlagNames.value(h.flags),
  }, b.raw, at);
}

export function decodeNexthop(msg: Message): Nexthop {
  const n: Nexthop = { ...decodeHeader(msg), unknown: [] };
  decodeFields(msg.payload, NHMSG_LEN, msg.payload.length, NEXTHOP, n, undefined, msg.offset + 16);
  return n;
}

export function encodeNexthop(b: MessageBuilder, n: Nexthop): void {
  encodeHeader(b, n);
  encodeFields(b, NEXTHOP, n);
}

export function decodeNexthopBucket(msg: Message): NexthopBucket {
  const n: NexthopBucket = { ...decodeHeader(msg), unknown: [] };
  decodeFields(msg.payload, NHMSG_LEN, msg.payload.length, BUCKET, n, undefined, msg.offset + 16);
  return n;
}

export function encodeNexthopBucket(b: MessageBuilder, n: NexthopBucket): void {
  encodeHeader(b, n);
  encodeFields(b, BUCKET, n);
}

/** The raw NHA_ENCAP nest of a nexthop (lightweight tunnel), if it has one. */
export function nexthopEncap(n: Nexthop): RawAttribute | undefined {
  return n.unknown.find((a) => a.type === NHA.ENCAP);
}
