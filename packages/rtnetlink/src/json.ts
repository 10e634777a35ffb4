// A generic JSON form of any NETLINK_ROUTE message, driven by a schema of attribute types.
// messageFromJson(messageToJson(m)) gives m back byte for byte: a value is shown typed only when
// writing the typed form back gives the same bytes, otherwise as hex; a message that still would
// not come back identically (odd padding, non-zero reserved bytes) is shown as header + hex.
import {
  DecodeError, MessageBuilder, NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_DONE, NLMSG_ERROR,
  NLMSG_HDRLEN, NLMSG_NOOP, NLMSG_OVERRUN, NLMSGERR_ATTR_COOKIE, NLMSGERR_ATTR_MISS_NEST, NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_POLICY, NLM_F_ACK_TLVS, NLM_F_CAPPED, align, errnoFromName,
  errnoName, flagNames, flagsFromNames, fromHex, readHeader, toHex, type FlagContext, type Message,
} from '@vrfctl/netlink';
import { EnumNames } from './names.js';
import { RTM, rtmKind, rtmNames } from './constants/messages.js';
import { IFA } from './constants/address.js';
import { FRA } from './constants/rule.js';
import { NDA } from './constants/neighbour.js';
import { RTA, RTAX } from './constants/route.js';
import { NHA, NHA_RES_BUCKET, NHA_RES_GROUP } from './constants/nexthop.js';
import { IFLA, IFLA_BOND, IFLA_INFO, IFLA_MACVLAN, IFLA_VLAN, IFLA_VRF, IFLA_VRF_PORT, IFLA_VXLAN, VETH_INFO } from './constants/link.js';
import { addressBytes, addressText, canonicalString, familyNames, macBytes, macText } from './wire.js';

/** Plain JSON value of an attribute or header field. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** One member of NHA_GROUP as `nl decode` shows it: the weight as `ip nexthop` counts it (1…). */
export interface JsonGroupMember { id: number; weight: number }

export interface JsonAttribute {
  type: string | number;
  /** Typed value; absent when the value is shown as hex. */
  value?: string | number | true | JsonAttribute[] | JsonGroupMember[];
  hex?: string;
  nested?: true;
  netByteOrder?: true;
}

export interface JsonMessage {
  header: { len: number; type: string | number; flags: string[]; seq: number; pid: number };
  [key: string]: JsonValue | JsonAttribute[] | undefined;
}

type ScalarKind = 'u8' | 'u16' | 'u32' | 's32' | 'u16be' | 'u32be' | 'u64' | 'u64be' | 'string' | 'ip' | 'mac' | 'flag' | 'binary' | 'nhgroup';
interface AttributeSet {
  names: EnumNames;
  kinds: ReadonlyMap<number, ScalarKind | AttributeSet | ((siblings: JsonAttribute[]) => AttributeSet | undefined)>;
}

function set(constants: Record<string, number>, prefix: string, kinds: Record<string, ScalarKind | AttributeSet | ((s: JsonAttribute[]) => AttributeSet | undefined)>): AttributeSet {
  const map = new Map<number, ScalarKind | AttributeSet | ((s: JsonAttribute[]) => AttributeSet | undefined)>();
  for (const [k, v] of Object.entries(kinds)) map.set(constants[k], v);
  return { names: EnumNames.fromObject(constants, prefix), kinds: map };
}

