// The fixed family headers of link, address and neighbour messages, written straight into a
// MessageBuilder (field layout from linux/rtnetlink.h, linux/if_addr.h, linux/neighbour.h).
import type { MessageBuilder } from '@vrfctl/netlink';

export const IFINFOMSG_LEN = 16;
export const IFADDRMSG_LEN = 8;
export const NDMSG_LEN = 12;

export interface IfInfoHeader {
  family?: number;
  type?: number;
  index?: number;
  flags?: number;
  change?: number;
}

/** struct ifinfomsg: family, pad, type, index, flags, change. */
export function writeIfInfo(b: MessageBuilder, h: IfInfoHeader = {}): void {
  const at = b.reserve(IFINFOMSG_LEN);
  const raw = b.raw;
  raw.writeUInt8(h.family ?? 0, at);
  raw.writeUInt16LE(h.type ?? 0, at + 2);
  raw.writeInt32LE(h.index ?? 0, at + 4);
  raw.writeUInt32LE((h.flags ?? 0) >>> 0, at + 8);
  raw.writeUInt32LE((h.change ?? 0) >>> 0, at + 12);
}

export interface IfAddrHeader {
  family: number;
  prefixlen: number;
  flags: number;
  scope: number;
  index: number;
}

/** struct ifaddrmsg: family, prefixlen, flags (low 8 bits), scope, index. */
export function writeIfAddr(b: MessageBuilder, h: IfAddrHeader): void {
  const at = b.reserve(IFADDRMSG_LEN);
  const raw = b.raw;
  raw.writeUInt8(h.family, at);
  raw.writeUInt8(h.prefixlen, at + 1);
  raw.writeUInt8(h.flags & 0xff, at + 2);
  raw.writeUInt8(h.scope, at + 3);
  raw.writeUInt32LE(h.index >>> 0, at + 4);
}

export interface NdHeader {
  family: number;
  index: number;
  state: number;
  flags: number;
  type?: number;
}

/** struct ndmsg: family, 3 pad bytes, ifindex, state (u16), flags (u8), type (u8). */
export function writeNd(b: MessageBuilder, h: NdHeader): void {
  const at = b.reserve(NDMSG_LEN);
  const raw = b.raw;
  raw.writeUInt8(h.family, at);
  raw.writeInt32LE(h.index, at + 4);
  raw.writeUInt16LE(h.state, at + 8);
  raw.writeUInt8(h.flags, at + 10);
  raw.writeUInt8(h.type ?? 0, at + 11);
}
