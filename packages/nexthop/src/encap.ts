// Lightweight tunnels on a nexthop: the NHA_ENCAP nest for `encap ip …` and `encap mpls …`, and
// how ip prints the ones the kernel reports. Other encap types stay raw and print by type name.
import { NLA_HDRLEN, NLA_TYPE_MASK, align, formatIP, parseIP } from '@vrfctl/netlink';
import { ArgumentError } from '@vrfctl/iproute2';
import type { NexthopEncapSpec } from './model.js';

/** LWTUNNEL_IP_* (linux/lwtunnel.h). */
const LWTUNNEL_IP = { ID: 1, DST: 2, SRC: 3, TTL: 4, TOS: 5, FLAGS: 6 } as const;
/** MPLS_IPTUNNEL_* (linux/mpls_iptunnel.h). */
const MPLS_IPTUNNEL = { DST: 1, TTL: 2 } as const;
/** LWTUNNEL_ENCAP_MPLS and LWTUNNEL_ENCAP_IP. */
export const ENCAP_TYPE_NUMBER = { mpls: 1, ip: 2 } as const;

function attr(type: number, value: Buffer): Buffer {
  const out = Buffer.alloc(align(NLA_HDRLEN + value.length));
  out.writeUInt16LE(NLA_HDRLEN + value.length, 0);
  out.writeUInt16LE(type, 2);
  value.copy(out, NLA_HDRLEN);
  return out;
}

function address(text: string, what: string): Buffer {
  const ip = parseIP(text);
  if (!ip || ip.bytes.length !== 4) throw new ArgumentError(`invalid encap ${what} "${text}": not an IPv4 address`);
  return Buffer.from(ip.bytes);
}

/** The members of the NHA_ENCAP nest, in the order ip writes them (the words' order for `encap ip`). */
export function encapBytes(e: NexthopEncapSpec): Buffer {
  if (e.type === 'mpls') {
    if (e.labels.length === 0) throw new ArgumentError('"encap mpls" needs a label');
    const stack = Buffer.alloc(4 * e.labels.length);
    e.labels.forEach((label, i) => {
      if (!Number.isInteger(label) || label < 0 || label > 0xfffff) throw new ArgumentError(`invalid mpls label "${label}"`);
      // label << 12, and the bottom-of-stack bit on the last entry.
      stack.writeUInt32BE(((label << 12) | (i === e.labels.length - 1 ? 0x100 : 0)) >>> 0, 4 * i);
    });
    const parts = [attr(MPLS_IPTUNNEL.DST, stack)];
    if (e.ttl !== undefined) parts.push(attr(MPLS_IPTUNNEL.TTL, Buffer.from([e.ttl])));
    return Buffer.concat(parts);
  }
  const parts: Buffer[] = [];
  const order = [...(e.order ?? []), 'id', 'src', 'dst', 'ttl', 'tos'] as const;
  const done = new Set<string>();
  for (const k of order) {
    if (done.has(k)) continue;
    done.add(k);
    if (k === 'id' && e.id !== undefined) {
      const v = Buffer.alloc(8);
      v.writeBigUInt64BE(BigInt(e.id));
      parts.push(attr(LWTUNNEL_IP.ID, v));
    } else if (k === 'src' && e.src !== undefined) parts.push(attr(LWTUNNEL_IP.SRC, address(e.src, 'src')));
    else if (k === 'dst' && e.dst !== undefined) parts.push(attr(LWTUNNEL_IP.DST, address(e.dst, 'dst')));
    else if (k === 'ttl' && e.ttl !== undefined) parts.push(attr(LWTUNNEL_IP.TTL, Buffer.from([e.ttl])));
    else if (k === 'tos' && e.tos !== undefined) parts.push(attr(LWTUNNEL_IP.TOS, Buffer.from([e.tos])));
  }
  return Buffer.concat(parts);
}

function members(value: Uint8Array): Map<number, Buffer> {
  const b = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  const out = new Map<number, Buffer>();
  for (let off = 0; off + NLA_HDRLEN <= b.length; ) {
    const len = b.readUInt16LE(off);
    if (len < NLA_HDRLEN || off + len > b.length) break;
    const type = b.readUInt16LE(off + 2) & NLA_TYPE_MASK;
    if (!out.has(type)) out.set(type, b.subarray(off + NLA_HDRLEN, off + len));
    off += align(len);
  }
  return out;
}

/** One printed piece of an encap: the text word and the -j key/value. */
export interface EncapField { key: string; text: string; value: string | number }

/** What ip prints for a kernel encap (lwt_print_encap): "id 5 src 0.0.0.0 dst 10.1.1.1 ttl 0 tos 0". */
export function encapFields(type: string | number, value: Uint8Array): EncapField[] {
  const m = members(value);
  const out: EncapField[] = [];
  if (type === 'ip') {
    const id = m.get(LWTUNNEL_IP.ID);
    if (id?.length === 8) out.push({ key: 'id', text: `id ${id.readBigUInt64BE(0)}`, value: Number(id.readBigUInt64BE(0)) });
    for (const [key, t] of [['src', LWTUNNEL_IP.SRC], ['dst', LWTUNNEL_IP.DST]] as const) {
      const a = m.get(t);
      if (a && (a.length === 4 || a.length === 16)) out.push({ key, text: `${key} ${formatIP(a)}`, value: formatIP(a) });
    }
    for (const [key, t] of [['ttl', LWTUNNEL_IP.TTL], ['tos', LWTUNNEL_IP.TOS]] as const) {
      const v = m.get(t);
      if (v?.length === 1) out.push({ key, text: `${key} ${v[0]}`, value: v[0] });
    }
  } else if (type === 'mpls') {
    const dst = m.get(MPLS_IPTUNNEL.DST);
    if (dst && dst.length % 4 === 0) {
      const labels: number[] = [];
      for (let i = 0; i < dst.length; i += 4) labels.push(dst.readUInt32BE(i) >>> 12);
      out.push({ key: 'dst', text: labels.join('/'), value: labels.join('/') });
    }
    const ttl = m.get(MPLS_IPTUNNEL.TTL);
    if (ttl?.length === 1) out.push({ key: 'ttl', text: `ttl ${ttl[0]}`, value: ttl[0] });
  }
  return out;
}
