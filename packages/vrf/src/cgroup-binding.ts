// A VRF binding on an arbitrary cgroup (a systemd unit's, say), as opposed to the
// <...>/vrf/NAME directories of `vrf exec`: attach the socket-binding program to it, detach it,
// and read back which device the program attached there binds sockets to — the kernel's
// answer, not a file we wrote, so `service status` and `identify` say what is true.
import { readFileSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import { Errno, strerror } from '@vrfctl/netlink';
import { BPF_CGROUP_INET_SOCK_CREATE, BPF_PROG_DETACH, bindCgroupToDevice, querySockCreate } from './bpf.js';
import { ensureCgroup2Mount, processCgroup } from './cgroup.js';
import { vrfDeviceIndex } from './exec.js';
import { NativeBuffer, bpf, close, errno, open } from './libc.js';
import { VrfError } from './names.js';

const BPF_PROG_GET_FD_BY_ID = 13;
const BPF_OBJ_GET_INFO_BY_FD = 15;
const BPF_ATTR_SIZE = 144;
/** struct bpf_prog_info up to name[16] (6.1 UAPI): enough for xlated_prog_len/insns. */
const PROG_INFO_SIZE = 80;
const O_RDONLY = 0;
const O_DIRECTORY = 0o200000;
const O_CLOEXEC = 0o2000000;

function openCgroup(dir: string): number {
  const fd = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0) {
    const e = errno();
    throw new VrfError(`failed to open cgroup ${dir}: ${strerror(e)}`, e);
  }
  return fd;
}

/** The cgroup2 directory of a cgroup path as /proc/PID/cgroup writes it ("/system.slice/x.service"). */
export function cgroupDirectory(path: string): string {
  return posix.join(ensureCgroup2Mount(), path);
}

/**
 * The cgroup a unit's ExecStartPre runs in is the unit's own, or its ".control" child when the
 * unit delegates its subtree: the binding goes on the unit's cgroup either way.
 */
export function unitCgroupOf(pid: number | 'self' = 'self'): string {
  const path = processCgroup(pid);
  if (path === undefined) throw new VrfError('no cgroup2 path for this process (is cgroup2 mounted?)');
  return path.endsWith('/.control') ? posix.dirname(path) : path;
}

/** Binds every socket created in cgroup `path` (and below) from now on to VRF `vrf`. */
export function bindCgroupToVrf(path: string, vrf: string): void {
  const ifindex = vrfDeviceIndex(vrf);
  const fd = openCgroup(cgroupDirectory(path));
  try {
    bindCgroupToDevice(fd, ifindex);
  } finally {
    close(fd);
  }
}

/** Detaches the socket-binding program from cgroup `path`; false when none was attached. */
export function unbindCgroup(path: string): boolean {
  const fd = openCgroup(cgroupDirectory(path));
  try {
    const attr = Buffer.alloc(BPF_ATTR_SIZE);
    attr.writeUInt32LE(fd, 0); // target_fd
    attr.writeUInt32LE(BPF_CGROUP_INET_SOCK_CREATE, 8); // attach_type
    if (bpf(BPF_PROG_DETACH, attr) === 0) return true;
    const e = errno();
    if (e === Errno.ENOENT) return false;
    throw new VrfError(`failed to detach BPF program from cgroup ${path}: ${strerror(e)}`, e);
  } finally {
    close(fd);
  }
}

/**
 * The ifindex a socket-create program binds sockets to, read from its translated instructions:
 * ours and iproute2's both begin "rX = IFINDEX; *(u32 *)(ctx + …) = rX". undefined for any
 * other program (systemd's own, say).
 */
export function boundIfindexOfProgram(id: number): number | undefined {
  const attr = Buffer.alloc(BPF_ATTR_SIZE);
  attr.writeUInt32LE(id, 0); // prog_id
  const fd = bpf(BPF_PROG_GET_FD_BY_ID, attr);
  if (fd < 0) return undefined; // gone since the query
  const info = new NativeBuffer(PROG_INFO_SIZE);
  const insns = new NativeBuffer(64 * 8);
  try {
    info.bytes.writeUInt32LE(insns.bytes.length, 20); // xlated_prog_len: room
    info.bytes.writeBigUInt64LE(insns.address, 32); // xlated_prog_insns
    const get = Buffer.alloc(BPF_ATTR_SIZE);
    get.writeUInt32LE(fd, 0); // info.bpf_fd
    get.writeUInt32LE(PROG_INFO_SIZE, 4); // info.info_len
    get.writeBigUInt64LE(info.address, 8); // info.info
    if (bpf(BPF_OBJ_GET_INFO_BY_FD, get) !== 0) return undefined;
    const len = Math.min(info.bytes.readUInt32LE(20), insns.bytes.length);
    if (len < 16) return undefined;
    const code0 = insns.bytes[0];
    const reg = insns.bytes[1] & 0x0f;
    const code1 = insns.bytes[8];
    const src1 = insns.bytes[9] >> 4;
    const imm = insns.bytes.readInt32LE(4);
    // mov imm (ALU or ALU64) into reg, then a 32-bit store from that reg.
    if ((code0 === 0xb7 || code0 === 0xb4) && code1 === 0x63 && src1 === reg && imm > 0) return imm;
    return undefined;
  } finally {
    info.free();
    insns.free();
    close(fd);
  }
}

/** The device name of `ifindex` in this network namespace, or undefined. */
export function deviceName(ifindex: number): string | undefined {
  for (const name of readdirSync('/sys/class/net')) {
    try {
      if (Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8')) === ifindex) return name;
    } catch {
      // a device that went away while we looked
    }
  }
  return undefined;
}

export interface CgroupBinding {
  /** The cgroup path carrying the program (the process's own or an ancestor). */
  cgroup: string;
  ifindex: number;
  /** The device's name here, if it still exists. */
  device: string | undefined;
}

/**
 * The VRF binding in force for sockets created in cgroup `path`: the nearest cgroup, walking
 * up to the root, that carries a socket-binding program. undefined when there is none.
 */
export function cgroupBinding(path: string): CgroupBinding | undefined {
  for (let p = path; ; p = posix.dirname(p)) {
    let ids: number[] = [];
    let fd = -1;
    try {
      fd = openCgroup(cgroupDirectory(p));
      ids = querySockCreate(fd);
    } catch {
      ids = [];
    } finally {
      if (fd >= 0) close(fd);
    }
    for (const id of ids) {
      const ifindex = boundIfindexOfProgram(id);
      if (ifindex !== undefined) return { cgroup: p, ifindex, device: deviceName(ifindex) };
    }
    if (p === '/' || p === '.' || p === '') return undefined;
  }
}
