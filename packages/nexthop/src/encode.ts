// NexthopSpec -> the rtnetlink Nexthop model -> request bytes, through the one nexthop codec
// (encodeNexthop). Attributes go out in the order of the words, as `ip nexthop` writes them.
import { AF_INET, AF_INET6, NLA_F_NESTED, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REPLACE, parseIP } from '@vrfctl/netlink';
import { NHA, RTM, encodeNexthop, wireOf, type Nexthop } from '@vrfctl/rtnetlink';
import type { Request } from '@vrfctl/socket';
import { ArgumentError, protocolNames } from '@vrfctl/iproute2';
import type { IpVersion, NexthopChange, NexthopSpec, NexthopWord } from './model.js';
import { encapBytes } from './encap.js';

/** Names a spec carries that only the kernel can turn into numbers. */
export interface NexthopResolved {
  oif?: number;
}

/** `ip nexthop add id N group … type … encap … via … dev … blackhole fdb`. */
export const DEFAULT_WORDS: readonly NexthopWord[] = ['id', 'group', 'type', 'encap', 'via', 'dev', 'blackhole', 'fdb'];

const U32_MAX = 0xffffffff;
/** Timers travel in clock_t (USER_HZ 100); ip refuses values whose product would not fit. */
const USER_HZ = 100;

export function familyNumber(v: IpVersion | undefined): number {
  return v === 4 ? AF_INET : v === 6 ? AF_INET6 : 0;
}

function familyName(n: number): string {
  return n === AF_INET ? 'inet' : n === AF_INET6 ? 'inet6' : 'unspec';
}

function uint(v: number, what: string, min: number, max: number): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new ArgumentError(`invalid ${what} "${v}": out of range ${min}…${max}`);
  return v;
}

/** A protocol name (rt_protos) or number, as ip's rtnl_rtprot_a2n takes it. */
export function protocolNumber(p: string | number): number {
  if (typeof p === 'number') return uint(p, 'protocol', 0, 255);
  return protocolNames.id(p, 'protocol', 255);
}

/**
 * The model of the request for a spec (every value checked; ArgumentError for the first bad one).
 * resolved.oif is needed only when the spec names a device; without it the spec is only checked.
 */
