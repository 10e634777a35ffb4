// Test helpers: throwaway network namespaces and the few rtnetlink encodings the tests need
// (the real codecs live in @vrfctl/rtnetlink; this package must not depend on them).
import { readdirSync, statSync } from 'node:fs';
import { getString, parseAttributes, type Message, type MessageBuilder } from '@vrfctl/netlink';
import type { Request } from '../src/index.js';

import { tempNetns, ip } from '../../../test/support/netns.js';

export { tempNetns, ip };

export const RTM_NEWLINK = 16;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_GETADDR = 22;
export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const IFLA_IFNAME = 3;
export const IFLA_LINKINFO = 18;
export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
export const VETH_INFO_PEER = 1;
export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_TABLE = 15;
export const AF_INET = 2;
export const RTNLGRP_IPV4_ROUTE = 7;



/** Inode of the calling thread's network namespace. */
export function currentNetnsInode(): number {
  return statSync('/proc/thread-self/ns/net').ino;
}

export function ifinfomsg(b: MessageBuilder, family = 0, index = 0): void {
  const at = b.reserve(16);
  b.raw.writeUInt8(family, at);
  b.raw.writeInt32LE(index, at + 4);
}

export const linkDump: Request = { type: RTM_GETLINK, flags: 0, encode: (b) => ifinfomsg(b) };

export function linkNames(msgs: Message[]): string[] {
  return msgs
    .filter((m) => m.header.type === RTM_NEWLINK)
    .map((m) => getString(parseAttributes(m.payload, 16).find((a) => a.type === IFLA_IFNAME)!.value));
}

/** RTM_NEWLINK for a veth pair (like `ip link add a type veth peer name b`). */
export function newVeth(name: string, peer: string): Request {
  return {
    type: RTM_NEWLINK,
    flags: 0x400 | 0x200, // NLM_F_CREATE | NLM_F_EXCL
    encode: (b) => {
      ifinfomsg(b);
      b.string(IFLA_IFNAME, name);
      const li = b.nest(IFLA_LINKINFO);
      b.string(IFLA_INFO_KIND, 'veth');
      const data = b.nest(IFLA_INFO_DATA);
      const p = b.nest(VETH_INFO_PEER);
      ifinfomsg(b);
      b.string(IFLA_IFNAME, peer);
      b.endNest(p);
      b.endNest(data);
      b.endNest(li);
    },
  };
}

export interface RouteSpec {
  dst: string;
  len: number;
  gateway?: string;
  oif?: number;
  table?: number;
}

/** rtmsg + attributes as `ip route add` sends them (protocol boot, scope link without gateway). */
function rtmsg(b: MessageBuilder, r: RouteSpec, add: boolean): void {
  const at = b.reserve(12);
  const raw = b.raw;
  const table = r.table ?? 254;
  raw.writeUInt8(AF_INET, at);
  raw.writeUInt8(r.len, at + 1);
  raw.writeUInt8(table < 256 ? table : 0, at + 4);
  raw.writeUInt8(add ? 3 : 0, at + 5); // RTPROT_BOOT
  raw.writeUInt8(add ? (r.gateway ? 0 : 253) : 0, at + 6); // RT_SCOPE_UNIVERSE / RT_SCOPE_LINK
  raw.writeUInt8(1, at + 7); // RTN_UNICAST
  if (table >= 256) b.u32(RTA_TABLE, table);
  b.ipv4(RTA_DST, r.dst);
  if (r.gateway) b.ipv4(RTA_GATEWAY, r.gateway);
  if (r.oif !== undefined) b.u32(RTA_OIF, r.oif);
}

export function newRoute(r: RouteSpec, flags = 0x400 | 0x200): Request {
  return { type: RTM_NEWROUTE, flags, encode: (b) => rtmsg(b, r, true) };
}

export const routeDump: Request = {
  type: RTM_GETROUTE,
  flags: 0,
  encode: (b) => {
    const at = b.reserve(12);
    b.raw.writeUInt8(AF_INET, at);
  },
};

export const addrDump: Request = {
  type: RTM_GETADDR,
  flags: 0,
  encode: (b) => {
    const at = b.reserve(8);
    b.raw.writeUInt8(AF_INET, at);
  },
};

/** The i-th /32 in 10.0.0.0/8 (skipping .0 and .255 is not needed for host routes). */
export function hostAddress(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

export function openFdCount(): number {
  return readdirSync('/proc/self/fd').length;
}
