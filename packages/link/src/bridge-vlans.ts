// Per-port bridge VLANs, as `bridge vlan add|del|show` does them: RTM_SETLINK / RTM_DELLINK of
// family AF_BRIDGE whose IFLA_AF_SPEC holds IFLA_BRIDGE_FLAGS (self/master) and one
// IFLA_BRIDGE_VLAN_INFO (or a range_begin/range_end pair); the list is an AF_BRIDGE dump with
// IFLA_EXT_MASK RTEXT_FILTER_BRVLAN (each VLAN) or RTEXT_FILTER_BRVLAN_COMPRESSED (ranges).
import { NLM_F_ACK } from '@vrfctl/netlink';
import { ack, dump, type Plan, type Request } from '@vrfctl/socket';
import {
  AF_BRIDGE, BRIDGE_VLAN_MAX, BRIDGE_VLAN_MIN, IFLA, RTEXT_FILTER, RTM, bridgeVlanInfoOf, bridgeVlansOf,
  decodeLink, encodeLink, type BridgeVlan, type Link,
} from '@vrfctl/rtnetlink';
import { ArgumentError } from '@vrfctl/iproute2';
import { writeIfInfo } from './headers.js';
import type { LinkRef } from './link.js';
import { LinkNames } from './link-names.js';

/** One VLAN (or range) on a bridge port, or on the bridge device itself with `self`. */
export interface BridgeVlanSpec {
  /** The port (or, with self, the bridge). */
  dev: LinkRef;
  /** 1…4094. */
  vid: number;
  /** The last VID of a range vid…vidEnd (greater than vid). */
  vidEnd?: number;
  /** Untagged frames arriving on the port go to this VLAN (not with a range). */
  pvid?: boolean;
  /** The VLAN leaves the port untagged. */
  untagged?: boolean;
  /** Address the device's own driver: the bridge device itself, or a port that offloads VLANs. */
  self?: boolean;
  /** Address the bridge the port belongs to (the kernel's default when neither is given). */
  master?: boolean;
}

export interface BridgeVlanFilter {
  /** Only this port (or bridge). */
  dev?: LinkRef;
  /** Only this VLAN (a range that holds it is shown whole, as `bridge vlan show vid N`). */
  vid?: number;
  /** RTEXT_FILTER_BRVLAN_COMPRESSED: consecutive VLANs with the same flags come as ranges. */
  compressed?: boolean;
}

/** A port and its VLANs in dump order (a bridge port without VLANs has none). */
export interface BridgePortVlans {
  index: number;
  ifname?: string;
  vlans: BridgeVlan[];
}

export type BridgeVlanChange = 'add' | 'del';

function checkVid(vid: number, what: string): void {
  if (!Number.isInteger(vid) || vid < BRIDGE_VLAN_MIN || vid > BRIDGE_VLAN_MAX) {
    throw new ArgumentError(`invalid ${what} "${vid}": VLAN ids are ${BRIDGE_VLAN_MIN}…${BRIDGE_VLAN_MAX}`);
  }
}

/** ArgumentError for what the kernel would refuse anyway (or take wrongly): before anything is sent. */
export function validateBridgeVlan(spec: BridgeVlanSpec): void {
  checkVid(spec.vid, 'VLAN id');
  if (spec.vidEnd !== undefined) {
    checkVid(spec.vidEnd, 'VLAN id');
    if (spec.vidEnd < spec.vid) throw new ArgumentError(`invalid VLAN range "${spec.vid}-${spec.vidEnd}": the end is below the start`);
    if (spec.vidEnd > spec.vid && spec.pvid) throw new ArgumentError('pvid cannot be configured for a vlan range');
  }
}

/** `bridge vlan add dev v0 vid 10-20 untagged self`: how errors name the change. */
export function describeBridgeVlan(op: BridgeVlanChange, spec: BridgeVlanSpec): string {
  const vid = spec.vidEnd !== undefined && spec.vidEnd !== spec.vid ? `${spec.vid}-${spec.vidEnd}` : `${spec.vid}`;
  const words = [`bridge vlan ${op} dev ${spec.dev} vid ${vid}`];
  if (spec.pvid) words.push('pvid');
  if (spec.untagged) words.push('untagged');
  if (spec.self) words.push('self');
  if (spec.master) words.push('master');
  return words.join(' ');
}

