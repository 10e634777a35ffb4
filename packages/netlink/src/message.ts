import { NLMSG_HDRLEN, align } from './constants.js';
import { readU16LE, readU32LE } from './bytes.js';
import { DecodeError } from './errors.js';

/** struct nlmsghdr. */
export interface MessageHeader {
  length: number;
  type: number;
  flags: number;
  seq: number;
  pid: number;
}

/** One netlink message inside a receive buffer; payload is a view, not a copy. */
export interface Message {
  header: MessageHeader;
  /** Bytes after the nlmsghdr, up to nlmsg_len. */
  payload: Buffer;
  /** Offset of the nlmsghdr in the buffer it was parsed from. */
  offset: number;
}


export function readHeader(buf: Buffer, off: number): MessageHeader {
  if (!Number.isInteger(off) || off < 0) throw new RangeError(`invalid nlmsghdr offset ${off}`);
  if (off + NLMSG_HDRLEN > buf.length) throw new DecodeError(`truncated nlmsghdr: ${buf.length - off} of 16 bytes`, off);
  return {
    length: readU32LE(buf, off),
    type: readU16LE(buf, off + 4),
    flags: readU16LE(buf, off + 6),
    seq: readU32LE(buf, off + 8),
    pid: readU32LE(buf, off + 12),
  };
}

export function writeHeader(buf: Buffer, off: number, h: MessageHeader): void {
  buf.writeUInt32LE(h.length >>> 0, off);
  buf.writeUInt16LE(h.type, off + 4);
  buf.writeUInt16LE(h.flags, off + 6);
  buf.writeUInt32LE(h.seq >>> 0, off + 8);
  buf.writeUInt32LE(h.pid >>> 0, off + 12);
}

/**
 * Calls visit for each message in buf. Stops at the end of the buffer; a length that is too
 * small or runs past the buffer is a DecodeError (the kernel never sends one).
 */
export function forEachMessage(buf: Buffer, visit: (msg: Message) => void): void {
  let off = 0;
  const n = buf.length;
  while (off < n) {
    if (off + NLMSG_HDRLEN > n) throw new DecodeError(`truncated nlmsghdr: ${n - off} of 16 bytes`, off);
    // readHeader inlined: off is ours, so its checks of the offset are not needed here.
    const header: MessageHeader = {
      length: readU32LE(buf, off),
      type: readU16LE(buf, off + 4),
      flags: readU16LE(buf, off + 6),
      seq: readU32LE(buf, off + 8),
      pid: readU32LE(buf, off + 12),
    };
    if (header.length < NLMSG_HDRLEN) throw new DecodeError(`nlmsg_len ${header.length} below header size`, off);
    if (off + header.length > buf.length) {
      throw new DecodeError(`nlmsg_len ${header.length} runs past the buffer (${buf.length - off} bytes left)`, off);
    }
    visit({ header, payload: buf.subarray(off + NLMSG_HDRLEN, off + header.length), offset: off });
    off += align(header.length);
  }
}

export function parseMessages(buf: Buffer): Message[] {
  const out: Message[] = [];
  forEachMessage(buf, (m) => out.push(m));
  return out;
}