const VRF = set(IFLA_VRF, 'IFLA_VRF_', { TABLE: 'u32' });
const VRF_PORT = set(IFLA_VRF_PORT, 'IFLA_VRF_PORT_', { TABLE: 'u32' });
const VLAN = set(IFLA_VLAN, 'IFLA_VLAN_', { ID: 'u16', PROTOCOL: 'u16be' });
const MACVLAN = set(IFLA_MACVLAN, 'IFLA_MACVLAN_', { MODE: 'u32', FLAGS: 'u16', MACADDR_COUNT: 'u32', BC_QUEUE_LEN: 'u32', BC_QUEUE_LEN_USED: 'u32' });
const VXLAN = set(IFLA_VXLAN, 'IFLA_VXLAN_', {
  ID: 'u32', GROUP: 'ip', GROUP6: 'ip', LINK: 'u32', LOCAL: 'ip', LOCAL6: 'ip', TTL: 'u8', TOS: 'u8', LEARNING: 'u8',
  AGEING: 'u32', LIMIT: 'u32', PORT: 'u16be', PROXY: 'u8', RSC: 'u8', L2MISS: 'u8', L3MISS: 'u8', UDP_CSUM: 'u8',
  COLLECT_METADATA: 'u8', TTL_INHERIT: 'u8', DF: 'u8', LABEL: 'u32be', UDP_ZERO_CSUM6_TX: 'u8', UDP_ZERO_CSUM6_RX: 'u8',
  REMCSUM_TX: 'u8', REMCSUM_RX: 'u8', VNIFILTER: 'u8', LOCALBYPASS: 'u8',
});
const BOND = set(IFLA_BOND, 'IFLA_BOND_', { MODE: 'u8' });
const PROP_LIST = set({ UNSPEC: 0, ALT_IFNAME: IFLA.ALT_IFNAME }, 'IFLA_', { ALT_IFNAME: 'string' });
let LINK: AttributeSet;
const VETH = set(VETH_INFO, 'VETH_INFO_', { PEER: 'binary' });
const DATA_BY_KIND: Record<string, AttributeSet> = { vrf: VRF, vlan: VLAN, macvlan: MACVLAN, vxlan: VXLAN, bond: BOND, veth: VETH };
const kindOf = (siblings: JsonAttribute[], type: number): string | undefined => {
  const k = siblings.find((a) => a.type === (type === IFLA_INFO.DATA ? 'IFLA_INFO_KIND' : 'IFLA_INFO_SLAVE_KIND'));
  return typeof k?.value === 'string' ? k.value : undefined;
};
const INFO = set(IFLA_INFO, 'IFLA_INFO_', {
  KIND: 'string', SLAVE_KIND: 'string',
  DATA: (s) => DATA_BY_KIND[kindOf(s, IFLA_INFO.DATA) ?? ''],
  SLAVE_DATA: (s) => (kindOf(s, IFLA_INFO.SLAVE_DATA) === 'vrf' ? VRF_PORT : undefined),
});
LINK = set(IFLA, 'IFLA_', {
  ADDRESS: 'mac', BROADCAST: 'mac', IFNAME: 'string', MTU: 'u32', LINK: 'u32', QDISC: 'string', MASTER: 'u32',
  TXQLEN: 'u32', OPERSTATE: 'u8', LINKMODE: 'u8', LINKINFO: INFO, NET_NS_PID: 'u32', IFALIAS: 'string', NUM_VF: 'u32',
  GROUP: 'u32', NET_NS_FD: 'u32', EXT_MASK: 'u32', PROMISCUITY: 'u32', NUM_TX_QUEUES: 'u32', NUM_RX_QUEUES: 'u32',
  CARRIER: 'u8', CARRIER_CHANGES: 'u32', LINK_NETNSID: 's32', PHYS_PORT_NAME: 'string', PROTO_DOWN: 'u8',
  GSO_MAX_SEGS: 'u32', GSO_MAX_SIZE: 'u32', NEW_NETNSID: 's32', TARGET_NETNSID: 's32', CARRIER_UP_COUNT: 'u32',
  CARRIER_DOWN_COUNT: 'u32', NEW_IFINDEX: 's32', MIN_MTU: 'u32', MAX_MTU: 'u32', PROP_LIST: PROP_LIST,
  ALT_IFNAME: 'string', PERM_ADDRESS: 'mac', PARENT_DEV_NAME: 'string', PARENT_DEV_BUS_NAME: 'string',
  GRO_MAX_SIZE: 'u32', TSO_MAX_SIZE: 'u32', TSO_MAX_SEGS: 'u32', ALLMULTI: 'u32', GSO_IPV4_MAX_SIZE: 'u32',
  GRO_IPV4_MAX_SIZE: 'u32',
});
const ADDR = set(IFA, 'IFA_', {
  ADDRESS: 'ip', LOCAL: 'ip', LABEL: 'string', BROADCAST: 'ip', ANYCAST: 'ip', MULTICAST: 'ip', FLAGS: 'u32',
  RT_PRIORITY: 'u32', TARGET_NETNSID: 's32', PROTO: 'u8',
});
const METRICS = set(RTAX, 'RTAX_', Object.fromEntries(Object.keys(RTAX).filter((k) => k !== 'UNSPEC').map((k) => [k, k === 'CC_ALGO' ? 'string' : 'u32'])) as Record<string, ScalarKind>);
const ROUTE = set(RTA, 'RTA_', {
  DST: 'ip', SRC: 'ip', IIF: 'u32', OIF: 'u32', GATEWAY: 'ip', PRIORITY: 'u32', PREFSRC: 'ip', METRICS,
  FLOW: 'u32', TABLE: 'u32', MARK: 'u32', PREF: 'u8', ENCAP_TYPE: 'u16', EXPIRES: 'u32', UID: 'u32',
  TTL_PROPAGATE: 'u8', IP_PROTO: 'u8', SPORT: 'u16be', DPORT: 'u16be', NH_ID: 'u32',
});
const RULE = set(FRA, 'FRA_', {
  DST: 'ip', SRC: 'ip', IIFNAME: 'string', OIFNAME: 'string', GOTO: 'u32', PRIORITY: 'u32', FWMARK: 'u32',
  FWMASK: 'u32', FLOW: 'u32', TUN_ID: 'u64be', SUPPRESS_IFGROUP: 'u32', SUPPRESS_PREFIXLEN: 'u32', TABLE: 'u32',
  L3MDEV: 'u8', PROTOCOL: 'u8', IP_PROTO: 'u8', DSCP: 'u8',
});
const NEIGH = set(NDA, 'NDA_', {
  DST: 'ip', LLADDR: 'mac', PROBES: 'u32', VLAN: 'u16', PORT: 'u16be', VNI: 'u32', IFINDEX: 'u32', MASTER: 'u32',
  LINK_NETNSID: 's32', SRC_VNI: 'u32', PROTOCOL: 'u8', NH_ID: 'u32', FLAGS_EXT: 'u32', NDM_STATE_MASK: 'u16', NDM_FLAGS_MASK: 'u8',
});
const NH_RES_GROUP = set(NHA_RES_GROUP, 'NHA_RES_GROUP_', { BUCKETS: 'u16', IDLE_TIMER: 'u32', UNBALANCED_TIMER: 'u32', UNBALANCED_TIME: 'u64' });
const NH_RES_BUCKET = set(NHA_RES_BUCKET, 'NHA_RES_BUCKET_', { INDEX: 'u16', IDLE_TIME: 'u64', NH_ID: 'u32' });
const NEXTHOP = set(NHA, 'NHA_', {
  ID: 'u32', GROUP: 'nhgroup', GROUP_TYPE: 'u16', BLACKHOLE: 'flag', OIF: 'u32', GATEWAY: 'ip', ENCAP_TYPE: 'u16',
  GROUPS: 'flag', MASTER: 'u32', FDB: 'flag', RES_GROUP: NH_RES_GROUP, RES_BUCKET: NH_RES_BUCKET, OP_FLAGS: 'u32',
  HW_STATS_ENABLE: 'u32', HW_STATS_USED: 'u32',
});
const EXTACK = set({
  UNUSED: 0, MSG: NLMSGERR_ATTR_MSG, OFFS: NLMSGERR_ATTR_OFFS, COOKIE: NLMSGERR_ATTR_COOKIE, POLICY: NLMSGERR_ATTR_POLICY,
  MISS_TYPE: NLMSGERR_ATTR_MISS_TYPE, MISS_NEST: NLMSGERR_ATTR_MISS_NEST,
}, 'NLMSGERR_ATTR_', { MSG: 'string', OFFS: 'u32', MISS_TYPE: 'u32', MISS_NEST: 'u32' });

