// Kind-specific data (IFLA_INFO_DATA) for the link types the library creates. Options are
// written in key order where iproute2 writes them as it parses (bridge, vlan, macvlan, the
// per-option vxlan ones); vxlan's identity attributes follow in iproute2's fixed order.
import { type MessageBuilder } from '@vrfctl/netlink';
import {
  IFLA_BR, IFLA_MACVLAN, IFLA_VLAN, IFLA_VRF, IFLA_VXLAN, MACVLAN_MODE, type BridgeData, type KindOptions,
} from '@vrfctl/rtnetlink';
import { parseIP } from '@vrfctl/netlink';
import { ArgumentError } from '@vrfctl/iproute2';
import type { LinkRef } from './link.js';
import { resolvedIndex } from './link-attributes.js';

/** IFLA_BR_* (linux/if_link.h), declared with the bridge's table in @vrfctl/rtnetlink. */
export { IFLA_BR };

/**
 * Bridge options: the numeric ones are the bridge model's (BridgeData; times in hundredths of a
 * second, as `ip link` takes them), the switches booleans.
 */
export type BridgeOptions = Pick<
  KindOptions<BridgeData>, 'forwardDelay' | 'helloTime' | 'maxAge' | 'ageingTime' | 'stpState' | 'priority' | 'groupFwdMask' | 'vlanDefaultPvid'
> & { vlanFiltering?: boolean; vlanProtocol?: VlanProtocol; mcastSnooping?: boolean; mcastQuerier?: boolean };

export type VlanProtocol = '802.1Q' | '802.1ad';
const VLAN_ETHERTYPE: Record<VlanProtocol, number> = { '802.1Q': 0x8100, '802.1ad': 0x88a8 };

export function vlanProtocolNumber(p: VlanProtocol): number {
  const n = VLAN_ETHERTYPE[p];
  if (n === undefined) throw new ArgumentError(`invalid VLAN protocol "${p}": 802.1Q or 802.1ad`);
  return n;
}

export interface VlanOptions {
  /** 0…4095. */
  id: number;
  protocol?: VlanProtocol;
}

export type MacvlanMode = keyof typeof MACVLAN_MODE;
export interface MacvlanOptions {
  mode?: MacvlanMode;
}

/** `type vrf table ID`: the routing table the VRF's lookups use (the kernel refuses 0). */
export interface VrfOptions {
  table: number;
}

export interface VxlanOptions {
  /** The VNI (required unless external). */
  id?: number;
  /** Multicast group (needs dev). */
  group?: string;
  /** Unicast remote endpoint. */
  remote?: string;
  local?: string;
  /** The underlay device. */
  dev?: LinkRef;
  /** UDP destination port; 0 or absent leaves the kernel default. */
  dstport?: number;
  ttl?: number;
  tos?: number;
  /** Default true, as iproute2 sends it. */
  learning?: boolean;
  ageing?: number;
  maxaddress?: number;
  proxy?: boolean;
  l2miss?: boolean;
  l3miss?: boolean;
  udpcsum?: boolean;
  /** Collect metadata (no VNI): implies nolearning. */
  external?: boolean;
}

function checkRange(v: number | undefined, max: number, what: string): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > max)) throw new ArgumentError(`invalid ${what} ${v}: out of range 0…${max}`);
}

export function writeBridgeData(b: MessageBuilder, o: BridgeOptions): void {
  for (const key of Object.keys(o) as Array<keyof BridgeOptions>) {
    const v = o[key];
    if (v === undefined) continue;
    switch (key) {
      case 'forwardDelay': b.u32(IFLA_BR.FORWARD_DELAY, v as number); break;
      case 'helloTime': b.u32(IFLA_BR.HELLO_TIME, v as number); break;
      case 'maxAge': b.u32(IFLA_BR.MAX_AGE, v as number); break;
      case 'ageingTime': b.u32(IFLA_BR.AGEING_TIME, v as number); break;
      case 'stpState': b.u32(IFLA_BR.STP_STATE, v as number); break;
      case 'priority': checkRange(v as number, 0xffff, 'priority'); b.u16(IFLA_BR.PRIORITY, v as number); break;
      case 'vlanFiltering': b.u8(IFLA_BR.VLAN_FILTERING, v ? 1 : 0); break;
      case 'vlanProtocol': b.u16be(IFLA_BR.VLAN_PROTOCOL, vlanProtocolNumber(v as VlanProtocol)); break;
      case 'groupFwdMask': checkRange(v as number, 0xffff, 'group_fwd_mask'); b.u16(IFLA_BR.GROUP_FWD_MASK, v as number); break;
      case 'mcastSnooping': b.u8(IFLA_BR.MCAST_SNOOPING, v ? 1 : 0); break;
      case 'mcastQuerier': b.u8(IFLA_BR.MCAST_QUERIER, v ? 1 : 0); break;
      case 'vlanDefaultPvid': checkRange(v as number, 4094, 'vlan_default_pvid'); b.u16(IFLA_BR.VLAN_DEFAULT_PVID, v as number); break;
    }
  }
}

