// Listing VRFs: every link of kind "vrf" (ours or made by `ip link add … type vrf`) with its
// table and ports, from one link dump.
import { listLinks } from '@vrfctl/link';
import { vrfTableOf } from '@vrfctl/route';
import type { Link } from '@vrfctl/rtnetlink';
import type { Plan } from '@vrfctl/socket';

export interface VrfPort {
  name: string;
  ifindex: number;
  /** Operational state as `ip -br link` prints it: UP, DOWN, UNKNOWN… */
  state: string;
}

export interface Vrf {
  name: string;
  ifindex: number;
  table: number;
  /** Operational state of the VRF device (UP once it is up). */
  state: string;
  /** Administratively up (IFF_UP). */
  up: boolean;
  ports: VrfPort[];
}

export function linkState(link: Link): string {
  return typeof link.operstate === 'string' ? link.operstate : link.operstate === undefined ? 'UNKNOWN' : String(link.operstate);
}

/** The VRFs found in a list of links, in ifindex order (as `ip vrf show`). */
export function vrfsOf(links: readonly Link[]): Vrf[] {
  const out: Vrf[] = [];
  for (const link of links) {
    const table = vrfTableOf(link);
    if (table === undefined) continue;
    const ports = links
      .filter((l) => l.master === link.index)
      .map((l) => ({ name: l.ifname ?? String(l.index), ifindex: l.index, state: linkState(l) }));
    out.push({
      name: link.ifname ?? String(link.index), ifindex: link.index, table, state: linkState(link), up: link.flags.includes('UP'), ports,
    });
  }
  return out.sort((a, b) => a.ifindex - b.ifindex);
}

export function* listVrfs(): Plan<Vrf[]> {
  return vrfsOf(yield* listLinks());
}

/** One VRF by name, or undefined. */
export function* findVrf(name: string): Plan<Vrf | undefined> {
  return (yield* listVrfs()).find((v) => v.name === name);
}