/** The AF_BRIDGE RTM_SETLINK (add) or RTM_DELLINK (del) that `bridge vlan add|del` sends for a port's ifindex. */
export function bridgeVlanRequest(op: BridgeVlanChange, spec: BridgeVlanSpec, index: number): Request {
  validateBridgeVlan(spec);
  const flags = [...(spec.master ? ['master'] : []), ...(spec.self ? ['self'] : [])];
  const vlanFlags = [...(spec.pvid ? ['pvid'] : []), ...(spec.untagged ? ['untagged'] : [])];
  const link: Link = {
    family: 'bridge', type: 0, index, flags: [], change: 0, unknown: [],
    bridge: { ...(flags.length > 0 ? { flags } : {}), vlanInfo: bridgeVlanInfoOf(spec.vid, spec.vidEnd, vlanFlags), unknown: [] },
  };
  return { type: op === 'add' ? RTM.SETLINK : RTM.DELLINK, flags: NLM_F_ACK, encode: (b) => encodeLink(b, link) };
}

/** Like `bridge vlan add dev DEV vid VID[-END] [pvid] [untagged] [self] [master]`. */
export function* addBridgeVlan(spec: BridgeVlanSpec, names = new LinkNames()): Plan<void> {
  yield* changeBridgeVlan('add', spec, names);
}

/** Like `bridge vlan del dev DEV vid VID[-END] [self] [master]`. */
export function* deleteBridgeVlan(spec: BridgeVlanSpec, names = new LinkNames()): Plan<void> {
  yield* changeBridgeVlan('del', spec, names);
}

function* changeBridgeVlan(op: BridgeVlanChange, spec: BridgeVlanSpec, names: LinkNames): Plan<void> {
  validateBridgeVlan(spec);
  const index = yield* names.index(spec.dev);
  yield* ack({ ...bridgeVlanRequest(op, spec, index), what: describeBridgeVlan(op, spec) });
}

/** The AF_BRIDGE RTM_GETLINK dump of `bridge vlan show` (`bridge -c vlan show` when compressed). */
export function bridgeVlanDumpRequest(compressed = false): Request {
  return {
    type: RTM.GETLINK,
    flags: 0,
    encode: (b) => {
      writeIfInfo(b, { family: AF_BRIDGE });
      b.u32(IFLA.EXT_MASK, compressed ? RTEXT_FILTER.BRVLAN_COMPRESSED : RTEXT_FILTER.BRVLAN);
    },
  };
}

/** True when the VLAN (or range) holds vid. */
function holds(v: BridgeVlan, vid: number): boolean {
  return v.vid === vid || (v.vidEnd !== undefined && v.vid <= vid && vid <= v.vidEnd);
}

/**
 * Like `bridge vlan show [dev DEV] [vid VID]`: every bridge port (and bridge) with its VLANs, in
 * the kernel's order. With vid, only the ports that have it, each with that VLAN only.
 */
export function* listBridgeVlans(filter: BridgeVlanFilter = {}, names = new LinkNames()): Plan<BridgePortVlans[]> {
  if (filter.vid !== undefined) checkVid(filter.vid, 'VLAN id');
  const index = filter.dev === undefined ? undefined : yield* names.index(filter.dev);
  const msgs = yield* dump({ ...bridgeVlanDumpRequest(filter.compressed), what: 'bridge vlan show' });
  const out: BridgePortVlans[] = [];
  for (const m of msgs) {
    if (m.header.type !== RTM.NEWLINK) continue;
    const link = decodeLink(m);
    if (link.family !== 'bridge' || (index !== undefined && link.index !== index)) continue;
    names.remember(link);
    let vlans = bridgeVlansOf(link);
    if (filter.vid !== undefined) {
      vlans = vlans.filter((v) => holds(v, filter.vid!));
      if (vlans.length === 0) continue;
    }
    out.push({ index: link.index, ...(link.ifname !== undefined ? { ifname: link.ifname } : {}), vlans });
  }
  return out;
}
