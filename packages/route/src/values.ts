// Text to wire values for route fields, with errors that name the argument at fault.
import { AF_INET, AF_INET6, parseIP } from '@vrfctl/netlink';
import { RTN } from '@vrfctl/rtnetlink';
import { ArgumentError, parsePrefixArg, parseUnsigned } from '@vrfctl/iproute2';
import type { IpVersion } from './model.js';

export interface Addr {
  family: number;
  bytes: Uint8Array;
}

/** A prefix on the wire: bytes absent for `default` (dst_len 0, no RTA_DST). */
export interface WirePrefix {
  family?: number;
  length: number;
  bytes?: Uint8Array;
}

export function familyNumber(v: IpVersion): number {
  return v === 6 ? AF_INET6 : AF_INET;
}

export function familyWord(family: number): string {
  return family === AF_INET6 ? 'inet6' : 'inet';
}

/** 'default', 'any' and 'all' are the zero-length prefix of the route's family, as in iproute2. */
export function isDefaultWord(text: string): boolean {
  return text === 'default' || text === 'any' || text === 'all';
}

export function prefixOf(text: string, family: number | undefined, what: string): WirePrefix {
  if (isDefaultWord(text)) return { family, length: 0 };
  const p = parsePrefixArg(text, what);
  if (family !== undefined && p.family !== family) {
    throw new ArgumentError(`invalid ${what} "${text}": ${familyWord(family)} prefix expected`);
  }
  return { family: p.family, length: p.length, bytes: p.bytes };
}

export function addressOf(text: string, what: string, family?: number): Addr {
  const ip = parseIP(text);
  if (!ip) throw new ArgumentError(`invalid ${what} "${text}": not an IP address`);
  if (family !== undefined && ip.family !== family) {
    throw new ArgumentError(`invalid ${what} "${text}": ${familyWord(family)} address expected`);
  }
  return { family: ip.family, bytes: ip.bytes };
}

/** rtm_type from a name (iproute2's rtnl_rtntype_a2n, including "brd") or a number. */
export function routeTypeNumber(v: string | number): number {
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < 0 || v > 255) throw new ArgumentError(`invalid route type "${v}"`);
    return v;
  }
  if (v === 'brd') return RTN.broadcast;
  if (Object.hasOwn(RTN, v) && v !== 'unspec') return RTN[v as keyof typeof RTN];
  if (/^(0x[0-9a-fA-F]+|\d+)$/.test(v)) return parseUnsigned(v, 'route type', 255);
  throw new ArgumentError(`invalid route type "${v}"`);
}

/** The name ip prints for a route type ("none" for 0, numbers for the unnamed). */
export function routeTypeText(type: number): string {
  if (type === RTN.unspec) return 'none';
  for (const [name, value] of Object.entries(RTN)) if (value === type) return name;
  return String(type);
}

/** True when the route (address bytes, prefix length) lies within prefix p. */
export function prefixCovers(p: WirePrefix, bytes: Uint8Array | undefined, length: number): boolean {
  if (length < p.length) return false;
  const want = p.bytes;
  if (!want || p.length === 0) return true;
  const have = bytes ?? new Uint8Array(want.length);
  let bits = p.length;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((have[i] ?? 0) & mask) !== (want[i] & mask)) return false;
  }
  return true;
}

/**
 * A route type word as iproute2's rtnl_rtntype_a2n reads it where a prefix may follow
 * (`ip route add unreachable 10.0.0.0/8`): some names may be abbreviated, numbers are not types
 * there. Undefined when the word is not a type.
 */
export function routeTypeFromWord(word: string): number | undefined {
  if (word === '' || (word[0] >= '0' && word[0] <= '9')) return undefined;
  const abbreviable = (name: string) => name.startsWith(word);
  if (word === 'local') return RTN.local;
  if (word === 'nat') return RTN.nat;
  if (abbreviable('broadcast') || word === 'brd') return RTN.broadcast;
  if (abbreviable('anycast')) return RTN.anycast;
  if (abbreviable('multicast')) return RTN.multicast;
  if (abbreviable('prohibit')) return RTN.prohibit;
  if (abbreviable('unreachable')) return RTN.unreachable;
  if (abbreviable('blackhole')) return RTN.blackhole;
  if (abbreviable('xresolve')) return RTN.xresolve;
  if (abbreviable('unicast')) return RTN.unicast;
  if (word === 'throw') return RTN.throw;
  return undefined;
}