/** Family header: its JSON key, byte size, and fields as [name, offset, size]. */
interface FamilyHeader { key: string; size: number; fields: ReadonlyArray<readonly [string, number, 1 | 2 | 4]> }
const IFINFOMSG: FamilyHeader = { key: 'ifinfomsg', size: 16, fields: [['family', 0, 1], ['pad', 1, 1], ['type', 2, 2], ['index', 4, 4], ['flags', 8, 4], ['change', 12, 4]] };
const IFADDRMSG: FamilyHeader = { key: 'ifaddrmsg', size: 8, fields: [['family', 0, 1], ['prefixlen', 1, 1], ['flags', 2, 1], ['scope', 3, 1], ['index', 4, 4]] };
const RTMSG: FamilyHeader = { key: 'rtmsg', size: 12, fields: [['family', 0, 1], ['dst_len', 1, 1], ['src_len', 2, 1], ['tos', 3, 1], ['table', 4, 1], ['protocol', 5, 1], ['scope', 6, 1], ['type', 7, 1], ['flags', 8, 4]] };
const FIBRULE: FamilyHeader = { key: 'fib_rule_hdr', size: 12, fields: [['family', 0, 1], ['dst_len', 1, 1], ['src_len', 2, 1], ['tos', 3, 1], ['table', 4, 1], ['res1', 5, 1], ['res2', 6, 1], ['action', 7, 1], ['flags', 8, 4]] };
const NHMSG: FamilyHeader = { key: 'nhmsg', size: 8, fields: [['family', 0, 1], ['scope', 1, 1], ['protocol', 2, 1], ['resvd', 3, 1], ['flags', 4, 4]] };
const NDMSG: FamilyHeader = { key: 'ndmsg', size: 12, fields: [['family', 0, 1], ['pad1', 1, 1], ['pad2', 2, 2], ['ifindex', 4, 4], ['state', 8, 2], ['flags', 10, 1], ['type', 11, 1]] };

