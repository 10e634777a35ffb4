// Creating links: `ip link add`. The request carries the common properties in key order, then
// IFLA_LINK, IFLA_IFNAME and IFLA_LINKINFO {kind, data}, the order iproute2 sends them in.
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, type MessageBuilder } from '@vrfctl/netlink';
import { ack, type Plan, type Request } from '@vrfctl/socket';
import { IFLA, IFLA_INFO, RTM, VETH_INFO, writeKindData } from '@vrfctl/rtnetlink';
import { ArgumentError, validateInterfaceName } from '@vrfctl/iproute2';
import { writeIfInfo } from './headers.js';
import type { LinkRef } from './link.js';
import { linkFlagChanges, resolvedIndex, validateLinkAttributes, writeLinkAttributes, type LinkAttributes } from './link-attributes.js';
import { resolveMaster } from './link-change.js';
import {
  validateVxlan, writeBridgeData, writeMacvlanData, writeVlanData, writeVrfData, writeVxlanData,
  type BridgeOptions, type MacvlanOptions, type VlanOptions, type VrfOptions, type VxlanOptions,
} from './link-kinds.js';
import { TABLE_KINDS, validateKindOptions, type BondOptions, type IpvlanOptions } from './link-kind-options.js';
import { LinkNames } from './link-names.js';
import { closeNetns, openNetns, type ResolvedNetns } from './link-netns.js';

/** The other end of a veth pair. */
export interface VethPeer extends LinkAttributes {
  name?: string;
}

/** One attribute of IFLA_INFO_DATA given as bytes (for kinds this package does not model). */
export interface InfoDataAttribute {
  type: number;
  value: Uint8Array;
  nested?: boolean;
}

export interface CreateLinkOptions extends LinkAttributes {
  /** The new link's name; the kernel picks one when absent. */
  name?: string;
  /** IFLA_INFO_KIND: veth, bridge, dummy, vlan, macvlan, vxlan, vrf… */
  kind: string;
  /** The lower device (vlan, macvlan parent). */
  link?: LinkRef;
  peer?: VethPeer;
  bridge?: BridgeOptions;
  vlan?: VlanOptions;
  macvlan?: MacvlanOptions;
  vxlan?: VxlanOptions;
  vrf?: VrfOptions;
  bond?: BondOptions;
  ipvlan?: IpvlanOptions;
  /** Raw IFLA_INFO_DATA for any other kind. */
  data?: InfoDataAttribute[];
}

const KIND_OPTIONS = ['peer', 'bridge', 'vlan', 'macvlan', 'vxlan', 'vrf', ...TABLE_KINDS] as const;

export function validateCreate(o: CreateLinkOptions): void {
  if (!o.kind || /[\0\s]/.test(o.kind)) throw new ArgumentError(`invalid link kind "${o.kind}"`);
  if (o.name !== undefined) validateInterfaceName(o.name, 'name');
  validateLinkAttributes(o, { nsidAllowed: true });
  for (const k of KIND_OPTIONS) {
    const expected = k === 'peer' ? 'veth' : k;
    if (o[k] !== undefined && o.kind !== expected) throw new ArgumentError(`"${k}" options need kind ${expected}, not ${o.kind}`);
  }
  if (o.peer) {
    validateLinkAttributes(o.peer);
    if (o.peer.name !== undefined) validateInterfaceName(o.peer.name, 'peer name');
  }
  if (o.kind === 'vlan') {
    if (!o.vlan) throw new ArgumentError('vlan needs an id');
    if (o.link === undefined) throw new ArgumentError('vlan needs a lower device ("link DEV")');
  }
  for (const kind of ['macvlan', 'ipvlan']) if (o.kind === kind && o.link === undefined) throw new ArgumentError(`${kind} needs a lower device ("link DEV")`);
  for (const kind of TABLE_KINDS) if (o[kind] !== undefined) validateKindOptions(kind, o[kind]);
  if (o.kind === 'vxlan') validateVxlan(o.vxlan ?? {});
}

