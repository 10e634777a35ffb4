// The shape most route batch files are made of — `add|del|replace|… PREFIX [via ADDR] [dev NAME]
// [table T] [metric N] [nhid N] [proto P] [scope S]`, keywords in full, each at most once — written
// straight into a MessageBuilder, without the word cursor, RouteSpec and request parseRouteSpec
// and routeChangeRequest build (a 100k-line batch parses every line twice). Anything else, and
// anything wrong, is not this shape: undefined, and the full parser reads the line (and names the
// error). The bytes equal the full path's (tested on generated lines and on the golden fixtures).
import { AF_INET, AF_INET6, MessageBuilder, NLA_HDRLEN, NLM_F_ACK, parseIP, parsePrefix } from '@vrfctl/netlink';
import { RTA, RTM, RTMSG_LEN, RTN, RT_SCOPE, RT_TABLE } from '@vrfctl/rtnetlink';
import { parseTable, parseUnsigned, protocolNames, scopeNames } from '@vrfctl/iproute2';
import type { IpVersion } from './model.js';
import { CHANGE_FLAGS, type RouteChange } from './encode.js';

/** What the payload's writer learnt that the caller needs: the message and the device to resolve. */
export interface SimpleRouteChange {
  /** RTM_NEWROUTE or RTM_DELROUTE. */
  type: number;
  /** nlmsg_flags as routeChangeRequest gives them (NLM_F_ACK included). */
  flags: number;
  /** The `dev` name: its RTA_OIF goes last, after what was written (none of this shape's attributes follow it). */
  dev?: string;
}

/** Change words taken as typed in full (abbreviations go to the full parser). */
const OPS: ReadonlyMap<string, RouteChange> = new Map([
  ['add', 'add'], ['change', 'change'], ['replace', 'replace'], ['prepend', 'prepend'], ['append', 'append'],
  ['test', 'test'], ['del', 'delete'], ['delete', 'delete'],
]);

/** A whole-number word as the full parser reads it; -1 when it would refuse it. */
function numberOr(read: () => number): number {
  try {
    return read();
  } catch {
    return -1;
  }
}

/** True when the word can only be a destination: digits first (IPv4) or a ':' (IPv6); no keyword is either. */
function destinationLike(w: string): boolean {
  const c = w.charCodeAt(0);
  return (c >= 48 && c <= 57) || w.includes(':');
}

/** The smallest of a, b, c, d, e greater than after; -1 when none is. */
function firstAfter(after: number, a: number, b: number, c: number, d: number, e: number): number {
  let k = -1;
  if (a > after) k = a;
  if (b > after && (k < 0 || b < k)) k = b;
  if (c > after && (k < 0 || c < k)) k = c;
  if (d > after && (k < 0 || d < k)) k = d;
  if (e > after && (k < 0 || e < k)) k = e;
  return k;
}

/**
 * Writes the payload of `ip route OP WORDS…` (words[at] is OP) at b's position (rtmsg and
 * attributes; RTA_OIF is the caller's, once dev is resolved) when the words are of the simple
 * shape and valid; otherwise writes nothing useful and returns undefined.
 */
