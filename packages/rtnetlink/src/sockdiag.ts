// NETLINK_SOCK_DIAG for inet sockets: struct inet_diag_req_v2 (the dump request) and struct
// inet_diag_msg (one reply per socket) with its INET_DIAG_* attributes, as typed models.
// Ports and addresses are network byte order on the wire; everything else is host order.
import BufferLayout from 'buffer-layout';
import { MessageBuilder, formatIPv4, formatIPv6, parseIPv4, parseIPv6, type Message } from '@vrfctl/netlink';
import { INET_DIAG, SOCK_DIAG_BY_FAMILY, ipProtocolNames, tcpStateNames } from './constants/sockdiag.js';
import type { EnumValue } from './names.js';
import { enumOf, u32, u64, u8 } from './schema/codecs.js';
import { attributeTable, type AttributeModel } from './schema/attributes.js';
import { decodeMessage, encodeMessage, messageSchema } from './schema/message.js';
import { familyNames } from './wire.js';

/** struct inet_diag_sockid: 48 bytes. */
export const INET_DIAG_SOCKID_LEN = 48;
/** struct inet_diag_req_v2: family, protocol, ext, pad (raw protocol for raw_diag), states, sockid. */
export const INET_DIAG_REQ_V2_LEN = 8 + INET_DIAG_SOCKID_LEN;
/** INET_DIAG_NOCOOKIE: both cookie words all ones (no particular socket). */
const NO_COOKIE = 0xffffffffffffffffn;

export interface InetDiagSockId {
  sport: number;
  dport: number;
  /** Address text of the family (IPv4 uses the first 4 of 16 bytes). */
  src: string;
  dst: string;
  /** sk_bound_dev_if: the device the socket is bound to (SO_BINDTODEVICE, a VRF), 0 for none. */
  ifindex: number;
  cookie: bigint;
}

export interface InetDiagRequest {
  family: EnumValue;
  /** IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW… (which *_diag module answers). */
  protocol: number;
  /** Bit mask of INET_DIAG_* - 1 extensions to ask for (MEMINFO = bit 0…). */
  ext: number;
  /** raw_diag: the raw protocol to list (IPPROTO_RAW: all); 0 for the others. */
  rawProtocol: number;
  /** Bit mask of socket states (1 << TCP_LISTEN …). */
  states: number;
  id?: Partial<InetDiagSockId>;
}

export interface InetDiagSocket extends AttributeModel {
  family: EnumValue;
  state: EnumValue;
  timer: number;
  retrans: number;
  id: InetDiagSockId;
  expires: number;
  rqueue: number;
  wqueue: number;
  uid: number;
  inode: number;
  /** INET_DIAG_PROTOCOL (raw sockets): the protocol they were opened for, 'icmp', a number… */
  protocol?: EnumValue;
  shutdown?: number;
  tos?: number;
  tclass?: number;
  /** INET_DIAG_SKV6ONLY: 1 when an IPv6 socket takes no IPv4 (IPV6_V6ONLY). */
  v6only?: number;
  mark?: number;
  classId?: number;
  /** INET_DIAG_CGROUP_ID: the cgroup2 id (inode) of the socket's cgroup. */
  cgroupId?: bigint;
}

/** struct inet_diag_msg as buffer-layout sees it: ports big-endian, addresses and cookie as bytes. */
interface InetDiagMsgHeader {
  family: number; state: number; timer: number; retrans: number; sport: number; dport: number; src: Buffer; dst: Buffer;
  ifindex: number; cookie: Buffer; expires: number; rqueue: number; wqueue: number; uid: number; inode: number;
}
const { struct, u8: u8l, u16be: u16bel, u32: u32l, blob } = BufferLayout;
export const inetDiagMsg = struct<InetDiagMsgHeader>([
  u8l('family'), u8l('state'), u8l('timer'), u8l('retrans'), u16bel('sport'), u16bel('dport'), blob(16, 'src'), blob(16, 'dst'),
  u32l('ifindex'), blob(8, 'cookie'), u32l('expires'), u32l('rqueue'), u32l('wqueue'), u32l('uid'), u32l('inode'),
]);

