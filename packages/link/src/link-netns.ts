// Which network namespace a link is created in or moved to (`ip link … netns NS`). A name (under
// /run/netns) or a path is opened for the request and sent as IFLA_NET_NS_FD, then closed once
// the kernel has answered, as ip does; a number that names no file is a process id
// (IFLA_NET_NS_PID), as in ip. An nsid (the namespace as the socket's own namespace numbers it,
// `ip netns list-id`) is IFLA_TARGET_NETNSID: the kernel creates the link there.
import { closeSync, openSync } from 'node:fs';
import type { MessageBuilder } from '@vrfctl/netlink';
import { IFLA } from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';

/** A namespace: "name" (/run/netns/name), "/path", an open fd (not closed here), a pid, or an nsid. */
export type NetnsRef = string | { fd: number } | { pid: number } | { nsid: number };

/** The attribute a NetnsRef becomes, and the fd this package opened for it (to close). */
export interface ResolvedNetns {
  type: number;
  value: number;
  opened?: number;
}

function checkId(v: number, what: string, min: number): void {
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff) throw new ArgumentError(`invalid netns ${what} ${v}`);
}

/** Checks a NetnsRef's form (before anything is opened or sent); where says which link it is for. */
export function validateNetns(ref: NetnsRef, where: { nsidAllowed: boolean }): void {
  if (typeof ref === 'string') {
    if (ref === '' || ref.includes('\0')) throw new ArgumentError(`invalid netns "${ref.replaceAll('\0', '\\0')}"`);
    return;
  }
  if ('fd' in ref) checkId(ref.fd, 'fd', 0);
  else if ('pid' in ref) checkId(ref.pid, 'pid', 1);
  else if ('nsid' in ref) {
    if (!where.nsidAllowed) throw new ArgumentError('netns { nsid } only names where a new link is created; move a link with a name, path, fd or pid');
    checkId(ref.nsid, 'nsid', 0);
  } else throw new ArgumentError('invalid netns: a name, a path, { fd }, { pid } or { nsid }');
}

/** The path ip opens for a netns word: a name under /run/netns, or the word itself when it has a '/'. */
export function netnsFile(name: string): string {
  return name.includes('/') ? name : `/run/netns/${name}`;
}

/** Opens what ref names; the caller closes it with closeNetns once the request was answered. */
export function openNetns(ref: NetnsRef): ResolvedNetns {
  if (typeof ref !== 'string') {
    if ('fd' in ref) return { type: IFLA.NET_NS_FD, value: ref.fd };
    if ('pid' in ref) return { type: IFLA.NET_NS_PID, value: ref.pid };
    return { type: IFLA.TARGET_NETNSID, value: ref.nsid };
  }
  try {
    const fd = openSync(netnsFile(ref), 'r');
    return { type: IFLA.NET_NS_FD, value: fd, opened: fd };
  } catch (err) {
    if (/^[0-9]+$/.test(ref) && Number(ref) > 0 && Number(ref) <= 0x7fffffff) return { type: IFLA.NET_NS_PID, value: Number(ref) };
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ArgumentError(`Cannot open network namespace "${ref}": ${code}`);
  }
}

export function closeNetns(r: ResolvedNetns | undefined): void {
  if (r?.opened !== undefined) closeSync(r.opened);
}

export function writeNetns(b: MessageBuilder, r: ResolvedNetns): void {
  if (r.type === IFLA.TARGET_NETNSID) b.s32(r.type, r.value);
  else b.u32(r.type, r.value);
}
