// Per-port bridge VLANs: IFLA_AF_SPEC of AF_BRIDGE link messages (what `bridge vlan` sends and
// what a dump with RTEXT_FILTER_BRVLAN(_COMPRESSED) returns), one table for its attributes, and
// BridgeVlan, the VLANs of one port as `bridge vlan show` lists them.
import { IFLA_BRIDGE, bridgeFlagNames, bridgeVlanFlagNames } from './constants/bridge-vlan.js';
import { flagsOf, u16, type Codec } from './schema/codecs.js';
import { attributeTable, nested, repeated, type AttributeModel, type AttributeTable } from './schema/attributes.js';

/** One struct bridge_vlan_info: a VLAN, or one end of a range (flags range_begin / range_end). */
export interface BridgeVlanInfo {
  vid: number;
  /** BRIDGE_VLAN_INFO_* names: 'master', 'pvid', 'untagged', 'range_begin', 'range_end', 'brentry', 'only_opts'. */
  flags: string[];
}

/** IFLA_AF_SPEC of an AF_BRIDGE link message (Link.bridge). */
export interface BridgeAfSpec extends AttributeModel {
  /** IFLA_BRIDGE_FLAGS: 'master' and/or 'self', the side a request addresses (requests only). */
  flags?: string[];
  /** IFLA_BRIDGE_MODE: 0 VEB, 1 VEPA (hardware bridges). */
  mode?: number;
  /** The IFLA_BRIDGE_VLAN_INFO entries in wire order; a range is a begin and an end entry. */
  vlanInfo?: BridgeVlanInfo[];
}

/** struct bridge_vlan_info: u16 flags, u16 vid (host order). */
const bridgeVlanInfo: Codec<BridgeVlanInfo> = {
  decode: (buf, s, e) => (e - s === 4 ? { vid: buf.readUInt16LE(s + 2), flags: bridgeVlanFlagNames.names(buf.readUInt16LE(s)) } : undefined),
  encode: (b, t, v) => {
    const x = Buffer.alloc(4);
    x.writeUInt16LE(bridgeVlanFlagNames.value(v.flags), 0);
    x.writeUInt16LE(v.vid, 2);
    b.binary(t, x);
  },
};

export const BRIDGE_AF_SPEC_ATTRIBUTES: AttributeTable<BridgeAfSpec> = attributeTable<BridgeAfSpec>(IFLA_BRIDGE, 'IFLA_BRIDGE_', [
  { type: IFLA_BRIDGE.FLAGS, key: 'flags', codec: flagsOf(u16, bridgeFlagNames) },
  { type: IFLA_BRIDGE.MODE, key: 'mode', codec: u16 },
  { type: IFLA_BRIDGE.VLAN_INFO, key: 'vlanInfo', codec: repeated(bridgeVlanInfo) },
]);

const afSpecNest = nested(BRIDGE_AF_SPEC_ATTRIBUTES);

/**
 * IFLA_AF_SPEC as Link.bridge: typed only in AF_BRIDGE messages. Elsewhere it holds one nest per
 * address family (AF_INET, AF_INET6) and stays raw; `nl decode` shows it as its bytes either way,
 * since the JSON form cannot see the message's family.
 */
export const bridgeAfSpec: Codec<BridgeAfSpec> = {
  flagBits: 0,
  decode: (buf, s, e, ctx) => ((ctx.parent as { family?: unknown }).family === 'bridge' ? afSpecNest.decode(buf, s, e, ctx) : undefined),
  encode: (b, raw, v, parent) => afSpecNest.encode(b, raw, v, parent),
};

/** A VLAN or a range of VLANs of one port (or of the bridge itself), as `bridge vlan show` lists them. */
export interface BridgeVlan {
  /** The port's (or the bridge's) ifindex. */
  index: number;
  vid: number;
  /** The last VID of a range (compressed dumps only); absent for one VLAN. */
  vidEnd?: number;
  /** Untagged frames arriving on the port get this VLAN. */
  pvid: boolean;
  /** Frames of this VLAN leave the port untagged. */
  untagged: boolean;
  /** The flags as the kernel sent them, range marks left out ('master', 'brentry'…). */
  flags: string[];
}

const RANGE_FLAGS = new Set(['range_begin', 'range_end']);

/**
 * The VLANs of a link decoded from an RTEXT_FILTER_BRVLAN(_COMPRESSED) dump: a range_begin entry
 * and the range_end after it become one BridgeVlan with vidEnd, as iproute2 prints them.
 */
export function bridgeVlansOf(link: { index: number; bridge?: BridgeAfSpec }): BridgeVlan[] {
  const out: BridgeVlan[] = [];
  let begin: BridgeVlanInfo | undefined;
  for (const v of link.bridge?.vlanInfo ?? []) {
    if (v.flags.includes('range_begin')) {
      begin = v;
      continue;
    }
    const first = v.flags.includes('range_end') && begin !== undefined ? begin.vid : v.vid;
    begin = undefined;
    const vlan: BridgeVlan = {
      index: link.index, vid: first, pvid: v.flags.includes('pvid'), untagged: v.flags.includes('untagged'),
      flags: v.flags.filter((f) => !RANGE_FLAGS.has(f)),
    };
    if (first !== v.vid) vlan.vidEnd = v.vid;
    out.push(vlan);
  }
  return out;
}

/**
 * The IFLA_BRIDGE_VLAN_INFO entries of one VLAN or range as `bridge vlan add|del` writes them: one
 * entry, or a begin and an end entry carrying the same flags.
 */
export function bridgeVlanInfoOf(vid: number, vidEnd: number | undefined, flags: readonly string[]): BridgeVlanInfo[] {
  if (vidEnd === undefined || vidEnd === vid) return [{ vid, flags: [...flags] }];
  return [{ vid, flags: [...flags, 'range_begin'] }, { vid: vidEnd, flags: [...flags, 'range_end'] }];
}
