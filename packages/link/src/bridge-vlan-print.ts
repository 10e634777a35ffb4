// Bridge VLANs as `bridge vlan show` prints them (iproute2 6.1): a header, then per port its name
// in 16 columns and one VLAN (or range) a line with PVID / Egress Untagged; `-j` as bridge -j.
import type { BridgeVlan } from '@vrfctl/rtnetlink';
import type { BridgePortVlans } from './bridge-vlans.js';

export const BRIDGE_VLAN_HEADER = 'port              vlan-id  ';

/** IFNAMSIZ columns and two spaces, as iproute2's "%-16s  ". */
function column(text: string): string {
  return `${text.padEnd(16)}  `;
}

function portName(p: BridgePortVlans): string {
  return p.ifname ?? `if${p.index}`;
}

function flagWords(v: BridgeVlan): string[] {
  return [...(v.pvid ? ['PVID'] : []), ...(v.untagged ? ['Egress Untagged'] : [])];
}

/** The lines of `bridge vlan show` after its header; a port without VLANs has none (as bridge 6.1). */
export function formatBridgeVlans(ports: readonly BridgePortVlans[]): string[] {
  const out: string[] = [];
  for (const p of ports) {
    p.vlans.forEach((v, i) => {
      const range = v.vidEnd !== undefined ? `${v.vid}-${v.vidEnd}` : `${v.vid}`;
      out.push(column(i === 0 ? portName(p) : '') + [range, ...flagWords(v)].join(' '));
    });
  }
  return out;
}

export interface BridgeVlanJson {
  vlan: number;
  vlanEnd?: number;
  flags?: string[];
}

/** `bridge -j vlan show`: [{ifname, vlans: [{vlan, vlanEnd?, flags?}]}], ports without VLANs left out. */
export function bridgeVlansToJson(ports: readonly BridgePortVlans[]): Array<{ ifname: string; vlans: BridgeVlanJson[] }> {
  return ports.filter((p) => p.vlans.length > 0).map((p) => ({
    ifname: portName(p),
    vlans: p.vlans.map((v) => {
      const o: BridgeVlanJson = { vlan: v.vid };
      if (v.vidEnd !== undefined) o.vlanEnd = v.vidEnd;
      const flags = flagWords(v);
      if (flags.length > 0) o.flags = flags;
      return o;
    }),
  }));
}
