import { NLA_F_NESTED, NLA_HDRLEN, NLMSG_HDRLEN, align } from './constants.js';
import { parseIP, parseIPv4, parseIPv6, parseMac } from './address.js';

/**
 * Writes netlink messages into one growing buffer, as libmnl's nlmsg/attr put functions do:
 * no allocation per attribute, nests closed by patching their length, padding zeroed.
 * Several messages may be written back to back (a pipelined batch).
 */
export class MessageBuilder {
  private buf: Buffer;
  private pos = 0;
  private messageStart = -1;

  constructor(initialSize = 1024) {
    this.buf = Buffer.alloc(initialSize);
  }

  /** Bytes written so far (a view: copy it before reusing the builder). */
  get bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  get length(): number {
    return this.pos;
  }

  reset(): this {
    this.pos = 0;
    this.messageStart = -1;
    return this;
  }

  private ensure(extra: number): void {
    const need = this.pos + extra;
    if (need <= this.buf.length) return;
    // At least 64: doubling a zero-sized buffer (new MessageBuilder(0)) never ends.
    let size = Math.max(this.buf.length * 2, 64);
    while (size < need) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /**
   * Zeroes buf[from, to): after reset() the buffer still holds the previous messages' bytes.
   * A loop for padding and family headers (Buffer#fill's argument checks cost more than the
   * stores); skipping bytes never written since allocation measured no faster, so it is not done.
   */
  private zero(from: number, to: number): void {
    if (to - from > 32) this.buf.fill(0, from, to);
    else for (let i = from; i < to; i++) this.buf[i] = 0;
  }

  /** Reserves n zeroed bytes (aligned) and returns their offset, for fixed family headers. */
  reserve(n: number): number {
    const padded = align(n);
    this.ensure(padded);
    const at = this.pos;
    this.zero(at, at + padded);
    this.pos += padded;
    return at;
  }

  /** The underlying buffer, to fill a region returned by reserve(). Valid until the next write. */
  get raw(): Buffer {
    return this.buf;
  }

  /** Starts a message; ends with end(). Returns the offset of its nlmsghdr. */
  begin(type: number, flags: number, seq = 0, pid = 0): number {
    // An open message would be left with length 0 and corrupt the whole batch.
    if (this.messageStart >= 0) throw new Error('MessageBuilder.begin() while a message is open: call end() first');
    checkU16(type, 'nlmsg_type');
    checkU16(flags, 'nlmsg_flags');
    // Every header byte is written here or by end(): nothing to zero first.
    this.ensure(NLMSG_HDRLEN);
    const at = this.pos;
    const b = this.buf;
    le32(b, at, 0);
    le16(b, at + 4, type);
    le16(b, at + 6, flags);
    le32(b, at + 8, seq >>> 0);
    le32(b, at + 12, pid >>> 0);
    this.pos += NLMSG_HDRLEN;
    this.messageStart = at;
    return at;
  }

  /** Closes the current message by writing its length. */
  end(): this {
    if (this.messageStart < 0) throw new Error('MessageBuilder.end() without begin()');
    // le32, not Buffer#writeUInt32LE: its argument checks ran once per message of a batch
    // (interpreted until TurboFan compiled end(), then inlined); the length is always in range.
    le32(this.buf, this.messageStart, this.pos - this.messageStart);
    this.messageStart = -1;
    return this;
  }

  /** Appends raw bytes, padded to 4. */
  data(bytes: Uint8Array): this {
    const at = this.reserve(bytes.length);
    this.buf.set(bytes, at);
    return this;
  }

  /** Writes an attribute header and zeroed padding for a len-byte value; returns the value's offset. */
  private put(type: number, len: number): number {
    const total = NLA_HDRLEN + len;
    if (total > 0xffff) throw new RangeError(`attribute type ${type & 0x3fff} value of ${len} bytes does not fit nla_len`);
    checkU16(type, 'nla_type');
    const padded = align(total);
    this.ensure(padded);
    const at = this.pos;
    le16(this.buf, at, total);
    le16(this.buf, at + 2, type);
    if (padded !== total) this.zero(at + total, at + padded);
    this.pos += padded;
    return at + NLA_HDRLEN;
  }

  binary(type: number, value: Uint8Array): this {
    const at = this.put(type, value.length);
    this.buf.set(value, at);
    return this;
  }
  flag(type: number): this {
    this.put(type, 0);
    return this;
  }
  // Each integer writer checks the value before put(), so a RangeError leaves nothing half-written,
  // and reads this.buf only after put(), which may have replaced it with a bigger buffer.
  u8(type: number, v: number): this {
    checkRange(v, 0, 0xff, 'u8');
    const at = this.put(type, 1);
    this.buf[at] = v;
    return this;
  }
  u16(type: number, v: number): this {
    checkRange(v, 0, 0xffff, 'u16');
    const at = this.put(type, 2);
    le16(this.buf, at, v);
    return this;
  }
  u32(type: number, v: number): this {
    const at = this.put(type, 4);
    le32(this.buf, at, v >>> 0);
    return this;
  }
  s32(type: number, v: number): this {
    checkRange(v, -0x80000000, 0x7fffffff, 's32');
    const at = this.put(type, 4);
    this.buf.writeInt32LE(v, at);
    return this;
  }
  u64(type: number, v: bigint | number): this {
    const big = BigInt(v);
    if (big < 0n || big > 0xffffffffffffffffn) throw new RangeError(`u64 value ${big} out of range`);
    const at = this.put(type, 8);
    this.buf.writeBigUInt64LE(big, at);
    return this;
  }
  u16be(type: number, v: number): this {
    checkRange(v, 0, 0xffff, 'be16');
    const at = this.put(type, 2);
    this.buf.writeUInt16BE(v, at);
    return this;
  }
  u32be(type: number, v: number): this {
    const at = this.put(type, 4);
    this.buf.writeUInt32BE(v >>> 0, at);
    return this;
  }
  /** A NUL-terminated string, as the kernel's NLA_STRING/NLA_NUL_STRING expect. */
  string(type: number, s: string): this {
    const n = Buffer.byteLength(s);
    const at = this.put(type, n + 1);
    this.buf.write(s, at, 'utf8');
    this.buf[at + n] = 0;
    return this;
  }
  /** IPv4 or IPv6 address from text; throws RangeError when it is neither. */
  ip(type: number, text: string): this {
    const ip = parseIP(text);
    if (!ip) throw new RangeError(`invalid IP address "${text}"`);
    return this.binary(type, ip.bytes);
  }
  ipv4(type: number, text: string): this {
    const b = parseIPv4(text);
    if (!b) throw new RangeError(`invalid IPv4 address "${text}"`);
    return this.binary(type, b);
  }
  ipv6(type: number, text: string): this {
    const b = parseIPv6(text);
    if (!b) throw new RangeError(`invalid IPv6 address "${text}"`);
    return this.binary(type, b);
  }
  mac(type: number, text: string): this {
    const b = parseMac(text);
    if (!b) throw new RangeError(`invalid link-layer address "${text}"`);
    return this.binary(type, b);
  }

  /** Opens a nest (NLA_F_NESTED set unless plain is true); close it with endNest(offset). */
  nest(type: number, plain = false): number {
    const at = this.pos;
    this.put(plain ? type : type | NLA_F_NESTED, 0);
    return at;
  }
  endNest(at: number): this {
    const len = this.pos - at;
    if (len > 0xffff) throw new RangeError(`nest of ${len} bytes does not fit nla_len`);
    this.buf.writeUInt16LE(len, at);
    return this;
  }

  /** A copy of the bytes written, so the builder can be reused. */
  finish(): Buffer {
    return Buffer.from(this.bytes);
  }
}

// Little-endian stores by hand: the values are range-checked already, and Buffer's writers
// validate their arguments on every call (visible in profiles of 100k-route batches).
function le16(b: Buffer, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
}
function le32(b: Buffer, at: number, v: number): void {
  b[at] = v;
  b[at + 1] = v >>> 8;
  b[at + 2] = v >>> 16;
  b[at + 3] = v >>> 24;
}

// As Buffer#writeUInt16LE checked these fields before: out of range throws, NaN is written as 0.
function checkU16(v: number, what: string): void {
  if (v > 0xffff || v < 0) throw new RangeError(`${what} ${v} out of range 0..65535`);
}

function checkRange(v: number, min: number, max: number, what: string): void {
  if (!(v >= min && v <= max)) throw new RangeError(`${what} value ${v} out of range ${min}..${max}`);
}
