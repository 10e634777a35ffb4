// Everything doctor looks at, read once: links, addresses, routes of every table and rules of
// both families (netlink), the VRF sysctls, /etc/resolv.conf (or the netns' own under
// /etc/netns/NAME/), rt_tables names, the listening sockets with their owners
// (NETLINK_SOCK_DIAG + /proc) and the processes in VRF cgroups (vrfctl exec, ip vrf exec,
// services started through them).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Address, Link, Route, Rule } from '@vrfctl/rtnetlink';
import { IPROUTE2_DIR, NameDatabase } from '@vrfctl/iproute2';
import { listAddresses, listLinks } from '@vrfctl/link';
import { vrfTableOf } from '@vrfctl/route';
import type { Plan } from '@vrfctl/socket';
import {
  allRoutes, dumpRules, findCgroup2Mount, netnsCgroupDir, readListeners, readSysctl, socketOwners,
  sshLocalAddress, vrfCgroups, type Listener, type ListenerProtocol, type SocketOwner,
} from '@vrfctl/vrf';
import type { Session } from '../session.js';

export interface Vrf {
  name: string;
  link: Link;
  table: number;
}

export interface VrfProcesses {
  /** The VRF name of the cgroup directory (…/vrf/NAME). */
  vrf: string;
  /** Absolute path of that cgroup directory. */
  path: string;
  /** The cgroup to move a process to to leave the VRF (the parent of vrf/). */
  base: string;
  pids: Array<{ pid: number; comm: string }>;
}

export interface DoctorState {
  netns?: string;
  links: Link[];
  addresses: Address[];
  routes: Route[];
  rules: Rule[];
  /** Sysctl values by dotted key; undefined when the kernel lacks the key. */
  sysctls: Map<string, number | undefined>;
  /** The resolver file read and its nameserver addresses (undefined: no file). */
  resolv?: { path: string; nameservers: string[] };
  listeners: Listener[];
  listenersUnavailable: ListenerProtocol[];
  owners: Map<number, SocketOwner[]>;
  /** The rt_tables databases read, and the table names they give. */
  tableNames: { files: string; lookup: (id: number) => string | undefined; taken: (name: string) => boolean };
  /** Where a new table name is written. */
  iproute2Dir: string;
  vrfProcesses: VrfProcesses[];
  /** Local address and port of the SSH session running doctor (SSH_CONNECTION), if any. */
  ssh?: { address: string; port: number };
}

export interface GatherOptions {
  netns?: string;
  /** Default: /etc/netns/NETNS/resolv.conf when it exists (what `ip netns exec` shows), else /etc/resolv.conf. */
  resolvConf?: string;
  /** Default: IPROUTE2_DIR (/etc/iproute2). */
  iproute2Dir?: string;
  /** Default: the cgroup2 mount. */
  cgroupRoot?: string;
  /** Default: the environment's SSH_CONNECTION. */
  sshConnection?: string;
}

export const SYSCTL_KEYS = ['net.ipv4.tcp_l3mdev_accept', 'net.ipv4.udp_l3mdev_accept', 'net.ipv4.raw_l3mdev_accept', 'net.vrf.strict_mode',
  'net.ipv6.conf.all.keep_addr_on_down'] as const;

export function keepAddrKey(dev: string): string {
  return `net.ipv6.conf.${dev.replace(/\./g, '/')}.keep_addr_on_down`;
}

function* readNetlink(): Plan<Pick<DoctorState, 'links' | 'addresses' | 'routes' | 'rules'>> {
  const links = yield* listLinks();
  const addresses = yield* listAddresses();
  const routes = [...(yield* allRoutes(4)), ...(yield* allRoutes(6))];
  const rules = [...(yield* dumpRules(4)), ...(yield* dumpRules(6))];
  return { links, addresses, routes, rules };
}

export function resolvConfPath(netns: string | undefined): string {
  const own = netns !== undefined && !netns.includes('/') ? `/etc/netns/${netns}/resolv.conf` : undefined;
  return own !== undefined && existsSync(own) ? own : '/etc/resolv.conf';
}

