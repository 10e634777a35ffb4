// Addresses: list, add, replace, change, delete, flush (`ip addr`). Request attributes follow
// iproute2's order: the options written while parsing in key order (local, label, metric, an
// explicit broadcast, anycast, peer), then IFA_FLAGS, IFA_ADDRESS, a computed broadcast and
// IFA_CACHEINFO, appended after parsing.
import {
  AF_INET, AF_INET6, Errno, parseIP, type Message,
} from '@vrfctl/netlink';
import { dump, type Plan, type Request } from '@vrfctl/socket';
import { IFA, IFA_F, RTM, decodeAddress, scopeNames, type Address } from '@vrfctl/rtnetlink';
import { ArgumentError, parsePrefixArg, scopeNames as iproute2Scopes } from '@vrfctl/iproute2';
import { writeIfAddr } from './headers.js';
import type { LinkRef } from './link.js';
import { listLinks } from './links.js';
import { LinkNames } from './link-names.js';
import { MODE_FLAGS, changesOnLink, flushByResending, type FlushCandidate, type Mode, type OnLinkFilter } from './on-link.js';

/** Flags a user may set on an address, by iproute2's keywords. */
export const ADDRESS_FLAG_KEYWORDS = {
  home: IFA_F.home,
  nodad: IFA_F.nodad,
  optimistic: IFA_F.optimistic,
  mngtmpaddr: IFA_F.managetempaddr,
  noprefixroute: IFA_F.noprefixroute,
  autojoin: IFA_F.mcautojoin,
} as const;
export type AddressFlag = keyof typeof ADDRESS_FLAG_KEYWORDS;

export const INFINITY_LIFETIME = 0xffffffff;

import type { IpVersion } from '@vrfctl/iproute2';
export type { IpVersion };

/** The address family of an IP version (0: both). */
export function afOf(v: IpVersion | undefined): number {
  return v === 4 ? AF_INET : v === 6 ? AF_INET6 : 0;
}

/** A scope by rt_scopes name or number (0…255). */
function scopeNumber(v: string | number): number {
  if (typeof v === 'string') return iproute2Scopes.id(v, 'scope', 255);
  if (!Number.isInteger(v) || v < 0 || v > 255) throw new ArgumentError(`invalid scope ${v}`);
  return v;
}

/** The address in "addr/len" form (local when present, as `ip` shows it). */
export function addressPrefix(a: Address): string {
  return `${a.local ?? a.address}/${a.prefixlen}`;
}
const RT_SCOPE_HOST = 254;

export interface AddressSpec {
  dev: LinkRef;
  /** "10.0.0.1/24", "2001:db8::1/64", or an address alone (full length). */
  local: string;
  /** Point-to-point peer, "addr" or "addr/len" (the length becomes the prefix length). */
  peer?: string;
  /** IPv4 label, which must start with the device name ("eth0:1"). */
  label?: string;
  /** An IPv4 broadcast address, or "+" (host bits set) / "-" (host bits clear). */
  broadcast?: string;
  anycast?: string;
  /** A scope name from rt_scopes (host, link, global…) or a number; default host for 127.0.0.0/8, else global. */
  scope?: string | number;
  /** IFA_RT_PRIORITY: metric of the prefix route. */
  metric?: number;
  flags?: AddressFlag[];
  /** Seconds or "forever" (the default). */
  validLft?: number | 'forever';
  preferredLft?: number | 'forever';
}


function lifetime(v: number | 'forever' | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (v === 'forever') return INFINITY_LIFETIME;
  if (!Number.isInteger(v) || v < 0 || v > INFINITY_LIFETIME) throw new ArgumentError(`invalid ${what} ${v}`);
  return v;
}

function ipBytes(text: string, family: number, what: string): Uint8Array {
  const ip = parseIP(text);
  if (!ip) throw new ArgumentError(`invalid ${what} "${text}": not an IP address`);
  if (ip.family !== family) throw new ArgumentError(`invalid ${what} "${text}": not the family of the address`);
  return ip.bytes;
}

