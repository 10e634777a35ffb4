// IP and link-layer address text <-> bytes, formatted as inet_ntop(3) and iproute2 print them.

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
export const AF_MPLS = 28;

export type Family = typeof AF_INET | typeof AF_INET6;

/** Bytes of a dotted-quad IPv4 address, or undefined when the text is not one. */
export function parseIPv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    // No leading zeros: inet_pton(3) refuses "01", and iproute2's strtoul(…, 0) would read "010" as octal 8.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Bytes of an IPv6 address in any RFC 4291 text form (with ::, embedded IPv4). */
export function parseIPv6(text: string): Uint8Array | undefined {
  if (text.length < 2 || text.length > 45) return undefined;
  let head = text;
  let tail = '';
  const gap = text.indexOf('::');
  if (gap !== -1) {
    if (text.indexOf('::', gap + 1) !== -1) return undefined;
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const words: number[] = [];
  const tailWords: number[] = [];
  const fill = (part: string, into: number[], last: boolean): boolean => {
    if (part === '') return true;
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (last && i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return false;
        into.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
        into.push(Number.parseInt(g, 16));
      }
    }
    return true;
  };
  if (gap === -1) {
    if (!fill(head, words, true) || words.length !== 8) return undefined;
  } else {
    if (!fill(head, words, false) || !fill(tail, tailWords, true)) return undefined;
    if (words.length + tailWords.length > 7) return undefined;
    while (words.length + tailWords.length < 8) words.push(0);
    words.push(...tailWords);
  }
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
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

export function formatIPv4(b: Uint8Array, off = 0): string {
  return `${b[off]}.${b[off + 1]}.${b[off + 2]}.${b[off + 3]}`;
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
    const lenText = text.slice(slash + 1);
    if (!/^(?:0|[1-9]\d{0,2})$/.test(lenText)) return undefined;
    length = Number(lenText);
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