function writeData(b: MessageBuilder, o: CreateLinkOptions, idx: ResolvedIndexes): void {
  const hasData =
    o.peer !== undefined || (o.bridge && Object.keys(o.bridge).length > 0) || o.vlan !== undefined ||
    o.macvlan?.mode !== undefined || o.kind === 'vxlan' || o.vrf !== undefined || (o.data && o.data.length > 0) ||
    TABLE_KINDS.some((k) => Object.keys(o[k] ?? {}).length > 0);
  if (!hasData) return;
  const data = b.nest(IFLA_INFO.DATA, true);
  if (o.peer) {
    const peer = b.nest(VETH_INFO.PEER, true);
    writeIfInfo(b, linkFlagChanges(o.peer));
    writeLinkAttributes(b, o.peer, idx.peerMaster, idx.peerNetns);
    if (o.peer.name !== undefined) b.string(IFLA.IFNAME, o.peer.name);
    b.endNest(peer);
  }
  if (o.bridge) writeBridgeData(b, o.bridge);
  if (o.vlan) writeVlanData(b, o.vlan);
  if (o.macvlan) writeMacvlanData(b, o.macvlan);
  if (o.kind === 'vxlan') writeVxlanData(b, o.vxlan ?? {}, idx.vxlanDev);
  if (o.vrf) writeVrfData(b, o.vrf);
  for (const kind of TABLE_KINDS) if (o[kind]) writeKindData(b, kind, o[kind]);
  for (const a of o.data ?? []) b.binary(a.nested ? a.type | 0x8000 : a.type, a.value);
  b.endNest(data);
}

export interface ResolvedIndexes {
  master?: number;
  link?: number;
  peerMaster?: number;
  vxlanDev?: number;
  /** The opened namespaces of the link and of its veth peer (openNetns). */
  netns?: ResolvedNetns;
  peerNetns?: ResolvedNetns;
}

/** RTM_NEWLINK with NLM_F_CREATE|NLM_F_EXCL, names already resolved to indexes. */
export function createLinkRequest(o: CreateLinkOptions, idx: ResolvedIndexes = {}): Request {
  return {
    type: RTM.NEWLINK,
    flags: NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
    encode: (b) => {
      writeIfInfo(b, linkFlagChanges(o));
      writeLinkAttributes(b, o, idx.master, idx.netns);
      if (o.link !== undefined) b.u32(IFLA.LINK, resolvedIndex(o.link, idx.link, 'link'));
      if (o.name !== undefined) b.string(IFLA.IFNAME, o.name);
      const info = b.nest(IFLA.LINKINFO, true);
      // iproute2 sends the kind without its NUL.
      b.binary(IFLA_INFO.KIND, Buffer.from(o.kind));
      writeData(b, o, idx);
      b.endNest(info);
    },
  };
}

/** Names (masters, lower links, the vxlan device) as indexes in the socket's namespace. */
export function* resolveCreate(o: CreateLinkOptions, names: LinkNames): Plan<ResolvedIndexes> {
  const idx: ResolvedIndexes = {};
  idx.master = yield* resolveMaster(o, names);
  if (o.vxlan?.dev !== undefined) idx.vxlanDev = yield* names.index(o.vxlan.dev);
  if (o.link !== undefined) idx.link = yield* names.index(o.link);
  if (o.peer) idx.peerMaster = yield* resolveMaster(o.peer, names);
  return idx;
}

/** Opens the namespaces a create names (ArgumentError for one that does not exist); closeCreateNetns closes them. */
export function openCreateNetns(o: CreateLinkOptions, idx: ResolvedIndexes): void {
  if (o.netns !== undefined) idx.netns = openNetns(o.netns);
  try {
    if (o.peer?.netns !== undefined) idx.peerNetns = openNetns(o.peer.netns);
  } catch (err) {
    closeCreateNetns(idx);
    throw err;
  }
}

export function closeCreateNetns(idx: ResolvedIndexes): void {
  closeNetns(idx.netns);
  closeNetns(idx.peerNetns);
  idx.netns = idx.peerNetns = undefined;
}

export function describeCreate(o: CreateLinkOptions): string {
  return `link add ${o.name !== undefined ? `${o.name} ` : ''}type ${o.kind}${o.peer?.name !== undefined ? ` peer ${o.peer.name}` : ''}`;
}

/**
 * Like `ip link add`: veth pairs, bridges, dummies, VLANs, macvlans, vxlans, or any kind with raw
 * data; `netns` (and `peer.netns`) create it in another network namespace.
 */
export function* createLink(o: CreateLinkOptions, names = new LinkNames()): Plan<void> {
  validateCreate(o);
  const idx = yield* resolveCreate(o, names);
  openCreateNetns(o, idx);
  try {
    yield* ack({ ...createLinkRequest(o, idx), what: describeCreate(o) });
  } finally {
    closeCreateNetns(idx);
  }
}
