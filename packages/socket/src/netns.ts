import { closeSync, mkdirSync, opendirSync, openSync, rmSync, statSync } from 'node:fs';
import { Errno } from '@vrfctl/netlink';
import * as libc from './libc.js';
import { SystemError } from './errors.js';

/** A network namespace: a name under /run/netns, an absolute path, or an open fd (not closed by us). */
export type NetnsTarget = string | number;

const SELF_NETNS = '/proc/thread-self/ns/net';

function openNs(path: string): number {
  const fd = libc.open(path, libc.O_RDONLY | libc.O_CLOEXEC);
  if (fd < 0) throw new SystemError(`open(${path})`, libc.errno());
  return fd;
}

/**
 * An fd for a network namespace (a name under /run/netns or an absolute path), for attributes
 * such as IFLA_NET_NS_FD; the caller closes it with closeNetnsFd.
 */
export function openNetnsFd(target: string): number {
  return openNs(netnsPath(target));
}

export function closeNetnsFd(fd: number): void {
  libc.close(fd);
}

export function netnsPath(target: string): string {
  // open() would stop at a NUL: "red\0x" must not quietly mean the namespace "red".
  if (target.includes('\0')) throw new RangeError(`invalid network namespace "${target.replaceAll('\0', '\\0')}": contains a NUL byte`);
  if (target.startsWith('/')) return target;
  if (target === '' || target.includes('/') || target === '.' || target === '..') {
    throw new RangeError(`invalid network namespace name "${target}"`);
  }
  return `/run/netns/${target}`;
}

/**
 * Runs fn with the calling thread switched into the target network namespace, and always
 * switches back, also when fn or the switch itself fails. Sockets keep the namespace they
 * were created in, so this is only needed around socket().
 */
export function inNetns<T>(target: NetnsTarget, fn: () => T): T {
  const saved = openNs(SELF_NETNS);
  try {
    const ownsTarget = typeof target === 'string';
    const targetFd = typeof target === 'string' ? openNs(netnsPath(target)) : target;
    try {
      if (libc.setns(targetFd, libc.CLONE_NEWNET) < 0) {
        throw new SystemError(`setns(${typeof target === 'string' ? netnsPath(target) : `fd ${target}`})`, libc.errno());
      }
      try {
        return fn();
      } finally {
        if (libc.setns(saved, libc.CLONE_NEWNET) < 0) {
          // Staying in the wrong namespace would silently misdirect every later call.
          throw new SystemError('setns(back to the original network namespace)', libc.errno());
        }
      }
    } finally {
      if (ownsTarget) libc.close(targetFd);
    }
  } finally {
    libc.close(saved);
  }
}

const NETNS_RUN_DIR = '/run/netns';

/**
 * /run/netns as ip sets it up: a shared mount (bound onto itself first when it is not a mount
 * point), so that the namespaces bound under it are seen from other mount namespaces too.
 */
function shareRunDir(): void {
  mkdirSync(NETNS_RUN_DIR, { recursive: true, mode: 0o755 });
  if (libc.mount('', NETNS_RUN_DIR, 'none', libc.MS_SHARED | libc.MS_REC, null) === 0) return;
  if (libc.errno() !== Errno.EINVAL) throw new SystemError(`mount --make-rshared ${NETNS_RUN_DIR}`, libc.errno());
  if (libc.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', libc.MS_BIND | libc.MS_REC, null) !== 0) {
    throw new SystemError(`mount --bind ${NETNS_RUN_DIR}`, libc.errno());
  }
  if (libc.mount('', NETNS_RUN_DIR, 'none', libc.MS_SHARED | libc.MS_REC, null) !== 0) {
    throw new SystemError(`mount --make-rshared ${NETNS_RUN_DIR}`, libc.errno());
  }
}

/**
 * `ip netns add NAME`: a new network namespace kept alive by a bind mount on /run/netns/NAME.
 * The calling thread enters the new namespace for the bind and returns to its own after.
 */
export function createNetns(name: string): void {
  const path = netnsPath(name);
  if (name.startsWith('/')) throw new RangeError(`invalid network namespace name "${name}": a name, not a path`);
  shareRunDir();
  try {
    closeSync(openSync(path, 'wx', 0o444));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new SystemError(`create ${path}`, Errno.EEXIST);
    throw err;
  }
  const saved = openNs(SELF_NETNS);
  try {
    if (libc.unshare(libc.CLONE_NEWNET) < 0) throw new SystemError('unshare(CLONE_NEWNET)', libc.errno());
    try {
      if (libc.mount(SELF_NETNS, path, 'none', libc.MS_BIND, null) < 0) throw new SystemError(`mount --bind ${SELF_NETNS} ${path}`, libc.errno());
    } finally {
      if (libc.setns(saved, libc.CLONE_NEWNET) < 0) throw new SystemError('setns(back to the original network namespace)', libc.errno());
    }
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  } finally {
    libc.close(saved);
  }
}

/** `ip netns del NAME`: unmounts and removes /run/netns/NAME (the namespace lives on while used). */
export function deleteNetns(name: string): void {
  const path = netnsPath(name);
  if (name.startsWith('/')) throw new RangeError(`invalid network namespace name "${name}": a name, not a path`);
  statSync(path);
  libc.umount2(path, libc.MNT_DETACH);
  rmSync(path);
}

/** The names under /run/netns, in directory order as ip lists them (readdirSync would sort). */
export function listNetnsNames(): string[] {
  try {
    const dir = opendirSync(NETNS_RUN_DIR);
    const names: string[] = [];
    try {
      for (let e = dir.readSync(); e !== null; e = dir.readSync()) names.push(e.name);
    } finally {
      dir.closeSync();
    }
    return names;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