// inet_diag_msg_attrs_fill's order, then INET_DIAG_PROTOCOL (inet_sk_diag_fill, raw sockets).
export const INET_DIAG_ATTRIBUTES = attributeTable<InetDiagSocket>(INET_DIAG, 'INET_DIAG_', [
  { type: INET_DIAG.SHUTDOWN, key: 'shutdown', codec: u8 },
  { type: INET_DIAG.TOS, key: 'tos', codec: u8 },
  { type: INET_DIAG.TCLASS, key: 'tclass', codec: u8 },
  { type: INET_DIAG.SKV6ONLY, key: 'v6only', codec: u8 },
  { type: INET_DIAG.MARK, key: 'mark', codec: u32 },
  { type: INET_DIAG.CLASS_ID, key: 'classId', codec: u32 },
  { type: INET_DIAG.CGROUP_ID, key: 'cgroupId', codec: u64 },
  { type: INET_DIAG.PROTOCOL, key: 'protocol', codec: enumOf(u8, ipProtocolNames) },
]);

function addressBuffer(text: string): Buffer {
  const out = Buffer.alloc(16);
  const bytes = parseIPv4(text) ?? parseIPv6(text);
  if (!bytes) throw new RangeError(`invalid IP address "${text}"`);
  out.set(bytes, 0);
  return out;
}

function addressText(buf: Buffer, family: number): string {
  return family === 10 ? formatIPv6(buf, 0) : formatIPv4(buf, 0);
}

function cookieBuffer(cookie: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, cookie));
  return b;
}

/** NETLINK_SOCK_DIAG's reply for one inet socket (not in `nl decode`: its type number is NETLINK_ROUTE's RTM_NEWADDR). */
export const INET_DIAG_SCHEMA = messageSchema<InetDiagSocket, InetDiagMsgHeader>({
  name: 'inet_diag_msg',
  header: inetDiagMsg,
  attributes: INET_DIAG_ATTRIBUTES,
  types: [SOCK_DIAG_BY_FAMILY],
  inet6: (h) => h.family === 10,
  fromHeader: (h) => ({
    family: familyNames.name(h.family), state: tcpStateNames.name(h.state), timer: h.timer, retrans: h.retrans,
    id: {
      sport: h.sport, dport: h.dport, src: addressText(h.src, h.family), dst: addressText(h.dst, h.family), ifindex: h.ifindex,
      cookie: h.cookie.readBigUInt64LE(0),
    },
    expires: h.expires, rqueue: h.rqueue, wqueue: h.wqueue, uid: h.uid, inode: h.inode, unknown: [],
  }),
  toWire: (s) => ({
    header: {
      family: familyNames.value(s.family), state: tcpStateNames.value(s.state), timer: s.timer, retrans: s.retrans,
      sport: s.id.sport, dport: s.id.dport, src: addressBuffer(s.id.src), dst: addressBuffer(s.id.dst), ifindex: s.id.ifindex,
      cookie: cookieBuffer(s.id.cookie), expires: s.expires, rqueue: s.rqueue, wqueue: s.wqueue, uid: s.uid, inode: s.inode,
    },
    attributes: s,
  }),
});

/** The payload of a SOCK_DIAG_BY_FAMILY request. */
export function encodeInetDiagRequest(b: MessageBuilder, r: InetDiagRequest): void {
  const at = b.reserve(INET_DIAG_REQ_V2_LEN);
  const raw = b.raw;
  raw[at] = familyNames.value(r.family);
  raw[at + 1] = r.protocol;
  raw[at + 2] = r.ext;
  raw[at + 3] = r.rawProtocol;
  raw.writeUInt32LE(r.states >>> 0, at + 4);
  const id = r.id ?? {};
  raw.writeUInt16BE(id.sport ?? 0, at + 8);
  raw.writeUInt16BE(id.dport ?? 0, at + 10);
  if (id.src !== undefined) addressBuffer(id.src).copy(raw, at + 12);
  if (id.dst !== undefined) addressBuffer(id.dst).copy(raw, at + 28);
  raw.writeUInt32LE(id.ifindex ?? 0, at + 44);
  raw.writeBigUInt64LE(id.cookie ?? NO_COOKIE, at + 48);
}

export function decodeInetDiagSocket(msg: Message): InetDiagSocket {
  return decodeMessage(INET_DIAG_SCHEMA, msg);
}

/** The reply message back from a model (for recorded fixtures and round-trip tests). */
export function encodeInetDiagSocket(b: MessageBuilder, s: InetDiagSocket): void {
  encodeMessage(INET_DIAG_SCHEMA, b, s);
}