export function nexthopModel(spec: NexthopSpec, resolved: NexthopResolved = {}): Nexthop {
  let family = familyNumber(spec.family);
  const n: Nexthop = { family: 'unspec', scope: 0, protocol: 0, flags: [], unknown: [] };
  const order: number[] = [];
  const words = [...(spec.order ?? []), ...DEFAULT_WORDS];
  const done = new Set<NexthopWord>();
  for (const w of words) {
    if (done.has(w)) continue;
    done.add(w);
    switch (w) {
      case 'id':
        if (spec.id === undefined) break;
        n.id = uint(spec.id, 'id', 0, U32_MAX);
        order.push(NHA.ID);
        break;
      case 'group':
        if (spec.group === undefined) break;
        if (spec.group.length === 0) throw new ArgumentError('"group" needs at least one member');
        n.group = spec.group.map((m) => ({ id: uint(m.id, 'group member id', 0, U32_MAX), weight: uint(m.weight ?? 1, '"weight"', 1, 256) }));
        order.push(NHA.GROUP);
        break;
      case 'type':
        if (spec.groupType === undefined) {
          if (spec.resilient !== undefined) throw new ArgumentError('resilient group parameters need "type resilient"');
          break;
        }
        if (spec.groupType !== 'mpath' && spec.groupType !== 'resilient') throw new ArgumentError(`"type" value is invalid: "${String(spec.groupType)}"`);
        if (spec.resilient !== undefined) {
          if (spec.groupType !== 'resilient') throw new ArgumentError('buckets and timers go with "type resilient"');
          const r = spec.resilient;
          const res: NonNullable<Nexthop['resilient']> = { unknown: [] };
          const inner: number[] = [];
          for (const k of [...(r.order ?? []), 'buckets', 'idleTimer', 'unbalancedTimer'] as const) {
            if (k === 'buckets' && r.buckets !== undefined && res.buckets === undefined) {
              res.buckets = uint(r.buckets, 'buckets value', 0, 0xffff);
              inner.push(1);
            } else if (k === 'idleTimer' && r.idleTimer !== undefined && res.idleTimer === undefined) {
              res.idleTimer = uint(r.idleTimer, 'idle timer value', 0, Math.floor(U32_MAX / USER_HZ) - 1) * USER_HZ;
              inner.push(2);
            } else if (k === 'unbalancedTimer' && r.unbalancedTimer !== undefined && res.unbalancedTimer === undefined) {
              res.unbalancedTimer = uint(r.unbalancedTimer, 'unbalanced timer value', 0, Math.floor(U32_MAX / USER_HZ) - 1) * USER_HZ;
              inner.push(3);
            }
          }
          wireOf(res).order = inner;
          n.resilient = res;
          order.push(NHA.RES_GROUP | NLA_F_NESTED);
        }
        n.groupType = spec.groupType;
        order.push(NHA.GROUP_TYPE);
        break;
      case 'encap':
        if (spec.encap === undefined) break;
        n.unknown.push({ type: NHA.ENCAP, nested: true, value: encapBytes(spec.encap) });
        order.push(NHA.ENCAP | NLA_F_NESTED);
        n.encapType = spec.encap.type;
        order.push(NHA.ENCAP_TYPE);
        break;
      case 'via': {
        if (spec.gateway === undefined) break;
        const ip = parseIP(spec.gateway);
        if (!ip) throw new ArgumentError(`invalid gateway "${spec.gateway}": not an IP address`);
        if (family === 0) family = ip.family;
        else if (family !== ip.family) throw new ArgumentError(`address family mismatch: "${spec.gateway}"`);
        n.gateway = spec.gateway;
        order.push(NHA.GATEWAY);
        break;
      }
      case 'dev':
        if (spec.dev === undefined) break;
        n.oif = resolved.oif ?? (typeof spec.dev === 'number' ? spec.dev : 0);
        if (family === 0) family = AF_INET;
        order.push(NHA.OIF);
        break;
      case 'blackhole':
        if (!spec.blackhole) break;
        n.blackhole = true;
        if (family === 0) family = AF_INET;
        order.push(NHA.BLACKHOLE);
        break;
      case 'fdb':
        if (!spec.fdb) break;
        n.fdb = true;
        order.push(NHA.FDB);
        break;
    }
  }
  if (spec.blackhole && (spec.gateway !== undefined || spec.dev !== undefined || spec.group !== undefined)) {
    throw new ArgumentError('a blackhole nexthop takes no "via", "dev" or "group"');
  }
  if (spec.group !== undefined && (spec.gateway !== undefined || spec.dev !== undefined)) {
    throw new ArgumentError('a group takes no "via" or "dev": its members have them');
  }
  n.family = familyName(family);
  if (spec.protocol !== undefined) n.protocol = protocolNumber(spec.protocol);
  if (spec.onlink) n.flags = ['onlink'];
  wireOf(n).order = order;
  return n;
}

const CHANGE_FLAGS: Record<NexthopChange, number> = {
  add: NLM_F_CREATE | NLM_F_EXCL,
  replace: NLM_F_CREATE | NLM_F_REPLACE,
  delete: 0,
};

/** `nexthop add id 5`: how errors name a nexthop change. */
export function describeNexthopChange(op: NexthopChange, spec: NexthopSpec): string {
  return `nexthop ${op}${spec.id !== undefined ? ` id ${spec.id}` : ''}`;
}

