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
