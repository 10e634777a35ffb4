// `vrf exec NAME CMD...`: put this process in the VRF's cgroup, whose BPF program binds
// every socket it creates to the VRF device, then become CMD with execvp(3) so that CMD's
// signals and exit status are its own. Same cgroup layout and attach mode as iproute2.
import { writeSync } from 'node:fs';
import { Errno, strerror } from '@vrfctl/netlink';
import { bindCgroupToDevice } from './bpf.js';
import { joinCgroup, makeCgroupDir, vrfCgroupPath } from './cgroup.js';
import {
  AF_INET, FD_CLOEXEC, F_GETFD, F_SETFD, NativeBuffer, O_CLOEXEC, O_DIRECTORY, O_RDONLY, SIOCETHTOOL, SIOCGIFINDEX, SIGPIPE, SIGXFSZ,
  SIG_DFL, SOCK_CLOEXEC, SOCK_DGRAM, close, errno, execvp, fcntl, ioctl, open, signal, socket,
} from './libc.js';
import { DEFAULT_VRF, VrfError, validateVrfName } from './names.js';

const IFREQ_SIZE = 40; // struct ifreq: char ifr_name[16], then a 24-byte union
const ETHTOOL_GDRVINFO = 3;
const DRVINFO_SIZE = 196; // struct ethtool_drvinfo; driver[32] at offset 4

function ifreq(name: string): Buffer {
  const req = Buffer.alloc(IFREQ_SIZE);
  req.write(name, 0, 15, 'utf8');
  return req;
}

/**
 * The ifindex of VRF device `name` in our network namespace. Throws VrfError when there is
 * no such device or it is not a VRF: the ethtool driver name of a VRF device is "vrf",
 * which is cheaper than a netlink dump and as exact as IFLA_INFO_KIND.
 */
export function vrfDeviceIndex(name: string): number {
  validateVrfName(name);
  const fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw new VrfError(`socket: ${strerror(errno())}`, errno());
  const info = new NativeBuffer(DRVINFO_SIZE);
  try {
    const req = ifreq(name);
    if (ioctl(fd, SIOCGIFINDEX, req) !== 0) {
      const e = errno();
      if (e === Errno.ENODEV) throw new VrfError(`VRF "${name}" does not exist`, e);
      throw new VrfError(`cannot look up device "${name}": ${strerror(e)}`, e);
    }
    const ifindex = req.readInt32LE(16);
    info.bytes.writeUInt32LE(ETHTOOL_GDRVINFO, 0);
    const drv = ifreq(name);
    drv.writeBigUInt64LE(info.address, 16); // ifr_data
    const driver = ioctl(fd, SIOCETHTOOL, drv) === 0 ? info.bytes.toString('latin1', 4, 36).replace(/\0.*$/s, '') : '';
    if (driver !== 'vrf') throw new VrfError(`"${name}" is not a VRF device${driver ? ` (driver ${driver})` : ''}`);
    return ifindex;
  } finally {
    info.free();
    close(fd);
  }
}

/**
 * Move this process into VRF `name` (or out of any VRF for "default"): create its cgroup,
 * attach the socket-binding program, join. Sockets created afterwards are bound to the VRF.
 * Returns the cgroup directory. Throws VrfError on any failure.
 */
export function enterVrf(name: string): string {
  const ifindex = name === DEFAULT_VRF ? 0 : vrfDeviceIndex(name);
  const dir = vrfCgroupPath(name, { mount: true });
  makeCgroupDir(dir);
  if (ifindex !== 0) {
    const cg = open(dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC, 0);
    if (cg < 0) {
      const e = errno();
      throw new VrfError(`failed to open cgroup path ${dir}: ${strerror(e)}`, e);
    }
    try {
      bindCgroupToDevice(cg, ifindex);
    } finally {
      close(cg);
    }
  }
  joinCgroup(dir, process.pid);
  return dir;
}

/**
 * Node (libuv's uv_disable_stdio_inheritance) marks the descriptors it inherited
 * close-on-exec, stdin/stdout/stderr included; CMD must get those three back. Returns
 * the previous descriptor flags, to undo if execvp fails. Everything we open ourselves is
 * O_CLOEXEC and closed before this point.
 */
function inheritStdio(): number[] {
  return [0, 1, 2].map((fd) => {
    const flags = fcntl(fd, F_GETFD);
    if (flags >= 0 && (flags & FD_CLOEXEC) !== 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    return flags;
  });
}

/**
 * Replace this process with argv[0] (searched in PATH). Only returns when execvp failed:
 * then it has written "vrfctl: exec: CMD: <reason>" to stderr and returns what a shell
 * would exit with (127 not found, 126 otherwise).
 */
export function execCommand(argv: readonly string[]): number {
  const cmd = argv[0];
  if (cmd === undefined || cmd === '') throw new VrfError('no command specified');
  // Node ignores SIGPIPE and SIGXFSZ, and ignored signals survive execve: give CMD the
  // default dispositions a shell would.
  const pipe = signal(SIGPIPE, SIG_DFL);
  const xfsz = signal(SIGXFSZ, SIG_DFL);
  const stdio = inheritStdio();
  execvp(cmd, [...argv, null]);
  const e = errno();
  stdio.forEach((flags, fd) => flags >= 0 && fcntl(fd, F_SETFD, flags));
  signal(SIGPIPE, pipe); // still Node: it relies on EPIPE instead of dying
  signal(SIGXFSZ, xfsz);
  writeSync(2, `vrfctl: exec: ${cmd}: ${strerror(e)}\n`);
  return e === Errno.ENOENT ? 127 : 126;
}

/**
 * `vrf exec NAME CMD...`: enterVrf(name) then execCommand(argv). Does not return if CMD
 * starts; returns 127/126 if it could not be executed; throws VrfError if the VRF could
 * not be entered (nothing has been executed then).
 */
export function execInVrf(name: string, argv: readonly string[]): number {
  if (argv.length === 0 || argv[0] === '') throw new VrfError('no command specified');
  enterVrf(name);
  return execCommand(argv);
}