function schemaFor(type: number): { header: FamilyHeader; attrs: AttributeSet } | undefined {
  if (type >= RTM.NEWLINK && type <= RTM.SETLINK) return { header: IFINFOMSG, attrs: LINK };
  if (type >= RTM.NEWADDR && type <= RTM.GETADDR) return { header: IFADDRMSG, attrs: ADDR };
  if (type >= RTM.NEWROUTE && type <= RTM.GETROUTE) return { header: RTMSG, attrs: ROUTE };
  if (type >= RTM.NEWNEIGH && type <= RTM.GETNEIGH) return { header: NDMSG, attrs: NEIGH };
  if (type >= RTM.NEWRULE && type <= RTM.GETRULE) return { header: FIBRULE, attrs: RULE };
  if (type >= RTM.NEWNEXTHOP && type <= RTM.GETNEXTHOP) return { header: NHMSG, attrs: NEXTHOP };
  if (type >= RTM.NEWNEXTHOPBUCKET && type <= RTM.GETNEXTHOPBUCKET) return { header: NHMSG, attrs: NEXTHOP };
  return undefined;
}

const controlNames = new EnumNames([['NLMSG_NOOP', NLMSG_NOOP], ['NLMSG_ERROR', NLMSG_ERROR], ['NLMSG_DONE', NLMSG_DONE], ['NLMSG_OVERRUN', NLMSG_OVERRUN]]);

function typeName(type: number): string | number {
  return type < 16 ? controlNames.name(type) : rtmNames.name(type);
}
function typeValue(name: string | number): number {
  if (typeof name === 'number') return name;
  return name.startsWith('NLMSG_') ? controlNames.value(name) : rtmNames.value(name);
}
function flagContext(type: number): FlagContext {
  if (type === NLMSG_ERROR || type === NLMSG_DONE) return 'ack';
  const k = rtmKind(type);
  return k === 'set' ? 'new' : k;
}

const MAX_DEPTH = 32;

