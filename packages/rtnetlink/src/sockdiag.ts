// NETLINK_SOCK_DIAG for inet sockets: struct inet_diag_req_v2 (the dump request) and struct
// inet_diag_msg (one reply per socket) with its INET_DIAG_* attributes, as typed models.
// Ports and addresses are network byte order on the wire; everything else is host order.
import { DecodeError, MessageBuilder, formatIPv4, formatIPv6, parseIPv4, parseIPv6, type Message } from '@vrfctl/netlink';
import { INET_DIAG, ipProtocolNames, tcpStateNames } from './constants/sockdiag.js';
import { FieldTable, decodeFields, encodeFields, enumOf, u32, u64, u8 } from './fields.js';
import type { EnumValue } from './names.js';
import { familyNames, type RawAttribute } from './wire.js';

/** struct inet_diag_sockid: 48 bytes. */
export const INET_DIAG_SOCKID_LEN = 48;
/** struct inet_diag_req_v2: family, protocol, ext, pad (raw protocol for raw_diag), states, sockid. */
export const INET_DIAG_REQ_V2_LEN = 8 + INET_DIAG_SOCKID_LEN;
/** struct inet_diag_msg: family, state, timer, retrans, sockid, expires, rqueue, wqueue, uid, inode. */
export const INET_DIAG_MSG_LEN = 4 + INET_DIAG_SOCKID_LEN + 20;
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

export interface InetDiagSocket {
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
  /** INET_DIAG_PROTOCOL: 'tcp', 'udp', a number for a raw socket's protocol. */
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
  unknown: RawAttribute[];
  order?: number[];
}

const FIELDS = [
  { type: INET_DIAG.SHUTDOWN, key: 'shutdown', codec: u8 },
  { type: INET_DIAG.TOS, key: 'tos', codec: u8 },
  { type: INET_DIAG.TCLASS, key: 'tclass', codec: u8 },
  { type: INET_DIAG.PROTOCOL, key: 'protocol', codec: enumOf(u8, ipProtocolNames) },
  { type: INET_DIAG.SKV6ONLY, key: 'v6only', codec: u8 },
  { type: INET_DIAG.MARK, key: 'mark', codec: u32 },
  { type: INET_DIAG.CLASS_ID, key: 'classId', codec: u32 },
  { type: INET_DIAG.CGROUP_ID, key: 'cgroupId', codec: u64 },
];
// inet_diag_msg_attrs_fill's order.
const TABLE = new FieldTable(FIELDS, [
  INET_DIAG.SHUTDOWN, INET_DIAG.TOS, INET_DIAG.TCLASS, INET_DIAG.SKV6ONLY, INET_DIAG.MARK, INET_DIAG.CLASS_ID, INET_DIAG.CGROUP_ID,
  INET_DIAG.PROTOCOL,
]);

function addressOut(buf: Buffer, at: number, family: number): string {
  return family === 10 ? formatIPv6(buf, at) : formatIPv4(buf, at);
}

function addressIn(buf: Buffer, at: number, text: string | undefined): void {
  if (text === undefined) return;
  const bytes = parseIPv4(text) ?? parseIPv6(text);
  if (!bytes) throw new RangeError(`invalid IP address "${text}"`);
  buf.set(bytes, at);
}

function writeSockId(buf: Buffer, at: number, id: Partial<InetDiagSockId>): void {
  buf.writeUInt16BE(id.sport ?? 0, at);
  buf.writeUInt16BE(id.dport ?? 0, at + 2);
  addressIn(buf, at + 4, id.src);
  addressIn(buf, at + 20, id.dst);
  buf.writeUInt32LE(id.ifindex ?? 0, at + 36);
  buf.writeBigUInt64LE(id.cookie ?? NO_COOKIE, at + 40);
}

function readSockId(buf: Buffer, at: number, family: number): InetDiagSockId {
  return {
    sport: buf.readUInt16BE(at), dport: buf.readUInt16BE(at + 2),
    src: addressOut(buf, at + 4, family), dst: addressOut(buf, at + 20, family),
    ifindex: buf.readUInt32LE(at + 36), cookie: buf.readBigUInt64LE(at + 40),
  };
}

/** The payload of a SOCK_DIAG_BY_FAMILY request. */
export function encodeInetDiagRequest(b: MessageBuilder, r: InetDiagRequest): void {
  const at = b.reserve(INET_DIAG_REQ_V2_LEN);
  const raw = b.raw;
  raw[at] = familyNames.value(r.family);
  raw[at + 1] = r.protocol;
  raw[at + 2] = r.ext;
  raw[at + 3] = r.rawProtocol;
  raw.writeUInt32LE(r.states >>> 0, at + 4);
  writeSockId(raw, at + 8, r.id ?? {});
}

export function decodeInetDiagSocket(msg: Message): InetDiagSocket {
  const p = msg.payload;
  if (p.length < INET_DIAG_MSG_LEN) throw new DecodeError(`inet_diag_msg needs ${INET_DIAG_MSG_LEN} bytes, message has ${p.length}`, msg.offset);
  const family = p[0];
  const s: InetDiagSocket = {
    family: familyNames.name(family), state: tcpStateNames.name(p[1]), timer: p[2], retrans: p[3],
    id: readSockId(p, 4, family),
    expires: p.readUInt32LE(52), rqueue: p.readUInt32LE(56), wqueue: p.readUInt32LE(60), uid: p.readUInt32LE(64), inode: p.readUInt32LE(68),
    unknown: [],
  };
  decodeFields(p, INET_DIAG_MSG_LEN, p.length, TABLE, s, undefined, msg.offset + 16);
  return s;
}

/** The reply message back from a model (for recorded fixtures and round-trip tests). */
export function encodeInetDiagSocket(b: MessageBuilder, s: InetDiagSocket): void {
  const family = familyNames.value(s.family);
  const at = b.reserve(INET_DIAG_MSG_LEN);
  const raw = b.raw;
  raw[at] = family;
  raw[at + 1] = tcpStateNames.value(s.state);
  raw[at + 2] = s.timer;
  raw[at + 3] = s.retrans;
  writeSockId(raw, at + 4, s.id);
  raw.writeUInt32LE(s.expires, at + 52);
  raw.writeUInt32LE(s.rqueue, at + 56);
  raw.writeUInt32LE(s.wqueue, at + 60);
  raw.writeUInt32LE(s.uid, at + 64);
  raw.writeUInt32LE(s.inode, at + 68);
  encodeFields(b, TABLE, s);
}
