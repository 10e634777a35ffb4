// The eBPF program behind `vrf exec`: attached to a cgroup as BPF_CGROUP_INET_SOCK_CREATE,
// it sets sk_bound_dev_if of every socket created in that cgroup to the VRF device, which
// is what SO_BINDTODEVICE would do. Hand-assembled; offsets are from linux/bpf.h.
import { strerror } from '@vrfctl/netlink';
import { NativeBuffer, bpf, close, errno } from './libc.js';
import { VrfError } from './names.js';

// bpf(2) commands, program and attach types (enum values from linux/bpf.h).
export const BPF_PROG_LOAD = 5;
export const BPF_PROG_ATTACH = 8;
export const BPF_PROG_DETACH = 9;
export const BPF_PROG_QUERY = 16;
export const BPF_PROG_TYPE_CGROUP_SOCK = 9;
export const BPF_CGROUP_INET_SOCK_CREATE = 2;

/** sizeof(union bpf_attr) in the 6.1 UAPI; the kernel accepts any size if the tail is zero. */
const BPF_ATTR_SIZE = 144;
/** offsetof(struct bpf_sock, bound_dev_if): it is the first member. */
const BPF_SOCK_BOUND_DEV_IF = 0;

// --- a tiny eBPF encoder: struct bpf_insn { u8 code; u8 dst:4, src:4; s16 off; s32 imm; } ---

const BPF_INSN_SIZE = 8;
const R0 = 0;
const R1 = 1; // the program's context: struct bpf_sock *
const R2 = 2;

interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({ code, dst, src, off, imm });
/** dst = imm (64-bit move): BPF_ALU64 | BPF_MOV | BPF_K */
const movImm = (dst: number, imm: number): Insn => insn(0x07 | 0xb0 | 0x00, dst, 0, 0, imm);
/** *(u32 *)(dst + off) = src: BPF_STX | BPF_MEM | BPF_W */
const storeWord = (dst: number, off: number, src: number): Insn => insn(0x03 | 0x60 | 0x00, dst, src, off, 0);
/** return r0: BPF_JMP | BPF_EXIT */
const exit = (): Insn => insn(0x05 | 0x90, 0, 0, 0, 0);

export function encodeInsns(prog: readonly Insn[]): Buffer {
  const buf = Buffer.alloc(prog.length * BPF_INSN_SIZE);
  prog.forEach((i, n) => {
    const at = n * BPF_INSN_SIZE;
    buf.writeUInt8(i.code, at);
    buf.writeUInt8((i.src << 4) | i.dst, at + 1); // little-endian bitfield order
    buf.writeInt16LE(i.off, at + 2);
    buf.writeInt32LE(i.imm, at + 4);
  });
  return buf;
}

/** The program: ctx->bound_dev_if = ifindex; return 1 (allow the socket). */
export function bindDevProgram(ifindex: number): Buffer {
  if (!Number.isInteger(ifindex) || ifindex <= 0 || ifindex > 0x7fffffff) {
    throw new VrfError(`invalid ifindex ${ifindex}`);
  }
  return encodeInsns([
    movImm(R2, ifindex),
    storeWord(R1, BPF_SOCK_BOUND_DEV_IF, R2),
    movImm(R0, 1),
    exit(),
  ]);
}

const LOG_SIZE = 64 * 1024;

/** Trailing statistics the verifier appends after its verdict. */
const LOG_STATS = /^(processed \d+ insns|verification time|stack depth)/;

/** The verifier log as one line: the last line before the statistics says why it refused. */
function verifierReason(log: Buffer): string {
  const end = log.indexOf(0);
  const lines = log.subarray(0, end < 0 ? log.length : end).toString('utf8').split('\n').map((l) => l.trim());
  return lines.filter((l) => l !== '' && !LOG_STATS.test(l)).pop() ?? '';
}

/** BPF_PROG_LOAD a CGROUP_SOCK program binding new sockets to `ifindex`; returns its fd. */
export function loadBindDevProgram(ifindex: number): number {
  return loadCgroupSockProgram(bindDevProgram(ifindex));
}