/** Typed value of a scalar, or undefined when the bytes do not fit the kind exactly. */
function scalar(kind: ScalarKind, v: Buffer): string | number | true | JsonGroupMember[] | undefined {
  const n = v.length;
  switch (kind) {
    case 'nhgroup': return groupMembers(v);
    case 'u8': return n === 1 ? v[0] : undefined;
    case 'u16': return n === 2 ? v.readUInt16LE(0) : undefined;
    case 'u32': return n === 4 ? v.readUInt32LE(0) : undefined;
    case 's32': return n === 4 ? v.readInt32LE(0) : undefined;
    case 'u16be': return n === 2 ? v.readUInt16BE(0) : undefined;
    case 'u32be': return n === 4 ? v.readUInt32BE(0) : undefined;
    case 'u64': return n === 8 ? v.readBigUInt64LE(0).toString() : undefined;
    case 'u64be': return n === 8 ? v.readBigUInt64BE(0).toString() : undefined;
    case 'string': return canonicalString(v, 0, n);
    case 'ip': return addressText(v, 0, n);
    case 'mac': return macText(v, 0, n);
    case 'flag': return n === 0 ? true : undefined;
    default: return undefined;
  }
}

/** struct nexthop_grp[]: {id, weight} with weight = wire weight + 1; reserved bytes must be zero. */
function groupMembers(v: Buffer): JsonGroupMember[] | undefined {
  if (v.length === 0 || v.length % 8 !== 0) return undefined;
  const out: JsonGroupMember[] = [];
  for (let at = 0; at < v.length; at += 8) {
    if (v.readUInt16LE(at + 6) !== 0) return undefined;
    out.push({ id: v.readUInt32LE(at), weight: v.readUInt16LE(at + 4) + 1 });
  }
  return out;
}

function groupBytes(members: readonly JsonGroupMember[]): Buffer {
  const b = Buffer.alloc(members.length * 8);
  members.forEach((m, i) => {
    b.writeUInt32LE(m.id, i * 8);
    b.writeUInt16LE(m.weight - 1, i * 8 + 4);
  });
  return b;
}

function scalarBytes(kind: ScalarKind, value: string | number | true): Buffer {
  const num = (): number => {
    if (typeof value !== 'number') throw new RangeError(`${kind} value must be a number`);
    return value;
  };
  switch (kind) {
    case 'u8': { const b = Buffer.alloc(1); b.writeUInt8(num()); return b; }
    case 'u16': { const b = Buffer.alloc(2); b.writeUInt16LE(num()); return b; }
    case 'u32': { const b = Buffer.alloc(4); b.writeUInt32LE(num()); return b; }
    case 's32': { const b = Buffer.alloc(4); b.writeInt32LE(num()); return b; }
    case 'u16be': { const b = Buffer.alloc(2); b.writeUInt16BE(num()); return b; }
    case 'u32be': { const b = Buffer.alloc(4); b.writeUInt32BE(num()); return b; }
    case 'u64': { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(String(value))); return b; }
    case 'u64be': { const b = Buffer.alloc(8); b.writeBigUInt64BE(BigInt(String(value))); return b; }
    case 'string': return Buffer.concat([Buffer.from(String(value)), Buffer.alloc(1)]);
    case 'ip': return Buffer.from(addressBytes(String(value)));
    case 'mac': return Buffer.from(macBytes(String(value)));
    case 'flag': return Buffer.alloc(0);
    default: throw new RangeError(`no typed form for ${kind}`);
  }
}

