// An address as the library returns it, decoded from RTM_NEWADDR.
import { DecodeError, forEachAttribute, getIP, getString, getU32, getU8, type Message } from '@vrfctl/netlink';
import { IFA } from '@vrfctl/rtnetlink';
import { IFADDRMSG_LEN } from './headers.js';

export interface AddressCacheInfo {
  /** Seconds; 0xffffffff is forever. */
  preferred: number;
  valid: number;
  /** Hundredths of a second since boot. */
  created: number;
  updated: number;
}

export interface Address {
  family: number;
  prefixlen: number;
  /** IFA_F_* bits: IFA_FLAGS when sent, else the header's 8 bits. */
  flags: number;
  scope: number;
  index: number;
  /** IFA_LOCAL: the address itself (IPv4; IPv6 only has it on point-to-point). */
  local?: string;
  /** IFA_ADDRESS: the peer on point-to-point links, else the same as local (IPv6: the address). */
  address?: string;
  label?: string;
  broadcast?: string;
  anycast?: string;
  cacheinfo?: AddressCacheInfo;
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  metric?: number;
  /** IFA_PROTO: who added it (IFAPROT_*). */
  protocol?: number;
  /** Every attribute, raw by type (copies). */
  attributes: Map<number, Buffer>;
}

/** The address in "addr/len" form (local when present, as `ip` shows it). */
export function addressPrefix(a: Address): string {
  return `${a.local ?? a.address}/${a.prefixlen}`;
}

export function addressFromMessage(msg: Message): Address {
  const p = msg.payload;
  if (p.length < IFADDRMSG_LEN) throw new DecodeError(`ifaddrmsg of ${p.length} bytes, needs 8`, msg.offset);
  const a: Address = {
    family: p[0],
    prefixlen: p[1],
    flags: p[2],
    scope: p[3],
    index: p.readUInt32LE(4),
    attributes: new Map(),
  };
  forEachAttribute(p, IFADDRMSG_LEN, p.length, (type, vs, ve) => {
    const v = Buffer.from(p.subarray(vs, ve));
    a.attributes.set(type, v);
    switch (type) {
      case IFA.LOCAL: a.local = getIP(v); break;
      case IFA.ADDRESS: a.address = getIP(v); break;
      case IFA.LABEL: a.label = getString(v); break;
      case IFA.BROADCAST: a.broadcast = getIP(v); break;
      case IFA.ANYCAST: a.anycast = getIP(v); break;
      case IFA.FLAGS: a.flags = getU32(v); break;
      case IFA.RT_PRIORITY: a.metric = getU32(v); break;
      case IFA.PROTO: a.protocol = getU8(v); break;
      case IFA.CACHEINFO:
        if (v.length < 16) throw new DecodeError(`IFA_CACHEINFO of ${v.length} bytes, needs 16`, vs);
        a.cacheinfo = { preferred: v.readUInt32LE(0), valid: v.readUInt32LE(4), created: v.readUInt32LE(8), updated: v.readUInt32LE(12) };
        break;
    }
  });
  return a;
}
