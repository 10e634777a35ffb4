// Receive many datagrams per syscall with recvmmsg(2). The struct mmsghdr array, its iovecs
// and sender addresses are laid out by hand in one Buffer with raw pointers (koffi marshalling
// an array of structs per call would cost more than the recvfrom calls it saves).
import * as libc from './libc.js';

/** Datagrams per recvmmsg call: enough to amortise the call, few enough to stay cache-warm. */
export const RING_SLOTS = 64;
/** Address space of the slots (only pages that datagrams reach become resident). */
const RING_BYTES = 4 * 1024 * 1024;

/**
 * Up to RING_SLOTS slots of slotSize bytes. Slots are as large as the single-datagram scratch buffer,
 * so a datagram that recvfrom would have read whole also fits a slot; the pages of a slot are
 * only touched (made resident) when a datagram that long arrives.
 */
export class RecvRing {
  readonly slots: number;
  /** Datagram i is at data[i * slotSize, i * slotSize + length(i)). */
  readonly data: Buffer;
  /** mmsghdr[slots], then iovec[slots], then sockaddr_nl[slots]. */
  readonly headers: Buffer;
  private readonly words: Uint32Array;
  private readonly addrBase: number;

  constructor(readonly slotSize: number) {
    this.slots = Math.max(1, Math.min(RING_SLOTS, Math.floor(RING_BYTES / slotSize)));
    this.data = Buffer.allocUnsafe(slotSize * this.slots);
    const iovBase = this.slots * libc.MMSGHDR_SIZE;
    this.addrBase = iovBase + this.slots * libc.IOVEC_SIZE;
    this.headers = Buffer.alloc(this.addrBase + this.slots * libc.SOCKADDR_NL_SIZE);
    this.words = new Uint32Array(this.headers.buffer, this.headers.byteOffset, this.headers.length >>> 2);
    const hdr = libc.addressOf(this.headers);
    const data = libc.addressOf(this.data);
    for (let i = 0; i < this.slots; i++) {
      const m = i * libc.MMSGHDR_SIZE;
      const iov = iovBase + i * libc.IOVEC_SIZE;
      this.headers.writeBigUInt64LE(hdr + BigInt(this.addrBase + i * libc.SOCKADDR_NL_SIZE), m + libc.MMSG_NAME);
      this.headers.writeUInt32LE(libc.SOCKADDR_NL_SIZE, m + libc.MMSG_NAMELEN);
      this.headers.writeBigUInt64LE(hdr + BigInt(iov), m + libc.MMSG_IOV);
      this.headers.writeBigUInt64LE(1n, m + libc.MMSG_IOVLEN);
      this.headers.writeBigUInt64LE(data + BigInt(i * slotSize), iov);
      this.headers.writeBigUInt64LE(BigInt(slotSize), iov + 8);
    }
  }

  /**
   * One non-blocking recvmmsg with MSG_TRUNC (so that length() is a datagram's real size).
   * Returns the count read, or -1 with errno set.
   */
  receive(fd: number): number {
    // The kernel writes msg_namelen back; restore it so a short write can never shrink it.
    const w = this.words;
    for (let i = 0; i < this.slots; i++) w[(i * libc.MMSGHDR_SIZE + libc.MMSG_NAMELEN) >>> 2] = libc.SOCKADDR_NL_SIZE;
    return libc.recvmmsg(fd, this.headers, this.slots, libc.MSG_DONTWAIT | libc.MSG_TRUNC, null);
  }

  /** Real size of datagram i (larger than slotSize when it was truncated). */
  length(i: number): number {
    return this.words[(i * libc.MMSGHDR_SIZE + libc.MMSG_LEN) >>> 2];
  }

  truncated(i: number): boolean {
    return (this.words[(i * libc.MMSGHDR_SIZE + libc.MMSG_FLAGS) >>> 2] & libc.MSG_TRUNC) !== 0;
  }

  /** Sender port of datagram i (0: the kernel). */
  pid(i: number): number {
    return this.words[(this.addrBase + i * libc.SOCKADDR_NL_SIZE + 4) >>> 2];
  }

  /** Multicast group mask of datagram i (0: unicast). */
  groups(i: number): number {
    return this.words[(this.addrBase + i * libc.SOCKADDR_NL_SIZE + 8) >>> 2];
  }
}

// Asked of a typed array, not os.endianness(): node:os would be one more module at every start.
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The layout above is LP64 little-endian (x86-64, arm64, …); elsewhere recvfrom is used. */
export const ringSupported = libc.POINTER_SIZE === 8 && littleEndian;