/** Attributes of buf[start, end) as JSON; lengths that do not fit are a DecodeError. */
function attributesToJson(buf: Buffer, start: number, end: number, attrs: AttributeSet | undefined, depth: number): JsonAttribute[] {
  if (depth > MAX_DEPTH) throw new DecodeError(`attributes nested deeper than ${MAX_DEPTH}`, start);
  const out: JsonAttribute[] = [];
  let off = start;
  while (off < end) {
    if (off + NLA_HDRLEN > end) throw new DecodeError(`truncated attribute header: ${end - off} of 4 bytes`, off);
    const len = buf.readUInt16LE(off);
    const raw = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN || off + len > end) throw new DecodeError(`attribute length ${len} does not fit its container`, off);
    const type = raw & NLA_TYPE_MASK;
    const v = buf.subarray(off + NLA_HDRLEN, off + len);
    const a: JsonAttribute = { type: attrs ? attrs.names.name(type) : type };
    if (raw & NLA_F_NESTED) a.nested = true;
    if (raw & NLA_F_NET_BYTEORDER) a.netByteOrder = true;
    let kind = attrs?.kinds.get(type);
    if (typeof kind === 'function') kind = kind(out);
    // Unknown nests marked NLA_F_NESTED are shown as attributes too (numeric types).
    if (kind === undefined && raw & NLA_F_NESTED) kind = { names: new EnumNames([]), kinds: new Map() };
    let value: JsonAttribute['value'];
    if (typeof kind === 'string') value = scalar(kind, v);
    else if (kind !== undefined) {
      try {
        const inner = attributesToJson(buf, off + NLA_HDRLEN, off + len, kind, depth + 1);
        if (Buffer.compare(attributesFromJson(inner, kind), v) === 0) value = inner;
      } catch (e) {
        if (!(e instanceof DecodeError) || /nested deeper/.test(e.message)) throw e;
      }
    }
    if (value !== undefined) a.value = value;
    else a.hex = toHex(v);
    out.push(a);
    off += align(len);
  }
  return out;
}

function attributesFromJson(list: readonly JsonAttribute[], attrs: AttributeSet | undefined): Buffer {
  const parts: Buffer[] = [];
  const seen: JsonAttribute[] = [];
  for (const a of list) {
    const type = typeof a.type === 'number' ? a.type : (attrs ?? failSet(a.type)).names.value(a.type);
    let value: Buffer;
    if (a.hex !== undefined) value = fromHex(a.hex);
    else if (a.value === undefined) throw new RangeError(`attribute ${a.type} has neither value nor hex`);
    else {
      let kind = attrs?.kinds.get(type);
      if (typeof kind === 'function') kind = kind(seen);
      if (kind === 'nhgroup' && Array.isArray(a.value)) value = groupBytes(a.value as JsonGroupMember[]);
      else if (Array.isArray(a.value)) value = attributesFromJson(a.value as JsonAttribute[], typeof kind === 'object' ? kind : undefined);
      else if (typeof kind === 'string') value = scalarBytes(kind, a.value);
      else throw new RangeError(`attribute ${a.type} has no typed form`);
    }
    const hdr = Buffer.alloc(NLA_HDRLEN);
    hdr.writeUInt16LE(NLA_HDRLEN + value.length, 0);
    hdr.writeUInt16LE(type | (a.nested ? NLA_F_NESTED : 0) | (a.netByteOrder ? NLA_F_NET_BYTEORDER : 0), 2);
    parts.push(hdr, value, Buffer.alloc(align(value.length) - value.length));
    seen.push(a);
  }
  return Buffer.concat(parts);
}

function failSet(name: string): never {
  throw new RangeError(`attribute type "${name}" needs a number here`);
}

function headerToJson(h: FamilyHeader, p: Buffer): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {};
  for (const [name, at, size] of h.fields) {
    const v = size === 1 ? p[at] : size === 2 ? p.readUInt16LE(at) : h === IFINFOMSG && name === 'index' ? p.readInt32LE(at) : p.readUInt32LE(at);
    if (name.startsWith('pad') || name.startsWith('res')) {
      if (v !== 0) o[name] = v;
    } else o[name] = name === 'family' ? familyNames.name(v) : v;
  }
  return o;
}

function headerFromJson(h: FamilyHeader, o: Record<string, JsonValue>): Buffer {
  const b = Buffer.alloc(h.size);
  for (const [name, at, size] of h.fields) {
    const raw = o[name] ?? 0;
    const v = name === 'family' ? familyNames.value(raw as string | number) : Number(raw);
    if (size === 1) b.writeUInt8(v, at);
    else if (size === 2) b.writeUInt16LE(v, at);
    else if (v < 0) b.writeInt32LE(v, at);
    else b.writeUInt32LE(v, at);
  }
  return b;
}

