// Where a VRF's cgroup lives. The layout is iproute2's (ip/ipvrf.c), so that processes put
// in a VRF by `ip vrf exec` and by vrfctl land in the same directories:
//
//   <cgroup2 mount><own cgroup, cut at "/vrf">/[<netns>-ns/]vrf/<NAME>
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { Errno, strerror } from '@vrfctl/netlink';
import { errno, mount } from './libc.js';
import { DEFAULT_VRF, VrfError, validateVrfName } from './names.js';

/** Where iproute2 mounts cgroup2 when nothing has (lib/fs.c); we use the same place. */
export const CGROUP2_FALLBACK_MOUNT = '/var/run/cgroup2';
const NETNS_RUN_DIR = '/var/run/netns';

/** /proc/mounts escapes ' ', '\t', '\n' and '\\' as octal (\040...). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Mount point of the first cgroup2 entry in /proc/self/mounts, or undefined. */
export function findCgroup2Mount(mounts = '/proc/self/mounts'): string | undefined {
  for (const line of readFileSync(mounts, 'utf8').split('\n')) {
    const fields = line.split(' ');
    if (fields[2] === 'cgroup2' && fields[1] !== undefined) return unescapeMountField(fields[1]);
  }
  return undefined;
}

/** The cgroup2 mount, mounting one at /var/run/cgroup2 if there is none (as iproute2 does). */
export function ensureCgroup2Mount(): string {
  const found = findCgroup2Mount();
  if (found !== undefined) return found;
  mkdirSync(CGROUP2_FALLBACK_MOUNT, { recursive: true, mode: 0o755 });
  if (mount('none', CGROUP2_FALLBACK_MOUNT, 'cgroup2', 0, null) !== 0) {
    const e = errno();
    // EBUSY: somebody mounted it there between our read of /proc/self/mounts and now.
    if (e !== Errno.EBUSY) throw new VrfError(`failed to mount cgroup2 on ${CGROUP2_FALLBACK_MOUNT}: ${strerror(e)}`, e);
  }
  return CGROUP2_FALLBACK_MOUNT;
}

/**
 * The cgroup2 path of a process ("/" for the root), from the "0::" line of /proc/PID/cgroup.
 * Like iproute2, take the first line containing "::/" (cgroup v1 lines never do).
 */
export function processCgroup(pid: number | 'self' = 'self'): string | undefined {
  const text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  const line = text.split('\n').find((l) => l.includes('::/'));
  return line === undefined ? undefined : line.slice(line.indexOf('::/') + 2);
}

/**
 * The name under /var/run/netns of our network namespace, or '' if it has none (the initial
 * namespace, or an unnamed one): iproute2 keys per-netns VRF cgroups on it.
 */
export function currentNetnsName(): string {
  const self = statSync('/proc/self/ns/net', { bigint: true });
  let names: string[];
  try {
    names = readdirSync(NETNS_RUN_DIR);
  } catch {
    return '';
  }
  for (const name of names) {
    try {
      const st = statSync(posix.join(NETNS_RUN_DIR, name), { bigint: true });
      if (st.dev === self.dev && st.ino === self.ino) return name;
    } catch {
      // A stale or unreadable entry names no namespace of ours.
    }
  }
  return '';
}

/** The "<netns>-ns" directory iproute2 puts between our cgroup and vrf/, or ''. */
export function netnsCgroupDir(netns = currentNetnsName()): string {
  return netns === '' ? '' : `${netns}-ns`;
}

/**
 * The cgroup a process uses as the parent of vrf/: its own cgroup cut at the first "/vrf"
 * (so that running from inside a VRF does not nest), without a trailing "<netns>-ns".
 * iproute2 cuts at "/vrf" even when it begins a longer name ("/vrfd.service"); we do the
 * same so both tools agree on the directory.
 */
export function vrfBaseCgroup(ownCgroup: string, nsDir: string): string {
  let base = ownCgroup;
  const cut = base.indexOf('/vrf');
  if (cut >= 0) base = base.slice(0, cut);
  if (nsDir !== '' && posix.basename(base) === nsDir) base = posix.dirname(base);
  return base === '' ? '/' : base;
}

export interface CgroupPathOptions {
  /** Mount cgroup2 at /var/run/cgroup2 when none is mounted (default false: throw). */
  mount?: boolean;
}

/**
 * Absolute path of the cgroup for VRF `name` as iproute2 computes it for the calling
 * process; for "default" the vrf/ directory itself (the "no VRF" cgroup).
 */
export function vrfCgroupPath(name: string, options: CgroupPathOptions = {}): string {
  if (name !== DEFAULT_VRF) validateVrfName(name);
  const mnt = options.mount === true ? ensureCgroup2Mount() : findCgroup2Mount();
  if (mnt === undefined) throw new VrfError('failed to find cgroup2 mount');
  const own = processCgroup('self');
  if (own === undefined) throw new VrfError('failed to get base cgroup path: no cgroup2 entry in /proc/self/cgroup');
  const nsDir = netnsCgroupDir();
  const base = vrfBaseCgroup(own, nsDir);
  const dir = posix.join(mnt, base, nsDir, 'vrf', name === DEFAULT_VRF ? '' : name);
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}

/**
 * Refuses a VRF cgroup in a subtree someone other than root controls: a directory (the VRF's
 * own, or any above it up to the mount) owned by another user or writable by group or others
 * lets that user move processes out of the VRF (a delegated cgroup) or pre-make the VRF's
 * directory. Checked only when running as root (only root's cgroup choices are trusted).
 */
export function checkCgroupOwnership(path: string, mountPoint: string | undefined = findCgroup2Mount()): void {
  if (process.getuid?.() !== 0 || mountPoint === undefined) return;
  for (let dir = path; dir.startsWith(mountPoint) && dir.length > mountPoint.length; dir = posix.dirname(dir)) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      continue; // Not made yet: mkdir makes it root's, 0755.
    }
    if (st.uid !== 0 || (st.mode & 0o022) !== 0) {
      const why = st.uid !== 0 ? `owned by uid ${st.uid}` : `writable by ${(st.mode & 0o002) !== 0 ? 'others' : 'its group'}`;
      throw new VrfError(`refusing VRF cgroup ${path}: ${dir} is ${why} (a delegated or foreign subtree could move processes out of the VRF)`, Errno.EPERM);
    }
  }
}

/** mkdir -p with mode 0755, as iproute2's make_path; refused in a subtree root does not own. */
export function makeCgroupDir(path: string, mountPoint?: string): void {
  checkCgroupOwnership(path, mountPoint ?? findCgroup2Mount());
  try {
    mkdirSync(path, { recursive: true, mode: 0o755 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new VrfError(`failed to set up VRF cgroup directory ${path}: ${e.message}`, typeof e.errno === 'number' ? -e.errno : undefined);
  }
}

/** Move process `pid` into the cgroup at `dir` (one write to cgroup.procs). */
export function joinCgroup(dir: string, pid: number = process.pid): void {
  try {
    writeFileSync(posix.join(dir, 'cgroup.procs'), String(pid), { flag: 'a' });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new VrfError(`failed to join cgroup ${dir}: ${e.message}`, typeof e.errno === 'number' ? -e.errno : undefined);
  }
}
