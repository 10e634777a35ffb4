// Turns the names and shorthands of a RuleSpec into the numbers the kernel takes.
import { AF_INET, AF_INET6, parsePrefix, type Prefix } from '@vrfctl/netlink';
import {
  ArgumentError, parseDsfield, parseGroup, parseIpProto, parseRealms, protocolNames, tableNames,
} from '@vrfctl/iproute2';
import type { Range, RuleFamily, RuleSpec } from './model.js';

/** Words that mean "any address" to iproute2's get_prefix. */
const ANY_ADDRESS = new Set(['all', 'any', 'default']);

/** A selector prefix; an "any" prefix has no bytes (iproute2 then sends an empty FRA_SRC/FRA_DST). */
export interface ResolvedPrefix {
  bytes: Uint8Array;
  length: number;
}

export function familyNumber(f: RuleFamily): number {
  return f === 6 ? AF_INET6 : AF_INET;
}

function prefixOf(text: string, what: string): Prefix | undefined {
  if (ANY_ADDRESS.has(text)) return undefined;
  const p = parsePrefix(text);
  if (!p) throw new ArgumentError(`invalid ${what} "${text}": not an address or prefix`);
  return p;
}

/** The family a spec is for: given, else that of its addresses, else IPv4. Mixed families are refused. */
export function specFamily(spec: RuleSpec): RuleFamily {
  let found: RuleFamily | undefined = spec.family;
  for (const [key, what] of [['src', 'from'], ['dst', 'to']] as const) {
    const text = spec[key];
    if (text === undefined) continue;
    const p = prefixOf(text, what);
    if (!p) continue;
    const f: RuleFamily = p.family === AF_INET6 ? 6 : 4;
    if (found !== undefined && found !== f) {
      throw new ArgumentError(`invalid ${what} "${text}": an IPv${f} prefix in an IPv${found} rule`);
    }
    found = f;
  }
  return found ?? 4;
}

export function resolvePrefix(text: string, what: string, family: RuleFamily): ResolvedPrefix {
  const p = prefixOf(text, what);
  if (!p) return { bytes: new Uint8Array(0), length: 0 };
  if ((p.family === AF_INET6 ? 6 : 4) !== family) throw new ArgumentError(`invalid ${what} "${text}": not an IPv${family} prefix`);
  return { bytes: p.bytes, length: p.length };
}

function checkUnsigned(n: number, what: string, max: number): number {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new ArgumentError(`invalid ${what} ${n}: out of range 0…${max}`);
  return n;
}

export function resolveTable(t: number | string): number {
  return typeof t === 'number' ? checkUnsigned(t, 'table', 0xffffffff) : tableNames.id(t, 'table id');
}

export function resolveProtocol(p: number | string): number {
  return typeof p === 'number' ? checkUnsigned(p, 'protocol', 255) : protocolNames.id(p, 'protocol', 255);
}

export function resolveTos(t: number | string): number {
  return typeof t === 'number' ? checkUnsigned(t, 'tos', 255) : parseDsfield(t);
}

export function resolveIpProto(p: number | string): number {
  return typeof p === 'number' ? checkUnsigned(p, 'ipproto', 255) : parseIpProto(p);
}

export function resolveGroup(g: number | string): number {
  return typeof g === 'number' ? checkUnsigned(g, 'suppress_ifgroup', 0x7fffffff) : parseGroup(g, 'suppress_ifgroup');
}

export function resolveRealms(r: number | string): number {
  return typeof r === 'number' ? checkUnsigned(r, 'realms', 0xffffffff) : parseRealms(r);
}

/** A uid range; start above end is refused here, before the kernel sees it. */
export function resolveRange(r: Range, what: string, max: number): Range {
  checkUnsigned(r.start, what, max);
  checkUnsigned(r.end, what, max);
  if (r.start > r.end) throw new ArgumentError(`invalid ${what} ${r.start}-${r.end}: start above end`);
  return { start: r.start, end: r.end };
}

export function resolvePort(p: number | Range, what: string): Range {
  return resolveRange(typeof p === 'number' ? { start: p, end: p } : p, what, 0xffff);
}

export { checkUnsigned };