/**
 * Splits a send or receive buffer into messages, as the kernel's netlink_rcv_skb does: it stops at
 * a header whose nlmsg_len is below 16 (iproute2 sends dump requests from a larger zeroed struct)
 * and returns those bytes as trailing. A length that runs past the buffer is a DecodeError.
 */
export function splitMessages(buf: Buffer): { messages: Message[]; trailing: Buffer } {
  const messages: Message[] = [];
  let off = 0;
  while (off + NLMSG_HDRLEN <= buf.length) {
    const header = readHeader(buf, off);
    if (header.length < NLMSG_HDRLEN) break;
    if (off + header.length > buf.length) throw new DecodeError(`nlmsg_len ${header.length} runs past the buffer`, off);
    messages.push({ header, payload: buf.subarray(off + NLMSG_HDRLEN, off + header.length), offset: off });
    off += align(header.length);
  }
  return { messages, trailing: buf.subarray(Math.min(off, buf.length)) };
}

/** Splits back-to-back messages; any bytes that are not whole messages are a DecodeError. */
export function parseBuffer(buf: Buffer): Message[] {
  const { messages, trailing } = splitMessages(buf);
  if (trailing.length > 0) throw new DecodeError(`${trailing.length} bytes after the last message`, buf.length - trailing.length);
  return messages;
}

function bodyToJson(msg: Message): Record<string, JsonValue | JsonAttribute[]> {
  const { header: h, payload: p } = msg;
  if (h.type === NLMSG_ERROR || h.type === NLMSG_DONE) {
    if (p.length < 4) return { payload: toHex(p) };
    const err = p.readInt32LE(0);
    const o: Record<string, JsonValue | JsonAttribute[]> = { error: err, errno: err < 0 ? errnoName(-err) : err === 0 ? 'OK' : err };
    let at = 4;
    if (h.type === NLMSG_ERROR) {
      if (p.length < 4 + NLMSG_HDRLEN) return { payload: toHex(p) };
      const rq = readHeader(p, 4);
      o.request = { len: rq.length, type: typeName(rq.type), flags: flagNames(rq.flags, flagContext(rq.type)), seq: rq.seq, pid: rq.pid };
      at += NLMSG_HDRLEN;
      if (!(h.flags & NLM_F_CAPPED)) {
        const n = Math.max(0, rq.length - NLMSG_HDRLEN);
        if (at + n > p.length) return { payload: toHex(p) };
        o.requestPayload = toHex(p.subarray(at, at + n));
        at += align(n);
      }
    }
    if (at < p.length) {
      if (h.flags & NLM_F_ACK_TLVS) o.extack = attributesToJson(p, Math.min(at, p.length), p.length, EXTACK, 0);
      else o.rest = toHex(p.subarray(at));
    }
    return o;
  }
  const schema = schemaFor(h.type);
  if (!schema || p.length < schema.header.size) return { payload: toHex(p) };
  return {
    [schema.header.key]: headerToJson(schema.header, p),
    attributes: attributesToJson(p, schema.header.size, p.length, schema.attrs, 0),
  };
}

