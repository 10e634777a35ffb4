// Questions every check asks of the state: names, the VRF a device belongs to, a table's
// routes, how to write a fix command for this host (with -n NETNS when doctor ran in one).
import type { Link, Route } from '@vrfctl/rtnetlink';
import type { Listener } from '@vrfctl/vrf';
import { vrfsOf, type DoctorState, type Vrf } from './state.js';

export type Family = 4 | 6;

export function familyOf(v: unknown): Family {
  return v === 'inet6' || v === 10 ? 6 : 4;
}

export function familyName(f: Family): string {
  return f === 6 ? 'IPv6' : 'IPv4';
}

export function viaDevice(r: Route, index: number): boolean {
  return r.oif === index || (r.multipath ?? []).some((h) => h.ifindex === index);
}

export function isDefault(r: Route): boolean {
  return r.dst === undefined || r.dst === '0.0.0.0/0' || r.dst === '::/0';
}

export class HostView {
  readonly vrfs: Vrf[];
  private readonly byIndex: Map<number, Link>;

  constructor(readonly state: DoctorState) {
    this.vrfs = vrfsOf(state);
    this.byIndex = new Map(state.links.map((l) => [l.index, l]));
  }

  link(index: number): Link | undefined {
    return this.byIndex.get(index);
  }

  name(index: number): string {
    return this.byIndex.get(index)?.ifname ?? `if${index}`;
  }

  vrfNamed(name: string): Vrf | undefined {
    return this.vrfs.find((v) => v.name === name);
  }

  /** The VRF a device is in: itself when it is a VRF device, its master when that is one. */
  vrfOfDevice(index: number): Vrf | undefined {
    const own = this.vrfs.find((v) => v.link.index === index);
    if (own) return own;
    const master = this.byIndex.get(index)?.master;
    return master === undefined ? undefined : this.vrfs.find((v) => v.link.index === master);
  }

  /** "the default VRF" or "VRF mgmt", for messages. */
  vrfText(index: number): string {
    const v = this.vrfOfDevice(index);
    return v ? `VRF ${v.name}` : 'the default VRF';
  }

  ports(vrf: Vrf): Link[] {
    return this.state.links.filter((l) => l.master === vrf.link.index);
  }

  routes(table: number, family?: Family): Route[] {
    return this.state.routes.filter((r) => r.table === table && (family === undefined || familyOf(r.family) === family));
  }

  sysctl(key: string): number | undefined {
    return this.state.sysctls.get(key);
  }

  /** A vrfctl command line for this host: "vrfctl -n NS WORDS" in a netns. */
  vrfctl(words: string): string {
    return `vrfctl${this.state.netns !== undefined ? ` -n ${this.state.netns}` : ''} ${words}`;
  }

  /** "systemd-resolve (udp 127.0.0.53%lo:53)": who holds a socket and where it listens. */
  listenerText(l: Listener): string {
    const owners = this.state.owners.get(l.inode) ?? [];
    const who = owners.length > 0 ? [...new Set(owners.map((o) => o.comm))].join(',') : `a socket of uid ${l.uid}`;
    const addr = l.family === 6 ? `[${l.address}]` : l.address;
    const dev = l.ifindex !== 0 ? `%${this.name(l.ifindex)}` : '';
    return `${who} (${l.protocol} ${addr}${dev}:${l.port})`;
  }
}
