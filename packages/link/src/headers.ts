// The fixed family headers of link, address and neighbour requests, written with
// @vrfctl/rtnetlink's layouts straight into a MessageBuilder.
import type { MessageBuilder } from '@vrfctl/netlink';
import { ifaddrmsg, ifinfomsg, ndmsg } from '@vrfctl/rtnetlink';

export interface IfInfoHeader {
  family?: number;
  type?: number;
  index?: number;
  flags?: number;
  change?: number;
}

/** struct ifinfomsg: family, pad, type, index, flags, change. */
export function writeIfInfo(b: MessageBuilder, h: IfInfoHeader = {}): void {
  const at = b.reserve(ifinfomsg.span);
  ifinfomsg.encode({
    family: h.family ?? 0, type: h.type ?? 0, index: h.index ?? 0, flags: (h.flags ?? 0) >>> 0, change: (h.change ?? 0) >>> 0,
  }, b.raw, at);
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
  const at = b.reserve(ifaddrmsg.span);
  ifaddrmsg.encode({ ...h, flags: h.flags & 0xff, index: h.index >>> 0 }, b.raw, at);
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
  const at = b.reserve(ndmsg.span);
  ndmsg.encode({ family: h.family, ifindex: h.index, state: h.state, flags: h.flags, type: h.type ?? 0 }, b.raw, at);
}