function bodyFromJson(type: number, flags: number, o: JsonMessage): Buffer {
  if (typeof o.payload === 'string') return fromHex(o.payload);
  if (type === NLMSG_ERROR || type === NLMSG_DONE) {
    const parts: Buffer[] = [];
    const e = Buffer.alloc(4);
    const errno = o.errno;
    e.writeInt32LE(typeof o.error === 'number' ? o.error : typeof errno === 'string' ? -(errnoFromName(errno) ?? 0) : 0);
    parts.push(e);
    if (type === NLMSG_ERROR) {
      const rq = o.request as { len: number; type: string | number; flags: string[]; seq: number; pid: number };
      const hb = Buffer.alloc(NLMSG_HDRLEN);
      const rt = typeValue(rq.type);
      hb.writeUInt32LE(rq.len >>> 0, 0);
      hb.writeUInt16LE(rt, 4);
      hb.writeUInt16LE(flagsFromNames(rq.flags, flagContext(rt)), 6);
      hb.writeUInt32LE(rq.seq >>> 0, 8);
      hb.writeUInt32LE(rq.pid >>> 0, 12);
      parts.push(hb);
      if (typeof o.requestPayload === 'string') {
        const rp = fromHex(o.requestPayload);
        parts.push(rp, Buffer.alloc(align(rp.length) - rp.length));
      }
    }
    if (Array.isArray(o.extack)) parts.push(attributesFromJson(o.extack as JsonAttribute[], EXTACK));
    if (typeof o.rest === 'string') parts.push(fromHex(o.rest));
    void flags;
    return Buffer.concat(parts);
  }
  const schema = schemaFor(type);
  if (!schema) throw new RangeError(`no schema for message type ${type}; give payload as hex`);
  const fh = o[schema.header.key];
  if (fh === undefined || typeof fh !== 'object' || Array.isArray(fh) || fh === null) throw new RangeError(`missing ${schema.header.key}`);
  return Buffer.concat([headerFromJson(schema.header, fh as Record<string, JsonValue>), attributesFromJson((o.attributes ?? []) as JsonAttribute[], schema.attrs)]);
}

/**
 * One message (a Message, or a buffer holding exactly one) as plain JSON. A DecodeError for bytes
 * that are not a netlink message; everything else comes out, typed where exact, hex otherwise.
 */
export function messageToJson(input: Buffer | Uint8Array | Message): JsonMessage {
  let msg: Message;
  if ('header' in input && 'payload' in input) msg = input as Message;
  else {
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const list = parseBuffer(buf);
    if (list.length !== 1) throw new DecodeError(`expected one message, found ${list.length}`, 0);
    msg = list[0];
  }
  const h = msg.header;
  const header = { len: h.length, type: typeName(h.type), flags: flagNames(h.flags, flagContext(h.type)), seq: h.seq, pid: h.pid };
  const original = Buffer.alloc(h.length);
  original.writeUInt32LE(h.length, 0);
  original.writeUInt16LE(h.type, 4);
  original.writeUInt16LE(h.flags, 6);
  original.writeUInt32LE(h.seq, 8);
  original.writeUInt32LE(h.pid, 12);
  msg.payload.copy(original, NLMSG_HDRLEN);
  let json: JsonMessage = { header, ...bodyToJson(msg) } as JsonMessage;
  // The guarantee: if the typed form would not give the same bytes back, show the payload as hex.
  let same = false;
  try {
    same = messageFromJson(json).equals(original);
  } catch {
    same = false;
  }
  if (!same) json = { header, payload: toHex(msg.payload) };
  return json;
}

/** The bytes of a message from its JSON form (nlmsg_len as given when it only drops trailing padding). */
export function messageFromJson(json: JsonMessage): Buffer {
  const type = typeValue(json.header.type);
  const flags = flagsFromNames(json.header.flags, flagContext(type));
  const body = bodyFromJson(type, flags, json);
  let len = NLMSG_HDRLEN + body.length;
  // A last attribute the sender did not pad: the length says so; trailing bytes beyond it are padding.
  if (json.header.len < len && len - json.header.len < 4 && body.subarray(json.header.len - NLMSG_HDRLEN).every((x) => x === 0)) len = json.header.len;
  const out = Buffer.alloc(len);
  out.writeUInt32LE(json.header.len === len ? len : len, 0);
  out.writeUInt16LE(type, 4);
  out.writeUInt16LE(flags, 6);
  out.writeUInt32LE(json.header.seq >>> 0, 8);
  out.writeUInt32LE(json.header.pid >>> 0, 12);
  body.copy(out, NLMSG_HDRLEN, 0, len - NLMSG_HDRLEN);
  return out;
}