export function writeVlanData(b: MessageBuilder, o: VlanOptions): void {
  checkRange(o.id, 4095, 'VLAN id');
  for (const key of Object.keys(o) as Array<keyof VlanOptions>) {
    if (key === 'id' && o.id !== undefined) b.u16(IFLA_VLAN.ID, o.id);
    if (key === 'protocol' && o.protocol !== undefined) b.u16be(IFLA_VLAN.PROTOCOL, vlanProtocolNumber(o.protocol));
  }
}

export function writeVrfData(b: MessageBuilder, o: VrfOptions): void {
  checkRange(o.table, 0xffffffff, 'VRF table');
  b.u32(IFLA_VRF.TABLE, o.table);
}

export function writeMacvlanData(b: MessageBuilder, o: MacvlanOptions): void {
  if (o.mode === undefined) return;
  const mode = MACVLAN_MODE[o.mode];
  if (mode === undefined) throw new ArgumentError(`invalid macvlan mode "${o.mode}"`);
  b.u32(IFLA_MACVLAN.MODE, mode);
}

function vxlanAddress(text: string, what: string): { family: number; bytes: Uint8Array } {
  const ip = parseIP(text);
  if (!ip) throw new ArgumentError(`invalid vxlan ${what} "${text}": not an IP address`);
  return ip;
}

export function validateVxlan(o: VxlanOptions): void {
  if (o.external && o.id !== undefined) throw new ArgumentError("vxlan: both 'external' and vni cannot be specified");
  if (!o.external && o.id === undefined) throw new ArgumentError('vxlan: missing virtual network identifier');
  checkRange(o.id, 0xffffff, 'vxlan id');
  checkRange(o.dstport, 0xffff, 'dstport');
  checkRange(o.ttl, 255, 'ttl');
  checkRange(o.tos, 255, 'tos');
  if (o.group !== undefined && o.remote !== undefined) throw new ArgumentError('vxlan: both group and remote cannot be specified');
  if (o.group !== undefined) {
    const g = vxlanAddress(o.group, 'group');
    const multicast = g.family === 2 ? (g.bytes[0] & 0xf0) === 0xe0 : g.bytes[0] === 0xff;
    if (!multicast) throw new ArgumentError(`invalid group address "${o.group}"`);
    if (o.dev === undefined) throw new ArgumentError("vxlan: 'group' requires 'dev' to be specified");
  }
  if (o.remote !== undefined) vxlanAddress(o.remote, 'remote');
  if (o.local !== undefined) vxlanAddress(o.local, 'local');
}

/** devIndex: the resolved `dev`. */
export function writeVxlanData(b: MessageBuilder, o: VxlanOptions, devIndex?: number): void {
  for (const key of Object.keys(o) as Array<keyof VxlanOptions>) {
    const v = o[key];
    if (v === undefined) continue;
    switch (key) {
      case 'dev': b.u32(IFLA_VXLAN.LINK, resolvedIndex(o.dev!, devIndex, 'vxlan dev')); break;
      case 'ttl': b.u8(IFLA_VXLAN.TTL, v as number); break;
      case 'tos': b.u8(IFLA_VXLAN.TOS, v as number); break;
      case 'ageing': b.u32(IFLA_VXLAN.AGEING, v as number); break;
      case 'maxaddress': b.u32(IFLA_VXLAN.LIMIT, v as number); break;
      case 'proxy': b.u8(IFLA_VXLAN.PROXY, v ? 1 : 0); break;
      case 'l2miss': b.u8(IFLA_VXLAN.L2MISS, v ? 1 : 0); break;
      case 'l3miss': b.u8(IFLA_VXLAN.L3MISS, v ? 1 : 0); break;
      case 'udpcsum': b.u8(IFLA_VXLAN.UDP_CSUM, v ? 1 : 0); break;
      case 'external': b.u8(IFLA_VXLAN.COLLECT_METADATA, v ? 1 : 0); break;
    }
  }
  if (o.id !== undefined) b.u32(IFLA_VXLAN.ID, o.id);
  if (o.local !== undefined) {
    const a = vxlanAddress(o.local, 'local');
    b.binary(a.family === 2 ? IFLA_VXLAN.LOCAL : IFLA_VXLAN.LOCAL6, a.bytes);
  }
  const peer = o.group ?? o.remote;
  if (peer !== undefined) {
    const a = vxlanAddress(peer, 'remote');
    b.binary(a.family === 2 ? IFLA_VXLAN.GROUP : IFLA_VXLAN.GROUP6, a.bytes);
  }
  const learning = o.learning ?? !o.external;
  b.u8(IFLA_VXLAN.LEARNING, learning ? 1 : 0);
  if (o.dstport) b.u16be(IFLA_VXLAN.PORT, o.dstport);
}