/** RTM_NEWNEXTHOP (add, replace) or RTM_DELNEXTHOP for a spec. */
export function nexthopRequest(op: NexthopChange, spec: NexthopSpec, resolved: NexthopResolved = {}): Request {
  const model = nexthopModel(spec, resolved);
  if (op === 'delete' && model.id === undefined) throw new ArgumentError('"nexthop del" needs an id');
  return {
    type: op === 'delete' ? RTM.DELNEXTHOP : RTM.NEWNEXTHOP,
    flags: CHANGE_FLAGS[op],
    what: describeNexthopChange(op, spec),
    encode: (b) => encodeNexthop(b, model),
  };
}

/** The delete `ip nexthop flush` sends for each nexthop: nhmsg of AF_UNSPEC and the id. */
export function deleteByIdRequest(id: number): Request {
  const model: Nexthop = { family: 'unspec', scope: 0, protocol: 0, flags: [], id, unknown: [] };
  return { type: RTM.DELNEXTHOP, flags: 0, encode: (b) => encodeNexthop(b, model) };
}

/** Kernel-side selectors of a nexthop or bucket dump (resolved to numbers). */
export interface DumpSelector {
  family?: IpVersion;
  oif?: number;
  groups?: boolean;
  master?: number;
  fdb?: boolean;
}

function selectorModel(s: DumpSelector): Nexthop {
  const n: Nexthop = { family: familyName(familyNumber(s.family)), scope: 0, protocol: 0, flags: [], unknown: [] };
  // nh_dump_filter's order.
  const order: number[] = [];
  if (s.oif) {
    n.oif = s.oif;
    order.push(NHA.OIF);
  }
  if (s.groups) {
    n.groups = true;
    order.push(NHA.GROUPS);
  }
  if (s.master) {
    n.master = s.master;
    order.push(NHA.MASTER);
  }
  if (s.fdb) {
    n.fdb = true;
    order.push(NHA.FDB);
  }
  wireOf(n).order = order;
  return n;
}

/** RTM_GETNEXTHOP dump with the kernel-side selectors. */
export function nexthopDumpRequest(s: DumpSelector = {}): Request {
  const model = selectorModel(s);
  return { type: RTM.GETNEXTHOP, flags: 0, encode: (b) => encodeNexthop(b, model) };
}

/** RTM_GETNEXTHOP for one id (`ip nexthop get id N`). */
export function nexthopGetRequest(id: number, family?: IpVersion): Request {
  const model: Nexthop = { family: familyName(familyNumber(family)), scope: 0, protocol: 0, flags: [], id: uint(id, 'id', 1, U32_MAX), unknown: [] };
  return { type: RTM.GETNEXTHOP, flags: 0, encode: (b) => encodeNexthop(b, model) };
}

/** RTM_GETNEXTHOPBUCKET dump: the selectors, then the group id and a bucket nexthop id. */
export function bucketDumpRequest(s: DumpSelector & { id?: number; nhid?: number } = {}): Request {
  const model = selectorModel(s);
  if (s.id) {
    model.id = s.id;
    wireOf(model).order!.push(NHA.ID);
  }
  if (s.nhid) {
    model.bucket = { nhId: s.nhid, unknown: [] };
    wireOf(model).order!.push(NHA.RES_BUCKET | NLA_F_NESTED);
  }
  return { type: RTM.GETNEXTHOPBUCKET, flags: 0, encode: (b) => encodeNexthop(b, model) };
}

/** RTM_GETNEXTHOPBUCKET for one bucket (`ip nexthop bucket get id N index I`). */
export function bucketGetRequest(id: number, index: number, family?: IpVersion): Request {
  const model: Nexthop = {
    family: familyName(familyNumber(family)), scope: 0, protocol: 0, flags: [], id: uint(id, 'id', 1, U32_MAX),
    bucket: { index: uint(index, 'bucket index value', 0, 0xffff), unknown: [] }, unknown: [],
  };
  wireOf(model).order = [NHA.ID, NHA.RES_BUCKET | NLA_F_NESTED];
  return { type: RTM.GETNEXTHOPBUCKET, flags: 0, encode: (b) => encodeNexthop(b, model) };
}
