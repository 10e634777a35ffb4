// Who listens where: the listening TCP sockets and the unconnected UDP and raw sockets of a
// network namespace, read through NETLINK_SOCK_DIAG (what `ss -lnup` reads), with the device
// each is bound to (a VRF, lo, or none) and, from /proc, the processes holding them.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { Errno, NETLINK_SOCK_DIAG, NetlinkError } from '@vrfctl/netlink';
import {
  IPPROTO, SOCK_DIAG_BY_FAMILY, TCP_STATE, decodeInetDiagSocket, encodeInetDiagRequest, stateBit, type InetDiagSocket,
} from '@vrfctl/rtnetlink';
import { dump, openNetlink, runSync, type Plan, type Request } from '@vrfctl/socket';

export type ListenerProtocol = 'tcp' | 'udp' | 'raw';

export interface Listener {
  protocol: ListenerProtocol;
  family: 4 | 6;
  /** Local address ("0.0.0.0" / "::" for any). */
  address: string;
  /** Local port; for raw sockets the IP protocol number. */
  port: number;
  /** The bound device's ifindex (SO_BINDTODEVICE or a VRF's cgroup program), 0 when unbound. */
  ifindex: number;
  /** IPv6 socket that takes no IPv4 (IPV6_V6ONLY); false for IPv4 sockets. */
  v6only: boolean;
  uid: number;
  inode: number;
  /** cgroup2 id of the socket's cgroup, when the kernel reports it. */
  cgroupId?: bigint;
}

const AF_INET = 2;
const AF_INET6 = 10;

function listRequest(family: 4 | 6, protocol: ListenerProtocol): Request {
  const states = protocol === 'tcp' ? stateBit(TCP_STATE.LISTEN) : stateBit(TCP_STATE.CLOSE);
  return {
    type: SOCK_DIAG_BY_FAMILY,
    flags: 0,
    encode: (b) => encodeInetDiagRequest(b, {
      family: family === 6 ? AF_INET6 : AF_INET,
      protocol: protocol === 'tcp' ? IPPROTO.TCP : protocol === 'udp' ? IPPROTO.UDP : IPPROTO.RAW,
      ext: 0, states, rawProtocol: protocol === 'raw' ? IPPROTO.RAW : 0,
    }),
  };
}

function toListener(s: InetDiagSocket, protocol: ListenerProtocol, family: 4 | 6): Listener {
  return {
    protocol, family, address: s.id.src, port: s.id.sport, ifindex: s.id.ifindex, v6only: s.v6only === 1, uid: s.uid, inode: s.inode,
    ...(s.cgroupId !== undefined ? { cgroupId: s.cgroupId } : {}),
  };
}

export interface ListenerDump {
  listeners: Listener[];
  /** Protocols the kernel cannot list (its *_diag module is missing): "raw", for instance. */
  unavailable: ListenerProtocol[];
}

/**
 * The listening sockets of both families: TCP in LISTEN, UDP and raw sockets not connected.
 * Runs on a NETLINK_SOCK_DIAG socket. A protocol whose diag module is absent (ENOENT) is
 * reported in `unavailable` instead of failing the whole listing.
 */
export function* dumpListeners(protocols: readonly ListenerProtocol[] = ['tcp', 'udp', 'raw']): Plan<ListenerDump> {
  const listeners: Listener[] = [];
  const unavailable: ListenerProtocol[] = [];
  for (const protocol of protocols) {
    try {
      for (const family of [4, 6] as const) {
        const msgs = yield* dump(listRequest(family, protocol));
        for (const m of msgs) if (m.header.type === SOCK_DIAG_BY_FAMILY) listeners.push(toListener(decodeInetDiagSocket(m), protocol, family));
      }
    } catch (err) {
      if (!(err instanceof NetlinkError && err.errno === Errno.ENOENT)) throw err;
      unavailable.push(protocol);
    }
  }
  return { listeners, unavailable };
}

/** dumpListeners on a socket of its own, in a netns when given. */
export function readListeners(options: { netns?: string; protocols?: readonly ListenerProtocol[] } = {}): ListenerDump {
  const nl = openNetlink(NETLINK_SOCK_DIAG, { netns: options.netns });
  try {
    return runSync(nl, dumpListeners(options.protocols));
  } finally {
    nl.close();
  }
}

export interface SocketOwner {
  pid: number;
  /** The Name: of /proc/PID/status (e.g. "systemd-resolve"). */
  comm: string;
}

/**
 * The processes holding the given socket inodes, from /proc/PID/fd links ("socket:[INODE]").
 * Processes that go away or cannot be read are skipped: this is for messages, not decisions.
 */
export function socketOwners(inodes: Iterable<number>, proc = '/proc'): Map<number, SocketOwner[]> {
  const wanted = new Set(inodes);
  const owners = new Map<number, SocketOwner[]>();
  if (wanted.size === 0) return owners;
  let pids: string[];
  try {
    pids = readdirSync(proc).filter((d) => /^\d+$/.test(d));
  } catch {
    return owners;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = readdirSync(`${proc}/${pid}/fd`);
    } catch {
      continue;
    }
    let comm: string | undefined;
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`${proc}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const m = /^socket:\[(\d+)\]$/.exec(target);
      if (!m || !wanted.has(Number(m[1]))) continue;
      comm ??= processName(proc, pid);
      const list = owners.get(Number(m[1])) ?? [];
      if (!list.some((o) => o.pid === Number(pid))) list.push({ pid: Number(pid), comm });
      owners.set(Number(m[1]), list);
    }
  }
  return owners;
}

function processName(proc: string, pid: string): string {
  try {
    const line = readFileSync(`${proc}/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('Name:'));
    return line?.slice('Name:'.length).trim() ?? '?';
  } catch {
    return '?';
  }
}