/** The request for one address; index is the resolved device. Throws ArgumentError on bad input. */
export function addressRequest(mode: Mode, spec: AddressSpec, index: number): Request {
  const local = parsePrefixArg(spec.local, 'address');
  const family = local.family;
  const peer = spec.peer !== undefined ? parsePrefixArg(spec.peer, 'peer') : undefined;
  if (peer && peer.family !== family) throw new ArgumentError(`invalid peer "${spec.peer}": not the family of the address`);
  let flags = 0;
  for (const f of spec.flags ?? []) {
    const bit = ADDRESS_FLAG_KEYWORDS[f];
    if (bit === undefined) throw new ArgumentError(`invalid address flag "${f}"`);
    flags |= bit;
  }
  if (spec.label !== undefined) {
    if (family !== AF_INET) throw new ArgumentError('a label can be set only on IPv4 addresses');
    if (Buffer.byteLength(spec.label) > 15) throw new ArgumentError(`invalid label "${spec.label}": longer than 15 bytes`);
    if (typeof spec.dev === 'string' && !spec.label.startsWith(spec.dev)) {
      throw new ArgumentError(`"dev" (${spec.dev}) must match "label" (${spec.label})`);
    }
  }
  const computedBroadcast = spec.broadcast === '+' || spec.broadcast === '-';
  if (spec.broadcast !== undefined && family !== AF_INET) throw new ArgumentError('broadcast can be set only for IPv4 addresses');
  const broadcastBytes = spec.broadcast !== undefined && !computedBroadcast ? ipBytes(spec.broadcast, family, 'broadcast') : undefined;
  const anycastBytes = spec.anycast !== undefined ? ipBytes(spec.anycast, family, 'anycast') : undefined;
  if (spec.metric !== undefined && (!Number.isInteger(spec.metric) || spec.metric < 0 || spec.metric > 0xffffffff)) {
    throw new ArgumentError(`invalid metric ${spec.metric}`);
  }
  let valid = lifetime(spec.validLft, 'valid_lft');
  let preferred = lifetime(spec.preferredLft, 'preferred_lft');
  if (valid !== undefined || preferred !== undefined) {
    valid ??= INFINITY_LIFETIME;
    preferred ??= INFINITY_LIFETIME;
    if (preferred > valid) throw new ArgumentError('preferred_lft is greater than valid_lft');
  }
  const prefixlen = peer ? peer.length : local.length;
  const scope = spec.scope !== undefined ? scopeNumber(spec.scope) : (mode !== 'del' && family === AF_INET && local.bytes[0] === 127 ? RT_SCOPE_HOST : 0);

  return {
    type: mode === 'del' ? RTM.DELADDR : RTM.NEWADDR,
    flags: MODE_FLAGS[mode],
    encode: (b) => {
      writeIfAddr(b, { family, prefixlen, flags: flags <= 0xff ? flags : 0, scope, index });
      for (const key of Object.keys(spec) as Array<keyof AddressSpec>) {
        if (spec[key] === undefined) continue;
        switch (key) {
          case 'local': b.binary(IFA.LOCAL, local.bytes); break;
          case 'label': b.string(IFA.LABEL, spec.label!); break;
          case 'metric': b.u32(IFA.RT_PRIORITY, spec.metric!); break;
          case 'broadcast': if (broadcastBytes) b.binary(IFA.BROADCAST, broadcastBytes); break;
          case 'anycast': b.binary(IFA.ANYCAST, anycastBytes!); break;
          case 'peer': b.binary(IFA.ADDRESS, peer!.bytes); break;
        }
      }
      if (flags > 0xff) b.u32(IFA.FLAGS, flags);
      if (!peer) b.binary(IFA.ADDRESS, local.bytes);
      // "+"/"-" only make sense with host bits to set: none for /31 and /32 (iproute2 sends nothing then).
      if (computedBroadcast && mode !== 'del' && prefixlen <= 30) {
        const base = peer ?? local;
        const v = Buffer.from(base.bytes).readUInt32BE(0);
        const hostMask = prefixlen === 0 ? 0xffffffff : (0xffffffff >>> prefixlen);
        const brd = spec.broadcast === '+' ? (v | hostMask) >>> 0 : (v & ~hostMask) >>> 0;
        const out = Buffer.alloc(4);
        out.writeUInt32BE(brd);
        b.binary(IFA.BROADCAST, out);
      }
      if (valid !== undefined && preferred !== undefined) {
        const ci = Buffer.alloc(16);
        ci.writeUInt32LE(preferred, 0);
        ci.writeUInt32LE(valid, 4);
        b.binary(IFA.CACHEINFO, ci);
      }
    },
  };
}

