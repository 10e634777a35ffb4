// Opening an AF_NETLINK socket: the options and the socket calls that apply them.
import {
  Errno,
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_LISTEN_ALL_NSID,
  NETLINK_NO_ENOBUFS,
  SOL_NETLINK,
} from '@vrfctl/netlink';
import * as libc from './libc.js';
import { SystemError } from './errors.js';
import { inNetns, type NetnsTarget } from './netns.js';

export interface OpenOptions {
  /** Create the socket in this network namespace: a name under /run/netns, a path, or an fd. */
  netns?: NetnsTarget;
  /** Receive buffer in bytes (SO_RCVBUFFORCE, falling back to SO_RCVBUF when not permitted). */
  rcvbuf?: number;
  /** Send buffer in bytes (SO_SNDBUFFORCE, falling back to SO_SNDBUF). */
  sndbuf?: number;
  /** Multicast groups to join (NETLINK_ADD_MEMBERSHIP), e.g. RTNLGRP_LINK = 1. */
  groups?: readonly number[];
  /** NETLINK_EXT_ACK (default on): error text and offsets from the kernel. */
  extAck?: boolean;
  /** NETLINK_GET_STRICT_CHK (default on): the kernel validates dump requests strictly. */
  strictCheck?: boolean;
  /** NETLINK_CAP_ACK: error replies do not echo the request payload. */
  capAck?: boolean;
  /** NETLINK_NO_ENOBUFS: do not report multicast overruns (they are then silent). */
  noEnobufs?: boolean;
  /** NETLINK_LISTEN_ALL_NSID: receive notifications from all peer namespaces. */
  listenAllNsid?: boolean;
  /** Default timeout of every call, sync and async, in ms (30 000). */
  timeoutMs?: number;
}

function setInt(fd: number, level: number, name: number, value: number): number {
  const v = Buffer.alloc(4);
  v.writeInt32LE(value);
  return libc.setsockopt(fd, level, name, v, 4) < 0 ? libc.errno() : 0;
}

export function getInt(fd: number, level: number, name: number): number {
  const v = Buffer.alloc(4);
  const l = Buffer.alloc(4);
  l.writeUInt32LE(4);
  if (libc.getsockopt(fd, level, name, v, l) < 0) throw new SystemError(`getsockopt(${name})`, libc.errno());
  return v.readInt32LE(0);
}

/**
 * The kernel's count of messages it dropped for this socket (sk_drops, read through
 * SO_MEMINFO): netlink adds one per notification that found the receive buffer full, even
 * when no ENOBUFS is reported (the socket stays "congested" until its queue empties).
 */
export function dropCount(fd: number): number {
  const v = Buffer.alloc(4 * 9);
  const l = Buffer.alloc(4);
  l.writeUInt32LE(v.length);
  if (libc.getsockopt(fd, libc.SOL_SOCKET, libc.SO_MEMINFO, v, l) < 0) throw new SystemError('getsockopt(SO_MEMINFO)', libc.errno());
  if (l.readUInt32LE(0) < 4 * (libc.SK_MEMINFO_DROPS + 1)) throw new SystemError('getsockopt(SO_MEMINFO): no drop counter', 0);
  return v.readUInt32LE(4 * libc.SK_MEMINFO_DROPS);
}

function setFlag(fd: number, name: number, label: string, value: boolean | undefined, byDefault: boolean): void {
  const on = value ?? byDefault;
  if (!on && value === undefined) return;
  const err = setInt(fd, SOL_NETLINK, name, on ? 1 : 0);
  // A default the kernel does not know (old kernel, other protocol) is skipped; an explicit request is not.
  if (err && value !== undefined) throw new SystemError(`setsockopt(${label})`, err);
}

function setBuffer(fd: number, force: number, plain: number, label: string, bytes: number): void {
  let err = setInt(fd, libc.SOL_SOCKET, force, bytes);
  if (err === Errno.EPERM) err = setInt(fd, libc.SOL_SOCKET, plain, bytes);
  if (err) throw new SystemError(`setsockopt(${label}, ${bytes})`, err);
}

function createSocket(protocol: number): number {
  const fd = libc.socket(libc.AF_NETLINK, libc.SOCK_RAW | libc.SOCK_CLOEXEC | libc.SOCK_NONBLOCK, protocol);
  if (fd < 0) throw new SystemError(`socket(AF_NETLINK, ${protocol})`, libc.errno());
  return fd;
}

/** Creates, configures and binds a non-blocking netlink socket; returns its fd and port id. */
export function openSocket(protocol: number, opts: OpenOptions): { fd: number; portId: number } {
  const fd = opts.netns !== undefined ? inNetns(opts.netns, () => createSocket(protocol)) : createSocket(protocol);
  try {
    if (opts.rcvbuf !== undefined) setBuffer(fd, libc.SO_RCVBUFFORCE, libc.SO_RCVBUF, 'SO_RCVBUF', opts.rcvbuf);
    if (opts.sndbuf !== undefined) setBuffer(fd, libc.SO_SNDBUFFORCE, libc.SO_SNDBUF, 'SO_SNDBUF', opts.sndbuf);
    setFlag(fd, NETLINK_EXT_ACK, 'NETLINK_EXT_ACK', opts.extAck, true);
    setFlag(fd, NETLINK_GET_STRICT_CHK, 'NETLINK_GET_STRICT_CHK', opts.strictCheck, true);
    setFlag(fd, NETLINK_CAP_ACK, 'NETLINK_CAP_ACK', opts.capAck, false);
    setFlag(fd, NETLINK_NO_ENOBUFS, 'NETLINK_NO_ENOBUFS', opts.noEnobufs, false);
    setFlag(fd, NETLINK_LISTEN_ALL_NSID, 'NETLINK_LISTEN_ALL_NSID', opts.listenAllNsid, false);
    const addr = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
    addr.writeUInt16LE(libc.AF_NETLINK, 0);
    if (libc.bind(fd, addr, addr.length) < 0) throw new SystemError('bind(AF_NETLINK)', libc.errno());
    const len = Buffer.alloc(4);
    len.writeUInt32LE(addr.length);
    if (libc.getsockname(fd, addr, len) < 0) throw new SystemError('getsockname', libc.errno());
    // Connected to the kernel (nl_pid 0): the kernel then refuses (ECONNREFUSED) every unicast
    // from another socket, so a flood of forged messages never fills our receive buffer (it made
    // dumps fail with ENOBUFS). Multicast from the kernel still arrives; forged multicast (root
    // only) is dropped by the demux's sender check.
    const kernel = Buffer.alloc(libc.SOCKADDR_NL_SIZE);
    kernel.writeUInt16LE(libc.AF_NETLINK, 0);
    if (libc.connect(fd, kernel, kernel.length) < 0) throw new SystemError('connect(AF_NETLINK, kernel)', libc.errno());
    for (const g of opts.groups ?? []) {
      const err = setInt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g);
      if (err) throw new SystemError(`setsockopt(NETLINK_ADD_MEMBERSHIP, ${g})`, err);
    }
    return { fd, portId: addr.readUInt32LE(4) };
  } catch (e) {
    libc.close(fd);
    throw e;
  }
}
