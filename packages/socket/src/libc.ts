// Every C function this package calls, declared once through koffi. Buffers are passed as
// `void *` so that koffi hands the kernel a pointer to their memory without copying.
import koffi from './koffi.js';

/** int-returning call; -1 means failure with errno set. */
type IntCall<A extends unknown[]> = (...args: A) => number;

const lib = koffi.load('libc.so.6');

function fn<A extends unknown[]>(decl: string): IntCall<A> {
  return lib.func(decl) as IntCall<A>;
}

export const socket = fn<[domain: number, type: number, protocol: number]>('int socket(int, int, int)');
export const bind = fn<[fd: number, addr: Buffer, len: number]>('int bind(int, void *, uint32_t)');
export const connect = fn<[fd: number, addr: Buffer, len: number]>('int connect(int, void *, uint32_t)');
export const getsockname = fn<[fd: number, addr: Buffer, len: Buffer]>('int getsockname(int, void *, void *)');
export const setsockopt = fn<[fd: number, level: number, name: number, value: Buffer, len: number]>(
  'int setsockopt(int, int, int, void *, uint32_t)',
);
export const getsockopt = fn<[fd: number, level: number, name: number, value: Buffer, len: Buffer]>(
  'int getsockopt(int, int, int, void *, void *)',
);
export const sendto = fn<[fd: number, buf: Buffer, len: number, flags: number, addr: Buffer | null, addrLen: number]>(
  'long sendto(int, void *, size_t, int, void *, uint32_t)',
);
export const recvfrom = fn<[fd: number, buf: Buffer | null, len: number, flags: number, addr: Buffer | null, addrLen: Buffer | null]>(
  'long recvfrom(int, void *, size_t, int, void *, void *)',
);
export const recvmmsg = fn<[fd: number, msgvec: Buffer, vlen: number, flags: number, timeout: Buffer | null]>(
  'int recvmmsg(int, void *, unsigned int, int, void *)',
);
export const close = fn<[fd: number]>('int close(int)');
export const poll = fn<[fds: Buffer, nfds: number, timeoutMs: number]>('int poll(void *, unsigned long, int)');
export const open = fn<[path: string, flags: number]>('int open(const char *, int, ...)');
export const setns = fn<[fd: number, nstype: number]>('int setns(int, int)');
export const unshare = fn<[flags: number]>('int unshare(int)');
export const mount = fn<[source: string, target: string, fstype: string, flags: number, data: null]>(
  'int mount(const char *, const char *, const char *, unsigned long, const void *)',
);
export const umount2 = fn<[target: string, flags: number]>('int umount2(const char *, int)');

/**
 * Address of a Buffer's first byte, for pointers laid out by hand (struct mmsghdr). The memory
 * of a Buffer never moves; the caller must keep the Buffer referenced while the kernel may use it.
 */
export function addressOf(buf: Buffer): bigint {
  return koffi.address(buf);
}

/** sizeof(void *): the hand-made layouts below assume LP64. */
export const POINTER_SIZE = koffi.sizeof('void *');

/** errno of the last call made through koffi on this thread. */
export function errno(): number {
  return koffi.errno();
}

// Constants from the Linux UAPI headers (x86-64 / generic values; they are ABI).
export const AF_NETLINK = 16;
export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_SNDBUF = 7;
export const SO_RCVBUF = 8;
export const SO_SNDBUFFORCE = 32;
export const SO_RCVBUFFORCE = 33;
/** u32[SK_MEMINFO_VARS] of the socket's memory counters; index SK_MEMINFO_DROPS (8) counts dropped packets. */
export const SO_MEMINFO = 55;
export const SK_MEMINFO_DROPS = 8;
export const MSG_PEEK = 0x2;
export const MSG_TRUNC = 0x20;
export const MSG_DONTWAIT = 0x40;
export const POLLIN = 0x1;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const O_RDONLY = 0;
export const O_CLOEXEC = 0o2000000;
export const CLONE_NEWNET = 0x40000000;
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_SHARED = 1 << 20;
export const MNT_DETACH = 2;

/** sizeof(struct sockaddr_nl): u16 family, u16 pad, u32 pid, u32 groups. */
export const SOCKADDR_NL_SIZE = 12;
/**
 * struct mmsghdr on LP64 Linux: struct msghdr (name ptr @0, namelen u32 @8, iov ptr @16,
 * iovlen u64 @24, control ptr @32, controllen u64 @40, flags i32 @48) then msg_len u32 @56.
 */
export const MMSGHDR_SIZE = 64;
export const MMSG_NAME = 0;
export const MMSG_NAMELEN = 8;
export const MMSG_IOV = 16;
export const MMSG_IOVLEN = 24;
export const MMSG_FLAGS = 48;
export const MMSG_LEN = 56;
/** struct iovec: base ptr @0, len u64 @8. */
export const IOVEC_SIZE = 16;
/** sizeof(struct pollfd): int fd, short events, short revents. */
export const POLLFD_SIZE = 8;
