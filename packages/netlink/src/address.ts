// IP and link-layer address text <-> bytes, formatted as inet_ntop(3) and iproute2 print them.

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
export const AF_MPLS = 28;

export type Family = typeof AF_INET | typeof AF_INET6;

// The parsers below read char codes in one pass: no split, no regex, no substrings. They run
// once per route of `vrfctl batch` and of every encoded request (measured: tools/bench/micro.mjs).

/**
 * text[start, end) as a dotted quad: the address as an unsigned 32-bit number, or -1.
 * Four parts of 1–3 decimal digits, each ≤ 255 and without leading zeros: inet_pton(3) refuses
 * "01", and iproute2's strtoul(…, 0) would read "010" as octal 8.
 */
function ipv4Value(text: string, start: number, end: number): number {
  let acc = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && part === 0) return -1;
      part = part * 10 + (c - 48);
      if (++digits > 3 || part > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      acc = acc * 256 + part;
      part = 0;
      digits = 0;
    } else return -1;
  }
  if (digits === 0 || dots !== 3) return -1;
  return acc * 256 + part;
}

/** Bytes of a dotted-quad IPv4 address, or undefined when the text is not one. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const v = ipv4Value(text, 0, text.length);
  if (v < 0) return undefined;
  const out = new Uint8Array(4);
  out[0] = v >>> 24;
  out[1] = v >>> 16;
  out[2] = v >>> 8;
  out[3] = v;
  return out;
}

/** Value of a hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20; // A-F → a-f
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Bytes of an IPv6 address in any RFC 4291 text form (with ::, embedded IPv4). */
export function parseIPv6(text: string): Uint8Array | undefined {
  const n = text.length;
  if (n < 2 || n > 45) return undefined;
  const out = new Uint8Array(16);
  let words = 0;
  let gap = -1; // word index where "::" stands
  let i = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return undefined;
    gap = 0;
    i = 2;
    if (i === n) return out;
  }
  for (;;) {
    // One group at i: 1–4 hex digits, or the dotted IPv4 tail (always the rest of the text).
    let v = 0;
    let j = i;
    for (; j < n; j++) {
      const h = hexDigit(text.charCodeAt(j));
      if (h < 0) break;
      if (j - i === 4) return undefined;
      v = (v << 4) | h;
    }
    if (j < n && text.charCodeAt(j) === 46) {
      if (words > 6) return undefined;
      const v4 = ipv4Value(text, i, n);
      if (v4 < 0) return undefined;
      out[2 * words] = v4 >>> 24;
      out[2 * words + 1] = v4 >>> 16;
      out[2 * words + 2] = v4 >>> 8;
      out[2 * words + 3] = v4;
      words += 2;
      break;
    }
    if (j === i || words === 8) return undefined;
    out[2 * words] = v >> 8;
    out[2 * words + 1] = v;
    words++;
    if (j === n) break;
    if (text.charCodeAt(j) !== 58) return undefined;
    j++;
    if (j < n && text.charCodeAt(j) === 58) {
      if (gap !== -1) return undefined;
      gap = words;
      j++;
      if (j === n) break;
    } else if (j === n) return undefined; // a trailing single ':'
    i = j;
  }
  if (gap === -1) return words === 8 ? out : undefined;
  // "::" stands for at least one zero word: move the words after it to the end.
  if (words > 7) return undefined;
  const tail = 2 * (words - gap);
  if (tail > 0) {
    out.copyWithin(16 - tail, 2 * gap, 2 * words);
    out.fill(0, 2 * gap, 16 - tail);
  }
  return out;
}

/** IPv4 or IPv6 bytes for the text, with its family. */
export function parseIP(text: string): { family: Family; bytes: Uint8Array } | undefined {
  const v4 = parseIPv4(text);
  if (v4) return { family: AF_INET, bytes: v4 };
  const v6 = parseIPv6(text);
  if (v6) return { family: AF_INET6, bytes: v6 };
  return undefined;
}

// Decimal text of every byte, made once: formatIPv4 runs once per address of a dump, and a
// table lookup is cheaper than converting each number to a string.
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

export function formatIPv4(b: Uint8Array, off = 0): string {
  return DECIMAL[b[off]] + '.' + DECIMAL[b[off + 1]] + '.' + DECIMAL[b[off + 2]] + '.' + DECIMAL[b[off + 3]];
}

/** As glibc's inet_ntop: longest zero run (≥2 words) becomes ::, IPv4-mapped/compatible tails dotted. */
export function formatIPv6(b: Uint8Array, off = 0): string {
  const w: number[] = new Array(8);
  for (let i = 0; i < 8; i++) w[i] = (b[off + 2 * i] << 8) | b[off + 2 * i + 1];
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      out += formatIPv4(b, off + 12);
      return out;
    }
    out += w[i].toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':';
  return out;
}

/** Formats 4 or 16 bytes as an address; other lengths as colon-separated hex. */
export function formatIP(b: Uint8Array, off = 0, len = b.length - off): string {
  if (len === 4) return formatIPv4(b, off);
  if (len === 16) return formatIPv6(b, off);
  return formatHexColon(b, off, len);
}

export function formatHexColon(b: Uint8Array, off = 0, len = b.length - off): string {
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push(b[off + i].toString(16).padStart(2, '0'));
  return parts.join(':');
}

/** Link-layer address "aa:bb:cc:dd:ee:ff" (any length of colon-separated hex bytes). */
export function parseMac(text: string): Uint8Array | undefined {
  const parts = text.split(':');
  if (parts.length < 1 || parts.length > 32) return undefined;
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(parts[i])) return undefined;
    out[i] = Number.parseInt(parts[i], 16);
  }
  return out;
}

export const formatMac = formatHexColon;

export interface Prefix {
  family: Family;
  address: string;
  bytes: Uint8Array;
  length: number;
}

/** "10.0.0.0/8", "2001:db8::/32" or a host address (full length). Undefined when invalid. */
export function parsePrefix(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  const addrText = slash === -1 ? text : text.slice(0, slash);
  const ip = parseIP(addrText);
  if (!ip) return undefined;
  const max = ip.bytes.length * 8;
  let length = max;
  if (slash !== -1) {
    // 1–3 decimal digits without a leading zero, at most the address size.
    const n = text.length - slash - 1;
    if (n < 1 || n > 3) return undefined;
    length = 0;
    for (let i = slash + 1; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9 || (d === 0 && i === slash + 1 && n > 1)) return undefined;
      length = length * 10 + d;
    }
    if (length > max) return undefined;
  }
  return { family: ip.family, address: addrText, bytes: ip.bytes, length };
}

export function familyOfAddress(text: string): Family | undefined {
  return parseIP(text)?.family;
}

export function addressLength(family: number): number {
  return family === AF_INET6 ? 16 : 4;
}