export function parseNameservers(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (m) out.push(m[1].replace(/%.*$/, ''));
  }
  return out;
}

function readResolv(path: string): DoctorState['resolv'] {
  try {
    return { path, nameservers: parseNameservers(readFileSync(path, 'utf8')) };
  } catch {
    return undefined;
  }
}

function namedNetns(): Set<string> {
  try {
    return new Set(readdirSync('/var/run/netns'));
  } catch {
    return new Set();
  }
}

/**
 * Every non-empty VRF cgroup (…/vrf/NAME with processes) that belongs to this netns, by
 * iproute2's layout: in a named netns only under NAME-ns/vrf/, otherwise every vrf/ directory
 * that is not under another named netns' directory.
 */
export function findVrfProcesses(root: string, netns: string | undefined): VrfProcesses[] {
  const nsDir = netns === undefined ? '' : netnsCgroupDir(netns);
  const others = new Set([...namedNetns()].map((n) => `${n}-ns`));
  return vrfCgroups(root, (base) => (nsDir !== '' ? base === nsDir : !others.has(base)))
    .filter((c) => c.pids.length > 0)
    .map((c) => ({ ...c, pids: c.pids.map((p) => ({ pid: p.pid, comm: p.comm ?? '?' })) }));
}

export function gatherState(session: Session, options: GatherOptions = {}): DoctorState {
  const netns = options.netns;
  const net = session.run(readNetlink());
  const sysctls = new Map<string, number | undefined>();
  const keys: string[] = [...SYSCTL_KEYS];
  for (const l of net.links) if ((l.master !== undefined || vrfTableOf(l) !== undefined) && l.ifname !== undefined) keys.push(keepAddrKey(l.ifname));
  for (const key of keys) {
    try {
      sysctls.set(key, readSysctl(key, { netns }));
    } catch {
      sysctls.set(key, undefined);
    }
  }
  const { listeners, unavailable } = readListeners({ netns });
  const owners = socketOwners(listeners.map((l) => l.inode));
  const iproute2Dir = options.iproute2Dir ?? IPROUTE2_DIR;
  const dirs = [iproute2Dir, ...(options.iproute2Dir === undefined ? ['/usr/share/iproute2'] : [])];
  const dbs = dirs.map((d) => new NameDatabase('rt_tables', [[255, 'local'], [254, 'main'], [253, 'default'], [0, 'unspec']], d));
  const root = options.cgroupRoot ?? findCgroup2Mount();
  const sshAddress = sshLocalAddress(options.sshConnection ?? process.env.SSH_CONNECTION);
  const sshPort = Number((options.sshConnection ?? process.env.SSH_CONNECTION ?? '').trim().split(/\s+/)[3]);
  return {
    ...(netns !== undefined ? { netns } : {}),
    ...net,
    sysctls,
    resolv: readResolv(options.resolvConf ?? resolvConfPath(netns)),
    listeners,
    listenersUnavailable: unavailable,
    owners,
    tableNames: {
      files: dirs.map((d) => posix.join(d, 'rt_tables')).join(', '),
      lookup: (id) => dbs.map((db) => db.lookup(id)).find((n) => n !== undefined),
      taken: (name) => dbs.some((db) => db.has(name)),
    },
    iproute2Dir,
    vrfProcesses: root === undefined ? [] : findVrfProcesses(root, netns),
    ...(sshAddress !== undefined && Number.isInteger(sshPort) ? { ssh: { address: sshAddress, port: sshPort } } : {}),
  };
}

export function vrfsOf(state: DoctorState): Vrf[] {
  const out: Vrf[] = [];
  for (const link of state.links) {
    const table = vrfTableOf(link);
    if (table !== undefined) out.push({ name: link.ifname ?? `if${link.index}`, link, table });
  }
  return out.sort((a, b) => a.link.index - b.link.index);
}