/**
 * BPF_PROG_LOAD encoded instructions as a CGROUP_SOCK (INET_SOCK_CREATE) program. Returns
 * the program fd (close-on-exec: the kernel always sets it on bpf fds).
 */
export function loadCgroupSockProgram(code: Buffer): number {
  const insns = NativeBuffer.from(code);
  const license = NativeBuffer.from(Buffer.from('GPL\0'));
  const log = new NativeBuffer(LOG_SIZE);
  try {
    const attr = Buffer.alloc(BPF_ATTR_SIZE);
    attr.writeUInt32LE(BPF_PROG_TYPE_CGROUP_SOCK, 0); // prog_type
    attr.writeUInt32LE(insns.bytes.length / BPF_INSN_SIZE, 4); // insn_cnt
    attr.writeBigUInt64LE(insns.address, 8); // insns
    attr.writeBigUInt64LE(license.address, 16); // license
    attr.writeUInt32LE(1, 24); // log_level 1: the verifier explains a refusal
    attr.writeUInt32LE(LOG_SIZE, 28); // log_size
    attr.writeBigUInt64LE(log.address, 32); // log_buf
    attr.write('vrfctl_vrf', 48, 'latin1'); // prog_name[16], shown by bpftool
    attr.writeUInt32LE(BPF_CGROUP_INET_SOCK_CREATE, 68); // expected_attach_type
    const fd = bpf(BPF_PROG_LOAD, attr);
    if (fd < 0) {
      const e = errno();
      const why = verifierReason(log.bytes);
      const hint = e === 1 ? '' : ' (kernel built without CONFIG_CGROUP_BPF?)';
      throw new VrfError(`failed to load BPF program: ${strerror(e)}${why ? `: ${why}` : hint}`, e);
    }
    return fd;
  } finally {
    insns.free();
    license.free();
    log.free();
  }
}

/**
 * BPF_PROG_ATTACH `progFd` to the cgroup open as `cgroupFd`, with flags 0 as iproute2 does:
 * a later attach (ours or iproute2's) replaces the program instead of stacking another.
 */
export function attachSockCreate(progFd: number, cgroupFd: number): void {
  const attr = Buffer.alloc(BPF_ATTR_SIZE);
  attr.writeUInt32LE(cgroupFd, 0); // target_fd
  attr.writeUInt32LE(progFd, 4); // attach_bpf_fd
  attr.writeUInt32LE(BPF_CGROUP_INET_SOCK_CREATE, 8); // attach_type
  attr.writeUInt32LE(0, 12); // attach_flags
  if (bpf(BPF_PROG_ATTACH, attr) !== 0) {
    const e = errno();
    throw new VrfError(`failed to attach BPF program to cgroup: ${strerror(e)}`, e);
  }
}

/** The ids of the programs attached to a cgroup as INET_SOCK_CREATE (BPF_PROG_QUERY). */
export function querySockCreate(cgroupFd: number): number[] {
  const ids = new NativeBuffer(64 * 4);
  try {
    const attr = Buffer.alloc(BPF_ATTR_SIZE);
    attr.writeUInt32LE(cgroupFd, 0); // query.target_fd
    attr.writeUInt32LE(BPF_CGROUP_INET_SOCK_CREATE, 4); // query.attach_type
    attr.writeBigUInt64LE(ids.address, 16); // query.prog_ids
    attr.writeUInt32LE(64, 24); // query.prog_cnt in: room in prog_ids; out: count
    if (bpf(BPF_PROG_QUERY, attr) !== 0) {
      const e = errno();
      throw new VrfError(`failed to query cgroup BPF programs: ${strerror(e)}`, e);
    }
    const count = attr.readUInt32LE(24);
    return Array.from({ length: count }, (_, n) => ids.bytes.readUInt32LE(n * 4));
  } finally {
    ids.free();
  }
}

/** Load the program for `ifindex` and attach it to `cgroupFd`; the program fd is closed after. */
export function bindCgroupToDevice(cgroupFd: number, ifindex: number): void {
  const progFd = loadBindDevProgram(ifindex);
  try {
    attachSockCreate(progFd, cgroupFd);
  } finally {
    close(progFd);
  }
}
