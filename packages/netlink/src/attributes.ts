import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK, align } from './constants.js';
import { DecodeError } from './errors.js';
import { formatIP, formatIPv4, formatIPv6, formatMac } from './address.js';

/** One TLV. value is a view into the received buffer. */
export interface Attribute {
  /** Type without the NESTED and NET_BYTEORDER bits. */
  type: number;
  nested: boolean;
  netByteOrder: boolean;
  value: Buffer;
}

/** Deeper nests than this are refused: the kernel never sends them and recursion must stay bounded. */
export const MAX_NEST_DEPTH = 32;

/**
 * Visits the attributes in buf[start, end). A length below the TLV header or past end is a
 * DecodeError; trailing bytes shorter than a header are also an error.
 */
export function forEachAttribute(
  buf: Buffer,
  start: number,
  end: number,
  visit: (type: number, valueStart: number, valueEnd: number, rawType: number) => void,
): void {
  if (end > buf.length || start < 0) throw new DecodeError(`attribute range ${start}..${end} outside a ${buf.length}-byte buffer`, start);
  let off = start;
  while (off < end) {
    if (off + NLA_HDRLEN > end) throw new DecodeError(`truncated attribute header: ${end - off} of 4 bytes`, off);
    const len = buf.readUInt16LE(off);
    const rawType = buf.readUInt16LE(off + 2);
    if (len < NLA_HDRLEN) throw new DecodeError(`attribute length ${len} below header size`, off);
    if (off + len > end) throw new DecodeError(`attribute type ${rawType & NLA_TYPE_MASK} length ${len} runs past its container`, off);
    visit(rawType & NLA_TYPE_MASK, off + NLA_HDRLEN, off + len, rawType);
    off += align(len);
  }
}

export function parseAttributes(buf: Buffer, start = 0, end = buf.length): Attribute[] {
  const out: Attribute[] = [];
  forEachAttribute(buf, start, end, (type, vs, ve, raw) => {
    out.push({
      type,
      nested: (raw & NLA_F_NESTED) !== 0,
      netByteOrder: (raw & NLA_F_NET_BYTEORDER) !== 0,
      value: buf.subarray(vs, ve),
    });
  });
  return out;
}

/** Attributes of a nest; depth guards recursion in callers that descend further. */
export function parseNested(value: Buffer, depth = 1): Attribute[] {
  if (depth > MAX_NEST_DEPTH) throw new DecodeError(`attributes nested deeper than ${MAX_NEST_DEPTH}`, 0);
  return parseAttributes(value, 0, value.length);
}

function need(v: Buffer, n: number, what: string): void {
  if (v.length < n) throw new DecodeError(`${what} attribute has ${v.length} bytes, needs ${n}`, v.byteOffset);
}

// Typed readers. Each checks the length first so that a short value is a DecodeError.
export function getU8(v: Buffer): number {
  need(v, 1, 'u8');
  return v[0];
}
export function getU16(v: Buffer): number {
  need(v, 2, 'u16');
  return v.readUInt16LE(0);
}
export function getU32(v: Buffer): number {
  need(v, 4, 'u32');
  return v.readUInt32LE(0);
}
export function getS32(v: Buffer): number {
  need(v, 4, 's32');
  return v.readInt32LE(0);
}
export function getU64(v: Buffer): bigint {
  need(v, 8, 'u64');
  return v.readBigUInt64LE(0);
}
export function getU16BE(v: Buffer): number {
  need(v, 2, 'be16');
  return v.readUInt16BE(0);
}
export function getU32BE(v: Buffer): number {
  need(v, 4, 'be32');
  return v.readUInt32BE(0);
}
/** A C string: up to the first NUL (the kernel NUL-terminates; we also accept unterminated). */
export function getString(v: Buffer): string {
  const nul = v.indexOf(0);
  return v.toString('utf8', 0, nul === -1 ? v.length : nul);
}
export function getIPv4(v: Buffer): string {
  need(v, 4, 'IPv4');
  return formatIPv4(v);
}
export function getIPv6(v: Buffer): string {
  need(v, 16, 'IPv6');
  return formatIPv6(v);
}
/** An address whose family is told by its length (4 or 16 bytes). */
export function getIP(v: Buffer): string {
  if (v.length !== 4 && v.length !== 16) throw new DecodeError(`address attribute has ${v.length} bytes`, v.byteOffset);
  return formatIP(v);
}
export function getMac(v: Buffer): string {
  return formatMac(v);
}
