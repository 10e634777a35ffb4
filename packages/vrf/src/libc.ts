// The few C library entry points that Node has no API for (bpf(2), mount(2), ioctl(2),
// execvp(3)), declared once through koffi. Buffers go in as `void *` so the kernel sees
// their memory directly.
import koffi from 'koffi';

const lib = koffi.load('libc.so.6');

type Call<A extends unknown[], R = number> = (...args: A) => R;

function fn<A extends unknown[], R = number>(decl: string): Call<A, R> {
  return lib.func(decl) as Call<A, R>;
}

// syscall(2) is variadic in C; koffi then wants a type before each extra argument.
const syscallRaw = fn<unknown[]>('long syscall(long nr, ...)');

/** x86-64 syscall numbers (ABI; see asm/unistd_64.h). */
export const SYS_bpf = 321;

/** bpf(cmd, attr, size); -1 with errno set on failure. */
export function bpf(cmd: number, attr: Buffer): number {
  return Number(syscallRaw(SYS_bpf, 'int', cmd, 'void *', attr, 'unsigned int', attr.length));
}

const fcntlRaw = fn<unknown[]>('int fcntl(int fd, int cmd, ...)');
/** fcntl(fd, cmd, arg) with an int argument; -1 with errno set on failure. */
export function fcntl(fd: number, cmd: number, arg = 0): number {
  return fcntlRaw(fd, cmd, 'int', arg) as number;
}
export const open = fn<[path: string, flags: number, mode: number]>('int open(const char *, int, uint32_t)');
export const close = fn<[fd: number]>('int close(int)');
export const socket = fn<[domain: number, type: number, protocol: number]>('int socket(int, int, int)');
export const ioctl = fn<[fd: number, request: number, arg: Buffer]>('int ioctl(int, unsigned long, void *)');
export const mount = fn<[source: string, target: string, fstype: string, flags: number, data: null]>(
  'int mount(const char *, const char *, const char *, unsigned long, const void *)',
);
// sighandler_t as an integer, so SIG_DFL (0) and SIG_IGN (1) can be passed and restored.
export const signal = fn<[sig: number, handler: number | bigint], number | bigint>('intptr_t signal(int, intptr_t)');
// The argv array must end with null, as execvp(3) requires.
export const execvp = fn<[file: string, argv: Array<string | null>]>('int execvp(const char *, const char **)');

/** errno of the last call made through koffi on this thread. */
export function errno(): number {
  return koffi.errno();
}

/**
 * Native (non-GC) memory, for structures the kernel reads through a pointer stored inside
 * another structure (bpf_attr.insns, .license, .log_buf). `bytes` aliases that memory.
 */
export class NativeBuffer {
  readonly address: bigint;
  readonly bytes: Buffer;
  private ptr: unknown;

  constructor(size: number) {
    this.ptr = koffi.alloc('uint8_t', size);
    this.address = koffi.address(this.ptr);
    this.bytes = Buffer.from(koffi.view(this.ptr, size)).fill(0);
  }

  static from(content: Buffer): NativeBuffer {
    const nb = new NativeBuffer(content.length);
    content.copy(nb.bytes);
    return nb;
  }

  free(): void {
    if (this.ptr !== null) koffi.free(this.ptr);
    this.ptr = null;
  }
}

// Linux UAPI constants (x86-64 / generic values; they are ABI).
export const O_RDONLY = 0;
export const O_DIRECTORY = 0o200000;
export const O_CLOEXEC = 0o2000000;
export const AF_INET = 2;
export const SOCK_DGRAM = 2;
export const SOCK_CLOEXEC = 0o2000000;
export const SIOCGIFINDEX = 0x8933;
export const SIOCETHTOOL = 0x8946;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const FD_CLOEXEC = 1;
export const SIGPIPE = 13;
export const SIGXFSZ = 25;
export const SIG_DFL = 0;
export const flock = fn<[fd: number, operation: number]>('int flock(int, int)');
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;
export const setns = fn<[fd: number, nstype: number]>('int setns(int, int)');
export const unshare = fn<[flags: number]>('int unshare(int)');
export const umount2 = fn<[target: string, flags: number]>('int umount2(const char *, int)');
export const CLONE_NEWNS = 0x20000;
export const CLONE_NEWNET = 0x40000000;
export const MS_RDONLY = 1;
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MS_SLAVE = 0x80000;
export const MNT_DETACH = 2;