/** `address add 10.0.0.1/24 dev eth0`: how errors name an address change. */
export function describeAddressChange(mode: Mode, s: AddressSpec): string {
  return `address ${mode} ${s.local} dev ${s.dev}`;
}

const addressChange = changesOnLink(addressRequest, describeAddressChange);
/** Like `ip addr add`: EEXIST when the address is already there. */
export const addAddress = addressChange('add');
/** Like `ip addr replace`: adds, or updates lifetimes/flags of an existing address. */
export const replaceAddress = addressChange('replace');
/** Like `ip addr change`: updates an existing address only. */
export const changeAddress = addressChange('change');
/** Like `ip addr del`. */
export const deleteAddress = addressChange('del');

/** Addresses on dev, or on the ports of master (a bridge or VRF), of one family. */
export type AddressFilter = OnLinkFilter;

/** RTM_GETADDR dump; the family and ifindex in the header are kernel-side filters under strict checking. */
export function addressDumpRequest(family = 0, index = 0): Request {
  return { type: RTM.GETADDR, flags: 0, encode: (b) => writeIfAddr(b, { family, prefixlen: 0, flags: 0, scope: 0, index }) };
}

function* dumpAddresses(filter: AddressFilter, names: LinkNames): Plan<Message[]> {
  const index = filter.dev === undefined ? 0 : yield* names.index(filter.dev);
  const af = afOf(filter.family);
  const msgs = yield* dump(addressDumpRequest(af, index));
  let ports: Set<number> | undefined;
  if (filter.master !== undefined) ports = new Set((yield* listLinks({ master: filter.master }, names)).map((l) => l.index));
  return msgs.filter((m) => {
    if (m.header.type !== RTM.NEWADDR) return false;
    const family = m.payload[0];
    const ifindex = m.payload.readUInt32LE(4);
    if (af !== 0 && family !== af) return false;
    if (index !== 0 && ifindex !== index) return false;
    if (ports && !ports.has(ifindex)) return false;
    return true;
  });
}

export function* listAddresses(filter: AddressFilter = {}, names = new LinkNames()): Plan<Address[]> {
  return (yield* dumpAddresses(filter, names)).map(decodeAddress);
}

export interface AddressFlushFilter extends AddressFilter {
  /** A scope name (rt_scopes) or number. */
  scope?: string | number;
  label?: string;
}


/** What identifies an address (its lifetimes tick, so the raw bytes would not). */
function addressKey(a: Address): string {
  return `${a.family}|${a.index}|${a.prefixlen}|${a.local ?? ''}|${a.address ?? ''}`;
}
/**
 * Like `ip addr flush`: dumps, deletes what matches by sending each dumped message back as
 * RTM_DELADDR (as iproute2 does, so every attribute identifies the address exactly), and
 * dumps again until nothing new matches. Returns how many addresses were deleted.
 */
export function* flushAddresses(filter: AddressFlushFilter, names = new LinkNames()): Plan<number> {
  const scope = filter.scope === undefined ? undefined : scopeNumber(filter.scope);
  function* matching(): Plan<FlushCandidate[]> {
    const out: FlushCandidate[] = [];
    for (const message of yield* dumpAddresses(filter, names)) {
      const a = decodeAddress(message);
      if (scope !== undefined && scopeNames.value(a.scope) !== scope) continue;
      if (filter.label !== undefined && a.label !== filter.label) continue;
      out.push({ message, key: addressKey(a) });
    }
    return out;
  }
  // A secondary goes with its primary: deleting it again finds nothing (EADDRNOTAVAIL), which is fine.
  return yield* flushByResending(matching, RTM.DELADDR, Errno.EADDRNOTAVAIL);
}