export function writeSimpleRouteChange(b: MessageBuilder, words: readonly string[], at: number, version?: IpVersion): SimpleRouteChange | undefined {
  const op = OPS.get(words[at] ?? '');
  if (op === undefined) return undefined;
  let family = version === 4 ? AF_INET : version === 6 ? AF_INET6 : 0;
  // Word index of each value, -1 when absent; the attributes go out in the order their keywords came.
  let dst = -1;
  let via = -1;
  let dev = -1;
  let tableAt = -1;
  let metricAt = -1;
  let protoAt = -1;
  let scopeAt = -1;
  let nhidAt = -1;
  let dstBytes: Uint8Array | undefined;
  let dstLen = 0;
  let gateway: Uint8Array | undefined;
  let table: number = RT_TABLE.main;
  let metric = 0;
  let nhid = 0;
  let protocol = op === 'delete' ? 0 : 3;
  let scope = -1;
  for (let i = at + 1; i < words.length; i++) {
    const w = words[i];
    const v = words[i + 1];
    if (w === 'dev' || w === 'oif') {
      if (dev >= 0 || v === undefined) return undefined;
      dev = ++i;
    } else if (w === 'via') {
      if (via >= 0 || v === undefined) return undefined;
      const ip = parseIP(v);
      if (ip === undefined || (family !== 0 && ip.family !== family)) return undefined;
      family = ip.family;
      gateway = ip.bytes;
      via = ++i;
    } else if (w === 'table') {
      if (tableAt >= 0 || v === undefined) return undefined;
      table = numberOr(() => parseTable(v));
      if (table < 0) return undefined;
      tableAt = ++i;
    } else if (w === 'metric' || w === 'priority' || w === 'preference') {
      if (metricAt >= 0 || v === undefined) return undefined;
      metric = numberOr(() => parseUnsigned(v, 'metric', 0xffffffff));
      if (metric < 0) return undefined;
      metricAt = ++i;
    } else if (w === 'nhid') {
      if (nhidAt >= 0 || v === undefined) return undefined;
      nhid = numberOr(() => parseUnsigned(v, 'nhid', 0xffffffff));
      if (nhid < 0) return undefined;
      nhidAt = ++i;
    } else if (w === 'proto' || w === 'protocol') {
      if (protoAt >= 0 || v === undefined) return undefined;
      protocol = numberOr(() => protocolNames.id(v, 'protocol', 255));
      if (protocol < 0) return undefined;
      protoAt = ++i;
    } else if (w === 'scope') {
      if (scopeAt >= 0 || v === undefined) return undefined;
      scope = numberOr(() => scopeNames.id(v, 'scope', 255));
      if (scope < 0) return undefined;
      scopeAt = ++i;
    } else if (dst < 0 && w === 'default') {
      // The all-zero prefix of the family known so far; none known: no RTA_DST at all (as ip).
      dst = i;
      dstBytes = family === AF_INET6 ? new Uint8Array(16) : family === AF_INET ? new Uint8Array(4) : undefined;
    } else if (dst < 0 && destinationLike(w)) {
      const p = parsePrefix(w);
      if (p === undefined || (family !== 0 && p.family !== family)) return undefined;
      family = p.family;
      dst = i;
      dstBytes = p.bytes;
      dstLen = p.length;
    } else return undefined;
  }
  if (dst < 0) return undefined;
  if (family === 0) family = AF_INET;
  const isDelete = op === 'delete';
  if (scope < 0) scope = family === AF_INET6 ? RT_SCOPE.universe : isDelete ? RT_SCOPE.nowhere : via >= 0 || nhidAt >= 0 ? RT_SCOPE.universe : RT_SCOPE.link;

  const h = b.reserve(RTMSG_LEN);
  const raw = b.raw;
  raw[h] = family;
  raw[h + 1] = dstLen;
  raw[h + 4] = table < 256 ? table : 0;
  raw[h + 5] = protocol;
  raw[h + 6] = scope;
  raw[h + 7] = isDelete ? RTN.unspec : RTN.unicast;
  // The five inline attributes in the order their words came (the rest of the header is zero).
  for (let next = -1; ;) {
    const k = firstAfter(next, dst, via, metricAt, tableAt, nhidAt);
    if (k < 0) break;
    if (k === dst) {
      if (dstBytes !== undefined) b.binary(RTA.DST, dstBytes);
    } else if (k === via) b.binary(RTA.GATEWAY, gateway!);
    else if (k === metricAt) b.u32(RTA.PRIORITY, metric);
    else if (k === nhidAt) b.u32(RTA.NH_ID, nhid);
    else if (table >= 256) b.u32(RTA.TABLE, table);
    next = k;
  }
  const change: SimpleRouteChange = { type: isDelete ? RTM.DELROUTE : RTM.NEWROUTE, flags: CHANGE_FLAGS[op] | NLM_F_ACK };
  if (dev >= 0) change.dev = words[dev];
  return change;
}

/** Bytes of the RTA_OIF attribute a simple change ends with once its device is resolved. */
export const SIMPLE_OIF_LEN = NLA_HDRLEN + 4;

/** Writes RTA_OIF(ifindex) at buf[at…at+8): the tail a simple change with a device was given room for. */
export function writeOif(buf: Buffer, at: number, ifindex: number): void {
  buf.writeUInt16LE(SIMPLE_OIF_LEN, at);
  buf.writeUInt16LE(RTA.OIF, at + 2);
  buf.writeUInt32LE(ifindex >>> 0, at + 4);
}
