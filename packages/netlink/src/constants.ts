// Netlink protocol constants (linux/netlink.h). Values are ABI and never change.

/** Netlink protocol families for socket(AF_NETLINK, SOCK_RAW, protocol). */
export const NETLINK_ROUTE = 0;
/** Socket listings (inet_diag and friends): what `ss` reads. */
export const NETLINK_SOCK_DIAG = 4;
export const NETLINK_GENERIC = 16;

/** Control message types below NLMSG_MIN_TYPE. */
export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;
export const NLMSG_MIN_TYPE = 0x10;

export const NLMSG_ALIGNTO = 4;
export const NLMSG_HDRLEN = 16;
export const NLA_HDRLEN = 4;

/** nlmsg_flags, standard. */
export const NLM_F_REQUEST = 0x01;
export const NLM_F_MULTI = 0x02;
export const NLM_F_ACK = 0x04;
export const NLM_F_ECHO = 0x08;
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP_FILTERED = 0x20;

/** Modifiers to GET requests. */
export const NLM_F_ROOT = 0x100;
export const NLM_F_MATCH = 0x200;
export const NLM_F_ATOMIC = 0x400;
export const NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

/** Modifiers to NEW requests. */
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;

/** Modifiers to DELETE requests. */
export const NLM_F_NONREC = 0x100;
export const NLM_F_BULK = 0x200;

/** Flags of an ACK (NLMSG_ERROR with error 0). */
export const NLM_F_CAPPED = 0x100;
export const NLM_F_ACK_TLVS = 0x200;

/** Attribute type bits. */
export const NLA_F_NESTED = 0x8000;
export const NLA_F_NET_BYTEORDER = 0x4000;
export const NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

/** Extended ACK attributes (enum nlmsgerr_attrs). */
export const NLMSGERR_ATTR_UNUSED = 0;
export const NLMSGERR_ATTR_MSG = 1;
export const NLMSGERR_ATTR_OFFS = 2;
export const NLMSGERR_ATTR_COOKIE = 3;
export const NLMSGERR_ATTR_POLICY = 4;
export const NLMSGERR_ATTR_MISS_TYPE = 5;
export const NLMSGERR_ATTR_MISS_NEST = 6;

/** Socket options at SOL_NETLINK. */
export const SOL_NETLINK = 270;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_DROP_MEMBERSHIP = 2;
export const NETLINK_PKTINFO = 3;
export const NETLINK_BROADCAST_ERROR = 4;
export const NETLINK_NO_ENOBUFS = 5;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const NETLINK_LIST_MEMBERSHIPS = 9;
export const NETLINK_CAP_ACK = 10;
export const NETLINK_EXT_ACK = 11;
export const NETLINK_GET_STRICT_CHK = 12;

const FLAG_NAMES_COMMON: ReadonlyArray<[number, string]> = [
  [NLM_F_REQUEST, 'REQUEST'],
  [NLM_F_MULTI, 'MULTI'],
  [NLM_F_ACK, 'ACK'],
  [NLM_F_ECHO, 'ECHO'],
  [NLM_F_DUMP_INTR, 'DUMP_INTR'],
  [NLM_F_DUMP_FILTERED, 'DUMP_FILTERED'],
];

/** The meaning of bits 0x100–0x800 depends on the request kind. */
export type FlagContext = 'get' | 'new' | 'del' | 'ack' | 'other';

const FLAG_NAMES_BY_CONTEXT: Record<FlagContext, ReadonlyArray<[number, string]>> = {
  get: [[NLM_F_ROOT, 'ROOT'], [NLM_F_MATCH, 'MATCH'], [NLM_F_ATOMIC, 'ATOMIC']],
  new: [[NLM_F_REPLACE, 'REPLACE'], [NLM_F_EXCL, 'EXCL'], [NLM_F_CREATE, 'CREATE'], [NLM_F_APPEND, 'APPEND']],
  del: [[NLM_F_NONREC, 'NONREC'], [NLM_F_BULK, 'BULK']],
  ack: [[NLM_F_CAPPED, 'CAPPED'], [NLM_F_ACK_TLVS, 'ACK_TLVS']],
  other: [],
};

/** Names for the set bits of nlmsg_flags; unnamed bits come back as hex. */
export function flagNames(flags: number, context: FlagContext): string[] {
  const names: string[] = [];
  let rest = flags;
  for (const [bit, name] of [...FLAG_NAMES_COMMON, ...FLAG_NAMES_BY_CONTEXT[context]]) {
    if (rest & bit) {
      names.push(name);
      rest &= ~bit;
    }
  }
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names;
}

/** Parses names made by flagNames back into a number. */
export function flagsFromNames(names: readonly string[], context: FlagContext): number {
  const table = new Map([...FLAG_NAMES_COMMON, ...FLAG_NAMES_BY_CONTEXT[context]].map(([bit, name]) => [name, bit]));
  let flags = 0;
  for (const name of names) {
    const bit = table.get(name) ?? (/^0x[0-9a-f]+$/i.test(name) ? Number.parseInt(name, 16) : undefined);
    if (bit === undefined) throw new RangeError(`unknown netlink flag ${name}`);
    flags |= bit;
  }
  return flags;
}

export function align(len: number): number {
  // Not `& ~3`: bitwise operators truncate to int32, which turns lengths from 2^31 up negative.
  return len + ((NLMSG_ALIGNTO - (len % NLMSG_ALIGNTO)) % NLMSG_ALIGNTO);
}
